"""One parameter at a time: every parameter of the supply-side mechanisms of "change over time" moves its outcome
in the documented direction (organisational learning, accountability and gaming, the knowledge base, reforms, the
siphon under load, prevention as a production function, the rating of problems that went away).

Each case runs the teaching town (or a small Beijing) with the same seeds at a low and a high value and compares
a statistic pooled over the seeds; the seeds are common to both values, so the difference is the parameter's.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import run
from sim.interventions.routing import Routing
from sim.model import GovernanceModel

SEEDS = (1, 2, 3)
REFORM = "timeline.reforms"


def pooled(frame, rate: str, weight: str) -> float:
    return float((frame[rate] * frame[weight]).sum() / frame[weight].sum())


def statistic(name: str, daily) -> float:
    tail = daily.tail(60)
    return {
        "street_capability_end": float(daily["street_capability"].iloc[-1]),
        "street_capability_start": float(daily["street_capability"].iloc[0]),
        "fix_share": pooled(daily, "fix_share", "tickets_closed"),
        "resolution": pooled(daily, "resolution_rate", "rated"),
        "repeat_share": pooled(daily, "repeat_share", "tickets_opened"),
        "street_hours": float(daily["street_hours"].sum()),
        "misroute_end": float(daily["misroute_rate"].iloc[-1]),
        "whistles": float(daily["whistles"].sum()),
        "street_pressure": float(daily["street_pressure"].mean()),
        "new_problems_late": float(tail["new_problems"].sum()),
        "street_load": float(daily["street_load"].mean()),
        "department_load": float(daily["department_load"].mean()),
        "answered_start": float(daily["answered_on_call_share"].head(30).mean()),
        "answered_end": float(daily["answered_on_call_share"].tail(30).mean()),
    }[name]


def measure(name: str, regime: str, overrides: dict, scenario="teaching_town", scale=1.0, days=None) -> float:
    values = [statistic(name, run(scenario, seed=s, regime=regime, scale=scale, days=days, overrides=overrides).daily) for s in SEEDS]
    return float(np.mean(values))


# (parameter, low, high, regime, statistic, direction: +1 rises with the parameter, -1 falls)
CASES = [
    ("learning.forgetting", 0.002, 0.02, "hotline", "street_capability_end", -1),
    ("learning.experience_scale", 30.0, 600.0, "hotline", "street_capability_end", -1),
    ("learning.initial_experience", 0.0, 3.0, "hotline", "street_capability_start", +1),
    ("learning.novice_capability", 0.4, 0.9, "hotline", "fix_share", +1),
    ("learning.novice_effort", 1.0, 3.0, "hotline", "street_hours", +1),
    ("learning.misroute_floor", 0.0, 0.06, "hotline", "misroute_end", +1),
    ("learning.unrated_weight", 0.0, 1.0, "whistle", "street_capability_end", +1),
    ("learning.knowledge_scale", 50.0, 50000.0, "hotline", "misroute_end", +1),
    ("hotline.answered_on_call", 0.5, 0.9, "hotline", "answered_start", +1),
    ("regimes.hotline.gaming_share", 0.0, 1.0, "hotline", "repeat_share", +1),
    ("regimes.hotline.capability_investment", 0.0, 200.0, "hotline", "street_capability_end", +1),
    ("regimes.hotline.pressure_width", 0.005, 0.2, "hotline", "street_pressure", +1),
    ("regimes.hotline.siphon_share", 0.0, 1.0, "hotline", "street_hours", +1),
    ("regimes.hotline.siphon_load_mid", 0.0, 20.0, "hotline", "street_hours", -1),
    ("handling.gone_rated_resolved", 0.0, 1.0, "hotline", "resolution", +1),
    ("regimes.hotline.manufactured_satisfaction", 0.0, 1.0, "hotline", "resolution", +1),
    ("regimes.proactive.cut_spend_scale", 500.0, 200000.0, "proactive", "new_problems_late", +1),
]

# Staffing follows load: the teaching town holds its staff (staffing_response 0), so these cases switch it on and
# short-staff the streets so that queues grow.
SHORT = {"city.street_staff_hours_per_10k": 6, "handling.staffing_response": 0.5, "handling.target_queue_days": 0.5}
STAFFING = [
    ("handling.staffing_response", 0.0, 1.0, "street_staffing_end", +1),
    ("handling.max_staffing", 1.2, 3.0, "street_staffing_end", +1),
    ("handling.target_queue_days", 0.2, 10.0, "street_staffing_end", -1),
]


@pytest.mark.parametrize("path, low, high, name, direction", STAFFING, ids=[case[0] for case in STAFFING])
def test_staffing_parameter_moves_staff(path, low, high, name, direction):
    def staffing(value):
        daily = run("teaching_town", seed=1, regime="hotline", days=240, overrides={**SHORT, path: value}).daily
        return float(daily["street_staffing"].iloc[-1])
    at_low, at_high = staffing(low), staffing(high)
    assert (at_high - at_low) * direction > 0, f"{path} {low} -> {high}: street staffing went {at_low:.4g} -> {at_high:.4g}"


def test_a_reform_that_cuts_operators_fills_the_lines():
    def abandoned(operators):
        over = {"hotline.operators": 1, "hotline.on_duty_share": 1.0, REFORM: [{"date": "2019-03-01", "operators": operators}]}
        return float(run("teaching_town", seed=1, regime="hotline", days=180, overrides=over).daily["abandoned"].sum())
    assert abandoned(0.1) > abandoned(1.0) >= 0

# Cases that need the mechanism engaged: the teaching town's four streets feel little pressure at the defaults.
PRESSED = {"regimes.hotline.ranking_pressure": 1.0, "regimes.hotline.gaming_share": 1.0, "regimes.hotline.pressure_width": 0.2}
FORWARDING = {"hotline.answered_on_call": 0.5}
ENGAGED = [
    ("regimes.hotline.manufactured_satisfaction", 0.0, 1.0, "hotline", "resolution", +1, PRESSED),
    ("regimes.hotline.effort_shift", 0.0, 1.0, "hotline", "fix_share", -1, PRESSED),
    # the town's operator answers every question (hotline.answered_on_call 1): give its knowledge base room to learn
    ("learning.knowledge_scale", 50.0, 50000.0, "hotline", "answered_end", -1, FORWARDING),
    ("learning.answer_ceiling", 0.85, 1.0, "hotline", "answered_end", +1, FORWARDING),
    ("hotline.forward_hours", 0.0, 3.0, "hotline", "department_load", +1, FORWARDING),
]


@pytest.mark.parametrize("path, low, high, regime, name, direction", CASES, ids=[f"{c[0]}-{c[4]}" for c in CASES])
def test_parameter_moves_its_outcome(path, low, high, regime, name, direction):
    at_low = measure(name, regime, {path: low}, days=240)
    at_high = measure(name, regime, {path: high}, days=240)
    assert (at_high - at_low) * direction > 0, f"{path} {low} -> {high}: {name} went {at_low:.4g} -> {at_high:.4g}"


@pytest.mark.parametrize("path, low, high, regime, name, direction, base", ENGAGED, ids=[f"{c[0]}-{c[4]}" for c in ENGAGED])
def test_parameter_moves_its_outcome_when_engaged(path, low, high, regime, name, direction, base):
    at_low = measure(name, regime, {**base, path: low}, days=240)
    at_high = measure(name, regime, {**base, path: high}, days=240)
    assert (at_high - at_low) * direction > 0, f"{path} {low} -> {high}: {name} went {at_low:.4g} -> {at_high:.4g}"


def test_siphon_grows_with_department_queues():
    """The siphon is logistic in a department's queued work: a narrower width at a queue above the midpoint
    pushes more down, and a department with no queue pushes down less than one with a long queue."""
    model = GovernanceModel("teaching_town", regime="hotline", rng=1)
    routing = model.regime.routing
    departments = np.arange(model.handlers.n_departments)
    model.work.queue_days[:] = 0.0
    idle = routing.siphon(departments)
    model.work.queue_days[:] = 10.0
    busy = routing.siphon(departments)
    assert np.all(busy > idle) and np.all(busy <= model.spec.regimes.hotline.siphon_share)


def test_a_wider_siphon_logistic_turns_on_more_gradually():
    """siphon_load_width: with a queue past the midpoint, a wider logistic pushes down less; below it, more."""
    model = GovernanceModel("teaching_town", regime="hotline", rng=1)
    departments = np.arange(model.handlers.n_departments)
    siphon = {}
    for width in (0.5, 5.0):
        routing = Routing(model, 0.3, 2.0, width)
        model.work.queue_days[:] = 6.0
        busy = routing.siphon(departments)
        model.work.queue_days[:] = 0.0
        siphon[width] = (busy, routing.siphon(departments))
    assert np.all(siphon[5.0][0] < siphon[0.5][0]) and np.all(siphon[5.0][1] > siphon[0.5][1])


def test_learning_frozen_holds_capability():
    daily = run("teaching_town", seed=1, regime="hotline", days=120, overrides={"learning.frozen": True}).daily
    assert daily["street_capability"].nunique() == 1
    learning = run("teaching_town", seed=1, regime="hotline", days=120).daily
    assert learning["street_capability"].iloc[-1] > learning["street_capability"].iloc[0]


def test_a_four_street_town_names_at_least_one_street():
    model = GovernanceModel("teaching_town", regime="hotline", rng=1, days=70)
    model.run_for(70)
    assert model.standing.street_named.sum() >= 1
    assert model.standing.street_pressure.max() > model.standing.street_pressure.min()


def _with_reform(**fields) -> dict:
    return {REFORM: [{"name": "test", "date": "2019-01-01", **fields}]}


@pytest.mark.parametrize(
    "fields, name, direction",
    [
        ({"street_duties": ["housing", "traffic", "market_regulation"]}, "whistles", -1),
        ({"staff_to_streets": 0.5}, "street_load", -1),
        ({"unsolvable_cut": 0.9}, "fix_share", +1),
    ],
    ids=["street_duties", "staff_to_streets", "unsolvable_cut"],
)
def test_reform_moves_its_outcome(fields, name, direction):
    before = measure(name, "whistle" if name == "whistles" else "hotline", {}, days=180)
    after = measure(name, "whistle" if name == "whistles" else "hotline", _with_reform(**fields), days=180)
    assert (after - before) * direction > 0, f"{fields}: {name} went {before:.4g} -> {after:.4g}"


def test_prevention_without_money_cuts_nothing():
    model = GovernanceModel("teaching_town", regime="proactive", rng=1, days=200, overrides={"regimes.proactive.budget_per_10k": 0.0})
    model.run_for(200)
    assert model.topics and all(cut < 1e-3 for _, _, cut, _ in model.topics)
