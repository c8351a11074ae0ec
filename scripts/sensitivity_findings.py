"""Write the findings of docs/sensitivity.md from the stored results of experiments/sensitivity_regimes.yaml.

    python scripts/sensitivity_findings.py --run            # run (or resume) the analysis at full size, then write
    python scripts/sensitivity_findings.py --run --quick    # a reduced size (a few minutes): indicative only
    python scripts/sensitivity_findings.py                  # only rewrite the findings from results/sensitivity_regimes

The text between the markers `<!-- findings:start -->` and `<!-- findings:end -->` in docs/sensitivity.md is
replaced, and the figures are copied to docs/figures/sensitivity/. Nothing else in the document is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "experiments" / "sensitivity_regimes.yaml"
DOC = ROOT / "docs" / "sensitivity.md"
FIGURES = ROOT / "docs" / "figures" / "sensitivity"
QUICK = ["--trajectories", "2", "--replicates", "1", "--days", "120", "--samples", "8", "--top", "4"]
NOTHING = 0.05  # a factor whose μ* stays below this share of the largest μ*, for every outcome, moves nothing


def run(results: Path, quick: bool, workers: int | None) -> None:
    command = [sys.executable, "-m", "sim.cli", "sensitivity", str(FILE), "--out", str(results), *(QUICK if quick else [])]
    command += ["--workers", str(workers)] if workers else []
    subprocess.run(command, check=True, cwd=ROOT)


def _value(value: float, outcome: str) -> str:
    """μ* in the outcome's unit: percentage points for rates and loads, yuan (simulated) for cost."""
    if outcome.startswith("cost"):
        return f"{value:,.0f} yuan"
    return f"{value * 100:.2f} pp"


def morris_text(folder: Path) -> list[str]:
    indices = pd.read_csv(folder / "indices.csv")
    record = json.loads((folder / "experiment.json").read_text(encoding="utf-8"))
    spec = record["spec"]
    points = len(record["points"])
    lines = [f"**Morris screening** ({len(set(indices['factor']))} factors, {points} design points × {len(spec['regimes'])} regimes × "
             f"{spec['replicates']} replicate(s) = {len(record['runs'])} runs of {spec.get('days') or 'the scenario’s'} days at scale {spec['scale']:g}; "
             f"figure: [μ*–σ plane](figures/sensitivity/mu_star_sigma.png)).", ""]
    levels = int(json.loads((folder / "analysis.json").read_text(encoding="utf-8"))["settings"]["levels"])
    lines += [f"μ\\* is the mean absolute change of the difference when one factor moves by a step of {levels}/(2·({levels}−1)) = "
              f"{levels / (2 * (levels - 1)):.2f} of its range (rates in percentage points, cost in simulated yuan at scale "
              f"{spec['scale']:g} over the run); σ/μ\\* above about 1 flags interactions or non-linearity.", ""]
    lines += ["| outcome (paired difference) | most influential factors: μ* (σ/μ*) |", "|---|---|"]
    for outcome, frame in indices.groupby("outcome", sort=False):
        top = frame.sort_values("mu_star", ascending=False).head(3)
        cells = [f"{r.label} {_value(r.mu_star, outcome)} ({r.sigma / r.mu_star:.1f})" if r.mu_star > 0 else f"{r.label} 0" for r in top.itertuples()]
        lines.append(f"| {frame['outcome_label'].iloc[0]} | {'; '.join(cells)} |")
    pairs = {}
    for outcome, frame in indices.groupby("outcome", sort=False):
        pair = frame["outcome_label"].iloc[0].rsplit(", ", 1)[-1]
        zero = set(frame.loc[frame["mu_star"] == 0, "label"])
        pairs[pair] = zero if pair not in pairs else pairs[pair] & zero
    inert = [f"{pair}: " + ", ".join(f"`{name}`" for name in sorted(names)) for pair, names in pairs.items() if names]
    if inert:
        lines += ["", "Exactly zero on every outcome of a pair of regimes (neither regime reads the factor, and with common random "
                  "numbers nothing else changes — a check that the design holds): " + "; ".join(inert) + "."]
    relative = indices.assign(relative=indices["mu_star"] / indices.groupby("outcome")["mu_star"].transform("max"))
    idle = relative.groupby("label")["relative"].max()
    idle = sorted(idle[idle < NOTHING].index)
    lines += ["", f"Factors that move none of the ten differences (μ* below {NOTHING:.0%} of the largest for every outcome): "
              + (", ".join(f"`{name}`" for name in idle) if idle else "none") + "."]
    return lines


def sobol_text(folder: Path) -> list[str]:
    indices = pd.read_csv(folder / "indices.csv")
    record = json.loads((folder / "experiment.json").read_text(encoding="utf-8"))
    factors = list(dict.fromkeys(indices["label"]))
    lines = ["", f"**Sobol indices** on the top {len(factors)} factors ({len(record['points'])} design points, {len(record['runs'])} runs; "
             "figure: [S1 and ST with intervals](figures/sensitivity/sobol_indices.png)). ST, with its 95 % bootstrap half-width:", ""]
    lines += ["| outcome | " + " | ".join(factors) + " | Σ S1 |", "|---|" + "---|" * (len(factors) + 1)]
    for outcome, frame in indices.groupby("outcome", sort=False):
        frame = frame.set_index("label").loc[factors]
        cells = [f"{r.ST:.2f} ± {r.ST_conf:.2f}" for r in frame.itertuples()]
        lines.append(f"| {frame['outcome_label'].iloc[0]} | " + " | ".join(cells) + f" | {frame['S1'].sum():.2f} |")
    return lines


def findings(results: Path) -> str:
    morris, sobol = results / "morris", results / "sobol"
    if not (morris / "indices.csv").is_file():
        raise SystemExit(f"no Morris indices in {morris}: run with --run first")
    from importlib import metadata

    spec = json.loads((morris / "experiment.json").read_text(encoding="utf-8"))["spec"]
    quick = spec["replicates"] == 1 or (spec.get("days") or 365) < 365
    lines = [f"_Generated by `python scripts/sensitivity_findings.py` on {dt.date.today()} from {results.relative_to(ROOT) if results.is_relative_to(ROOT) else results} "
             f"(govsim {metadata.version('govsim')})._", ""]
    if quick:
        lines += ["> **Reduced size**: this run is a quick look (few trajectories, one replicate, a shortened horizon), so the ranking is "
                  "indicative and intervals are wide. Rerun at full size with `python scripts/sensitivity_findings.py --run`.", ""]
    lines += morris_text(morris)
    if (sobol / "indices.csv").is_file():
        lines += sobol_text(sobol)
    return "\n".join(lines)


def write(text: str, results: Path) -> None:
    doc = DOC.read_text(encoding="utf-8")
    pattern = re.compile(r"(<!-- findings:start -->\n).*?(\n<!-- findings:end -->)", re.S)
    if not pattern.search(doc):
        raise SystemExit(f"{DOC}: the markers <!-- findings:start --> and <!-- findings:end --> are missing")
    DOC.write_text(pattern.sub(lambda m: m.group(1) + text + m.group(2), doc), encoding="utf-8")
    FIGURES.mkdir(parents=True, exist_ok=True)
    for stage, name in (("morris", "mu_star_sigma.png"), ("sobol", "sobol_indices.png")):
        source = results / stage / "figures" / name
        if source.is_file():
            shutil.copyfile(source, FIGURES / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=ROOT / "results" / "sensitivity_regimes")
    parser.add_argument("--run", action="store_true", help="run (or resume) the analysis first")
    parser.add_argument("--quick", action="store_true", help="with --run: a reduced size")
    parser.add_argument("--workers", type=int)
    args = parser.parse_args()
    if args.run:
        run(args.results, args.quick, args.workers)
    write(findings(args.results.resolve()), args.results.resolve())
    print(f"wrote the findings in {DOC} and the figures in {FIGURES}")


if __name__ == "__main__":
    main()
