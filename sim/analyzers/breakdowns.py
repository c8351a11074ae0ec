"""The run's breakdowns: counts of contacts, tickets and their outcomes by category, district and age group, and the
street offices' staff-hours used and available by district (`analyzers/equity.py` records them).

Each `Breakdown` is a (groups x counts) table plus a histogram of days to close per group; `Breakdowns` holds the
three the model keeps and adds each day's events to all of them at once. Rates are computed from the counts when
the tables are written (`sim.metrics.with_rates`), so tables of several runs can be pooled by adding counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.metrics import GROUP_COUNTS, MAX_DAYS, quantile_from_histogram, with_rates

_COLUMN = {name: i for i, name in enumerate(GROUP_COUNTS)}


class Breakdown:
    """Counts accumulated over a run for one grouping (category, district or age group)."""

    def __init__(self, n_groups: int, counts: np.ndarray | None = None, days_to_close: np.ndarray | None = None):
        """`counts` and `days_to_close`, if given, are the (views of the) arrays to accumulate into."""
        self.n = n_groups
        self.counts = np.zeros((n_groups, len(GROUP_COUNTS)), dtype=np.int64) if counts is None else counts
        self.days_to_close = np.zeros((n_groups, MAX_DAYS + 1), dtype=np.int64) if days_to_close is None else days_to_close

    def table(self, column: str, labels: list[str], **extra: list) -> pd.DataFrame:
        frame = pd.DataFrame({column: labels, **extra, **dict(zip(GROUP_COUNTS, self.counts.T))})
        return with_rates(frame, [quantile_from_histogram(row) for row in self.days_to_close])

    @staticmethod
    def merge_into(target: "Breakdown", groups: np.ndarray, source: "Breakdown") -> None:
        """Add `source`'s counts into `target`, mapping source group i to target group groups[i]."""
        np.add.at(target.counts, groups, source.counts)
        np.add.at(target.days_to_close, groups, source.days_to_close)


class Breakdowns:
    """The breakdowns by category, district and age group, fed together.

    The three share one array of counts (and one of durations), stacked by group, so that a day's events are counted
    in all three with one bincount: this runs several times a day, and the calls, not the events, are its cost.
    Between the districts and the age groups the stack keeps one row for events without an age group (a patrol's
    ticket, a problem's end): they are counted there, and the row is never reported, which spares a test per event.
    """

    def __init__(self, n_categories: int, n_districts: int, n_age_groups: int):
        sizes = (n_categories, n_districts, n_age_groups)
        starts = (0, n_categories, n_categories + n_districts + 1)
        self._all = Breakdown(n_categories + n_districts + 1 + n_age_groups)
        self.by_category, self.by_district, self.by_age_group = (
            Breakdown(n, self._all.counts[start:start + n], self._all.days_to_close[start:start + n])
            for n, start in zip(sizes, starts)
        )
        self._first_row = np.array(starts)[:, None]  # age -1 lands on the row before the age groups
        self.street_hours = np.zeros((n_districts, 2))  # street offices' staff-hours used, available, by district

    def _rows(self, category: np.ndarray, district: np.ndarray, age: np.ndarray) -> np.ndarray:
        """(3, n): each event's row in the stacked table, once per breakdown."""
        rows = np.concatenate((category, district, age), dtype=np.int64).reshape(3, -1)  # np.stack, without its checks
        rows += self._first_row
        return rows

    def add(self, category: np.ndarray, district: np.ndarray, age: np.ndarray, **flags: np.ndarray | bool) -> None:
        """Count each event in its category, district and age group (age -1: none), once per named count whose flag
        is true (True counts them all)."""
        if not len(category):  # a quiet day in a small town: nothing to count
            return
        width = len(GROUP_COUNTS)
        cell = self._rows(category, district, age) * width  # + a count's column gives the event's cell
        index = [(cell if flag is True else cell[:, flag]) + _COLUMN[name] for name, flag in flags.items()]
        counts = np.bincount(np.concatenate(index, axis=None), minlength=self._all.counts.size)
        self._all.counts += counts.reshape(self._all.counts.shape)

    def add_durations(self, category: np.ndarray, district: np.ndarray, age: np.ndarray, days: np.ndarray) -> None:
        if len(category):
            table = self._all.days_to_close
            flat = self._rows(category, district, age) * (MAX_DAYS + 1) + np.minimum(days, MAX_DAYS)
            table += np.bincount(flat.ravel(), minlength=table.size).reshape(table.shape)
