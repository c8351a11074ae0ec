"""How street offices respond to ranking pressure: what they do when pressed, as the regime describes it.

A regime that ranks streets puts pressure on them (`Standing.street_pressure`, 0-1). A pressed street splits its
response between gaming and building capability [Bevan & Hood 2006; Kelman & Friedman 2009]. The gaming part
(`gaming_share`) pays now: it closes tickets faster and fixes fewer problems at the root, and gets satisfied
ratings for tickets that were not resolved (manufactured satisfaction). The rest pays later: it is invested in
capability (experience, `sim/processes/learning.py`), so the street fixes more at the root in the months after.
Whatever the split, pressed streets serve unreasonable demands of callers who use a bad rating as leverage. How
strongly is the regime's `PressureResponse`; a regime without ranking has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.context import Context


@dataclass(frozen=True)
class PressureResponse:
    """At full pressure: the fall in a root fix's chance, the extra chance of a satisfied rating when unresolved,
    and the chance an unsolvable demand is served (schema: regimes.hotline)."""

    effort_shift: float = 0.0
    manufactured_satisfaction: float = 0.0
    leverage_share: float = 0.0
    gaming_share: float = 1.0  # the share of the response that is gaming; the rest is capability investment
    capability_investment: float = 0.0  # experience per day at full pressure, before the split


class StreetResponse:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx

    def _pressure_on(self, handler: np.ndarray) -> np.ndarray:
        """Pressure on each handler that is a street office, 0 for departments."""
        handlers = self.ctx.handlers
        return np.where(handlers.is_street(handler), self.ctx.standing.street_pressure[handlers.street(handler)], 0.0)

    def _gaming(self) -> float:
        return self.ctx.regime.pressure.gaming_share

    def effort_factor(self, handler: np.ndarray) -> np.ndarray:
        """Multiplier on a new ticket's staff-hours: a gaming street spends less on it (half the fix shift)."""
        return 1.0 - 0.5 * self.ctx.regime.pressure.effort_shift * self._gaming() * self._pressure_on(handler)

    def fix_factor(self, handler: np.ndarray) -> np.ndarray:
        """Multiplier on the chance that the handler fixes the problem at the root (gaming lowers it)."""
        return 1.0 - self.ctx.regime.pressure.effort_shift * self._gaming() * self._pressure_on(handler)

    def investment(self) -> np.ndarray:
        """(S,) experience each street adds today by investing in capability under pressure."""
        pressure = self.ctx.regime.pressure
        return pressure.capability_investment * (1.0 - pressure.gaming_share) * self.ctx.standing.street_pressure

    def leverage(self, receiver: np.ndarray) -> np.ndarray:
        """Chance an unsolvable demand is served, by the pressure on the street that owns the ticket."""
        return self.ctx.regime.pressure.leverage_share * self._pressure_on(receiver)

    def manufactured_satisfaction(self, receiver: np.ndarray) -> np.ndarray:
        """Extra chance of a satisfied rating for an unresolved ticket, by the pressure on its owner."""
        return self.ctx.regime.pressure.manufactured_satisfaction * self._gaming() * self._pressure_on(receiver)
