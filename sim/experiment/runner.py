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
from sim.experiment.plan import MAX_RUNS, Plan, RunTask, make_plan
from sim.experiment.spec import ExperimentSpec, load_experiment
from sim.experiment.store import ResultsFolder
from sim.outputs import exclusive
from sim.results import check_run_folder, read_manifest


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
    max_runs: int | None = MAX_RUNS,
) -> ExperimentRun:
    """Run (or resume) an experiment into the results folder `out`.

    `experiment` is an experiment file, a spec or a plan. `workers` local processes (default: all cores), or `dask`:
    a scheduler address, 'local', or a `distributed.Client`. `progress` shows a progress bar (default: when stderr
    is a terminal). An experiment of more than `max_runs` runs is refused (None: no limit). Returns an
    `ExperimentRun`; read the results with `sim.load_results(out)`.
    """
    plan = experiment if isinstance(experiment, Plan) else make_plan(
        experiment if isinstance(experiment, ExperimentSpec) else load_experiment(experiment, max_runs), max_runs
    )
    folder = ResultsFolder(out)
    folder.check_ours()  # before the lock file is made in it
    with exclusive(folder.root):
        return _run(plan, folder, workers, dask, executor, progress, echo)


def _run(plan: Plan, folder: ResultsFolder, workers, dask, executor, progress, echo) -> ExperimentRun:
    folder.prepare(plan, echo)
    whole, damaged = stored_runs(folder, plan.tasks)
    todo = [task for task in plan.execution_order() if task.run_id not in whole]
    report = ExperimentRun(folder.root, total=len(plan.tasks), skipped=len(plan.tasks) - len(todo))
    own_executor = executor is None
    if own_executor:
        executor = make_executor(workers, dask, notify=lambda text: tqdm.write(text, file=sys.stderr))
    started = time.perf_counter()
    try:
        echo(f"{plan.spec.name}: {plan.counts()} on {executor.description} -> {folder.root}")
        if report.skipped or damaged:
            echo(f"resuming: {report.skipped} of {report.total} runs already stored, {len(todo)} to do")
        for run_id, problem in list(damaged.items())[:5]:
            echo(f"damaged: stored run {run_id}: {problem}; it will be redone")
        if len(damaged) > 5:
            echo(f"damaged: {len(damaged) - 5} more stored runs; they will be redone")
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


def stored_runs(folder: ResultsFolder, tasks: list[RunTask]) -> tuple[set[str], dict[str, str]]:
    """The run ids stored whole, and {run_id: what is wrong} for the stored runs that are damaged (to redo). Whole
    means: every file of the size and SHA-256 its manifest records, and a manifest that is this task's run."""
    whole, damaged = set(), {}
    for task in tasks:
        run_folder = folder.runs / task.run_id
        if not run_folder.exists():
            continue
        problem = check_run_folder(run_folder, checksums=True) or _not_this_task(read_manifest(run_folder), task)
        if problem:
            damaged[task.run_id] = problem
        else:
            whole.add(task.run_id)
    return whole, damaged


def _not_this_task(manifest: dict | None, task: RunTask) -> str | None:
    """Why a stored run's manifest is not `task`'s run, or None (runs stored before task digests existed: None)."""
    if manifest is None:
        return "its manifest.json is damaged"
    if manifest.get("task_digest", task.digest()) != task.digest():
        return f"its manifest is another run's (seed {manifest.get('seed')}, parameters {manifest.get('params')})"
    return None
