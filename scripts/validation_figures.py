"""Validation of the 2018-2024 timeline against the public record, and what each mechanism contributes.

    python scripts/validation_figures.py --write                    # 10 replicates at 1 %, all variants (~7 min on 2 cores)
    python scripts/validation_figures.py --write --variant-runs 4   # 10 for the timeline, 4 per variant (~4 min)
    python scripts/validation_figures.py --runs 3 --scale 0.003     # a quick look, printed only (and the figure)
    python scripts/validation_figures.py --variants all             # the figure again (same seeds), not the document
    python scripts/validation_figures.py --write --full-scale       # also one run at full scale (~5 min more)

It runs scenarios/beijing_2018_2024.yaml with replicates (same seeds for every variant: common random numbers) as
it is, and with one mechanism switched off at a time (VARIANTS), and writes, between the markers
`<!-- generated: scripts/validation_figures.py --write -->` and `<!-- /generated -->` of docs/validation.md:
every target of experiments/targets/beijing_public_record.yaml against the simulated median and 10-90 % band; the
path year by year (the model's prediction between the targets); and the decomposition: how much of the rise in
resolution and satisfaction from 2019 to 2024 and of the growth in volume from 2018 to 2024 is lost when each
mechanism is switched off. Figures go to docs/figures/validation/. Nothing else in the document is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from sim import run  # noqa: E402
from sim.analysis.targets import load_targets  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

SCENARIO = ROOT / "scenarios" / "beijing_2018_2024.yaml"
TARGETS = ROOT / "experiments" / "targets" / "beijing_public_record.yaml"
DOC = ROOT / "docs" / "validation.md"
FIGURES = ROOT / "docs" / "figures" / "validation"
START, END = "<!-- generated: scripts/validation_figures.py --write -->", "<!-- /generated -->"

# One mechanism off at a time: (label, overrides). The overrides are scenario changes as `--set` takes them.
VARIANTS: dict[str, tuple[str, dict]] = {
    "all": ("all mechanisms", {}),
    "no_learning": ("handlers do not learn (learning.frozen)", {"learning.frozen": True}),
    "no_knowledge_base": ("the hotline's knowledge base does not learn", {"learning.knowledge_scale": 1e12}),
    "no_reforms": ("no reforms of rules and ownership", {"timeline.reforms": []}),
    "no_gaming": ("pressed streets do not game (gaming_share 0)", {"regimes.hotline.gaming_share": 0.0}),
    "no_investment": ("pressed streets do not invest in capability", {"regimes.hotline.capability_investment": 0.0}),
    "no_staffing": ("staff do not follow load", {"handling.staffing_response": 0.0}),
    "no_awareness_growth": ("awareness of 12345 does not spread (no publicity, no word of mouth)",
                            {"behaviour.publicity_hotline": 0.0, "behaviour.publicity_whistle": 0.0, "behaviour.word_of_mouth": 0.0}),
    "no_mergers": ("no hotlines merged into 12345", {"timeline.mergers": []}),
    "no_induced_demand": ("no induced demand (success and failure leave propensity alone)", {"behaviour.success_boost": 0.0, "behaviour.failure_drop": 0.0}),
}


def _one(job: tuple[str, int, float, dict]) -> tuple[str, int, pd.DataFrame]:
    variant, seed, scale, overrides = job
    daily = run(SCENARIO, seed=seed, scale=scale, overrides=overrides).daily
    keep = [c for c in daily.columns if c not in ("regime",)]
    return variant, seed, daily[keep]


def simulate(runs: int, scale: float, variants: list[str], workers: int, variant_runs: int | None = None) -> dict[str, list[pd.DataFrame]]:
    def n(variant: str) -> int:
        return runs if variant == "all" or variant_runs is None else variant_runs

    jobs = [(v, seed, scale, VARIANTS[v][1]) for v in variants for seed in range(1, n(v) + 1)]
    out: dict[str, list[pd.DataFrame]] = {v: [] for v in variants}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for variant, _, daily in pool.map(_one, jobs):
            out[variant].append(daily)
    return out


def _pooled(days: pd.DataFrame, rate: str, weight: str) -> float:
    w = days[weight].astype(float)
    return float((days[rate].fillna(0) * w).sum() / w.sum()) if w.sum() else float("nan")


def yearly(daily: pd.DataFrame, scale: float) -> pd.DataFrame:
    """One run's path by calendar year: requests (city-equivalent), the three rates, shares, capability, trust."""
    frame = daily.assign(year=pd.to_datetime(daily["date"]).dt.year)
    rows = {}
    for year, days in frame.groupby("year"):
        row = {
            "requests (M)": days["hotline_contacts"].sum() / scale / 1e6 if "hotline_contacts" in days else np.nan,
            "resolution %": 100 * _pooled(days, "resolution_rate", "rated"),
            "satisfaction %": 100 * _pooled(days, "satisfaction_rate", "rated"),
            "root fixes %": 100 * _pooled(days, "fix_share", "tickets_closed"),
            "repeats %": 100 * _pooled(days, "repeat_share", "tickets_opened"),
            "consultations %": 100 * days["consultations"].sum() / max(days["contacts"].sum(), 1),
            "street capability": days["street_capability"].iloc[-1],
            "trust": days["mean_trust"].iloc[-1],
            "street load %": 100 * days["street_load"].mean(),
            "department load %": 100 * days["department_load"].mean(),
        }
        if "phone_contacts" in days:
            row["phone %"] = 100 * days["phone_contacts"].sum() / max(days["hotline_contacts"].sum(), 1)
        rows[year] = row
    return pd.DataFrame(rows).T


def band(values: list[float]) -> tuple[float, float, float]:
    return float(np.nanmedian(values)), float(np.nanpercentile(values, 10)), float(np.nanpercentile(values, 90))


def fmt(value: float, unit: str) -> str:
    if unit.startswith("requests"):
        return f"{value / 1e6:.2f} M"
    return f"{100 * value:.1f} %"


def markdown(frame: pd.DataFrame) -> str:
    header = "| year | " + " | ".join(frame.columns) + " |"
    rows = [f"| {index} | " + " | ".join(f"{v:.2f}" for v in row) + " |" for index, row in frame.iterrows()]
    return "\n".join([header, "|" + "---|" * (len(frame.columns) + 1), *rows])


def target_table(runs: list[pd.DataFrame], scale: float) -> tuple[str, int, int]:
    targets = load_targets(TARGETS, load_scenario(SCENARIO))
    lines = ["| target | public figure | simulated median (10-90 %) | within tolerance | source |", "|---|---|---|---|---|"]
    hits = 0
    for t in targets:
        sims = [t.simulated(d, scale) for d in runs]
        median, lo, hi = band(sims)
        ok = t.within(median)
        hits += ok
        figure = ("≥ " if t.bound == "at_least" else "") + fmt(t.value, t.unit) + f" ± {fmt(t.allowed, t.unit)}"
        lines.append(f"| {t.name} | {figure} | {fmt(median, t.unit)} ({fmt(lo, t.unit)}–{fmt(hi, t.unit)}) | {'yes' if ok else '**no**'} | {t.source} |")
    return "\n".join(lines), hits, len(targets)


def path_table(runs: list[pd.DataFrame], scale: float) -> pd.DataFrame:
    stacked = pd.concat([yearly(d, scale) for d in runs], keys=range(len(runs)))
    return stacked.groupby(level=1).median()


def decomposition(results: dict[str, list[pd.DataFrame]], scale: float) -> str:
    def changes(runs):
        out = []
        for d in runs:
            y = yearly(d, scale)
            out.append((y.loc[2024, "resolution %"] - y.loc[2019, "resolution %"], y.loc[2024, "satisfaction %"] - y.loc[2019, "satisfaction %"],
                        y.loc[2024, "requests (M)"] - y.loc[2018, "requests (M)"], y.loc[2024, "root fixes %"] - y.loc[2018, "root fixes %"],
                        y.loc[2024, "resolution %"], y.loc[2024, "requests (M)"]))
        return np.array(out)

    full = changes(results["all"])
    lines = [
        "| variant | resolution 2019 → 2024 (pp) | satisfaction 2019 → 2024 (pp) | requests 2018 → 2024 (M) | root fixes 2018 → 2024 (pp) | resolution 2024 | requests 2024 (M) |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, runs in results.items():
        c = changes(runs)
        med = np.median(c, axis=0)
        if key == "all":
            cells = [f"{med[0]:+.1f}", f"{med[1]:+.1f}", f"{med[2]:+.2f}", f"{med[3]:+.1f}"]
        else:
            paired = np.median(c - full[: len(c)], axis=0)
            cells = [f"{med[0]:+.1f} ({paired[0]:+.1f})", f"{med[1]:+.1f} ({paired[1]:+.1f})", f"{med[2]:+.2f} ({paired[2]:+.2f})",
                     f"{med[3]:+.1f} ({paired[3]:+.1f})"]
        lines.append(f"| {VARIANTS[key][0]} | " + " | ".join(cells) + f" | {med[4]:.1f} % | {med[5]:.2f} |")
    return "\n".join(lines)


def figure(runs: list[pd.DataFrame], scale: float) -> Path:
    FIGURES.mkdir(parents=True, exist_ok=True)
    targets = {t.name: t for t in load_targets(TARGETS, load_scenario(SCENARIO))}
    stacked = pd.concat([yearly(d, scale) for d in runs], keys=range(len(runs)))
    years = sorted(set(stacked.index.get_level_values(1)))
    fig, axes = plt.subplots(1, 3, figsize=(13, 4), constrained_layout=True)
    panels = [("requests (M)", "Requests a year (millions, city-equivalent)"), ("resolution %", "Resolution rate (%)"), ("satisfaction %", "Satisfaction rate (%)")]
    for ax, (column, title) in zip(axes, panels):
        values = stacked[column].unstack(level=1)
        ax.fill_between(years, values.quantile(0.1), values.quantile(0.9), alpha=0.3, color="C0", label="simulated 10–90 %")
        ax.plot(years, values.median(), color="C0", marker="o", label="simulated median")
        ax.set_title(title)
        ax.set_xticks(years)
    public = {
        "requests (M)": [(2018, targets["requests_2018"].value / 1e6), (2020, targets["requests_2019_2021"].value / 3e6),
                         (2023, targets["requests_2023"].value / 1e6), (2024, targets["requests_2024"].value / 1e6)],
        "resolution %": [(2020, 85.0), (2024.875, 97.0)],
        "satisfaction %": [(2020, 90.0), (2024.875, 97.3)],
    }
    for ax, (column, _) in zip(axes, panels):
        xs, ys = zip(*public[column])
        ax.scatter(xs, ys, color="black", marker="D", zorder=5, label="public record (2019–21: yearly mean; 2024: Q4)")
        ax.set_ylim(0, 1.08 * max(max(ys), ax.get_ylim()[1]) if column.startswith("requests") else 100)
    axes[0].legend(fontsize=8, loc="lower right")
    path = FIGURES / "timeline_vs_public_record.png"
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variant-runs", type=int, help="replicates of each switched-off variant (default: --runs)")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--write", action="store_true", help="rewrite the generated part of docs/validation.md")
    parser.add_argument("--full-scale", action="store_true", help="also run the timeline once at full scale")
    args = parser.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    results = simulate(args.runs, args.scale, variants, args.workers, args.variant_runs)
    table, hits, n_targets = target_table(results["all"], args.scale)
    path = path_table(results["all"], args.scale)
    text = [
        f"Measured {dt.date.today().isoformat()}: {args.runs} replicates (seeds 1–{args.runs}) at scale {args.scale:g}; "
        f"medians and 10–90 % bands across replicates. {hits} of {n_targets} targets within tolerance.",
        "", "### The targets", "", table, "", "### The path year by year (median of the replicates; the model's prediction between the targets)", "",
        markdown(path), "", "![timeline against the public record](figures/validation/timeline_vs_public_record.png)", "",
    ]
    if len(variants) > 1:
        text += ["### What each mechanism contributes", "",
                 "Change over the period with every mechanism, and with one switched off (in brackets: the paired "
                 "difference from the full model, median over replicates with the same seeds; "
                 f"{args.variant_runs or args.runs} replicates per variant).", "",
                 decomposition(results, args.scale), ""]
    if args.full_scale:
        daily = run(SCENARIO, seed=1, scale=1.0).daily
        full, _, _ = target_table([daily], 1.0)
        text += ["### Once at full scale (seed 1)", "", full, ""]
    figure(results["all"], args.scale)
    block = "\n".join(text)
    print(block)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        doc = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: f"{START}\n{block}\n{END}", doc, flags=re.S)
        DOC.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
