"""The experiment file: which scenarios, regimes, parameter points and replicates to run, as typed, frozen data.

An experiment file is YAML read like a scenario file (safe load only, every value remembers its line), validated
into `ExperimentSpec`, then checked against the scenarios it names: every parameter value is tried on every
scenario before anything runs, so a typo or an out-of-range value is a one-line error naming the experiment file,
the line and the field, not a failed run an hour later (the checks: `checks.py`). `docs/experiments.md` documents
every field.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from sim.analysis.uncertainties import Uncertainty
from sim.experiment.checks import check_experiment
from sim.experiment.plan import MAX_RUNS, TIMELINE
from sim.inputs import InputError, Located, dotted, raise_validation_error, read_yaml
from sim.regimes.registry import REGIME_NAMES
from sim.scenario import find_scenario, load_scenario
from sim.scenario.levers import LEVERS

RegimeChoice = Literal[(*REGIME_NAMES, TIMELINE)]  # type: ignore[valid-type]  # timeline: follow the scenario's own switches


def _plain_value(value: Any) -> Any:
    """A grid value: a number, text or true/false, finite (one clear message rather than one per type tried)."""
    if not isinstance(value, (bool, int, float, str)):
        raise ValueError("expected a number, text or true/false (a grid varies one field at a time)")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("expected a finite number")
    return value


Value = Annotated[Any, AfterValidator(_plain_value)]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)  # no .inf or .nan bounds


class Range(Frozen):
    """An interval a Latin hypercube samples uniformly."""

    low: float = Field(description="Lowest value")
    high: float = Field(description="Highest value")
    integer: bool = Field(False, description="Sample whole numbers low..high (for integer fields such as day counts)")


class LatinHypercube(Frozen):
    points: int = Field(gt=0, description="Number of parameter points to sample")
    ranges: dict[str, Range] = Field(min_length=1, description="Parameter (lever or dotted path) -> range")


class Parameters(Frozen):
    grid: dict[str, list[Value]] | None = Field(
        None, description="Parameter (lever or dotted path) -> values; every combination is run (full factorial)"
    )
    latin_hypercube: LatinHypercube | None = Field(None, description="Sample points over ranges instead of a grid")
    points: list[dict[str, Value]] | None = Field(
        None, description="Explicit parameter points, each {parameter: value} (a sensitivity design, an ensemble of fitted parameter sets)"
    )


class ExperimentSpec(Frozen):
    """Scenarios x regimes x parameter points x replicates, from one master seed."""

    name: str = Field(description="Short name: letters, digits, _ . - (results go to results/<name> by default)")
    description: str = ""
    scenarios: list[str] = Field(min_length=1, description="Scenario files (relative to the experiment file) or shipped names")
    regimes: list[RegimeChoice] = Field(
        min_length=1, description="Regimes to run throughout; 'timeline' follows each scenario's own regime switches"
    )
    replicates: int = Field(gt=0, description="Runs per scenario, regime and parameter point")
    seed: int = Field(ge=0, le=2**63 - 1, description="Master seed (0 to 2**63 - 1): replicate k's seed is derived from it alone")
    scale: float = Field(1.0, gt=0, le=1, description="Fraction of residents simulated (capacities scaled alike)")
    days: int | None = Field(None, gt=0, description="Override the scenarios' horizon")
    overrides: dict[str, Any] = Field(default_factory=dict, description="Changes applied to every run (lever or dotted path -> value)")
    parameters: Parameters = Field(default_factory=Parameters, description="The parameters varied: a grid or a Latin hypercube")
    uncertainties: dict[str, Uncertainty] = Field(
        default_factory=dict, description="Uncertain inputs (lever or dotted path -> bounds and distribution), sampled by govsim sensitivity and govsim calibrate"
    )

    @property
    def swept(self) -> list[str]:
        """Dotted paths of the varied parameters, in file order."""
        if self.parameters.grid:
            return list(self.parameters.grid)
        if self.parameters.latin_hypercube:
            return list(self.parameters.latin_hypercube.ranges)
        if self.parameters.points:
            return list(dict.fromkeys(name for point in self.parameters.points for name in point))
        return []


def load_experiment(path: str | Path, max_runs: int | None = MAX_RUNS) -> ExperimentSpec:
    """Read, validate and check an experiment file; scenario paths come back absolute and levers as dotted paths.
    An experiment of more than `max_runs` runs is refused (None: no limit)."""
    return validate_experiment(read_experiment(path), max_runs)


def read_experiment(path: str | Path) -> Located:
    """An experiment file as located data, scenario paths resolved and levers renamed (sections of other tools, such
    as `sensitivity:`, may be taken out of it before `validate_experiment`)."""
    path = Path(path)
    located = read_yaml(path, what="experiment file")
    _resolve_scenarios(located, path.parent)
    _resolve_levers(located)
    return located


def validate_experiment(located: Located, max_runs: int | None = MAX_RUNS) -> ExperimentSpec:
    try:
        spec = ExperimentSpec.model_validate(located.data)
    except ValidationError as error:
        raise_validation_error(error, located, ExperimentSpec)
    check_experiment(spec, located, max_runs=max_runs)
    return spec


def experiment_from_options(
    scenarios: list[str], regimes: list[str], replicates: int, seed: int, scale: float, days: int | None, overrides: dict,
    name: str | None = None, max_runs: int | None = MAX_RUNS,
) -> ExperimentSpec:
    """The spec `govsim compare` runs: scenarios x regimes x replicates, no parameters varied."""
    paths = []
    for entry in scenarios:
        found = find_scenario(entry)
        if not found.is_file():
            raise InputError("scenario file not found", source=str(entry))
        paths.append(str(found.resolve()))
    names = [load_scenario(p).name for p in paths]
    spec_data = {
        "name": name or "compare_" + "_".join(dict.fromkeys(names)),
        "scenarios": paths, "regimes": regimes, "replicates": replicates, "seed": seed, "scale": scale,
        "days": days, "overrides": {LEVERS.get(k, k): v for k, v in overrides.items()},
    }
    located = Located(spec_data, {})
    try:
        spec = ExperimentSpec.model_validate(spec_data)
    except ValidationError as error:
        raise_validation_error(error, located, ExperimentSpec)
    check_experiment(spec, located, override_source="--set", max_runs=max_runs)
    return spec


# ----------------------------------------------------------------------------------------------------- checks


def _resolve_scenarios(located: Located, folder: Path) -> None:
    entries = located.data.get("scenarios")
    if not isinstance(entries, list):
        return  # the schema reports it
    for index, entry in enumerate(entries):
        if not isinstance(entry, str):
            continue
        file, line = located.where(("scenarios", index))
        relative = folder / entry
        if Path(entry).suffix in (".yaml", ".yml") or relative.exists():
            found = relative
        else:
            found = find_scenario(entry)  # a shipped scenario's bare name, e.g. teaching_town
        if not found.is_file():
            raise InputError(f"scenario file not found: {relative}", source=file, line=line, field=f"scenarios[{index}]")
        entries[index] = str(found.resolve())


def _resolve_levers(located: Located) -> None:
    """Rename lever keys (street_staff) to their dotted paths (city.street_staff_hours_per_10k), keeping line numbers."""
    places = [("overrides",), ("parameters", "grid"), ("parameters", "latin_hypercube", "ranges"), ("uncertainties",)]
    for place in places:
        node: Any = located.data
        for key in place:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue
        renamed: dict = {}
        for key, value in node.items():
            target = LEVERS.get(key, key) if isinstance(key, str) else key
            if target in renamed:
                file, line = located.where(place + (key,))
                raise InputError(f"given twice (as '{key}' and as the same field under another name)", source=file, line=line, field=dotted(place + (target,)))
            renamed[target] = value
            if target != key:
                for origin in [p for p in located.origins if p[: len(place) + 1] == place + (key,)]:
                    located.origins[place + (target,) + origin[len(place) + 1 :]] = located.origins[origin]
        node.clear()
        node.update(renamed)
