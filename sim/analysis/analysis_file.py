"""Analysis files: an experiment file (scenarios, regimes, replicates, seed, `uncertainties:`) plus the section of
the tool that reads it, `sensitivity:` (read by `govsim sensitivity`) or `calibration:` (by `govsim calibrate`).

    sensitivity:
      outcomes: {resolution: resolution_rate@hotline-whistle, cost: cost@hotline-whistle}
      morris: {trajectories: 10, levels: 4}        # screening: r trajectories of k + 1 points
      sobol: {samples: 64, top: 6}                 # then Sobol (N (k + 2) points) on Morris's top 6 factors
      bootstrap: 1000                              # resamples for the confidence intervals
      confidence: 0.95

    calibration:
      targets: [targets/beijing_public_record.yaml]    # targets files, relative to this file
      trials: 200                                  # Optuna trials; each runs every replicate (the seeds)
      sampler: tpe                                 # or random (ABC rejection proper: trials drawn from the ranges)
      storage: sqlite                              # or journal (a file that several machines may share)

The experiment part is validated as an experiment file (same one-line errors); the section here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.analysis.outcomes import Outcome, parse_outcome
from sim.experiment.spec import ExperimentSpec, read_experiment, validate_experiment
from sim.inputs import InputError, Located, raise_validation_error


COMMAND = {"sensitivity": "sensitivity", "calibration": "calibrate"}


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class MorrisStage(Frozen):
    """Morris elementary effects (SALib): r trajectories of k + 1 points on a p-level grid."""

    trajectories: int = Field(gt=0, description="Trajectories r (10 to 50 is usual)")
    levels: int = Field(4, ge=2, description="Grid levels p (even; 4 is usual)")


class SobolStage(Frozen):
    """Sobol indices from Saltelli's sampling (SALib): N (k + 2) points, first-order and total indices."""

    samples: int = Field(gt=0, description="Base sample size N, a power of 2")
    top: int | None = Field(None, gt=0, description="Only the top factors of the Morris stage (by μ*, largest over outcomes); the others stay at the scenario's values")


class SensitivitySection(Frozen):
    outcomes: dict[str, str] = Field(min_length=1, description="Name -> outcome (indicator[:statistic][@regime[-regime]])")
    morris: MorrisStage | None = Field(None, description="Screening stage")
    sobol: SobolStage | None = Field(None, description="Variance-decomposition stage")
    bootstrap: int = Field(1000, gt=0, description="Bootstrap resamples for the confidence intervals")
    confidence: float = Field(0.95, gt=0, lt=1, description="Level of the confidence intervals")


class CalibrationSection(Frozen):
    targets: list[str] = Field(min_length=1, description="Targets files (relative to this file)")
    trials: int = Field(gt=0, description="Trials to complete (a rerun resumes to this number)")
    sampler: Literal["tpe", "random"] = Field("tpe", description="Optuna's TPE, or random sampling from the ranges")
    storage: Literal["sqlite", "journal"] = Field("sqlite", description="Optuna's SQLite database or its journal file")
    startup_trials: int = Field(10, ge=1, description="TPE: random trials before it starts modelling")


class _SensitivityFile(Frozen):
    sensitivity: SensitivitySection


class _CalibrationFile(Frozen):
    calibration: CalibrationSection


def load_analysis(path: str | Path, section: Literal["sensitivity", "calibration"]):
    """(experiment spec, section, outcomes or target paths) from an analysis file, all checked."""
    path = Path(path)
    located = read_experiment(path)
    data = located.data.pop(section, None)
    other = {"sensitivity": "calibration", "calibration": "sensitivity"}[section]
    if other in located.data:
        file, line = located.where((other,))
        raise InputError(f"this is read by `govsim {COMMAND[section]}`, which has no `{other}:` section; keep the two in separate files", source=file, line=line, field=other)
    if data is None:
        raise InputError(f"expected a `{section}:` section (see docs/{'sensitivity' if section == 'sensitivity' else 'calibration'}.md)", source=str(path))
    wrapper = _SensitivityFile if section == "sensitivity" else _CalibrationFile
    try:
        settings = getattr(wrapper.model_validate({section: data}), section)
    except ValidationError as error:
        raise_validation_error(error, Located({section: data}, located.origins), wrapper)
    spec = validate_experiment(located)
    if not spec.uncertainties:
        raise InputError(f"expected `uncertainties:` (the factors to {'analyse' if section == 'sensitivity' else 'fit'})", source=str(path), field="uncertainties")
    if section == "sensitivity":
        return spec, settings, _check_sensitivity(spec, settings, located)
    return spec, settings, _check_calibration(spec, settings, located, path.parent)


def _check_sensitivity(spec: ExperimentSpec, settings: SensitivitySection, located: Located) -> list[Outcome]:
    def fail(place: tuple, problem: str):
        file, line = located.where(place)
        raise InputError(problem, source=file, line=line, field=".".join(map(str, place)))

    if settings.morris is None and settings.sobol is None:
        fail(("sensitivity",), "expected a `morris:` stage, a `sobol:` stage or both")
    if settings.morris and settings.morris.levels % 2:
        fail(("sensitivity", "morris", "levels"), f"expected an even number of levels (Morris's step is p / (2 (p - 1))), got {settings.morris.levels}")
    if settings.sobol:
        n = settings.sobol.samples
        if n & (n - 1):
            fail(("sensitivity", "sobol", "samples"), f"expected a power of 2 (Sobol sequences balance only then), got {n}; e.g. {1 << (n.bit_length() - 1)} or {1 << n.bit_length()}")
        if settings.sobol.top is not None and settings.morris is None:
            fail(("sensitivity", "sobol", "top"), "picks the top factors of the Morris stage, but there is no `morris:` stage")
        if settings.sobol.top is not None and settings.sobol.top > len(spec.uncertainties):
            fail(("sensitivity", "sobol", "top"), f"there are only {len(spec.uncertainties)} uncertainties")
    outcomes = []
    for name, text in settings.outcomes.items():
        file, line = located.where(("sensitivity", "outcomes", name))
        outcomes.append(parse_outcome(name, text, list(spec.regimes), source=file, line=line, field=f"sensitivity.outcomes.{name}"))
    return outcomes


def _check_calibration(spec: ExperimentSpec, settings: CalibrationSection, located: Located, folder: Path) -> list[Path]:
    from sim.analysis.targets import load_targets

    if len(spec.scenarios) != 1:
        file, line = located.where(("scenarios",))
        raise InputError("a calibration fits one scenario; list exactly one", source=file, line=line, field="scenarios")
    for name in spec.uncertainties:
        if "=" in name:
            file, line = located.where(("uncertainties", name))
            raise InputError("a fitted parameter must name one place: a list item by its index (mergers[0]), not by a selector", source=file, line=line, field=f"uncertainties.{name}")
    paths = []
    for index, entry in enumerate(settings.targets):
        file, line = located.where(("calibration", "targets", index))
        target_path = folder / entry
        if not target_path.is_file():
            raise InputError(f"targets file not found: {target_path}", source=file, line=line, field=f"calibration.targets[{index}]")
        paths.append(target_path)
    from sim.scenario import load_scenario

    scenario = load_scenario(spec.scenarios[0], spec.overrides)
    if spec.days is not None:
        scenario = load_scenario(scenario, {"days": spec.days})
    for target_path in paths:
        load_targets(target_path, scenario)  # every target inside the scenario's horizon, or a one-line error
    return paths
