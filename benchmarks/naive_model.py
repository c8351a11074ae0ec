"""The naive baseline: a Mesa model with one `mesa.Agent` per resident, each making the daily draw govsim makes
for residents (does this resident contact the hotline today?).

It is kept deliberately simple and honest: no extra work per agent, Mesa's own AgentSet `do("step")` loop, and
the same contact probability as govsim's teaching calibration (about 0.46 contacts per resident a year, spread by
a lognormal propensity). It models nothing else, so it is a lower bound on what a one-agent-per-resident model
costs; govsim, which also routes, handles and rates every complaint, is compared against it.
"""

from __future__ import annotations

import mesa
import numpy as np

CONTACTS_PER_RESIDENT_YEAR = 0.46


class NaiveResident(mesa.Agent):
    def __init__(self, model: "NaiveCity", propensity: float):
        super().__init__(model)
        self.propensity = propensity
        self.trust = 0.6

    def step(self) -> None:
        if self.random.random() < self.propensity * self.model.daily_rate:
            self.model.contacts_today += 1


class NaiveCity(mesa.Model):
    def __init__(self, residents: int, rng: int = 1):
        super().__init__(rng=rng)
        self.daily_rate = CONTACTS_PER_RESIDENT_YEAR / 365.0
        self.contacts_today = 0
        propensity = self.rng.lognormal(-0.5, 1.0, residents)
        NaiveResident.create_agents(self, residents, propensity=list(propensity / propensity.mean()))

    def step(self) -> None:
        self.contacts_today = 0
        self.agents.do("step")


def contacts_per_day(residents: int, days: int, rng: int = 1) -> float:
    model = NaiveCity(residents, rng)
    total = 0
    for _ in range(days):
        model.step()
        total += model.contacts_today
    return total / days if days else float(np.nan)
