"""A regime is a composition of interventions: the policies a city chooses, one for each decision the day asks.

| decision (phase)                    | slot               | whistle            | hotline / proactive      |
|-------------------------------------|--------------------|--------------------|--------------------------|
| which channels contacts reach (3)   | `channels`         | weak hotline, walk-ins | every contact to 12345 |
| problems found without a call (4)   | `discovery`        | grid patrols       | patrols (off by default) |
| where a ticket goes (5)             | `routing`          | owner or street    | + siphon effect          |
| when a street summons a department  | `escalation`       | whistle often      | whistle less             |
| the order of work (6)               | `work_order`       | first come         | time limits, threats     |
| how pressed streets respond (6, 7)  | `pressure`         | none               | quick closures, gaming   |
| at each month's start (0)           | `monthly`          | department rating  | ranking (+ topics)       |
| arrivals kept from arising (1)      | `arrival_screens`  | --                 | (seasonal anticipation)  |
| daily prevention (2)                | `daily_prevention` | --                 | (co-production)          |

The model core asks the regime in force and never branches on its name. Regimes are built by the functions in
`sim/regimes/registry.py`, afresh at each switch of regime (so a regime's memory, e.g. the topics it picked,
starts anew; the city's standing -- scores, ranks -- is kept).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.interventions.channels import Channels
from sim.interventions.patrols import Patrols
from sim.interventions.routing import Routing
from sim.interventions.whistling import Whistling
from sim.processes.street_response import PressureResponse


@dataclass(frozen=True)
class Regime:
    name: str
    channels: Channels
    discovery: Patrols
    routing: Routing
    escalation: Whistling
    work_order: object  # a work order of sim.interventions.work_order: `contact_first` and `priority(rows)`
    pressure: PressureResponse = PressureResponse()
    monthly: tuple = ()  # each with `enter()` and `evaluate(day)`, run in this order
    arrival_screens: tuple = ()  # each with `keep(category, day) -> bool array`
    daily_prevention: tuple = ()  # each with `step(day)`

    def enter(self, standing) -> None:
        """The regime takes over (at the start, or on a timeline switch): pressure starts from what it sets."""
        standing.street_pressure[:] = 0.0
        for part in self.monthly:
            part.enter()

    def evaluate_month(self, day: int) -> None:
        for part in self.monthly:
            part.evaluate(day)

    def screen_arrivals(self, category: np.ndarray, day: int) -> np.ndarray:
        """Which of today's new problems still arise (False: prevented)."""
        keep = np.ones(len(category), dtype=bool)
        for screen in self.arrival_screens:
            keep &= screen.keep(category, day)
        return keep

    def prevent(self, day: int) -> None:
        for part in self.daily_prevention:
            part.step(day)
