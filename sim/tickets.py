"""Tickets: the hotline's work orders, from dispatch to closure.

Only open tickets are kept (a `Columns` table); a closed ticket is reduced to the day's indicators and the run's
breakdowns (see `metrics.py`) and dropped, so memory follows the backlog, not the years simulated. Every ticket is
either in this table or has been counted as closed; `opened_total == closed_total + len(table)` always holds.
"""

from __future__ import annotations

import numpy as np

from sim.columns import Columns

# How the ticket came in.
HOTLINE, WALK_IN, PATROL = 0, 1, 2
# How it ended.
FIX, SYMPTOM, UNSOLVABLE, ALREADY_GONE, SERVED = 0, 1, 2, 3, 4
OUTCOMES = ("fix", "symptom", "unsolvable", "already_gone", "served")

NOBODY = -1  # caller of a ticket that patrols found
NOT_YET = np.iinfo(np.int32).min  # `contacted` of a ticket whose resident has not been contacted

_SCHEMA = {
    "id": np.int64,
    "problem": np.int64,
    "caller": np.int64,
    "community": np.int32,
    "street": np.int32,
    "district": np.int32,
    "category": np.int16,
    "age": np.int8,  # caller's age group, -1 for patrol tickets
    "channel": np.int8,
    "threat": np.bool_,  # caller threatened to petition higher up
    "repeat": np.bool_,  # about a problem that came back after a symptom-only closure
    "handler": np.int32,  # street index, or S + department index
    "receiver": np.int32,  # the first body it was dispatched to; it owns the ticket and is scored on it
    "whistled": np.bool_,
    "misrouted": np.bool_,
    "opened": np.int32,
    "ready": np.int32,  # first day the handler can work on it (after dispatch delays and bounces)
    "work_from": np.int32,  # first day the work itself can be done (after the lead time: visits, coordination)
    "response_due": np.int32,
    "due": np.int32,
    "contacted": np.int32,  # day the handler contacted the resident, NOT_YET before (days run negative in the warm-up)
    "contact_left": np.float32,  # staff-hours
    "effort_left": np.float32,  # staff-hours
}


class TicketTable:
    def __init__(self):
        self.table = Columns(_SCHEMA)
        self.opened_total = 0
        self.closed_total = 0

    def __len__(self) -> int:
        return self.table.n

    def open(self, **columns) -> np.ndarray:
        n = len(columns["problem"])
        if n == 0:
            return np.empty(0, dtype=np.int64)
        rows = self.table.append(id=np.arange(self.opened_total, self.opened_total + n), contacted=NOT_YET, **columns)
        self.opened_total += n
        return rows

    def take(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Copies of every column at `rows`."""
        return {name: getattr(self.table, name)[rows] for name in _SCHEMA}

    def close(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Remove the tickets at `rows` and return their columns."""
        closed = self.take(rows)
        keep = np.ones(self.table.n, dtype=bool)
        keep[rows] = False
        self.table.keep(keep)
        self.closed_total += len(rows)
        return closed
