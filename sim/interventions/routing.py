"""Routing: which body a new ticket goes to, and the siphon effect.

Street-owned categories, walk-ins and patrol finds go to the street of the problem's community. A hotline ticket
of a department-owned category goes to the owning department, except the category's territorial share
(`territorial_share`: dispatched to the street by default) and the siphoned share: departments pushing work down to
streets [Zhang & Xiong 2024], more the more work they have queued. A department with q days of queued work pushes
down `siphon_share / (1 + exp(-(q - siphon_load_mid) / siphon_load_width))` of its hotline tickets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.tickets import HOTLINE

if TYPE_CHECKING:
    from sim.context import Context


class Routing:
    def __init__(self, ctx: "Context", siphon_share: float = 0.0, load_mid: float = 2.0, load_width: float = 1.0):
        self.ctx, self.siphon_share, self.load_mid, self.load_width = ctx, siphon_share, load_mid, load_width

    def siphon(self, department: np.ndarray) -> np.ndarray:
        """Share of each department's hotline tickets it pushes down to streets, by its queued work."""
        if self.siphon_share == 0.0:
            return np.zeros(len(department))
        queue = self.ctx.handlers.departments_part(self.ctx.work.queue_days)[department]
        return self.siphon_share / (1.0 + np.exp(-(queue - self.load_mid) / self.load_width))

    def route(self, category: np.ndarray, street: np.ndarray, channel: np.ndarray) -> np.ndarray:
        """The handler of each new ticket."""
        ctx = self.ctx
        owner = ctx.categories.owner[category]
        territorial = ctx.categories.territorial[category]
        to_street = (owner < 0) | (channel != HOTLINE) | (ctx.rng.random(len(category)) < territorial)
        to_street |= ctx.rng.random(len(category)) < self.siphon(np.maximum(owner, 0))
        return np.where(to_street, street, ctx.handlers.of_department(owner))
