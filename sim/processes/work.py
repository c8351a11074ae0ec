"""ODD 7.4 (second part) -- work: every street office and department spends its day's staff-hours on its queue.

Tickets are served in the regime's priority order; under a contact-first work order every new ticket's resident
is contacted before anything is solved. A ticket's effort can be spent only after its lead time (visits,
coordination); a ticket whose contact and effort are done is finished and goes to closure.

`allocate` does the queueing for every handler at once: sort tickets by (handler, priority), take a running sum
of the hours they need, and give each ticket what is left of its handler's hours after the tickets ahead of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.tickets import HOTLINE, NOT_YET

if TYPE_CHECKING:
    from sim.context import Context

DONE = 1e-4  # staff-hours below which a ticket's remaining work counts as finished


def allocate(handler: np.ndarray, priority: np.ndarray, demand: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Hours each ticket receives today.

    handler: handler index per ticket; priority: lower is served first (ties keep input order);
    demand: hours each ticket still needs; capacity: hours each handler has (indexed by handler).
    """
    n = len(handler)
    if n == 0:
        return np.zeros(0)
    order = np.lexsort((priority, handler))
    h = handler[order]
    need = demand[order].astype(np.float64)
    before = np.cumsum(need) - need
    first = np.empty(n, dtype=bool)
    first[0] = True
    first[1:] = h[1:] != h[:-1]
    group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    used_before = before - before[group_start]
    served = np.empty(n)
    served[order] = np.clip(capacity[h] - used_before, 0.0, need)
    return served


class Work:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        self.capacity = ctx.handlers.staff_hours.copy()  # (H,) today's staff-hours (after timeline programmes)
        self.used = np.zeros(ctx.handlers.n)  # (H,) today's staff-hours spent
        self.queue_days = np.zeros(ctx.handlers.n)  # (H,) staff-hours of open tickets / daily staff-hours, after work
        self.forwarded_hours = np.zeros(ctx.handlers.n)  # (H,) hours owed today to questions the hotline forwarded

    def capacity_on(self, day: int) -> np.ndarray:
        handlers = self.ctx.handlers
        streets = handlers.streets_part(handlers.staff_hours) * self.ctx.timeline.street_staff_factor(day)
        return np.concatenate([streets, handlers.departments_part(handlers.staff_hours)]) * self.ctx.staffing.factor

    def backlog(self) -> np.ndarray:
        """(H,) open tickets per handler."""
        return np.bincount(self.ctx.tickets.table.handler, minlength=self.ctx.handlers.n)

    def step(self, day: int) -> np.ndarray:
        """Spend today's hours; return the rows of the tickets finished today."""
        ctx = self.ctx
        table = ctx.tickets.table
        order = ctx.regime.work_order
        capacity = self.capacity_on(day)
        left = capacity - np.minimum(self.forwarded_hours, capacity)  # forwarded questions are answered first
        self.forwarded_hours = np.zeros_like(capacity)
        ready = np.flatnonzero(table.ready <= day)
        handler = table.handler[ready]
        if order.contact_first:
            first = ready[table.contacted[ready] == NOT_YET]
            served = allocate(table.handler[first], order.priority(first), table.contact_left[first], left)
            table.contact_left[first] -= served.astype(np.float32)
            left -= np.bincount(table.handler[first], weights=served, minlength=len(left))
        workable = table.work_from[ready] <= day
        need = table.contact_left[ready] + np.where(workable, table.effort_left[ready], 0.0)
        served = allocate(handler, order.priority(ready), need, left)
        from_contact = np.minimum(served, table.contact_left[ready])
        table.contact_left[ready] -= from_contact.astype(np.float32)
        table.effort_left[ready] -= (served - from_contact).astype(np.float32)
        left -= np.bincount(handler, weights=served, minlength=len(left))
        reached = ready[(table.contact_left[ready] <= DONE) & (table.contacted[ready] == NOT_YET)]
        table.contacted[reached] = day
        self.capacity = capacity
        self.used = capacity - left
        finished = ready[workable & (table.contact_left[ready] + table.effort_left[ready] <= DONE)]
        queued = np.bincount(table.handler, weights=table.contact_left + table.effort_left, minlength=len(capacity))
        self.queue_days = queued / np.maximum(capacity, 1e-9)  # finished tickets have (next to) nothing left
        ctx.learning.step(table.handler[finished], table.channel[finished] == HOTLINE, capacity)
        return finished
