"""The narrow interface that processes, interventions and regimes work against.

`GovernanceModel` implements it; a module receives the model as a `Context` and uses only what is listed here:
the scenario and the random streams, the city and its numbering of handlers, the category arrays and the calendar,
the state arrays (residents, problems, tickets, the bodies' standing), the ledgers of the day, the month and the
run, the regime in force, and the few processes others call (arrival's structural cuts, work's capacity, how
pressed streets respond). Anything else a module needs becomes a line here first, so the coupling stays visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sim.analyzers import Breakdowns, DayTally, MonthLedger
    from sim.neighbourhood import Neighbourhood
    from sim.processes.adoption import Adoption
    from sim.categories import Categories
    from sim.city import City, Handlers
    from sim.places import Places
    from sim.population import Residents
    from sim.problems import ProblemStock
    from sim.processes.arrival import Arrival
    from sim.processes.intake import Intake
    from sim.processes.learning import Learning
    from sim.processes.staffing import Staffing
    from sim.processes.street_response import StreetResponse
    from sim.processes.work import Work
    from sim.regimes.regime import Regime
    from sim.scenario.schema import Scenario
    from sim.standing import Standing
    from sim.tickets import TicketTable
    from sim.timeline import Timeline


class Context(Protocol):
    # inputs and randomness
    spec: Scenario
    seed: int  # the world and population streams derive from it (sim.streams)
    scale: float
    rng: np.random.Generator  # governance stream: everything a regime's choices can change
    # the city
    city: City
    handlers: Handlers
    categories: Categories
    timeline: Timeline
    places: Places  # how places differ (capability, travel, old compounds, reporting)
    # state
    residents: Residents
    problems: ProblemStock
    tickets: TicketTable
    standing: Standing
    regime: Regime
    adoption: Adoption  # awareness of 12345 by community
    neighbourhood: Neighbourhood  # communities' expectations and memory of outcomes
    # ledgers
    today: DayTally
    month: MonthLedger
    breakdowns: Breakdowns
    topics: list[tuple[str, str, float, int]]  # (date, category, arrival cut, problems removed) per monthly topic
    # processes other modules call
    arrival: Arrival
    work: Work
    street_response: StreetResponse
    learning: Learning
    staffing: Staffing
    intake: Intake

    def remove_prevented(self, rows: np.ndarray) -> None:
        """Remove open problems fixed before anyone called (prevention, co-production), counting them prevented."""
        ...
