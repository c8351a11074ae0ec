"""Evaluators: what computes the outcomes at a list of design points. The analyses take one as an argument, so a
toy function with known answers (Ishigami) goes through the same code as the model.

- `ModelEvaluator` runs the model: the points become an experiment with explicit parameter points (every regime and
  replicate of the analysis file at each), run by `sim.experiment`'s runner into a results folder (local processes
  or Dask; resumable: a rerun finds the stored runs), then reads the outcomes back from the stored runs.
- `FunctionEvaluator` calls a Python function `f(point) -> {outcome name: value}`.

Both return one row per point (in order) and one column per outcome, and keep the per-replicate values in `tidy`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from sim.analysis.outcomes import Outcome, point_outcomes
from sim.experiment.plan import make_plan
from sim.experiment.runner import run_experiment
from sim.experiment.spec import ExperimentSpec, Parameters
from sim.experiment.store import load_runs


class RunsMissing(Exception):
    """Some runs failed: the analysis cannot be computed until a rerun completes them."""


def design_spec(spec: ExperimentSpec, points: list[dict]) -> ExperimentSpec:
    """The experiment that runs `spec`'s scenarios, regimes and replicates at each of `points`."""
    return spec.model_copy(update={"parameters": Parameters(points=[dict(p) for p in points])})


def read_outcomes(out: str | Path, outcomes: list[Outcome]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-point outcome means and the per-replicate values, from a results folder's stored runs."""
    runs, _, _ = load_runs(out)
    identified = [({**run.identifiers, "point": int(run.manifest.get("point", 0))}, results) for run, results in runs]
    return point_outcomes(identified, outcomes)


class ModelEvaluator:
    def __init__(self, spec: ExperimentSpec, out: str | Path, *, workers: int | None = None, dask=None, echo=print, progress: bool | None = None):
        self.spec, self.out = spec, Path(out)
        self.workers, self.dask, self.echo, self.progress = workers, dask, echo, progress
        self.tidy = pd.DataFrame()
        self.wall_time_s = 0.0
        self.runs_done = 0

    def __call__(self, points: list[dict], outcomes: list[Outcome]) -> pd.DataFrame:
        plan = make_plan(design_spec(self.spec, points))
        report = run_experiment(plan, self.out, workers=self.workers, dask=self.dask, echo=self.echo, progress=self.progress)
        self.wall_time_s, self.runs_done = report.wall_time_s, report.done
        if report.failed:
            names = "; ".join(f"{run_id} ({error})" for run_id, error in report.failed.items())
            raise RunsMissing(f"{len(report.failed)} of {report.total} runs failed: {names}; details in {self.out / 'failures'}; rerun the same command to retry them")
        values, self.tidy = read_outcomes(self.out, outcomes)
        return values.reindex(range(len(points)))


class FunctionEvaluator:
    def __init__(self, function: Callable[[dict], dict[str, float]]):
        self.function = function
        self.tidy = pd.DataFrame()

    def __call__(self, points: list[dict], outcomes: list[Outcome]) -> pd.DataFrame:
        rows = [self.function(point) for point in points]
        values = pd.DataFrame([{o.name: row[o.name] for o in outcomes} for row in rows])
        self.tidy = values.rename_axis("point").reset_index().melt(id_vars="point", var_name="outcome", value_name="value")
        return values
