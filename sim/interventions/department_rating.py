"""Streets rate the departments they summoned (吹哨报到): each month, the share of last month's whistles that the
department answered in time. No one is ranked in public, so the rating puts no pressure on anyone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.metrics import ratio

if TYPE_CHECKING:
    from sim.context import Context


class DepartmentRating:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx

    def enter(self) -> None:
        """Nothing to set up."""

    def evaluate(self, day: int) -> None:
        month = self.ctx.month
        self.ctx.standing.department_score[:] = np.array(
            [ratio(r, w) for r, w in zip(month.department_reported, month.department_whistles)]
        )
