"""Grid patrols (网格巡查): street and community staff find open problems that nobody reported.

Each open problem without a ticket is found with probability `patrol_find_rate` a day; the patrols cost
`patrol_hours_per_community` staff-hours a day in every community with residents (scaled like every capacity).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.problems import OPEN

if TYPE_CHECKING:
    from sim.context import Context


class Patrols:
    def __init__(self, ctx: "Context", find_rate: float, hours_per_community: float):
        self.ctx, self.find_rate, self.hours_per_community = ctx, find_rate, hours_per_community

    def find(self, day: int) -> np.ndarray:
        """Rows of the open problems without a ticket that the patrols find today."""
        problems = self.ctx.problems.table
        if self.find_rate <= 0 or problems.n == 0:
            return np.empty(0, dtype=np.int64)
        candidates = np.flatnonzero((problems.state == OPEN) & (problems.pending == 0))
        return candidates[self.ctx.rng.random(len(candidates)) < self.find_rate]

    def hours(self) -> float:
        """Grid patrol staff-hours today."""
        return self.hours_per_community * self.ctx.city.n_active_communities * self.ctx.scale
