"""GovernanceModel: a megacity governing itself through its residents' complaints. One step is one day.

The model is assembled from modules, as Starsim assembles a sim: state arrays (residents, problems, tickets: numpy
columns; the bodies' standing), the processes of the day (`sim/processes/`, one ODD submodel a file), the regime
in force (`sim/regimes/`: a composition of interventions that the processes ask, never naming it) and the
analyzers that keep the ledgers (`sim/analyzers/`). `step` is the phase list, written once. The hotline centre,
district centres, street offices and departments are Mesa agents: named views of the arrays (`agents.py`).

Random numbers come in separate streams from one seed (`sim/streams.py`, common random numbers): two regimes run
with one seed face the same problems, and their difference is the regime's, not luck's.
"""

from __future__ import annotations

from functools import partial

import mesa
import numpy as np

from sim.agents import Department, DistrictCentre, HotlineCentre, StreetOffice
from sim.analyzers import Breakdowns, DailyCollector, DayTally, MonthLedger, daily_indicators
from sim.analyzers.equity import record_day as record_equity
from sim.categories import build_categories
from sim.city import build_city
from sim.inputs import InputError
from sim.metrics import DAILY
from sim.places import Places
from sim.population import Residents
from sim.problems import ProblemStock
from sim.neighbourhood import Neighbourhood
from sim.processes import (
    Adoption, Arrival, Callback, Closure, Contacting, Dispatch, Intake, Learning, Reforms, Staffing, StreetResponse, Work,
)
from sim.regimes import REGIMES, make_regime
from sim.scenario import AGE_GROUPS, Scenario, load_scenario
from sim.scenario.levers import lever_overrides
from sim.standing import Standing
from sim.streams import population_stream, resolve_seed
from sim.tickets import TicketTable
from sim.timeline import Timeline

FORGET_DAYS = 30  # how often every resident's fading success memory is brought up to date (Residents.forget)


def _indicator(name: str, model: "GovernanceModel") -> object:
    return model.indicators[name]


class GovernanceModel(mesa.Model):
    """A city, its residents' problems and complaints, and the bodies that answer them, under one regime at a time.

    Args:
        scenario: a scenario file path, a shipped scenario's name (e.g. "teaching_town") or a `Scenario`.
        regime: run under this regime throughout, ignoring the timeline's regime switches (None: follow the
            scenario's `regime` and timeline).
        rng: the seed: an integer 0 <= seed < 2**63, a numpy `Generator` or `SeedSequence` (see
            `sim.streams.resolve_seed`); None draws one. The integer used is `model.seed`.
        scale: simulate this fraction of the residents, with every capacity scaled alike (0 < scale <= 1).
        days: override the scenario's horizon.
        overrides: {dotted.path: value} changes to the scenario (as `--set` on the command line).
        **levers: named shortcuts for common overrides (see `sim.scenario.levers.LEVERS`), e.g. ranking_pressure.
    """

    def __init__(
        self, scenario: str | Scenario = "teaching_town", regime: str | None = None, rng=None, scale: float = 1.0,
        days: int | None = None, overrides: dict | None = None, **levers,
    ):
        changes = {**lever_overrides(levers), **(overrides or {})}
        if days is not None:
            changes["days"] = days
        spec = load_scenario(scenario, changes)
        if regime is not None and regime not in REGIMES:
            raise InputError(f"expected one of {', '.join(REGIMES)}, got '{regime}'", field="regime")
        if not 0 < scale <= 1:
            raise InputError(f"expected a number in (0, 1], got {scale}", field="scale")
        seed = resolve_seed(rng)
        super().__init__(rng=seed)
        self.seed, self.spec, self.scale, self.fixed_regime = seed, spec, float(scale), regime
        self.city = city = build_city(spec, scale)
        self.handlers = city.handlers
        self.categories = build_categories(spec, city.department_names)
        self.timeline = Timeline(spec, city, spec.days)
        self.places = Places(spec, city, self.categories.names, seed)
        self.residents = Residents(
            city.community_population, spec.population, spec.behaviour, population_stream(seed),
            city.community_reporting * self.places.reporting, first_day=-spec.warmup_days,
        )
        self.problems, self.tickets = ProblemStock(), TicketTable()
        self.standing = Standing.empty(city.n_streets, len(city.district_names), len(city.department_names))
        self.today, self.month, self.topics = DayTally(), self._new_month(), []
        self.breakdowns = Breakdowns(len(self.categories), len(city.district_names), len(AGE_GROUPS))
        self.arrival, self.contacting, self.intake = Arrival(self), Contacting(self), Intake(self)
        self.dispatch, self.work, self.closure, self.callback = Dispatch(self), Work(self), Closure(self), Callback(self)
        self.street_response, self.learning, self.staffing = StreetResponse(self), Learning(self), Staffing(self)
        self.reforms, self.neighbourhood, self.adoption = Reforms(self, -spec.warmup_days), Neighbourhood(self), Adoption(self)
        self.hotline_centre = HotlineCentre(self)
        for d, name in enumerate(city.district_names):
            DistrictCentre(self, d, name, spec.city.districts[d].zone)
        for s, name in enumerate(city.street_names):
            StreetOffice(self, s, name, int(city.street_district[s]))
        for g, name in enumerate(city.department_names):
            Department(self, g, name)

        self.regime = make_regime(regime or self.timeline.initial_regime, self)
        self.regime.enter(self.standing)
        self.datacollector = DailyCollector(model_reporters={name: partial(_indicator, name) for name in DAILY})
        self.running = True
        self._warm_up()

    def _warm_up(self) -> None:
        """Simulate the scenario's warm-up days (days -W..-1) unrecorded, so day 0 meets a city in operation."""
        self.first_day = -self.spec.warmup_days
        self.indicators = daily_indicators(self, self.first_day - 1)  # the empty city, until a day is simulated
        for day in range(self.first_day, 0):
            self._simulate(day)
        self.breakdowns = Breakdowns(len(self.categories), len(self.city.district_names), len(AGE_GROUPS))
        self.topics = []
        self.backlog_at_start = len(self.tickets)

    def _new_month(self) -> MonthLedger:
        return MonthLedger.empty(self.city.n_streets, len(self.city.department_names), len(self.categories))

    # govsim's scenario is its own typed object (`self.spec`); Mesa 3.5's experimental per-model Scenario is not used.
    # Hiding it matters: SolaraViz's Reset passes a truthy `model.scenario` back as `scenario=`, which here names
    # the govsim scenario, so with it a Reset would rebuild the model from the wrong thing.
    @property
    def scenario(self) -> None:
        return None

    @scenario.setter
    def scenario(self, value) -> None:
        self._mesa_scenario = value

    @property
    def day(self) -> int:
        """The day being simulated (0-based); equals the number of days completed between steps."""
        return self.steps - 1

    def step(self) -> None:
        """One day. The phase list (`_simulate`), in this order:

        0. timeline: a scheduled regime switch takes effect; at a month's start the regime evaluates the month
           (ranking, ratings, topics), staffing follows load and a new month's ledger opens; reforms dated today
           change the rules;
        1. arrival: problems age (some go away, symptom-closed ones come back), new ones arise, screens prevent some;
        2. the regime's daily prevention (co-production);
        3. contacts: residents contact government about open problems, or to ask a question;
        4. intake: the hotline takes calls up to its capacity (the rest give up or call again tomorrow);
        5. dispatch: complaints, then patrol finds, become tickets routed to streets or departments (whistles);
        6. work: every street and department spends its staff-hours on its queue in the regime's order, and
           learns from the tickets it finished;
        7. closure and call-back: finished tickets fix, close a symptom or prove unsolvable; the hotline calls the
           resident back and records the three rates; callers learn;
        7b. neighbours: communities learn from their outcomes and open problems (trust, expectations), awareness of
           12345 spreads (media and word of mouth); every 30 days faded success memories are brought up to date;
        8. record: the day's indicators, collected by Mesa's DataCollector (`DailyCollector`).

        Before day 0 the model has already simulated the scenario's warm-up days the same way, unrecorded.
        """
        self._simulate(self.day)
        if self.day + 1 >= self.spec.days:
            self.running = False

    def _simulate(self, day: int) -> None:
        self.today = DayTally()
        self._follow_timeline(day)
        self.reforms.step(day)
        self.arrival.step(day)
        self.regime.prevent(day)
        contacts = self.contacting.step(day)
        handled = self.intake.step(contacts, day)
        self.dispatch.from_contacts(handled, day)
        self.dispatch.from_patrols(day)
        finished = self.work.step(day)
        self.callback.step(self.closure.step(finished, day), day)
        self.neighbourhood.step(day)
        self.adoption.step(day)
        if day % FORGET_DAYS == 0:
            self.residents.forget(day)
        record_equity(self)
        if day >= -1:  # the warm-up's rows are not recorded: only its last is kept, as the state shown before day 0
            self.indicators = daily_indicators(self, day)
        if day >= 0:
            self.datacollector.collect(self)
        self.problems.compact()

    def _follow_timeline(self, day: int) -> None:
        switch = None if self.fixed_regime else self.timeline.regime_switch(day)
        if switch and switch != self.regime.name:
            self.regime = make_regime(switch, self)
            self.regime.enter(self.standing)
        if day > self.first_day and self.timeline.is_month_start(day):
            self.regime.evaluate_month(day)
            self.staffing.step(day)
            self.month = self._new_month()

    def remove_prevented(self, rows: np.ndarray) -> None:
        """Problems fixed before anyone called (prevention, co-production)."""
        self.problems.remove(rows)
        self.today.prevented_problems += len(rows)
