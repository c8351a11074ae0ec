"""`govsim calibrate FILE`: fit the uncertainties of an analysis file to dated targets with Optuna.

The study lives in OUT/study.db (Optuna's SQLite storage) or OUT/study.journal (its journal file, safe on a shared
file system), so nothing is lost when a calibration stops: a rerun loads the study and completes the trials still
to do. Several processes may fill one study at once (run the same command on several machines that share OUT with
`storage: journal`); within one process, trials are asked in batches the size of the executor (local worker
processes or a Dask cluster), their runs go through `sim.experiment`'s executors, and each trial is told its loss
as soon as its last run is back.

A trial sets the fitted parameters and runs every replicate of the file: the same seeds for every trial (common
random numbers, `sim.experiment.plan.replicate_seed`), so two trials differ by their parameters, not their luck.
Its loss is Σ weight · (miss / tolerance)², the miss being the mean over seeds minus the target outside a one-sided
bound. Per-seed figures are kept as the trial's user attributes.

Interrupted (Ctrl-C), the trials in flight are marked failed and queued again with the same parameters; a process
killed outright leaves its trials running, and a later run retries those whose last news is older than
`retry_stale_s`.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import optuna

from sim.analysis.analysis_file import CalibrationSection, load_analysis
from sim.analysis.evaluators import design_spec
from sim.analysis.targets import Target, load_targets
from sim.analysis.uncertainties import Uncertainty
from sim.experiment.executors import make_executor
from sim.experiment.plan import make_plan
from sim.experiment.spec import ExperimentSpec
from sim.inputs import InputError
from sim.scenario import load_scenario, scenario_hash

TrialState = optuna.trial.TrialState


@dataclass
class Calibration:
    out: Path
    spec: ExperimentSpec
    settings: CalibrationSection
    targets: list[Target]
    study: optuna.Study
    scenario_path: Path
    wall_time_s: float = 0.0
    runs_done: int = 0

    def close(self) -> None:
        """Release the SQLite storage's connections (a journal file holds none open)."""
        release(self.study)

    @property
    def complete(self) -> bool:
        return count(self.study, TrialState.COMPLETE) >= self.settings.trials


def release(study: optuna.Study) -> None:
    backend = getattr(study._storage, "_backend", study._storage)  # optuna wraps an RDBStorage in a cache
    if isinstance(backend, optuna.storages.RDBStorage):
        backend.remove_session()
        backend.engine.dispose()


def count(study: optuna.Study, state) -> int:
    return len(study.get_trials(deepcopy=False, states=(state,)))


def open_study(out: Path, spec: ExperimentSpec, settings: CalibrationSection, fingerprint: dict) -> optuna.Study:
    out.mkdir(parents=True, exist_ok=True)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if settings.storage == "sqlite":
        storage = optuna.storages.RDBStorage(f"sqlite:///{(out / 'study.db').resolve()}")
    else:
        from optuna.storages.journal import JournalFileBackend

        storage = optuna.storages.JournalStorage(JournalFileBackend(str((out / "study.journal").resolve())))
    study = optuna.create_study(study_name=spec.name, storage=storage, direction="minimize", load_if_exists=True)
    # The sampler's seed moves on with the trials already stored: a resumed study must not propose its first
    # trials again (a sampler restarted on the same seed would).
    seed = spec.seed + len(study.get_trials(deepcopy=False))
    if settings.sampler == "tpe":
        study.sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=settings.startup_trials, constant_liar=True)
    else:
        study.sampler = optuna.samplers.RandomSampler(seed=seed)
    stored = study.user_attrs.get("calibration")
    if stored is None:
        study.set_user_attr("calibration", fingerprint)
    elif stored != json.loads(json.dumps(fingerprint)):
        changed = sorted(k for k in set(stored) | set(fingerprint) if stored.get(k) != json.loads(json.dumps(fingerprint)).get(k))
        release(study)
        raise InputError(f"this study was made by a different calibration ({', '.join(changed)} changed); rerun the original file, or choose another --out", source=str(out))
    return study


def suggest(trial: optuna.Trial, factors: dict[str, Uncertainty]) -> dict:
    """The trial's parameter values, drawn within each factor's bounds (log scale for a lognormal one)."""
    values = {}
    for name, factor in factors.items():
        if factor.distribution == "integer":
            values[name] = trial.suggest_int(name, int(factor.low), int(factor.high))
        else:
            values[name] = trial.suggest_float(name, factor.low, factor.high, log=factor.distribution == "lognormal")
    return values


def loss(targets: list[Target], means: dict[str, float]) -> float:
    total = 0.0
    for target in targets:
        value = means[target.name]
        if not math.isfinite(value):
            return math.inf
        total += target.weight * (target.miss(value) / target.allowed) ** 2
    return total


def calibrate(path: str | Path, out: str | Path, *, trials: int | None = None, workers=None, dask=None, retry_stale_s: float = 900, echo=print) -> Calibration:
    spec, settings, target_paths = load_analysis(path, "calibration")
    if trials is not None:
        settings = settings.model_copy(update={"trials": trials})
    scenario = load_scenario(spec.scenarios[0], spec.overrides)
    if spec.days is not None:
        scenario = load_scenario(scenario, {"days": spec.days})
    targets = [t for p in target_paths for t in load_targets(p, scenario)]
    fingerprint = {
        "scenario_hash": scenario_hash(scenario), "uncertainties": {k: v.model_dump() for k, v in spec.uncertainties.items()},
        "targets": [t.model_dump(mode="json") for t in targets], "seed": spec.seed, "replicates": spec.replicates, "scale": spec.scale,
        "regimes": list(spec.regimes), "sampler": settings.sampler,
    }
    out = Path(out)
    study = open_study(out, spec, settings, fingerprint)
    calibration = Calibration(out, spec, settings, targets, study, Path(spec.scenarios[0]))
    try:
        executor = make_executor(workers, dask, notify=echo)
    except BaseException:
        calibration.close()
        raise
    started = time.perf_counter()
    try:
        echo(f"{spec.name}: {settings.trials} trials × {spec.replicates} seeds of {scenario.name} on {executor.description} -> {out}")
        _fill(calibration, executor, retry_stale_s, echo)
    except BaseException:
        calibration.close()
        raise
    finally:
        executor.close()
        calibration.wall_time_s = time.perf_counter() - started
    return calibration


def _fail_stale(study: optuna.Study, limit_s: float, echo) -> None:
    """Trials left running by a process that was killed: failed, and queued again with the same parameters."""
    now = time.time()
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        if now - float(trial.user_attrs.get("heartbeat", 0)) > limit_s:
            study.tell(trial.number, state=TrialState.FAIL)
            study.enqueue_trial(trial.params, user_attrs={"retry_of": trial.number}, skip_if_exists=False)
            echo(f"trial {trial.number} had no news for more than {limit_s:g} s (its process was stopped?): queued again")


def _fill(calibration: Calibration, executor, retry_stale_s: float, echo) -> None:
    study, spec, settings = calibration.study, calibration.spec, calibration.settings
    slots = getattr(executor, "workers", None) or max(1, sum(executor.client.nthreads().values()))
    session = uuid.uuid4().hex[:8]
    while True:
        _fail_stale(study, retry_stale_s, echo)
        complete, running = count(study, TrialState.COMPLETE), count(study, TrialState.RUNNING)
        todo = settings.trials - complete - running
        if todo <= 0:
            if running:
                echo(f"{complete} trials complete; {running} still running in another process (retried after {retry_stale_s:g} s without news)")
            return
        batch = [study.ask() for _ in range(min(slots, todo))]
        points = []
        for trial in batch:
            points.append(suggest(trial, spec.uncertainties))
            trial.set_user_attr("session", session)
            trial.set_user_attr("heartbeat", time.time())
        if not _run_batch(calibration, executor, batch, points, echo):
            echo(f"every trial of the last batch failed (see the errors above and the trials' `error` in {calibration.out / 'trials.csv'}); stopping")
            return
        echo(f"trials: {count(study, TrialState.COMPLETE)} of {settings.trials} complete; best loss so far {_best(study)}")


def _best(study: optuna.Study) -> str:
    try:
        return f"{study.best_value:.4g} (trial {study.best_trial.number})"
    except ValueError:
        return "-"


def _run_batch(calibration: Calibration, executor, batch: list, points: list[dict], echo) -> int:
    """Run a batch of trials and tell each its loss; return how many completed."""
    study, spec, targets = calibration.study, calibration.spec, calibration.targets
    plan = make_plan(design_spec(spec, points))
    figures: dict[int, dict[str, list[float]]] = {p: {t.name: [] for t in targets} for p in range(len(batch))}
    left = {p: spec.replicates * len(spec.regimes) for p in range(len(batch))}
    told: set[int] = set()
    completed = 0
    try:
        for task, outcome in executor.run(plan.tasks):
            p, trial = task.point, batch[task.point]
            if p in told:
                continue
            if not outcome.ok:
                trial.set_user_attr("error", f"{task.run_id}: {outcome.error}")
                study.tell(trial, state=TrialState.FAIL)
                told.add(p)
                echo(f"trial {trial.number} failed: {outcome.error}")
                continue
            calibration.runs_done += 1
            for target in targets:
                figures[p][target.name].append(target.simulated(outcome.results.daily, outcome.results.scale))
            trial.set_user_attr("heartbeat", time.time())
            left[p] -= 1
            if left[p] == 0:
                means = {name: sum(v) / len(v) for name, v in figures[p].items()}
                trial.set_user_attr("simulated", figures[p])
                trial.set_user_attr("seeds", sorted({t.seed for t in plan.tasks if t.point == p}))
                value = loss(targets, means)
                if math.isfinite(value):
                    study.tell(trial, value)
                    completed += 1
                else:
                    trial.set_user_attr("error", "a target is undefined on these runs (e.g. a rate with nothing rated)")
                    study.tell(trial, state=TrialState.FAIL)
                told.add(p)
    except KeyboardInterrupt:
        for p, trial in enumerate(batch):
            if p not in told:
                study.tell(trial, state=TrialState.FAIL)
                study.enqueue_trial(points[p], user_attrs={"retry_of": trial.number}, skip_if_exists=False)
        echo(f"interrupted: {count(study, TrialState.COMPLETE)} trials are stored in {calibration.out}; the {len(batch) - len(told)} in flight are queued again; rerun the same command to go on")
        raise
    return completed
