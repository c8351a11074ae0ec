"""GovernanceModel: a megacity governing itself through its residents' complaints. One step is one day.

Residents, problems and tickets are numpy columns (`population.py`, `problems.py`, `tickets.py`); the hotline
centre, district centres, street offices and departments are Mesa agents over the handler arrays (`agents.py`);
the regime in force is a strategy object (`regimes/`) that the core asks at each decision, never naming it.

Random numbers come in separate streams from one seed (common random numbers): the problems that arise on day d
come from a stream of their own, seeded by (seed, d), so two regimes run with one seed face the same problems, and
their difference is the regime's, not luck's. Everything regime-dependent draws from the model's `rng`.
"""

from __future__ import annotations

import math
from collections import defaultdict

import mesa
import numpy as np

from sim.agents import DistrictCentre, Department, HotlineCentre, StreetOffice
from sim.city import build_city
from sim.handling import allocate
from sim.inputs import InputError
from sim.metrics import Breakdown, DailyCollector, ratio
from sim.population import Residents
from sim.problems import OPEN, ProblemStock
from sim.regimes import make_regime
from sim.scenario import AGE_GROUPS, REGIMES, Scenario, load_scenario
from sim.scenario.levers import lever_overrides
from sim.tickets import (
    ALREADY_GONE, FIX, HOTLINE, NOBODY, NOT_YET, PATROL, SERVED, SYMPTOM, UNSOLVABLE, WALK_IN, TicketTable,
)
from sim.timeline import Timeline

DONE = 1e-4  # staff-hours below which a ticket's remaining work counts as finished
WORLD, POPULATION, WARMUP_WORLD = 0, 1, 2  # spawn keys of the seed's independent streams


class GovernanceModel(mesa.Model):
    """A city, its residents' problems and complaints, and the bodies that answer them, under one regime at a time.

    Args:
        scenario: a scenario file path, a shipped scenario's name (e.g. "teaching_town") or a `Scenario`.
        regime: run under this regime throughout, ignoring the timeline's regime switches (None: follow the
            scenario's `regime` and timeline).
        rng: the seed (an integer); None draws one, recorded as `model.seed`.
        scale: simulate this fraction of the residents, with every capacity scaled alike (0 < scale <= 1).
        days: override the scenario's horizon.
        overrides: {dotted.path: value} changes to the scenario (as `--set` on the command line).
        **levers: named shortcuts for common overrides (see `sim.scenario.levers.LEVERS`), e.g. ranking_pressure.
    """

    def __init__(
        self,
        scenario: str | Scenario = "teaching_town",
        regime: str | None = None,
        rng: int | None = None,
        scale: float = 1.0,
        days: int | None = None,
        overrides: dict | None = None,
        **levers,
    ):
        changes = {**lever_overrides(levers), **(overrides or {})}
        if days is not None:
            changes["days"] = days
        spec = load_scenario(scenario, changes)
        if regime is not None and regime not in REGIMES:
            raise InputError(f"expected one of {', '.join(REGIMES)}, got '{regime}'", field="regime")
        if not 0 < scale <= 1:
            raise InputError(f"expected a number in (0, 1], got {scale}", field="scale")
        seed = int(rng) if rng is not None else int(np.random.SeedSequence().entropy % 2**32)
        super().__init__(rng=seed)
        self.seed, self.spec, self.scale, self.fixed_regime = seed, spec, float(scale), regime
        self.city = city = build_city(spec, scale)
        self.timeline = Timeline(spec, city, spec.days)
        self._set_category_arrays(spec)

        population_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(POPULATION,)))
        self.residents = Residents(
            city.community_population, spec.population, spec.behaviour, population_rng, city.community_reporting,
            first_day=-spec.warmup_days,
        )
        self.problems = ProblemStock()
        self.tickets = TicketTable()
        self.n_active_communities = int(np.count_nonzero(city.community_population))
        # Communities are numbered district by district, so a district's residents are one range of this cumsum.
        self._population_before = np.concatenate(([0], np.cumsum(city.community_population)))
        first_community = np.searchsorted(city.community_district, np.arange(len(city.district_names)))
        last_community = np.searchsorted(city.community_district, np.arange(len(city.district_names)), side="right")
        self._district_range = (self._population_before[first_community], self._population_before[last_community])
        district_population = self._district_range[1] - self._district_range[0]
        self._arrival_base = district_population[:, None] * self.category_problem_rate[None, :]

        n_streets, n_departments, n_districts = city.n_streets, len(city.department_names), len(city.district_names)
        self.hotline_capacity = spec.hotline.operators * spec.hotline.calls_per_operator * scale
        self.handler_capacity = np.concatenate([city.street_staff_hours, city.department_staff_hours])
        self.handler_used = np.zeros(city.n_handlers)
        self.handler_backlog = np.zeros(city.n_handlers, dtype=np.int64)
        self.street_pressure = np.zeros(n_streets)
        self.street_score = np.full(n_streets, np.nan)
        self.street_rank = np.zeros(n_streets, dtype=np.int64)
        self.street_named = np.zeros(n_streets, dtype=bool)
        self.district_score = np.full(n_districts, np.nan)
        self.district_rank = np.zeros(n_districts, dtype=np.int64)
        self.department_whistle_load = np.zeros(n_departments)
        self.department_score = np.full(n_departments, np.nan)
        self.structural_cuts: list[tuple[int, float, int, int]] = []  # (category, cut, from day, until day)
        self.topics: list[tuple[str, str, float, int]] = []  # (date, category, cut, problems removed)
        self.waiting: dict[str, np.ndarray] | None = None  # callers who will call again tomorrow
        self.month = self._new_month()
        self.by_category = Breakdown(len(city.category_names))
        self.by_district = Breakdown(n_districts)
        self.by_age_group = Breakdown(len(AGE_GROUPS))
        self.indicators: dict = {}
        self._today: dict = defaultdict(float)

        self.hotline_centre = HotlineCentre(self)
        for d, name in enumerate(city.district_names):
            DistrictCentre(self, d, name, spec.city.districts[d].zone)
        for s, name in enumerate(city.street_names):
            StreetOffice(self, s, name, int(city.street_district[s]))
        for g, name in enumerate(city.department_names):
            Department(self, g, name)

        self.regime = make_regime(regime or self.timeline.initial_regime, self)
        self.regime.enter()
        self.datacollector = DailyCollector()
        self.running = True
        self._warm_up()

    def _warm_up(self) -> None:
        """Simulate the scenario's warm-up days (days -W..-1) unrecorded, so day 0 meets a city in operation."""
        self.first_day = -self.spec.warmup_days
        for day in range(self.first_day, 0):
            self._simulate(day)
        self.by_category = Breakdown(len(self.city.category_names))
        self.by_district = Breakdown(len(self.city.district_names))
        self.by_age_group = Breakdown(len(AGE_GROUPS))
        self.topics = []
        self.backlog_at_start = len(self.tickets)
        self.indicators = {}  # what `step` records; nothing yet

    # govsim's scenario is its own typed object (`self.spec`); Mesa 3.5's experimental per-model Scenario is not used.
    # Hiding it matters: SolaraViz's Reset passes a truthy `model.scenario` back as `scenario=`, which here names
    # the govsim scenario, so with it a Reset would rebuild the model from the wrong thing.
    @property
    def scenario(self) -> None:
        return None

    @scenario.setter
    def scenario(self, value) -> None:
        self._mesa_scenario = value

    def _set_category_arrays(self, spec: Scenario) -> None:
        categories = list(spec.categories.values())
        per_day = 1.0 / 1000.0 / 365.0

        def column(attribute, dtype=float):
            return np.array([getattr(c, attribute) for c in categories], dtype=dtype)

        self.category_problem_rate = column("problems_per_1k") * per_day
        self.category_consult_rate = column("consultations_per_1k") * per_day
        self.category_collective = column("collective_share")
        self.category_affected = np.maximum(column("affected_mean"), 1.0)
        self.category_report_rate = column("report_rate")
        self.category_lifetime = np.maximum(column("lifetime_days"), 1.0)
        self.category_unsolvable = column("unsolvable_share")
        self.category_effort = column("effort_hours")
        self.category_street_duty = column("street_duty", bool)
        self.category_territorial = column("territorial_share")
        self.category_topic_eligible = column("topic_eligible", bool)
        limits = [getattr(spec.hotline.time_limits, c.urgency) for c in categories]
        self.category_response_days = np.array([limit.response_days for limit in limits])
        self.category_due_days = np.array([limit.due_days for limit in limits])
        self.category_lead_days = np.array([limit.lead_days for limit in limits])

    def _new_month(self) -> dict[str, np.ndarray]:
        s, g, k = self.city.n_streets, len(self.city.department_names), len(self.city.category_names)
        return {
            **{f"street_{name}": np.zeros(s) for name in ("rated", "responded", "resolved", "satisfied")},
            "department_whistles": np.zeros(g),
            "department_reported": np.zeros(g),
            "category_tickets": np.zeros(k),
        }

    # ------------------------------------------------------------------------------------------------ the day

    @property
    def day(self) -> int:
        """The day being simulated (0-based); equals the number of days completed between steps."""
        return self.steps - 1

    def step(self) -> None:
        """One day, in this order:

        0. the timeline may switch the regime; at a month's start the regime evaluates the month (scores, ranks,
           picks a topic and spends its prevention budget);
        1. problems age (some go away by themselves, symptom-closed ones come back), new ones arise;
        2. the regime's daily prevention (co-production);
        3. residents contact the hotline or the community office about open problems, or to ask a question;
        4. intake: the hotline takes calls up to its capacity (the rest give up or call again tomorrow), answers
           consultations and turns complaints into tickets; patrols find problems nobody reported;
        5. routing: tickets go to streets or departments (misrouted ones lose days); streets whistle on what is
           beyond their duties;
        6. handling: every street and department spends its staff-hours on its queue in the regime's order;
        7. closure: finished tickets fix their problem, close a symptom or are unsolvable; the hotline calls the
           resident back and records the three rates; residents learn (trust, propensity);
        8. the day's indicators are recorded.

        Before day 0 the model has already simulated the scenario's warm-up days the same way, unrecorded.
        """
        self._simulate(self.day)
        if self.day + 1 >= self.spec.days:
            self.running = False

    def _simulate(self, day: int) -> None:
        self._today = defaultdict(float)
        switch = None if self.fixed_regime else self.timeline.regime_switch(day)
        if switch and switch != self.regime.name:
            self.regime = make_regime(switch, self)
            self.regime.enter()
        if day > self.first_day and self.timeline.is_month_start(day):
            self.regime.evaluate(day)
            self.month = self._new_month()
        self.problems.age(day)
        self._arise(day)
        self.regime.prevent(day, self.rng)
        contacts = self._contacts(day)
        served = self._intake(contacts, day)
        self._tickets_from_contacts(served, day)
        self._tickets_from_patrols(day)
        self._handle(day)
        self._record(day)
        self.problems.compact()

    # ------------------------------------------------------------------------------------------- 1. problems

    def _world_rng(self, day: int) -> np.random.Generator:
        key = (WORLD, day) if day >= 0 else (WARMUP_WORLD, -day)  # spawn keys are non-negative
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=key))

    def _arise(self, day: int) -> None:
        world = self._world_rng(day)
        k_count = len(self.category_problem_rate)
        cells = poisson_events(world, (self._arrival_base * self.timeline.arrival_factor(day)).ravel())
        district, category = cells // k_count, cells % k_count
        n = len(cells)
        lo, hi = self._district_range[0][district], self._district_range[1][district]
        community = in_proportion(self._population_before, lo + world.random(n) * (hi - lo))
        collective = world.random(n) < self.category_collective[category]
        size = world.geometric(1.0 / self.category_affected[category])
        affected = np.where(collective, size, 1).astype(np.float32)
        expires = day + world.geometric(1.0 / self.category_lifetime[category])
        keep = self.regime.screen_arrivals(category, day, self.rng)
        cut = self._structural_keep(day)
        if cut is not None:
            keep &= self.rng.random(n) < cut[category]
        self.problems.add(community[keep], category[keep], affected[keep], collective[keep], expires[keep])
        self._today["new_problems"] += int(keep.sum())
        self._today["prevented_problems"] += int(n - keep.sum())

    def _structural_keep(self, day: int) -> np.ndarray | None:
        active = [(k, cut) for k, cut, start, end in self.structural_cuts if start <= day < end]
        if not active:
            return None
        keep = np.ones(len(self.category_problem_rate))
        for k, cut in active:
            keep[k] *= 1.0 - cut
        return keep

    def add_structural_cut(self, category: int, cut: float, start: int, end: int) -> None:
        """A structural fix: the category's arrivals fall by `cut` from day `start` until day `end`."""
        self.structural_cuts.append((category, cut, start, end))

    def remove_problems(self, rows: np.ndarray) -> None:
        """Problems fixed before anyone called (prevention, co-production)."""
        self.problems.remove(rows)
        self._today["prevented_problems"] += len(rows)

    def record_spend(self, yuan: float) -> None:
        self._today["prevention_spend"] += float(yuan)

    # ------------------------------------------------------------------------------------------- 3. contacts

    def _contacts(self, day: int) -> dict[str, np.ndarray]:
        """Today's contacts: who, from which community, about which problem (-1: a consultation), by which channel."""
        rng = self.rng
        hotline_share, walk_in_share = self.regime.channels()
        reach = hotline_share + walk_in_share
        weight = self.residents.contact_weight() * self.spec.behaviour.contact_scale
        table = self.problems.table
        rate = table.affected * self.category_report_rate[table.category] * weight[table.community] * reach
        rate = rate * np.where(table.pending > 0, self.spec.handling.pending_call_factor, 1.0) * (table.state == OPEN)
        rows = poisson_events(rng, rate)
        n_calls = len(rows)
        # Consultations: a Poisson number per category, each from a community in proportion to its residents'
        # contact weight.
        wish_before = np.concatenate(([0.0], np.cumsum(self.city.community_population * weight)))
        consult_category = poisson_events(rng, self.category_consult_rate * hotline_share * wish_before[-1])
        consult_community = in_proportion(wish_before, rng.random(len(consult_category)) * wish_before[-1])

        # Complaint callers are residents (they learn from the outcome); consultation callers only an age group.
        caller = table.resident[rows].copy()
        unknown = caller < 0
        caller[unknown] = self.residents.draw(table.community[rows][unknown], table.collective[rows][unknown], day, rng)
        individual = ~table.collective[rows]
        table.resident[rows[individual]] = caller[individual]
        caller[individual] = table.resident[rows[individual]]  # one owner even if drawn twice today
        n_consults = len(consult_category)
        age = np.concatenate([self.residents.age[caller], self.residents.draw_age(consult_community, rng)])
        walk_in = np.zeros(n_calls + n_consults, bool)
        if walk_in_share > 0:
            walk_in[:n_calls] = rng.random(n_calls) < walk_in_share / reach
        contacts = {
            "community": np.concatenate([table.community[rows], consult_community]).astype(np.int64),
            "category": np.concatenate([table.category[rows], consult_category]).astype(np.int64),
            "problem": np.concatenate([table.id[rows], np.full(n_consults, -1)]),
            "caller": np.concatenate([caller, np.full(n_consults, NOBODY)]),
            "age": age,
            "walk_in": walk_in,
            "online": ~walk_in & self.residents.channel_online(age, rng),
        }
        self._today["contacts"] += n_calls + n_consults
        self._today["consultations"] += n_consults
        self._tally_contacts(contacts)
        return contacts

    def _tally_contacts(self, contacts: dict[str, np.ndarray]) -> None:
        district = self.city.community_district[contacts["community"]]
        age = contacts["age"].astype(np.int64)
        consult = contacts["problem"] < 0
        for breakdown, groups in ((self.by_category, contacts["category"]), (self.by_district, district), (self.by_age_group, age)):
            breakdown.add(groups, contacts=True, consultations=consult)

    # --------------------------------------------------------------------------------------------- 4. intake

    def _intake(self, contacts: dict[str, np.ndarray], day: int) -> dict[str, np.ndarray]:
        """Phone calls up to the hotline's capacity (yesterday's waiting callers first); online and walk-in
        contacts always get through. Returns the contacts handled today."""
        phone = ~contacts["walk_in"] & ~contacts["online"]
        queue = _select(contacts, phone)
        if self.waiting is not None:
            queue = {key: np.concatenate([self.waiting[key], queue[key]]) for key in queue}
        capacity = int(self.hotline_capacity)
        answered = _select(queue, slice(0, capacity))
        overflow = _select(queue, slice(capacity, None))
        self.waiting = None
        if len(overflow["caller"]):
            gives_up = self.rng.random(len(overflow["caller"])) < self.spec.hotline.abandon_share
            quitters = overflow["caller"][gives_up]
            self.residents.lose_trust(quitters[quitters >= 0], day)  # consultation callers are anonymous
            self._today["abandoned"] += int(gives_up.sum())
            self.waiting = _select(overflow, ~gives_up)
        handled = {key: np.concatenate([answered[key], contacts[key][~phone]]) for key in contacts}
        hotline_contacts = len(answered["caller"]) + int(np.count_nonzero(contacts["online"]))
        self._today["operator_hours"] += hotline_contacts * self.spec.hotline.minutes_per_call / 60.0
        return handled

    def _tickets_from_contacts(self, contacts: dict[str, np.ndarray], day: int) -> None:
        complaint = contacts["problem"] >= 0
        rows = self.problems.rows_of(contacts["problem"][complaint])
        alive = rows >= 0  # a caller who waited may find the problem already gone
        channel = np.where(contacts["walk_in"][complaint], WALK_IN, HOTLINE)[alive]
        self._open_tickets(rows[alive], contacts["caller"][complaint][alive], channel, day)

    def _tickets_from_patrols(self, day: int) -> None:
        rows = self.regime.discover(day, self.rng)
        self._open_tickets(rows, np.full(len(rows), NOBODY), np.full(len(rows), PATROL), day)
        self._today["patrol_hours"] += self.regime.patrol_hours()

    # -------------------------------------------------------------------------------------------- 5. routing

    def _open_tickets(self, rows: np.ndarray, caller: np.ndarray, channel: np.ndarray, day: int) -> None:
        n = len(rows)
        if n == 0:
            return
        rng, city, spec = self.rng, self.city, self.spec
        problems = self.problems.table
        np.add.at(problems.pending, rows, 1)
        community = problems.community[rows].astype(np.int64)
        category = problems.category[rows].astype(np.int64)
        street = city.community_street[community]
        handler = self.regime.route(category, street, channel, rng)
        misrouted = (channel == HOTLINE) & (rng.random(n) < spec.hotline.misroute_rate)
        ready = day + misrouted * spec.hotline.bounce_days
        at_street = handler < city.n_streets
        whistled = at_street & self.regime.escalate(category, rng)
        owner = city.category_owner[category]
        handler = np.where(whistled, city.n_streets + owner, handler)
        response_due = ready + np.where(whistled, self.regime.report_days(), self.category_response_days[category])
        effort = self.category_effort[category] * rng.lognormal(-spec.handling.effort_spread**2 / 2, spec.handling.effort_spread, n)
        quick = np.where(handler < city.n_streets, self.street_pressure[np.minimum(handler, city.n_streets - 1)], 0.0)
        effort *= 1.0 - 0.5 * self.regime.effort_shift * quick  # a pressed street closes faster, and fixes less
        whistles = np.bincount(owner[whistled], minlength=len(city.department_names))
        self._update_whistle_load(whistles)
        self.month["department_whistles"] += whistles
        self.month["category_tickets"] += np.bincount(category, minlength=len(self.month["category_tickets"]))
        threat = (channel == HOTLINE) & (rng.random(n) < spec.behaviour.threat_share)
        age = np.where(caller >= 0, self.residents.age[np.maximum(caller, 0)], -1)
        self.tickets.open(
            problem=problems.id[rows], caller=caller, community=community, street=street,
            district=city.community_district[community], category=category, age=age, channel=channel,
            threat=threat, repeat=problems.returns[rows] > 0, handler=handler, receiver=handler,
            whistled=whistled, misrouted=misrouted, opened=day, ready=ready,
            work_from=ready + rng.poisson(self.category_lead_days[category]), response_due=response_due,
            due=ready + self.category_due_days[category], contact_left=spec.handling.contact_hours, effort_left=effort,
        )
        self._today["tickets_opened"] += n
        self._today["repeats"] += int(np.count_nonzero(problems.returns[rows] > 0))
        self._today["whistles"] += int(whistled.sum())
        district = city.community_district[community]
        for breakdown, groups in ((self.by_category, category), (self.by_district, district), (self.by_age_group, age)):
            breakdown.add(groups, tickets_opened=True)

    def _update_whistle_load(self, whistles: np.ndarray) -> None:
        """Recent whistles per day per 100 staff-hours, as a 30-day moving average."""
        staff = np.maximum(self.city.department_staff_hours, 1e-9)
        self.department_whistle_load += (whistles * 100.0 / staff - self.department_whistle_load) / 30.0

    def department_quality(self) -> np.ndarray:
        """How well each department answers a whistle: exp(-load / fatigue_load)."""
        scale = self.regime.fatigue_load()
        return np.array([math.exp(-load / scale) for load in self.department_whistle_load])  # libm: same everywhere

    # ------------------------------------------------------------------------------------------- 6. handling

    def _handle(self, day: int) -> None:
        table = self.tickets.table
        capacity = self.handler_capacity_today(day)
        left = capacity.copy()
        ready = np.flatnonzero(table.ready <= day)
        handler = table.handler[ready]
        if self.regime.contact_first:
            first = ready[table.contacted[ready] == NOT_YET]
            served = allocate(table.handler[first], self.regime.priority(first), table.contact_left[first], left)
            table.contact_left[first] -= served.astype(np.float32)
            left -= np.bincount(table.handler[first], weights=served, minlength=len(left))
        workable = table.work_from[ready] <= day
        need = table.contact_left[ready] + np.where(workable, table.effort_left[ready], 0.0)
        served = allocate(handler, self.regime.priority(ready), need, left)
        from_contact = np.minimum(served, table.contact_left[ready])
        table.contact_left[ready] -= from_contact.astype(np.float32)
        table.effort_left[ready] -= (served - from_contact).astype(np.float32)
        left -= np.bincount(handler, weights=served, minlength=len(left))
        reached = ready[(table.contact_left[ready] <= DONE) & (table.contacted[ready] == NOT_YET)]
        table.contacted[reached] = day
        self.handler_capacity = capacity
        self.handler_used = capacity - left
        finished = ready[workable & (table.contact_left[ready] + table.effort_left[ready] <= DONE)]
        self._close(finished, day)

    def handler_capacity_today(self, day: int) -> np.ndarray:
        streets = self.city.street_staff_hours * self.timeline.street_staff_factor(day)
        return np.concatenate([streets, self.city.department_staff_hours])

    # -------------------------------------------------------------------------------------------- 7. closure

    def _close(self, rows: np.ndarray, day: int) -> None:
        closed = self.tickets.close(rows)
        n = len(rows)
        if n == 0:
            return
        rng, spec, s_count = self.rng, self.spec, self.city.n_streets
        behaviour = spec.behaviour
        u = rng.random((7, n))
        category, handler, receiver = closed["category"], closed["handler"], closed["receiver"]
        problem_rows = self.problems.rows_of(closed["problem"])
        exists = problem_rows >= 0
        np.add.at(self.problems.table.pending, problem_rows[exists], -1)

        at_street = handler < s_count
        street_of_handler = np.minimum(handler, s_count - 1)
        department_of_handler = np.maximum(handler - s_count, 0)
        authority = ~at_street | self.category_street_duty[category]
        p_fix = np.where(authority, spec.handling.fix_with_authority, spec.handling.fix_without_authority)
        p_fix = p_fix * np.where(closed["whistled"] & ~at_street, self.department_quality()[department_of_handler], 1.0)
        p_fix = p_fix * (1.0 - self.regime.effort_shift * np.where(at_street, self.street_pressure[street_of_handler], 0.0))
        owner_pressure = np.where(receiver < s_count, self.street_pressure[np.minimum(receiver, s_count - 1)], 0.0)
        unsolvable = u[0] < self.category_unsolvable[category]
        served = unsolvable & (closed["channel"] == HOTLINE) & (u[1] < self.regime.leverage_share * owner_pressure)
        fixed = ~unsolvable & (u[2] < p_fix)
        outcome = np.where(fixed, FIX, SYMPTOM)
        outcome = np.where(unsolvable, np.where(served, SERVED, UNSOLVABLE), outcome)
        outcome = np.where(exists, outcome, ALREADY_GONE)

        ends = exists & ((outcome == FIX) | (outcome == UNSOLVABLE) | (outcome == SERVED))
        self.problems.remove(problem_rows[ends])
        sleeps = exists & (outcome == SYMPTOM)
        wakes = day + rng.geometric(1.0 / max(spec.handling.return_days, 1.0), int(sleeps.sum()))
        self.problems.sleep(problem_rows[sleeps], wakes)

        has_caller = closed["caller"] >= 0
        caller = np.maximum(closed["caller"], 0)
        trust = self.residents.effective_trust(caller, closed["community"], day)
        resolved = (outcome == FIX) | (outcome == ALREADY_GONE) | (outcome == SERVED)
        resolved |= (outcome == SYMPTOM) & (u[3] < behaviour.symptom_rated_resolved)
        late = day > closed["due"]
        p_satisfied = (
            np.where(resolved, behaviour.satisfied_if_resolved, behaviour.satisfied_if_unresolved)
            + behaviour.trust_effect * (trust - 0.5)
            - behaviour.late_penalty * late
            + self.regime.manufactured_satisfaction * owner_pressure * ~resolved
        )
        satisfied = u[4] < p_satisfied
        rated = has_caller & (closed["channel"] == HOTLINE) & (u[5] < spec.hotline.callback_share)
        responded = (closed["contacted"] != NOT_YET) & (closed["contacted"] <= closed["response_due"])
        self.residents.learn(closed["caller"][has_caller], satisfied[has_caller], resolved[has_caller], day)

        duration = day - closed["opened"]
        today = self._today
        today["tickets_closed"] += n
        today["rated"] += int(rated.sum())
        today["responded"] += int((rated & responded).sum())
        today["resolved"] += int((rated & resolved).sum())
        today["satisfied"] += int((rated & satisfied).sum())
        today["fixed"] += int((outcome == FIX).sum())
        ordered = np.sort(duration)
        today["median_days_to_close"] = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2.0
        for breakdown, groups in (
            (self.by_category, category), (self.by_district, closed["district"]), (self.by_age_group, closed["age"].astype(np.int64))
        ):
            breakdown.add(
                groups, tickets_closed=True, rated=rated, responded=rated & responded, resolved=rated & resolved,
                satisfied=rated & satisfied, fixed=outcome == FIX,
            )
            breakdown.add_durations(groups, duration)
        scored = rated & (receiver < s_count)
        for name, flag in (("rated", scored), ("responded", scored & responded), ("resolved", scored & resolved), ("satisfied", scored & satisfied)):
            self.month[f"street_{name}"] += np.bincount(receiver[flag], minlength=s_count)
        reported = closed["whistled"] & responded & ~at_street
        self.month["department_reported"] += np.bincount(department_of_handler[reported], minlength=len(self.department_score))

    # --------------------------------------------------------------------------------------------- 8. record

    def _record(self, day: int) -> None:
        today, spec = self._today, self.spec
        s_count = self.city.n_streets
        table = self.tickets.table
        self.handler_backlog = np.bincount(table.handler, minlength=self.city.n_handlers)
        capacity, used = self.handler_capacity, self.handler_used
        hours = used[:s_count].sum() + used[s_count:].sum() + today["operator_hours"] + today["patrol_hours"]
        self.indicators = {
            "day": day,
            "date": self.timeline.date(day),
            "regime": self.regime.name,
            "contacts": int(today["contacts"]),
            "consultations": int(today["consultations"]),
            "abandoned": int(today["abandoned"]),
            "tickets_opened": int(today["tickets_opened"]),
            "tickets_closed": int(today["tickets_closed"]),
            "backlog": len(self.tickets),
            "overdue": int(np.count_nonzero(table.due <= day)),
            "rated": int(today["rated"]),
            "response_rate": ratio(today["responded"], today["rated"]),
            "resolution_rate": ratio(today["resolved"], today["rated"]),
            "satisfaction_rate": ratio(today["satisfied"], today["rated"]),
            "fix_share": ratio(today["fixed"], today["tickets_closed"]),
            "median_days_to_close": today.get("median_days_to_close", float("nan")),
            "street_load": ratio(used[:s_count].sum(), capacity[:s_count].sum()),
            "department_load": ratio(used[s_count:].sum(), capacity[s_count:].sum()),
            "street_hours": float(used[:s_count].sum()),
            "department_hours": float(used[s_count:].sum()),
            "operator_hours": float(today["operator_hours"]),
            "patrol_hours": float(today["patrol_hours"]),
            "whistles": int(today["whistles"]),
            "prevention_spend": float(today["prevention_spend"]),
            "cost": float(hours * spec.handling.hour_cost + today["prevention_spend"]),
            "new_problems": int(today["new_problems"]),
            "prevented_problems": int(today["prevented_problems"]),
            "open_problems": self.problems.count_open(),
            "repeat_share": ratio(today["repeats"], today["tickets_opened"]),
            "mean_trust": self.residents.mean_trust_overall(),
            "mean_propensity": self.residents.mean_propensity_overall(),
        }
        if day >= 0:
            self.datacollector.collect(self)


def in_proportion(cumulative: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Index i with cumulative[i] <= target < cumulative[i + 1], for each target (cumulative starts at 0)."""
    return np.minimum(np.searchsorted(cumulative, targets, side="right") - 1, len(cumulative) - 2)


def poisson_events(rng: np.random.Generator, rates: np.ndarray) -> np.ndarray:
    """Indices of the events of independent Poisson processes with the given rates, one index per event.

    Draws the total once and spreads it over the processes in proportion to their rates (the same law as one
    Poisson draw per process, at the cost of a cumulative sum instead of a draw per process).
    """
    if len(rates) == 0:
        return np.empty(0, dtype=np.int64)
    cumulative = np.cumsum(rates, dtype=np.float64)
    total = float(cumulative[-1])
    if total <= 0:
        return np.empty(0, dtype=np.int64)
    events = np.searchsorted(cumulative, rng.random(rng.poisson(total)) * total, side="right")
    return np.minimum(events, len(rates) - 1)


def _select(columns: dict[str, np.ndarray], which) -> dict[str, np.ndarray]:
    return {key: value[which] for key, value in columns.items()}
