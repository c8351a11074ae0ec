"""Work order: in which order a street office or department serves its queue (lower key first).

- first come, first served (whistle-blowing): by the day the ticket reached the handler; summoned departments
  answer whistles first;
- time limits (complaint-response): every new ticket's resident is contacted first (`contact_first`), then threats
  to petition higher up are served first [Zhao, Cheng & Li 2026], then whistles, then the earliest due date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.context import Context

AHEAD_OF_ANY_DATE = 100_000  # a key offset larger than any day number


class FirstComeFirstServed:
    contact_first = False

    def __init__(self, ctx: "Context"):
        self.ctx = ctx

    def priority(self, rows: np.ndarray) -> np.ndarray:
        tickets = self.ctx.tickets.table
        return tickets.ready[rows].astype(np.int64) - AHEAD_OF_ANY_DATE * tickets.whistled[rows]


class TimeLimitsFirst:
    contact_first = True

    def __init__(self, ctx: "Context"):
        self.ctx = ctx

    def priority(self, rows: np.ndarray) -> np.ndarray:
        tickets = self.ctx.tickets.table
        key = tickets.due[rows].astype(np.int64)
        key -= AHEAD_OF_ANY_DATE * tickets.whistled[rows]
        key -= 10 * AHEAD_OF_ANY_DATE * tickets.threat[rows]
        return key
