"""Routing: which body a new ticket goes to, and the siphon effect.

Street-owned categories, walk-ins and patrol finds go to the street of the problem's community. A hotline ticket
of a department-owned category goes to the owning department, except the category's territorial share
(`territorial_share`: dispatched to the street by default) and the siphoned share (`siphon_share`: departments
pushing work down to streets [Zhang & Xiong 2024]).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.tickets import HOTLINE

if TYPE_CHECKING:
    from sim.context import Context


class Routing:
    def __init__(self, ctx: "Context", siphon_share: float = 0.0):
        self.ctx, self.siphon_share = ctx, siphon_share

    def route(self, category: np.ndarray, street: np.ndarray, channel: np.ndarray) -> np.ndarray:
        """The handler of each new ticket."""
        ctx = self.ctx
        owner = ctx.categories.owner[category]
        territorial = ctx.categories.territorial[category]
        to_street = (owner < 0) | (channel != HOTLINE) | (ctx.rng.random(len(category)) < territorial)
        to_street |= ctx.rng.random(len(category)) < self.siphon_share
        return np.where(to_street, street, ctx.handlers.of_department(owner))
