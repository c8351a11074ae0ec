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

    def __init__(self, n_groups: int):
        self.n = n_groups
        self.counts = np.zeros((n_groups, len(GROUP_COUNTS)), dtype=np.int64)
        self.days_to_close = np.zeros((n_groups, MAX_DAYS + 1), dtype=np.int64)

    def add(self, groups: np.ndarray, **flags: np.ndarray | bool) -> None:
        """Count each event in its group, once per named count whose flag is true (True counts them all);
        groups < 0 (no such group, e.g. the age of a patrol ticket) are skipped."""
        valid = groups >= 0
        width = len(GROUP_COUNTS)
        index = [groups[valid if flag is True else valid & flag] * width + _COLUMN[name] for name, flag in flags.items()]
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
    """The breakdowns by category, district and age group, fed together."""

    def __init__(self, n_categories: int, n_districts: int, n_age_groups: int):
        self.by_category = Breakdown(n_categories)
        self.by_district = Breakdown(n_districts)
        self.by_age_group = Breakdown(n_age_groups)
        self.street_hours = np.zeros((n_districts, 2))  # street offices' staff-hours used, available, by district

    def add(self, category: np.ndarray, district: np.ndarray, age: np.ndarray, **flags: np.ndarray | bool) -> None:
        for breakdown, groups in ((self.by_category, category), (self.by_district, district), (self.by_age_group, age)):
            breakdown.add(groups, **flags)

    def add_durations(self, category: np.ndarray, district: np.ndarray, age: np.ndarray, days: np.ndarray) -> None:
        for breakdown, groups in ((self.by_category, category), (self.by_district, district), (self.by_age_group, age)):
            breakdown.add_durations(groups, days)
