"""The experiment file: which scenarios, regimes, parameter points and replicates to run, as typed, frozen data.

An experiment file is YAML read like a scenario file (safe load only, every value remembers its line), validated
into `ExperimentSpec`, then checked against the scenarios it names: every parameter value is tried on every
scenario before anything runs, so a typo or an out-of-range value is a one-line error naming the experiment file,
the line and the field, not a failed run an hour later. `docs/experiments.md` documents every field.
"""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from sim.analysis.uncertainties import Uncertainty, bound_points, check_uncertainties
from sim.experiment.plan import MAX_RUNS, TIMELINE, parameter_points, size_problem
from sim.input_changes import resolve_path
from sim.inputs import InputError, Located, dotted, parse_path, raise_validation_error, read_yaml
from sim.regimes.registry import REGIME_NAMES
from sim.scenario import Scenario, find_scenario, load_scenario
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
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


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


def check_experiment(spec: ExperimentSpec, located: Located, override_source: str | None = None, max_runs: int | None = MAX_RUNS) -> None:
    """Cross-field checks, the size, then every override and parameter value tried on every scenario (fast: no run)."""

    def fail(path: tuple, problem: str) -> None:
        file, line = located.where(path)
        if file is None and override_source and path[:1] == ("overrides",):
            file = override_source
        raise InputError(problem, source=file, line=line, field=dotted(path))

    if not NAME.match(spec.name):
        fail(("name",), f"expected a short name of letters, digits, '_', '.' and '-' (it names files), got {spec.name!r}")
    for index, regime in enumerate(spec.regimes):
        if spec.regimes.index(regime) != index:
            fail(("regimes", index), f"'{regime}' is listed twice")
    params = spec.parameters
    if params.grid is not None and params.latin_hypercube is not None:
        fail(("parameters",), "give either grid or latin_hypercube, not both")
    if params.points is not None and (params.grid is not None or params.latin_hypercube is not None):
        fail(("parameters",), "give explicit points or a grid or a latin_hypercube, not several")
    for name, values in (params.grid or {}).items():
        if not values:
            fail(("parameters", "grid", name), "expected at least one value, got an empty list")
        first: dict = {}
        for index, value in enumerate(values):
            if first.setdefault((isinstance(value, bool), value), index) != index:  # (true is not 1 here)
                fail(("parameters", "grid", name, index), f"the value {value!r} is listed twice")
    if params.latin_hypercube:
        for name, bounds in params.latin_hypercube.ranges.items():
            if not bounds.high > bounds.low:
                fail(("parameters", "latin_hypercube", "ranges", name, "high"), f"expected a number > low ({bounds.low:g}), got {bounds.high:g}")
            if bounds.integer and (bounds.low != int(bounds.low) or bounds.high != int(bounds.high)):
                fail(("parameters", "latin_hypercube", "ranges", name), "an integer range needs whole-number low and high")
    for name in spec.swept:
        if name in spec.overrides:
            fail(("overrides", name), "this field is also varied under parameters; give it in one place only")
    for name in spec.uncertainties:
        if name in spec.overrides or (name in spec.swept and not params.points):
            fail(("uncertainties", name), f"this field is also given under {'overrides' if name in spec.overrides else 'parameters'}; give it in one place only")
    _check_effect(spec, fail)
    problem = size_problem(spec, max_runs)
    if problem:
        fail(("parameters",) if spec.swept else ("replicates",), problem)

    points = parameter_points(spec)
    names_seen: dict[str, int] = {}
    for s_index, scenario_path in enumerate(spec.scenarios):
        try:
            base = load_scenario(scenario_path)
        except InputError as error:
            fail(("scenarios", s_index), f"this scenario does not load: {error}")
        if base.name.lower() in names_seen:  # (run folders of Beijing and beijing would be one on macOS and Windows)
            fail(("scenarios", s_index), f"two scenarios are named '{base.name}' (results are filed by scenario name, in any case)")
        names_seen[base.name.lower()] = s_index
        scenario = _try(base, spec.overrides, lambda key, unknown: ("overrides", key), fail, base.name)
        if spec.days is not None:
            _try(scenario, {"days": spec.days}, lambda key, unknown: ("days",), fail, base.name)
        _check_points(spec, scenario, points, fail)
        if spec.uncertainties:
            check_uncertainties(spec.uncertainties, scenario, fail)
            for point in bound_points(spec.uncertainties):  # each factor at both ends of its range
                name = next(iter(point))
                _try(scenario, point, lambda key, unknown, n=name: ("uncertainties", n), fail, scenario.name, context=f" at {name} = {point[name]:g}")


def _check_effect(spec: ExperimentSpec, fail) -> None:
    """Refuse a varied or overridden field that could not change any run of this experiment (its runs would be
    identical, or silently not what the file says)."""
    follows_timeline = "timeline" in spec.regimes
    places = [(("parameters", "grid") if spec.parameters.grid else ("parameters", "latin_hypercube", "ranges"), name, True) for name in spec.swept]
    places += [(("overrides",), name, False) for name in spec.overrides]
    for place, name, varied in places:
        problem = None
        if name in ("name", "description"):
            problem = "it only labels the scenario and changes no number (results are filed by the scenario's own name)"
        elif name == "regime" and (varied or not follows_timeline):
            problem = ("the experiment's `regimes:` list sets every run's regime: list the regimes there ('timeline' follows "
                       "each scenario's own regime and switches)")
        elif (name == "timeline.regimes" or name.startswith(("timeline.regimes.", "timeline.regimes["))) and not follows_timeline:
            problem = "regime switches take effect only in runs that follow the timeline: add 'timeline' to `regimes:`"
        elif name == "days" and spec.days is not None:
            problem = "the experiment's `days:` sets every run's horizon, so this has no effect"
        if problem:
            fail(place + (name,), f"'{name}' cannot be {'varied' if varied else 'overridden'} here: {problem}")


def _check_points(spec: ExperimentSpec, scenario: Scenario, points: list[dict], fail) -> None:
    params = spec.parameters
    if params.grid:
        for name, values in params.grid.items():
            for index, value in enumerate(values):
                # a value problem points at the value; an unknown field at the parameter's name
                _try(scenario, {name: value}, lambda key, unknown, i=index: ("parameters", "grid", name) + (() if unknown else (i,)), fail, scenario.name)
    elif params.latin_hypercube:
        for name, bounds in params.latin_hypercube.ranges.items():
            hint = "" if bounds.integer else "; for a whole-number field add `integer: true` to its range"
            for point in points:
                _try(scenario, {name: point[name]}, lambda key, unknown: ("parameters", "latin_hypercube", "ranges", name), fail, scenario.name,
                     hint=hint if not isinstance(point[name], int) else "")
    for number, point in enumerate(points):
        if point:  # each value passed alone; now the combination (cross-field rules)
            _try(scenario, point, lambda key, unknown: ("parameters",), fail, scenario.name, context=f" at parameter point {number} {point}")


def _try(scenario: Scenario, changes: dict, where, fail, scenario_name: str, context: str = "", hint: str = "") -> Scenario:
    """Apply `changes` to a scenario; a problem is reported at where(the key that caused it, whether it is unknown)."""
    try:
        return load_scenario(scenario, changes)
    except InputError as error:
        key, place = _key_of(error.field, changes, scenario)
        unknown = error.problem.startswith("unknown field")
        if key is not None and unknown and "." not in key:
            close = difflib.get_close_matches(key, list(LEVERS), n=1)
            problem = f"neither a lever ({', '.join(LEVERS)}) nor a scenario field" + (f"; did you mean '{close[0]}'?" if close else "")
        elif key is not None and unknown:
            problem = f"not a scenario field: {error.problem}"
        elif key is not None and place in ("value", "path"):
            problem = error.problem + (hint if "integer" in error.problem else "")
        else:
            problem = f"{error.field}: {error.problem}" if error.field else error.problem
        unknown = unknown or place == "path"  # a path that reaches nothing is reported at the parameter's name
        fail(where(key, unknown), f"{problem} (in scenario {scenario_name}{context})")
    raise AssertionError("unreachable")


def _key_of(field: str | None, changes: dict, scenario: Scenario) -> tuple[str | None, str]:
    """The change an error's field belongs to, and how: 'value' (the field is a place the change's path picks, as
    `districts[zone=x].streets` picks `districts[6].streets`), 'path' (the path stops short there: it picks
    nothing) or 'below' (a field inside the value)."""
    if not field:
        return None, ""
    data = scenario.model_dump(mode="python")
    for key in changes:
        try:
            places = [key, *(dotted(place) for place in resolve_path(data, parse_path(key), Scenario))]
        except InputError:
            places = [key]
        if field in places:
            return key, "value"
        if key.startswith((field + ".", field + "[")):
            return key, "path"
        if any(field.startswith((place + ".", place + "[")) for place in places):
            return key, "below"
    return None, ""
