"""The interface every governance regime implements, and the mechanisms regimes share.

A regime decides five things, and the model core asks it rather than branching on its name:
- intake: which channels residents' contacts reach (`channels`) and which problems are found without a call
  (`discover`);
- routing: which body a new ticket goes to (`route`) and when a street summons a department (`escalate`);
- handling: the order in which each body works (`priority`, `contact_first`) and the pressure on streets
  (`street_pressure`), which changes how they close tickets;
- evaluation: what happens at each month's start (`evaluate`: scoring, ranking);
- prevention: problems removed or kept from arising before anyone calls (`screen_arrivals`, `prevent`).

The defaults here are the neutral choices; `WhistleRegime`, `HotlineRegime` and `ProactiveRegime` override them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.problems import OPEN
from sim.tickets import HOTLINE

if TYPE_CHECKING:
    from sim.model import GovernanceModel


class Regime:
    name = "neutral"
    contact_first = False  # contact every new ticket's resident before solving anything
    # How streets respond to pressure (0 = no pressure regime): see the model core's handling and closure.
    effort_shift = 0.0
    manufactured_satisfaction = 0.0
    leverage_share = 0.0

    def __init__(self, model: GovernanceModel, params):
        self.model = model
        self.params = params

    def enter(self) -> None:
        """Called when the regime takes over (at the start, or on a timeline switch)."""
        self.model.street_pressure[:] = 0.0

    # -------------------------------------------------------------------------------------------------- intake

    def channels(self) -> tuple[float, float]:
        """(share of residents' contacts that reach the hotline, share made by walking into the community office)."""
        return 1.0, 0.0

    def discover(self, day: int, rng: np.random.Generator) -> np.ndarray:
        """Rows of open problems without a ticket that grid patrols find today (each is found with probability
        `patrol_find_rate`)."""
        rate = getattr(self.params, "patrol_find_rate", 0.0)
        problems = self.model.problems.table
        if rate <= 0 or problems.n == 0:
            return np.empty(0, dtype=np.int64)
        candidates = np.flatnonzero((problems.state == OPEN) & (problems.pending == 0))
        return candidates[rng.random(len(candidates)) < rate]

    def patrol_hours(self) -> float:
        """Grid patrol staff-hours today (communities at full scale; scaled like every other capacity)."""
        return getattr(self.params, "patrol_hours_per_community", 0.0) * self.model.n_active_communities * self.model.scale

    # ------------------------------------------------------------------------------------------------- routing

    siphon_share = 0.0

    def route(self, category: np.ndarray, street: np.ndarray, channel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Handler of each new ticket: the street for street-owned categories, walk-ins and patrol finds; for
        hotline tickets the owner department, except the category's territorial share and the siphoned share,
        which go to the street."""
        city = self.model.city
        owner = city.category_owner[category]
        territorial = self.model.category_territorial[category]
        to_street = (owner < 0) | (channel != HOTLINE) | (rng.random(len(category)) < territorial)
        to_street |= rng.random(len(category)) < self.siphon_share
        return np.where(to_street, street, city.n_streets + owner)

    def escalate(self, category: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Which street tickets beyond the street's duties are whistled to the owning department."""
        beyond = ~self.model.category_street_duty[category]
        return beyond & (rng.random(len(category)) < getattr(self.params, "whistle_share", 0.0))

    def report_days(self) -> int:
        return getattr(self.params, "report_days", 3)

    def fatigue_load(self) -> float:
        return getattr(self.params, "fatigue_load", 4.0)

    # ------------------------------------------------------------------------------------------------ handling

    def priority(self, rows: np.ndarray) -> np.ndarray:
        """Lower is served first. Default: first come, first served; summoned departments answer whistles first."""
        tickets = self.model.tickets.table
        return tickets.ready[rows].astype(np.int64) - 100_000 * tickets.whistled[rows]

    # ------------------------------------------------------------------------------------------------ monthly

    def evaluate(self, day: int) -> None:
        """Monthly scoring at the first day of a month (default: none)."""

    # ---------------------------------------------------------------------------------------------- prevention

    def screen_arrivals(self, category: np.ndarray, day: int, rng: np.random.Generator) -> np.ndarray:
        """Which of today's new problems still arise (False = prevented). Default: all arise."""
        return np.ones(len(category), dtype=bool)

    def prevent(self, day: int, rng: np.random.Generator) -> None:
        """Daily prevention actions on open problems (default: none)."""
