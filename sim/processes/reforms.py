"""ODD 7.17 -- reforms of rules and ownership, applied on their dates (`timeline.reforms`).

A reform may extend the street offices' duty lists (街道赋权: the streets gain authority over a category, fix it at
the authority's chance and stop whistling on it), move a share of the departments' staff-hours down to the streets
(下沉, in proportion to each street's staff) and cut the share of tickets that nobody can solve (the 2021
Regulation on Handling Complaints Upon Receipt gave complaints without an owner one); it may also set the hotline's
operators. A reform dated before the first simulated day is in force from the start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.context import Context


class Reforms:
    def __init__(self, ctx: "Context", first_day: int):
        self.ctx = ctx
        timeline = ctx.timeline
        self._due: dict[int, list] = {}
        for reform in ctx.spec.timeline.reforms:
            self._due.setdefault(max(timeline.day_of(reform.date), first_day), []).append(reform)

    def step(self, day: int) -> None:
        for reform in self._due.get(day, ()):
            self.apply(reform)

    def apply(self, reform) -> None:
        ctx = self.ctx
        categories, handlers = ctx.categories, ctx.handlers
        names = categories.names
        for name in reform.street_duties:
            categories.street_duty[names.index(name)] = True
        if reform.staff_to_streets > 0:
            hours = handlers.staff_hours
            moved = reform.staff_to_streets * handlers.departments_part(hours).sum()
            streets = handlers.streets_part(hours)
            total = streets.sum()
            if total > 0:
                hours[: handlers.n_streets] += moved * streets / total
                hours[handlers.n_streets :] *= 1.0 - reform.staff_to_streets
        if reform.operators is not None:
            hotline = ctx.spec.hotline
            ctx.intake.capacity = reform.operators * hotline.on_duty_share * hotline.calls_per_operator * ctx.scale
        if reform.unsolvable_cut > 0:
            which = np.isin(names, reform.categories) if reform.categories else np.ones(len(names), bool)
            categories.unsolvable[which] *= 1.0 - reform.unsolvable_cut
