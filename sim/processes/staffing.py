"""ODD 7.20 -- staffing follows load: a body whose queue stays long is given more staff, up to a ceiling.

At each month's start every street office and department compares its queued work (staff-hours of open tickets
over its daily staff-hours, `Work.queue_days`) with `handling.target_queue_days`, and its staff-hours change by
`staffing_response` x (queue / target - 1) of their current value, between the scenario's staffing (never fewer)
and `max_staffing` times it. Beijing's volume more than doubled from 2019 to 2024 while the three rates rose; a
city that kept its 2019 staff would drown (assumed: no published series of staff numbers is used).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.context import Context


class Staffing:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        self.factor = np.ones(ctx.handlers.n)  # (H,) staff relative to the scenario's (after reforms)

    def step(self, day: int) -> None:
        """At a month's start: adjust each body's staff toward the load it carries."""
        h = self.ctx.spec.handling
        if h.staffing_response == 0:
            return
        queue = self.ctx.work.queue_days
        change = h.staffing_response * (queue / h.target_queue_days - 1.0)
        self.factor = np.clip(self.factor * (1.0 + np.clip(change, -0.5, 1.0)), 1.0, h.max_staffing)
