"""Whistling (吹哨报到): a street summons the owning department for a ticket beyond its duties.

A street ticket of a category off the streets' duty list is whistled with probability `whistle_share`; the
department then owns it and must report (contact the resident) within `report_days`. Departments tire of
whistles: their answers' quality is exp(-load / `fatigue_load`) (`Standing.department_quality`), the practitioners'
sweet spot [DOMAIN §2].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.context import Context


class Whistling:
    def __init__(self, ctx: "Context", whistle_share: float, report_days: int, fatigue_load: float):
        self.ctx, self.whistle_share, self.report_days, self.fatigue_load = ctx, whistle_share, report_days, fatigue_load

    def escalate(self, category: np.ndarray) -> np.ndarray:
        """Which tickets (if they are at a street) are whistled to the owning department."""
        beyond = ~self.ctx.categories.street_duty[category]
        return beyond & (self.ctx.rng.random(len(category)) < self.whistle_share)
