"""The experiment file's checks before anything runs: cross-field rules, the size, and every override, parameter
value and uncertainty's bounds tried on every scenario it names (fast: the scenario is loaded, not run).

A failed check is a one-line `InputError` naming the experiment file, the line and the field (`docs/experiments.md`).
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from sim.analysis.uncertainties import bound_points, check_uncertainties
from sim.experiment.plan import MAX_RUNS, parameter_points, size_problem
from sim.input_changes import resolve_path
from sim.inputs import InputError, Located, dotted, parse_path
from sim.scenario import Scenario, load_scenario
from sim.scenario.levers import LEVERS

if TYPE_CHECKING:
    from sim.experiment.spec import ExperimentSpec

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # an experiment's name names files


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
