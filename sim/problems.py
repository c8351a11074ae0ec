"""Latent problems in communities: what residents complain about.

A problem sits in a community and a category. It is collective (it affects many residents: noise, heating) or
individual (a wage or consumer dispute), it produces contacts while it is open, and it ends in one of three ways:
it is fixed at the root, it goes away by itself at the end of its life, or it is dropped as unsolvable. A
symptom-only closure puts it to sleep: it comes back after a geometric delay and calls again (a repeat problem).

Problems are rows of a `Columns` table with increasing ids; tickets refer to problems by id.
"""

from __future__ import annotations

import numpy as np

from sim.columns import Columns

OPEN, DORMANT, GONE = 0, 1, 2


class ProblemStock:
    def __init__(self):
        self.table = Columns(
            {
                "id": np.int64,
                # int64 (numpy's index type), not the narrowest type: the model indexes and counts by these every
                # day over the whole stock, and numpy would convert narrower ones first, at about three times the cost
                "community": np.int64,
                "category": np.int64,
                "affected": np.float32,  # residents affected, at full scale (the scale thins problems, not their size)
                "collective": np.bool_,
                "resident": np.int64,  # the one resident of an individual problem, once known (-1 before)
                "state": np.int8,
                "pending": np.int16,  # open tickets about it
                "returns": np.int16,  # times it came back after a symptom-only closure
                "expires": np.int32,  # day it goes away by itself
                "wakes": np.int32,  # day a dormant problem returns
                "ticketed": np.bool_,  # has produced a ticket (a call, a walk-in or a patrol find)
            }
        )
        self.next_id = 0
        self.gone_rows = 0
        self.ended: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (community, category, unreported) per removal

    def __len__(self) -> int:
        return self.table.n

    def add(self, community: np.ndarray, category: np.ndarray, affected: np.ndarray, collective: np.ndarray, expires: np.ndarray) -> None:
        n = len(community)
        if n == 0:
            return
        self.table.append(
            id=np.arange(self.next_id, self.next_id + n),
            community=community,
            category=category,
            affected=affected,
            collective=collective,
            resident=-1,
            state=OPEN,
            pending=0,
            returns=0,
            expires=expires,
            wakes=0,
            ticketed=False,
        )
        self.next_id += n

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """Row of each problem id, or -1 where the problem no longer exists."""
        known = self.table.id
        if len(known) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        rows = np.minimum(np.searchsorted(known, ids), len(known) - 1)
        found = (known[rows] == ids) & (self.table.state[rows] != GONE)
        return np.where(found, rows, -1)

    def open_mask(self) -> np.ndarray:
        return self.table.state == OPEN

    def age(self, day: int) -> tuple[int, int]:
        """Problems at the end of their life go away; dormant problems whose delay is over come back open.

        Returns (number expired, number returned).
        """
        t = self.table
        expired = np.flatnonzero((t.state != GONE) & (t.expires <= day))
        self._end(expired, ~t.ticketed[expired])  # ascending, distinct and alive: what _end needs
        returning = np.flatnonzero((t.state == DORMANT) & (t.wakes <= day))
        t.state[returning] = OPEN
        t.returns[returning] += 1
        return len(expired), len(returning)

    def remove(self, rows: np.ndarray) -> None:
        """Problems end before their time (fixed, dropped, prevented): `rows` in any order, repeats and ended
        problems allowed."""
        rows = rows[self.table.state[rows] != GONE] if len(rows) else rows
        if not np.all(rows[1:] > rows[:-1]):
            marked = np.zeros(self.table.n, dtype=bool)  # sorted distinct rows without a sort: a byte a row
            marked[rows] = True
            rows = np.flatnonzero(marked)
        self._end(rows, np.zeros(len(rows), dtype=bool))

    def _end(self, rows: np.ndarray, unreported: np.ndarray) -> None:
        """Problems at ascending, distinct rows of live problems end (`unreported`: went away without a ticket)."""
        t = self.table
        t.state[rows] = GONE
        self.gone_rows += len(rows)
        if len(rows):
            self.ended.append((t.community[rows], t.category[rows], unreported))

    def drain_ended(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(community, category, unreported) of the problems that ended since the last drain."""
        parts, self.ended = self.ended, []
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool)
        return tuple(np.concatenate([part[i] for part in parts]) for i in range(3))

    def sleep(self, rows: np.ndarray, wakes: np.ndarray) -> None:
        """Symptom-only closure: the problem stops calling until `wakes`."""
        live = self.table.state[rows] != GONE
        rows, wakes = rows[live], wakes[live]
        self.table.state[rows] = DORMANT
        self.table.wakes[rows] = wakes

    def compact(self) -> None:
        """Drop finished problems once they are a quarter of the table (amortised O(1) per problem)."""
        if self.gone_rows > 0.25 * self.table.n:
            self.table.keep(self.table.state != GONE)
            self.gone_rows = 0

    def count_open(self) -> int:
        return int(np.count_nonzero(self.table.state == OPEN))

    def count_alive(self) -> int:
        return self.table.n - self.gone_rows
