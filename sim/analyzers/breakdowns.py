"""The run's breakdowns: counts of contacts, tickets and their outcomes by category, district and age group, and the
street offices' staff-hours used and available by district (`analyzers/equity.py` records them).

Each `Breakdown` is a (groups x counts) table plus a histogram of days to close per group; `Breakdowns` holds the
three the model keeps and counts each event in all of them at once, small calls in batches. Rates are computed from
the counts when the tables are written (`sim.metrics.with_rates`), so tables of several runs can be pooled by adding
counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.metrics import GROUP_COUNTS, MAX_DAYS, quantile_from_histogram, with_rates

_COLUMN = {name: i for i, name in enumerate(GROUP_COUNTS)}
BATCH_EVENTS = 1 << 12  # events that wait at most before they are counted (larger batches leave the cache)
LARGE_CALL = 1 << 9  # a call with this many events or more is counted at once


class Breakdown:
    """Counts accumulated over a run for one grouping (category, district or age group)."""

    def __init__(self, n_groups: int, counts: np.ndarray | None = None, days_to_close: np.ndarray | None = None):
        """`counts` and `days_to_close`, if given, are the (views of the) arrays to accumulate into."""
        self.n = n_groups
        self.counts = np.zeros((n_groups, len(GROUP_COUNTS)), dtype=np.int64) if counts is None else counts
        self.days_to_close = np.zeros((n_groups, MAX_DAYS + 1), dtype=np.int64) if days_to_close is None else days_to_close

    def table(self, column: str, labels: list[str], **extra: list) -> pd.DataFrame:
        columns = {column: labels, **extra, **dict(zip(GROUP_COUNTS, self.counts.T))}
        return with_rates(columns, [quantile_from_histogram(row) for row in self.days_to_close])

    @staticmethod
    def merge_into(target: "Breakdown", groups: np.ndarray, source: "Breakdown") -> None:
        """Add `source`'s counts into `target`, mapping source group i to target group groups[i]."""
        np.add.at(target.counts, groups, source.counts)
        np.add.at(target.days_to_close, groups, source.days_to_close)


class Breakdowns:
    """The breakdowns by category, district and age group, fed together.

    The three share one array of counts (and one of durations), stacked by group, so that an event is counted in
    all three with one bincount. Small calls (a town's day brings a few dozen events a call, several calls a day)
    cost their numpy calls, not their events, so they wait: `add` keeps a copy of their groups and flags, and
    `flush` counts all that waits with one bincount, the calls with the same flags concatenated first. It runs when
    `BATCH_EVENTS` events wait (batches that stay in the processor's cache count fastest) and whenever the breakdowns
    are read (`by_category`, `by_district`, `by_age_group` flush first), so a reader sees every event added. A call
    of `LARGE_CALL` events or more (a city's) is counted at once. Counts are sums, so when they are made changes none.
    Between the districts and the age groups the stack keeps one row for events without an age group (a patrol's
    ticket, a problem's end): they are counted there, and the row is never reported, which spares a test per event.
    """

    def __init__(self, n_categories: int, n_districts: int, n_age_groups: int):
        sizes = (n_categories, n_districts, n_age_groups)
        starts = (0, n_categories, n_categories + n_districts + 1)
        self._all = Breakdown(n_categories + n_districts + 1 + n_age_groups)
        self._by_category, self._by_district, self._by_age_group = (
            Breakdown(n, self._all.counts[start:start + n], self._all.days_to_close[start:start + n])
            for n, start in zip(sizes, starts)
        )
        self._first_row = np.array(starts)[:, None]  # age -1 lands on the row before the age groups
        self.street_hours = np.zeros((n_districts, 2))  # street offices' staff-hours used, available, by district
        self._waiting: dict[tuple, list] = {}  # {((count, flag is True), ...): [(groups (3, n), flag arrays), ...]}
        self._waiting_durations: list[tuple[np.ndarray, np.ndarray]] = []  # [(groups (3, n), days), ...]
        self._waiting_events = 0

    @property
    def by_category(self) -> Breakdown:
        self.flush()
        return self._by_category

    @property
    def by_district(self) -> Breakdown:
        self.flush()
        return self._by_district

    @property
    def by_age_group(self) -> Breakdown:
        self.flush()
        return self._by_age_group

    @staticmethod
    def _groups(category: np.ndarray, district: np.ndarray, age: np.ndarray) -> np.ndarray:
        """(3, n), a new array: the events' category, district and age group."""
        return np.concatenate((category, district, age), dtype=np.int64).reshape(3, -1)  # np.stack, without its checks

    def add(self, category: np.ndarray, district: np.ndarray, age: np.ndarray, **flags: np.ndarray | bool) -> None:
        """Count each event in its category, district and age group (age -1: none), once per named count whose flag
        is true (True counts them all)."""
        n = len(category)
        if not n:  # a quiet day in a small town: nothing to count
            return
        key = tuple((name, flag is True) for name, flag in flags.items())
        arrays = [flag for flag in flags.values() if flag is not True]
        if n >= LARGE_CALL:
            self._count({key: [(self._groups(category, district, age), arrays)]})
            return
        copies = [np.array(flag, dtype=bool) for flag in arrays]  # waiting: the caller may change its arrays
        self._waiting.setdefault(key, []).append((self._groups(category, district, age), copies))
        self._wait(n)

    def add_durations(self, category: np.ndarray, district: np.ndarray, age: np.ndarray, days: np.ndarray) -> None:
        """Count each closed ticket's days to close in its category, district and age group."""
        n = len(category)
        if n:
            self._waiting_durations.append((self._groups(category, district, age), np.minimum(days, MAX_DAYS)))
            if n >= LARGE_CALL:
                self._count_durations()
            else:
                self._wait(n)

    def _wait(self, n: int) -> None:
        self._waiting_events += n
        if self._waiting_events >= BATCH_EVENTS:
            self.flush()

    def flush(self) -> None:
        """Count every event that waits."""
        if self._waiting:
            self._count(self._waiting)
            self._waiting = {}
        if self._waiting_durations:
            self._count_durations()
        self._waiting_events = 0

    def _count(self, calls: dict[tuple, list]) -> None:
        """Count calls of `add` ({flags' key: [(groups, flag arrays), ...]}), those with one key together."""
        width = len(GROUP_COUNTS)
        index = []
        for key, same in calls.items():
            cell = same[0][0] if len(same) == 1 else np.concatenate([groups for groups, _ in same], axis=1)
            cell += self._first_row
            cell *= width  # + a count's column gives the event's cell
            # each flag given as an array, over the calls
            flags = iter(same[0][1] if len(same) == 1 else [np.concatenate(f) for f in zip(*(a for _, a in same))])
            for name, every in key:
                index.append((cell if every else cell[:, next(flags)]) + _COLUMN[name])
        counts = np.bincount(np.concatenate(index, axis=None), minlength=self._all.counts.size)
        self._all.counts += counts.reshape(self._all.counts.shape)

    def _count_durations(self) -> None:
        table, waiting = self._all.days_to_close, self._waiting_durations
        cell = waiting[0][0] if len(waiting) == 1 else np.concatenate([groups for groups, _ in waiting], axis=1)
        cell += self._first_row
        days = waiting[0][1] if len(waiting) == 1 else np.concatenate([days for _, days in waiting])
        table += np.bincount((cell * (MAX_DAYS + 1) + days).ravel(), minlength=table.size).reshape(table.shape)
        self._waiting_durations = []
