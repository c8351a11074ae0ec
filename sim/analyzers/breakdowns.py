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

    def add(self, groups: np.ndarray, **flags: np.ndarray | bool) -> None:
        """Count each event in its group, once per named count whose flag is true (True counts them all);
        groups < 0 (no such group, e.g. the age of a patrol ticket) are skipped."""
        width = len(GROUP_COUNTS)
        valid = groups >= 0
        cell = groups * width  # the event's row in the flattened table; + a count's column gives its cell
        if valid.all():  # the common case: one index operation per count instead of two
            index = [(cell if flag is True else cell[flag]) + _COLUMN[name] for name, flag in flags.items()]
        else:
            index = [cell[valid if flag is True else valid & flag] + _COLUMN[name] for name, flag in flags.items()]
        self.counts += np.bincount(np.concatenate(index), minlength=self.n * width).reshape(self.n, width)

    def add_durations(self, groups: np.ndarray, days: np.ndarray) -> None:
        keep = groups >= 0
        flat = groups[keep].astype(np.int64) * (MAX_DAYS + 1) + np.minimum(days[keep], MAX_DAYS)
        self.days_to_close += np.bincount(flat, minlength=self.n * (MAX_DAYS + 1)).reshape(self.n, MAX_DAYS + 1)

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
    """

    def __init__(self, n_categories: int, n_districts: int, n_age_groups: int):
        sizes = (n_categories, n_districts, n_age_groups)
        self._offsets = (0, n_categories, n_categories + n_districts)
        self._all = Breakdown(sum(sizes))
        self.by_category, self.by_district, self.by_age_group = (
            Breakdown(n, self._all.counts[start:start + n], self._all.days_to_close[start:start + n])
            for n, start in zip(sizes, self._offsets)
        )
        self.street_hours = np.zeros((n_districts, 2))  # street offices' staff-hours used, available, by district

    def _stacked(self, category: np.ndarray, district: np.ndarray, age: np.ndarray) -> np.ndarray:
        """Each event's group in the stacked array, once per breakdown (groups < 0 stay negative: skipped)."""
        parts = [np.where(groups >= 0, groups + start, -1) if start else groups
                 for groups, start in zip((category, district, age), self._offsets)]
        return np.concatenate(parts)

    def add(self, category: np.ndarray, district: np.ndarray, age: np.ndarray, **flags: np.ndarray | bool) -> None:
        if not len(category):  # a quiet day in a small town: nothing to count
            return
        tripled = {name: flag if flag is True else np.concatenate((flag, flag, flag)) for name, flag in flags.items()}
        self._all.add(self._stacked(category, district, age), **tripled)

    def add_durations(self, category: np.ndarray, district: np.ndarray, age: np.ndarray, days: np.ndarray) -> None:
        if len(category):
            self._all.add_durations(self._stacked(category, district, age), np.concatenate((days, days, days)))
