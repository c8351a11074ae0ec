"""`govsim sensitivity FILE`: the stages of an analysis file run in order, each into its own results folder.

    OUT/morris/   experiment.json, runs/ (the runner's results folder: resumable), analysis.json (method, settings,
                  factors, outcomes), design.csv (the points, as values
                  and unit coordinates), outcomes.csv (each outcome per point, mean over replicates),
                  outcomes_by_replicate.csv, indices.csv and indices.parquet, figures/mu_star_sigma.{png,svg}
    OUT/sobol/    the same for the Sobol stage, figures/sobol_indices.{png,svg}

The Sobol stage with `top: k` reads OUT/morris/indices.csv and varies only the k factors with the largest μ*; the
others keep the scenario's values. A rerun of the same command resumes each stage from its stored runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.analysis_file import SensitivitySection, load_analysis
from sim.analysis.evaluators import ModelEvaluator
from sim.analysis.outcomes import Outcome
from sim.analysis.sensitivity import Design, morris_design, run_design, sobol_design, top_factors
from sim.analysis.sensitivity_figures import draw_indices
from sim.experiment.spec import ExperimentSpec
from sim.experiment.store import write_json_atomically
from sim.inputs import InputError


@dataclass
class StageResult:
    method: str
    folder: Path
    indices: pd.DataFrame
    design: Design
    runs_done: int
    wall_time_s: float


def resized(spec: ExperimentSpec, settings: SensitivitySection, *, replicates=None, days=None, trajectories=None, samples=None, top=None):
    """The spec and settings with the command line's size options applied (a quick look before the full run)."""
    spec = spec.model_copy(update={k: v for k, v in {"replicates": replicates, "days": days}.items() if v is not None})
    updates = {}
    if trajectories is not None:
        if settings.morris is None:
            raise InputError("there is no morris stage in this file", field="--trajectories")
        updates["morris"] = settings.morris.model_copy(update={"trajectories": trajectories})
    if samples is not None or top is not None:
        if settings.sobol is None:
            raise InputError("there is no sobol stage in this file", field="--samples" if samples is not None else "--top")
        if samples is not None and samples & (samples - 1):
            raise InputError(f"expected a power of 2, got {samples}", field="--samples")
        updates["sobol"] = settings.sobol.model_copy(update={k: v for k, v in {"samples": samples, "top": top}.items() if v is not None})
    return spec, settings.model_copy(update=updates)


def run_sensitivity(path: str | Path, out: str | Path, *, stage: str | None = None, workers=None, dask=None, echo=print, progress=None, **sizes) -> list[StageResult]:
    spec, settings, outcomes = load_analysis(path, "sensitivity")
    spec, settings = resized(spec, settings, **sizes)
    out = Path(out)
    stages = [name for name in ("morris", "sobol") if getattr(settings, name) is not None and stage in (None, name)]
    if not stages:
        raise InputError(f"this file has no {stage} stage", field="--stage")
    done = []
    for name in stages:
        design = _design(name, spec, settings, out)
        evaluator = ModelEvaluator(spec, out / name, workers=workers, dask=dask, echo=echo, progress=progress)
        indices, values = run_design(design, evaluator, outcomes, bootstrap=settings.bootstrap, confidence=settings.confidence, seed=spec.seed)
        _write(out / name, design, values, evaluator.tidy, indices, outcomes)
        done.append(StageResult(name, out / name, indices, design, evaluator.runs_done, evaluator.wall_time_s))
    return done


def _design(name: str, spec: ExperimentSpec, settings: SensitivitySection, out: Path) -> Design:
    factors = dict(spec.uncertainties)
    if name == "morris":
        return morris_design(factors, settings.morris.trajectories, settings.morris.levels, spec.seed)
    if settings.sobol.top is not None:
        stored = out / "morris" / "indices.csv"
        if not stored.is_file():
            raise InputError(f"the sobol stage varies the top factors of the morris stage, whose indices are not there yet ({stored}); run the morris stage first", field="--stage")
        chosen = top_factors(pd.read_csv(stored), settings.sobol.top)
        factors = {k: v for k, v in factors.items() if k in chosen}
    return sobol_design(factors, settings.sobol.samples, spec.seed)


def _write(folder: Path, design: Design, values: pd.DataFrame, tidy: pd.DataFrame, indices: pd.DataFrame, outcomes: list[Outcome]) -> None:
    write_json_atomically(folder / "analysis.json", {
        "method": design.method, "settings": design.settings, "factors": {k: v.model_dump() for k, v in design.factors.items()},
        "outcomes": {o.name: o.text for o in outcomes},
    })
    design.table().to_csv(folder / "design.csv", index=False)
    values.rename_axis("point").reset_index().to_csv(folder / "outcomes.csv", index=False)
    tidy.to_csv(folder / "outcomes_by_replicate.csv", index=False)
    indices.to_csv(folder / "indices.csv", index=False)
    indices.to_parquet(folder / "indices.parquet", index=False)
    draw_indices(indices, design.method, folder / "figures")


def format_indices(result: StageResult, limit: int = 10) -> str:
    """The printed table: per outcome, the factors by influence (μ* or ST), best first."""
    lines = []
    key = "mu_star" if result.method == "morris" else "ST"
    for name, frame in result.indices.groupby("outcome", sort=False):
        lines.append(f"\n{result.method} · {name}: {frame['outcome_label'].iloc[0]}")
        frame = frame.sort_values(key, ascending=False)
        if result.method == "morris":
            lines.append(f"  {'factor':<58}{'μ*':>11}{'± conf':>11}{'σ':>11}{'μ':>11}")
            for _, row in frame.head(limit).iterrows():
                lines.append(f"  {row['label'][:57]:<58}{row['mu_star']:>11.4g}{row['mu_star_conf']:>11.3g}{row['sigma']:>11.4g}{row['mu']:>11.4g}")
        else:
            lines.append(f"  {'factor':<58}{'S1':>9}{'± conf':>9}{'ST':>9}{'± conf':>9}")
            for _, row in frame.head(limit).iterrows():
                lines.append(f"  {row['label'][:57]:<58}{row['S1']:>9.3f}{row['S1_conf']:>9.3f}{row['ST']:>9.3f}{row['ST_conf']:>9.3f}")
        if len(frame) > limit:
            lines.append(f"  ... {len(frame) - limit} more in {result.folder / 'indices.csv'}")
    return "\n".join(lines)
