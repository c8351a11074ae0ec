"""The summary of an experiment, from its stored runs: per scenario, parameter point and regime the median and
10-90 % range of each headline indicator across replicates; the paired differences between regimes, between
scenarios and between the values of a swept parameter (everything else equal), with 95 % intervals; and the same
by district zone and by district (`by_area.py`).

Written as OUT/summary.csv, OUT/differences.csv, OUT/summary_by_area.csv and OUT/differences_by_area.csv (tidy: one
row per group and indicator) and printed as tables (`summary_tables.py`). Per-run values are `Results.totals()`
(the figures `govsim run` prints); see `stats.py` for the statistics. At scale S < 1 counts and money are the
simulated ones (divide by S for city-equivalents); the tables say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.experiment.by_area import area_totals, labelled, summarise_areas
from sim.experiment.stats import all_paired_differences, summarise
from sim.experiment.store import IDENTIFIERS, ResultsFolder, load_runs
from sim.experiment.summary_tables import summary_tables
from sim.summary import HEADLINE

AREA_FILES = ("summary_by_area.csv", "differences_by_area.csv")


@dataclass
class Summary:
    totals: pd.DataFrame  # one row per run: identifiers + headline totals
    per_regime: pd.DataFrame  # scenario, parameters, regime, indicator, label, kind, n, median, p10, p90, mean
    differences: pd.DataFrame  # compared, scenario, parameters, regime, a, b, indicator, label, kind, n, mean_difference, ci_low, ci_high
    swept: list[str]
    name: str
    replicates: int
    scales: list[float]
    failed: list[str]
    design: str = ""  # 'grid', 'latin_hypercube' or '' (nothing swept)
    per_area: pd.DataFrame = field(default_factory=pd.DataFrame)  # area_type, area, zone, then as per_regime
    area_differences: pd.DataFrame = field(default_factory=pd.DataFrame)  # compared, area_type, area, zone, then as differences


def run_totals(path: str | Path) -> tuple[pd.DataFrame, list[str], dict]:
    """One row per stored run: the identifier columns and every headline indicator over the run."""
    runs, swept, record = load_runs(path)
    rows = [{**run.identifiers, **results.totals()} for run, results in runs]
    columns = [*IDENTIFIERS, *swept, *HEADLINE]
    return pd.DataFrame(rows, columns=columns), swept, record


def design_of(record: dict) -> str:
    parameters = record.get("spec", {}).get("parameters") or {}
    return next((kind for kind in ("grid", "latin_hypercube") if parameters.get(kind)), "")


def summarise_results(path: str | Path) -> Summary:
    totals, swept, record = run_totals(path)
    context = ["scenario", *swept, "regime"]
    indicators = [key for key in HEADLINE if key in totals.columns]
    per_regime = labelled(summarise(totals, context, indicators))
    differences = labelled(all_paired_differences(totals, context, indicators, swept))
    per_area, area_differences = summarise_areas(area_totals(path, swept), swept)
    failed = [f["run_id"] for f in ResultsFolder(path).failed_runs()]
    spec = record.get("spec", {})
    return Summary(
        totals=totals, per_regime=per_regime, differences=differences, swept=swept, name=spec.get("name", ""),
        replicates=int(spec.get("replicates", 1)), scales=sorted(set(totals["scale"])), failed=failed,
        design=design_of(record), per_area=per_area, area_differences=area_differences,
    )


def write_summary(path: str | Path, summary: Summary) -> list[Path]:
    folder = ResultsFolder(path)
    by_area, area_differences = (folder.root / name for name in AREA_FILES)
    summary.per_regime.to_csv(folder.summary_csv, index=False)
    summary.differences.to_csv(folder.differences_csv, index=False)
    summary.per_area.to_csv(by_area, index=False)
    summary.area_differences.to_csv(area_differences, index=False)
    return [folder.summary_csv, folder.differences_csv, by_area, area_differences]


def headline(summary: Summary) -> list[str]:
    """The lines above the tables: what was run, and how to read counts at a reduced scale."""
    n_runs = len(summary.totals)
    replicates = f"up to {summary.replicates} replicate{'s' if summary.replicates != 1 else ''} per regime"
    lines = [f"{summary.name} · {n_runs} run{'s' if n_runs != 1 else ''} · {replicates}"]
    scaled = [s for s in summary.scales if s < 1]
    if scaled:
        s = scaled[0]
        lines.append(
            f"scale {s:g}: counts and money are simulated ({s * 100:g} % of residents; divide by {s:g} for city-equivalents); "
            "rates, days and means are unscaled"
        )
    if summary.failed:
        lines.append(f"missing: {len(summary.failed)} failed run(s) are left out: {', '.join(summary.failed)}")
    return lines


def format_summary(summary: Summary) -> str:
    """The printed summary: the headline, then the tables (`summary_tables.py`)."""
    if summary.totals.empty:
        return f"{summary.name}: no finished runs to summarise"
    lines = headline(summary)
    for table in summary_tables(summary):
        lines += ["", *table.text()]
    return "\n".join(lines)
