"""The runs of an experiment: parameter points, replicate seeds, run ids, and the task each worker receives.

Common random numbers: replicate k's seed depends on the master seed and k only, so replicate k of every regime,
scenario and parameter point faces the same problems, and the seeds do not depend on the executor or the number of
workers. The seed of replicate k is `numpy.random.SeedSequence(master).spawn(k + 1)[k].generate_state(1)[0]`
(a 32-bit integer): `govsim run --seed <that seed>` reproduces any single run.

The size of an experiment is counted before anything is built (`count_runs`: scenarios x regimes x points x
replicates, by arithmetic); past `MAX_RUNS` runs it is refused unless the caller allows more (`--max-runs N`), so a
grid of 10^8 points is a one-line error, not an hour of building lists.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.inputs import InputError
from sim.scenario import Scenario, load_scenario, scenario_hash

if TYPE_CHECKING:
    from sim.experiment.spec import ExperimentSpec

TIMELINE = "timeline"
MAX_RUNS = 10_000  # runs an experiment may have unless the caller allows more (--max-runs N, max_runs=N)


def replicate_seed(master: int, replicate: int) -> int:
    """The seed of replicate `replicate` (0-based): the same for every regime, scenario and parameter point."""
    return int(np.random.SeedSequence(master, spawn_key=(replicate,)).generate_state(1)[0])


def count_points(spec: "ExperimentSpec") -> int:
    params = spec.parameters
    if params.grid:
        return math.prod(len(values) for values in params.grid.values())
    return params.latin_hypercube.points if params.latin_hypercube else 1


def count_runs(spec: "ExperimentSpec") -> int:
    """The number of runs, by arithmetic (nothing is built)."""
    return len(spec.scenarios) * len(spec.regimes) * count_points(spec) * spec.replicates


def size_problem(spec: "ExperimentSpec", max_runs: int | None = MAX_RUNS) -> str | None:
    """Why the experiment is too big to start, or None."""
    runs = count_runs(spec)
    if max_runs is None or runs <= max_runs:
        return None
    return (f"{runs:,} runs ({counts_text(spec, len(spec.scenarios))}) is more than the limit of {max_runs:,}: check the "
            f"design, or allow it with --max-runs {runs} (max_runs={runs} in Python)")


def iter_points(spec: "ExperimentSpec"):
    """The parameter points one by one, each {dotted path: value}; one empty point when nothing is varied. A grid's
    points are made as they are asked for; a Latin hypercube's are sampled together (check the size first)."""
    params = spec.parameters
    if params.grid:
        names = list(params.grid)
        return (dict(zip(names, values)) for values in itertools.product(*params.grid.values()))
    if params.latin_hypercube:
        return iter(latin_hypercube(params.latin_hypercube, spec.seed))
    if params.points:
        return iter([dict(point) for point in params.points])
    return iter([{}])


def parameter_points(spec: "ExperimentSpec") -> list[dict[str, Any]]:
    """The parameter points as a list (see `iter_points`)."""
    return list(iter_points(spec))


def latin_hypercube(design, seed: int) -> list[dict[str, Any]]:
    """`design.points` points, one in each of `points` equal strata of every range (scipy's LatinHypercube)."""
    from scipy.stats import qmc

    names = list(design.ranges)
    unit = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed)).random(design.points)
    points = []
    for row in unit:
        point: dict[str, Any] = {}
        for name, u in zip(names, row):
            bounds = design.ranges[name]
            if bounds.integer:  # each whole number low..high gets an equal share of [0, 1)
                point[name] = int(min(bounds.low + np.floor(u * (bounds.high - bounds.low + 1)), bounds.high))
            else:
                point[name] = float(bounds.low + u * (bounds.high - bounds.low))
        points.append(point)
    return points


@dataclass(frozen=True)
class RunTask:
    """Everything one run needs, self-contained (a worker on another machine needs no input files)."""

    run_id: str
    experiment: str
    scenario_name: str
    scenario: Scenario  # resolved, with the experiment's fixed overrides applied
    regime: str  # as requested: a regime name or 'timeline'
    point: int
    params: dict[str, Any]
    replicate: int
    seed: int
    scale: float
    days: int | None
    scenario_hash: str = ""  # of `scenario`, computed once per scenario

    def digest(self) -> str:
        """A fingerprint of everything that makes this run what it is (stored in its manifest, checked on resume)."""
        text = json.dumps({**self.describe(), "scenario_hash": self.scenario_hash}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def run_arguments(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "seed": self.seed, "regime": None if self.regime == TIMELINE else self.regime,
            "scale": self.scale, "days": self.days, "overrides": dict(self.params) or None,
        }

    def describe(self) -> dict[str, Any]:
        """The run's arguments as plain data (for failure records and manifests)."""
        return {
            "run_id": self.run_id, "experiment": self.experiment, "scenario": self.scenario_name, "regime": self.regime,
            "point": self.point, "params": self.params, "replicate": self.replicate, "seed": self.seed,
            "scale": self.scale, "days": self.days,
        }


@dataclass
class Plan:
    """An experiment resolved into runs, in result order: scenario, parameter point, regime, replicate."""

    spec: "ExperimentSpec"
    scenarios: dict[str, Scenario]
    points: list[dict[str, Any]]
    tasks: list[RunTask] = field(default_factory=list)

    @property
    def swept(self) -> list[str]:
        return self.spec.swept

    def execution_order(self) -> list[RunTask]:
        """Replicate by replicate, so an interrupted experiment has whole sets of paired runs."""
        return sorted(self.tasks, key=lambda t: t.replicate)

    def record(self) -> dict[str, Any]:
        """What experiment.json stores: the resolved spec, the scenarios' hashes, the points and the runs."""
        return {
            "spec": self.spec.model_dump(mode="json"),
            "scenario_hashes": {name: scenario_hash(s) for name, s in self.scenarios.items()},
            "swept": self.swept,
            "points": self.points,
            "runs": [{k: v for k, v in t.describe().items() if k != "experiment"} for t in self.tasks],
        }

    def counts(self) -> str:
        """'60 runs (1 scenario × 3 regimes × 20 replicates)'."""
        return f"{_plural(len(self.tasks), 'run')} ({counts_text(self.spec, len(self.scenarios))})"


def counts_text(spec: "ExperimentSpec", n_scenarios: int) -> str:
    """'1 scenario × 3 regimes × 20 replicates' (with the parameter points when something is varied)."""
    parts = [_plural(n_scenarios, "scenario"), _plural(len(spec.regimes), "regime")]
    if spec.swept:
        parts.append(_plural(count_points(spec), "parameter point"))
    parts.append(_plural(spec.replicates, "replicate"))
    return " × ".join(parts)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"


def make_plan(spec: "ExperimentSpec", max_runs: int | None = MAX_RUNS) -> Plan:
    """Every run of the experiment, in result order; refused past `max_runs` runs (None: no limit)."""
    if spec.uncertainties and spec.parameters.points is None:
        raise InputError(
            "this experiment declares uncertainties, which `govsim sensitivity` and `govsim calibrate` sample; "
            "`govsim experiment` varies only `parameters` (move a factor there to sweep it)", field="uncertainties",
        )
    problem = size_problem(spec, max_runs)
    if problem:
        raise InputError(problem, field="max_runs")
    scenarios = load_scenarios(spec)
    plan = Plan(spec, scenarios, parameter_points(spec))
    plan.tasks = list(iter_tasks(spec, scenarios, plan.points))
    return plan


def load_scenarios(spec: "ExperimentSpec") -> dict[str, Scenario]:
    """The experiment's scenarios by name, with its fixed overrides applied."""
    scenarios = {}
    for path in spec.scenarios:
        scenario = load_scenario(path, spec.overrides)
        scenarios[scenario.name] = scenario
    return scenarios


def iter_tasks(spec: "ExperimentSpec", scenarios: dict[str, Scenario], points=None):
    """The runs one by one, in result order (points: the parameter points, made as needed when not given)."""
    n_points = count_points(spec)
    point_width = max(3, len(str(n_points - 1)))
    replicate_width = max(3, len(str(spec.replicates - 1)))
    seeds = [replicate_seed(spec.seed, k) for k in range(spec.replicates)]
    for name, scenario in scenarios.items():
        digest = scenario_hash(scenario)
        for p, point in enumerate(iter_points(spec) if points is None else points):
            for regime in spec.regimes:
                for k in range(spec.replicates):
                    parts = [safe_name(name), regime] + ([f"p{p:0{point_width}d}"] if spec.swept else []) + [f"r{k:0{replicate_width}d}"]
                    yield RunTask(
                        run_id="__".join(parts), experiment=spec.name, scenario_name=name, scenario=scenario, regime=regime,
                        point=p, params=point, replicate=k, seed=seeds[k], scale=spec.scale, days=spec.days, scenario_hash=digest,
                    )
