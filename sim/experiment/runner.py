"""Running an experiment: skip the runs already stored, execute the rest, store each one the moment it finishes.

Nothing is lost or redone: a run is written atomically as it completes (in this process, so workers on a cluster
need no shared disk); a killed experiment rerun with the same command finds the finished run folders and does only
the rest; a run that fails is recorded in OUT/failures/ with its error and the others go on; a rerun retries it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from sim.experiment.executors import DaskExecutor, LocalExecutor, make_executor
from sim.experiment.plan import Plan, make_plan
from sim.experiment.spec import ExperimentSpec, load_experiment
from sim.experiment.store import ResultsFolder


@dataclass
class ExperimentRun:
    """What happened: how many runs were stored before, done now, and which failed (with their errors)."""

    out: Path
    total: int
    skipped: int
    done: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    wall_time_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def run_experiment(
    experiment: str | Path | ExperimentSpec | Plan,
    out: str | Path,
    *,
    workers: int | None = None,
    dask=None,
    executor: LocalExecutor | DaskExecutor | None = None,
    progress: bool | None = None,
    echo=print,
) -> ExperimentRun:
    """Run (or resume) an experiment into the results folder `out`.

    `experiment` is an experiment file, a spec or a plan. `workers` local processes (default: all cores), or `dask`:
    a scheduler address, 'local', or a `distributed.Client`. `progress` shows a progress bar (default: when stderr
    is a terminal). Returns an `ExperimentRun`; read the results with `sim.load_results(out)`.
    """
    plan = experiment if isinstance(experiment, Plan) else make_plan(
        experiment if isinstance(experiment, ExperimentSpec) else load_experiment(experiment)
    )
    folder = ResultsFolder(out)
    folder.prepare(plan)
    todo = [task for task in plan.execution_order() if not folder.finished(task.run_id)]
    report = ExperimentRun(folder.root, total=len(plan.tasks), skipped=len(plan.tasks) - len(todo))
    own_executor = executor is None
    if own_executor:
        executor = make_executor(workers, dask, notify=lambda text: tqdm.write(text, file=sys.stderr))
    started = time.perf_counter()
    try:
        echo(f"{plan.spec.name}: {plan.counts()} on {executor.description} -> {folder.root}")
        if report.skipped:
            echo(f"resuming: {report.skipped} of {report.total} runs already stored, {len(todo)} to do")
        bar = tqdm(total=len(todo), unit="run", desc="runs", file=sys.stderr, disable=not todo or (None if progress is None else not progress))
        with bar:
            for task, outcome in executor.run(todo):
                if outcome.ok:
                    folder.write_run(task, outcome.results)
                    report.done += 1
                else:
                    folder.write_failure(task, outcome.error, outcome.traceback)
                    report.failed[task.run_id] = outcome.error
                    tqdm.write(f"run {task.run_id} failed: {outcome.error}", file=sys.stderr)
                bar.update()
    except KeyboardInterrupt:
        echo(f"interrupted: {report.skipped + report.done} of {report.total} runs are stored in {folder.root}; rerun the same command to do the rest")
        raise
    finally:
        if own_executor:
            executor.close()
    report.wall_time_s = time.perf_counter() - started
    return report
