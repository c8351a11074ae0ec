"""Each process and intervention on its own, on a hand-made city of two streets and one department.

These build the narrow `Context` (sim/context.py) out of small arrays instead of running a year, so a mechanism's
rule is checked directly: where a ticket goes, how it ends, who gets named.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from sim.analyzers import Breakdowns, DayTally, MonthLedger
from sim.categories import STREET, Categories
from sim.city import Handlers
from sim.interventions.ranking import Ranking
from sim.interventions.routing import Routing
from sim.interventions.whistling import Whistling
from sim.places import Places
from sim.problems import DORMANT, GONE, ProblemStock
from sim.processes.closure import Closure
from sim.processes.dispatch import Dispatch
from sim.processes.learning import Learning
from sim.processes.staffing import Staffing
from sim.processes.street_response import PressureResponse, StreetResponse
from sim.processes.work import Work
from sim.regimes import make_regime
from sim.scenario import load_scenario
from sim.standing import Standing
from sim.tickets import FIX, HOTLINE, SYMPTOM, WALK_IN, TicketTable
from sim.timeline import Timeline

# Category 0 is the streets' own (sanitation); category 1 belongs to the department and is not on the streets' duty
# list (market disputes); category 2 belongs to the department but streets may solve it (it is on their list).
CATEGORIES = dict(
    names=["sanitation", "market", "parking"], labels=["", "", ""], owner=np.array([STREET, 0, 0]),
    problem_rate=np.zeros(3), consult_rate=np.zeros(3), collective=np.zeros(3), affected=np.ones(3),
    report_rate=np.zeros(3), lifetime=np.full(3, 60.0), unsolvable=np.zeros(3), effort=np.array([2.0, 2.0, 2.0]),
    street_duty=np.array([True, False, True]), territorial=np.array([0.0, 0.0, 0.0]), topic_eligible=np.ones(3, bool),
    response_days=np.array([1, 1, 1]), due_days=np.array([7, 7, 7]), lead_days=np.zeros(3),
)


def toy_context(seed: int = 0, **categories) -> SimpleNamespace:
    """Two streets (one community each) in one district, one department, three categories, no residents."""
    spec = load_scenario("teaching_town", {
        "hotline.misroute_rate": 0.0, "behaviour.threat_share": 0.0, "handling.effort_spread": 0.0,
        "learning.novice_capability": 1.0, "learning.novice_effort": 1.0,  # experts: learning changes nothing here
    })
    ctx = SimpleNamespace(
        spec=spec, seed=seed, scale=1.0, rng=np.random.default_rng(seed),
        city=SimpleNamespace(
            community_street=np.array([0, 1]), community_district=np.array([0, 0]), street_district=np.array([0, 0]),
            department_names=["market_bureau"], department_staff_hours=np.array([10.0]),
        ),
        handlers=Handlers(2, 1, np.array([8.0, 8.0, 10.0])),
        categories=Categories(**{**CATEGORIES, **categories}),
        problems=ProblemStock(), tickets=TicketTable(), residents=SimpleNamespace(age=np.array([0, 1, 2], dtype=np.int8)),
        standing=Standing.empty(2, 1, 1), month=MonthLedger.empty(2, 1, 3), breakdowns=Breakdowns(3, 1, 3),
        today=DayTally(), topics=[],
    )
    ctx.street_response = StreetResponse(ctx)
    ctx.learning, ctx.staffing = Learning(ctx), Staffing(ctx)
    ctx.work = Work(ctx)
    ctx.places = Places.alike(2, 2)
    ctx.regime = make_regime("hotline", ctx)
    return ctx


def add_problems(ctx, community, category) -> np.ndarray:
    n = len(community)
    ctx.problems.add(np.array(community), np.array(category), np.ones(n, np.float32), np.zeros(n, bool), np.full(n, 1000))
    return np.arange(n)


def test_routing_sends_territorial_tickets_to_their_street_and_functional_ones_to_the_owner():
    ctx = toy_context(territorial=np.array([0.0, 1.0, 0.0]))
    routing = Routing(ctx, siphon_share=0.0)
    category, street = np.array([0, 1, 2, 2]), np.array([1, 0, 1, 0])
    channel = np.array([HOTLINE, HOTLINE, HOTLINE, WALK_IN])
    handler = routing.route(category, street, channel)
    # street-owned -> its street; fully territorial -> its street; department-owned by phone -> the department
    # (handler 2, after the two streets); the same category walked in -> the street where it was brought
    assert handler.tolist() == [1, 0, ctx.handlers.of_department(0), 0]


def test_siphon_pushes_department_tickets_down_to_streets():
    ctx = toy_context()
    category, street, channel = np.full(2000, 2), np.zeros(2000, int), np.full(2000, HOTLINE)
    routing = Routing(ctx, siphon_share=0.3, load_mid=2.0, load_width=1.0)
    ctx.work.queue_days[:] = 12.0  # a department ten widths past the midpoint pushes down (almost) all 30 %
    assert np.mean(ctx.handlers.is_street(routing.route(category, street, channel))) == pytest.approx(0.3, abs=0.04)
    ctx.work.queue_days[:] = 0.0  # an idle one: 0.3 / (1 + e^2), about 4 %
    assert np.mean(ctx.handlers.is_street(routing.route(category, street, channel))) == pytest.approx(0.3 / (1 + np.e**2), abs=0.02)


def test_dispatch_whistles_only_what_is_beyond_the_streets_duties():
    ctx = toy_context(territorial=np.array([0.0, 1.0, 1.0]))
    ctx.regime = replace(ctx.regime, escalation=Whistling(ctx, whistle_share=1.0, report_days=2, fatigue_load=4.0))
    rows = add_problems(ctx, [0, 1, 1], [0, 1, 2])
    Dispatch(ctx).open(rows, np.array([0, 1, 2]), np.full(3, HOTLINE), day=5)
    table = ctx.tickets.table
    # the market dispute reached street 1 (territorial) and is off its list: whistled to the department, which
    # must report within 2 days; parking is on the list and stays with the street
    assert table.whistled.tolist() == [False, True, False]
    assert table.handler.tolist() == [0, ctx.handlers.of_department(0), 1]
    assert table.receiver.tolist() == [0, ctx.handlers.of_department(0), 1]
    assert table.response_due.tolist() == [6, 7, 6] and table.due.tolist() == [12, 12, 12]
    assert ctx.month.department_whistles.tolist() == [1] and ctx.today.whistles == 1
    assert ctx.standing.department_whistle_load[0] > 0
    assert ctx.problems.table.pending.tolist() == [1, 1, 1]


def test_a_pressed_street_spends_less_effort_on_a_ticket():
    ctx = toy_context()
    ctx.regime = replace(ctx.regime, pressure=PressureResponse(effort_shift=0.4))
    ctx.standing.street_pressure[:] = [0.0, 1.0]
    rows = add_problems(ctx, [0, 1], [0, 0])
    Dispatch(ctx).open(rows, np.array([0, 1]), np.full(2, HOTLINE), day=0)
    calm, pressed = ctx.tickets.table.effort_left
    assert pressed == pytest.approx(calm * (1 - 0.5 * 0.4))


def test_work_serves_each_queue_up_to_its_staff_hours_and_finishes_what_is_done():
    ctx = toy_context()
    ctx.timeline = Timeline(ctx.spec, SimpleNamespace(district_names=["Town"], street_district=np.array([0, 0])), 10)
    rows = add_problems(ctx, [0, 0, 0, 0, 0], [0] * 5)
    Dispatch(ctx).open(rows, np.arange(5) % 3, np.full(5, HOTLINE), day=0)  # 5 tickets of 0.25 + 2 h at street 0
    work = Work(ctx)
    finished = work.step(day=0)
    assert work.used[0] == pytest.approx(8.0) and work.used[1] == 0.0  # street 0 spends all 8 hours, street 1 none
    assert len(finished) == 3  # contact first (5 x 0.25 h), then the earliest due: 6.75 h of work finish three
    assert work.backlog().tolist() == [5, 0, 0]  # finished tickets stay until closure takes them


def test_closure_fixes_with_authority_and_only_closes_symptoms_without_it():
    ctx = toy_context(territorial=np.array([0.0, 1.0, 0.0]))
    ctx.spec = load_scenario(ctx.spec, {"handling.fix_with_authority": 1.0, "handling.fix_without_authority": 0.0})
    ctx.regime = replace(ctx.regime, escalation=Whistling(ctx, whistle_share=0.0, report_days=2, fatigue_load=4.0))
    rows = add_problems(ctx, [0, 1], [0, 1])
    Dispatch(ctx).open(rows, np.array([0, 1]), np.full(2, HOTLINE), day=0)  # both at streets: own duty, and not
    closed = Closure(ctx).step(np.arange(2), day=3)
    assert closed.outcome.tolist() == [FIX, SYMPTOM]
    assert ctx.problems.table.state.tolist() == [GONE, DORMANT]  # the symptom-closed problem sleeps and will return
    assert len(ctx.tickets) == 0 and ctx.problems.table.pending.tolist() == [0, 0]


def test_ranking_names_the_bottom_street_even_in_a_small_town():
    ctx = toy_context()
    params = ctx.spec.regimes.hotline.model_copy(update={"named_share": 0.5, "ranking_pressure": 0.8})
    ctx.month.street_rated[:] = [10, 10]
    ctx.month.street_responded[:] = [10, 10]
    ctx.month.street_resolved[:] = [9, 5]
    ctx.month.street_satisfied[:] = [9, 6]
    ranking = Ranking(ctx, params)
    ranking.enter()
    assert ctx.standing.street_pressure.tolist() == [0.4, 0.4]  # before any ranking: half a named street's pressure
    ranking.evaluate(day=31)
    assert ctx.standing.street_rank.tolist() == [1, 2]
    assert ctx.standing.street_named.tolist() == [False, True]
    # the named street sits on the threshold (half the full pressure); the other is 0.315 score points above it,
    # 15.75 widths of 0.02: it feels next to nothing
    assert ctx.standing.street_pressure.tolist() == pytest.approx([0.8 / (1 + np.exp(0.315 / 0.02)), 0.4])
