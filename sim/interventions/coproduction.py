"""Co-production (五社联动, deliberation halls): residents fix some of their community's problems themselves.

Each day, in communities with a deliberation hall, each open collective problem that has no ticket is fixed by
the residents with probability `coproduction_rate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.problems import OPEN

if TYPE_CHECKING:
    from sim.context import Context
    from sim.scenario.schema import ProactiveParams


class Coproduction:
    def __init__(self, ctx: "Context", params: "ProactiveParams"):
        self.ctx, self.rate = ctx, params.coproduction_rate

    def step(self, day: int) -> None:
        problems = self.ctx.problems.table
        if self.rate <= 0 or problems.n == 0:
            return
        hall = self.ctx.city.community_hall[problems.community]
        eligible = np.flatnonzero((problems.state == OPEN) & problems.collective & (problems.pending == 0) & hall)
        self.ctx.remove_prevented(eligible[self.ctx.rng.random(len(eligible)) < self.rate])
