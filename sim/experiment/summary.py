"""The summary of an experiment, from its stored runs: per regime (and parameter point) the median and 10-90 % range
of each headline indicator across replicates, and the paired differences between regimes with 95 % intervals.

Written as OUT/summary.csv and OUT/differences.csv (tidy: one row per group and indicator) and printed as a table.
Per-run values are `Results.totals()` (the figures `govsim run` prints); see `stats.py` for the statistics.
At scale S < 1 counts and money are the simulated ones (divide by S for city-equivalents); the header says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.experiment.stats import paired_differences, summarise
from sim.experiment.store import IDENTIFIERS, ResultsFolder, load_runs
from sim.summary import HEADLINE, format_value

COMPACT = ("satisfaction_rate", "resolution_rate", "fix_share", "median_days_to_close", "cost", "mean_trust")
PRINTED_BLOCKS = 3  # more scenario x parameter-point blocks than this print as one compact table


@dataclass
class Summary:
    totals: pd.DataFrame  # one row per run: identifiers + headline totals
    per_regime: pd.DataFrame  # scenario, parameters, regime, indicator, label, kind, n, median, p10, p90, mean
    differences: pd.DataFrame  # scenario, parameters, regime_a, regime_b, indicator, ..., mean_difference, ci_low, ci_high
    swept: list[str]
    name: str
    replicates: int
    scales: list[float]
    failed: list[str]


def run_totals(path: str | Path) -> tuple[pd.DataFrame, list[str], dict]:
    """One row per stored run: the identifier columns and every headline indicator over the run."""
    runs, swept, record = load_runs(path)
    rows = [{**run.identifiers, **results.totals()} for run, results in runs]
    columns = [*IDENTIFIERS, *swept, *HEADLINE]
    return pd.DataFrame(rows, columns=columns), swept, record


def summarise_results(path: str | Path) -> Summary:
    totals, swept, record = run_totals(path)
    groups = ["scenario", *swept]
    indicators = [key for key in HEADLINE if key in totals.columns]
    per_regime = summarise(totals, [*groups, "regime"], indicators)
    differences = paired_differences(totals, groups, indicators)
    for frame in (per_regime, differences):
        frame.insert(frame.columns.get_loc("indicator") + 1, "label", [HEADLINE[k][0].strip() for k in frame["indicator"]])
        frame.insert(frame.columns.get_loc("label") + 1, "kind", [HEADLINE[k][1] for k in frame["indicator"]])
    failed = [f["run_id"] for f in ResultsFolder(path).failed_runs()]
    spec = record.get("spec", {})
    return Summary(
        totals=totals, per_regime=per_regime, differences=differences, swept=swept, name=spec.get("name", ""),
        replicates=int(spec.get("replicates", 1)), scales=sorted(set(totals["scale"])), failed=failed,
    )


def write_summary(path: str | Path, summary: Summary) -> list[Path]:
    folder = ResultsFolder(path)
    summary.per_regime.to_csv(folder.summary_csv, index=False)
    summary.differences.to_csv(folder.differences_csv, index=False)
    return [folder.summary_csv, folder.differences_csv]


# ------------------------------------------------------------------------------------------------- printing


def _millions(value: float, kind: str) -> bool:
    return kind in ("count", "money") and not math.isnan(value) and abs(value) >= 1e6


def band_text(row) -> str:
    """'median (p10–p90)', in the median's unit."""
    kind = row["kind"]
    if row["n"] == 0:
        return "-"
    big = _millions(row["median"], kind)
    middle = format_value(row["median"], kind, big)
    if row["n"] == 1:
        return middle

    def bare(value: float) -> str:
        return format_value(value, kind, big).removesuffix("%").removesuffix(" M")

    return f"{middle} ({bare(row['p10'])}–{bare(row['p90'])})"


def difference_text(row) -> str:
    """'mean [low, high]' with signs; rates in percentage points, big counts and money in millions."""
    kind, mean = row["kind"], row["mean_difference"]
    if row["n"] == 0 or math.isnan(mean):
        return "-"
    big = _millions(mean, kind)

    def signed(value: float) -> str:
        if kind == "rate":
            return f"{value * 100:+.1f}"
        if kind == "days":
            return f"{value:+.1f}"
        if kind == "mean":
            return f"{value:+.3f}"
        return f"{value / 1e6:+,.2f}" if big else f"{value:+,.0f}"

    unit = " pp" if kind == "rate" else " M" if big else ""
    if math.isnan(row["ci_low"]):
        return signed(mean) + unit
    return f"{signed(mean)}{unit} [{signed(row['ci_low'])}, {signed(row['ci_high'])}]"


@dataclass
class Table:
    """A titled table of text cells, printed by the CLI and rendered in HTML by the report."""

    title: str
    header: list[str]
    rows: list[list[str]]

    def text(self) -> list[str]:
        widths = [max(len(r[i]) for r in [self.header, *self.rows]) for i in range(len(self.header))]
        lines = [self.title]
        for row in [self.header, ["-" * w for w in widths], *self.rows]:
            lines.append("  ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]).rstrip())
        return lines


def _point_text(key: dict, swept: list[str]) -> str:
    return ", ".join(f"{name} = {key[name]:g}" if isinstance(key[name], float) else f"{name} = {key[name]}" for name in swept)


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


def summary_tables(summary: Summary, max_blocks: int = PRINTED_BLOCKS) -> list[Table]:
    """A full table per scenario and parameter point (and its paired differences), or, when there are more than
    `max_blocks` of them, one compact table of medians."""
    if summary.totals.empty:
        return []
    groups = ["scenario", *summary.swept]
    blocks = list(summary.per_regime.groupby(groups, sort=False, dropna=False))
    if len(blocks) > max_blocks:
        return [_compact(summary, groups)]
    tables = []
    for key, frame in blocks:
        tables += _block(summary, dict(zip(groups, key if isinstance(key, tuple) else (key,))), frame)
    return tables


def format_summary(summary: Summary) -> str:
    """The printed summary."""
    if summary.totals.empty:
        return f"{summary.name}: no finished runs to summarise"
    lines = headline(summary)
    for table in summary_tables(summary):
        lines += ["", *table.text()]
    return "\n".join(lines)


def _block(summary: Summary, key: dict, frame: pd.DataFrame) -> list[Table]:
    title = key["scenario"] + (f" · {_point_text(key, summary.swept)}" if summary.swept else "")
    regimes = list(dict.fromkeys(frame["regime"]))
    table = frame.set_index(["indicator", "regime"])
    rows = [[HEADLINE[i][0]] + [band_text(table.loc[(i, r)]) for r in regimes] for i in dict.fromkeys(frame["indicator"])]
    tables = [Table(f"{title}: median (10–90 % range) across replicates", ["indicator", *regimes], rows)]
    diffs = summary.differences
    for name, value in key.items():
        diffs = diffs[diffs[name] == value]
    if len(diffs):
        pairs = list(dict.fromkeys(zip(diffs["regime_a"], diffs["regime_b"])))
        d = diffs.set_index(["indicator", "regime_a", "regime_b"])
        rows = [[HEADLINE[i][0]] + [difference_text(d.loc[(i, a, b)]) for a, b in pairs] for i in dict.fromkeys(diffs["indicator"])]
        tables.append(Table(
            f"{title}: paired differences (replicate k minus replicate k, same seed): mean [95 % t-interval]; rates in percentage points",
            ["indicator", *[f"{b} − {a}" for a, b in pairs]], rows,
        ))
    return tables


def _compact(summary: Summary, groups: list[str]) -> Table:
    keys = [k for k in COMPACT if k in HEADLINE]
    table = summary.per_regime[summary.per_regime["indicator"].isin(keys)]
    wide = table.pivot_table(index=[*groups, "regime"], columns="indicator", values="median", sort=False, dropna=False)
    rows = []
    for index, row in wide.iterrows():
        rows.append([f"{v:g}" if isinstance(v, float) else str(v) for v in index] + [format_value(row[k], HEADLINE[k][1]) for k in keys])
    return Table(
        "medians across replicates (ranges and paired differences: summary.csv, differences.csv)",
        [*groups, "regime", *[k.replace("_", " ") for k in keys]], rows,
    )
