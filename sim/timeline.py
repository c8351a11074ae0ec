"""The scenario's calendar: dates, seasons, shocks, structural programmes, hotline mergers and regime switches,
turned into what the model needs on each day (arrival multipliers by district and category, street staffing, the
hotline's coverage by category, the regime in force).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from sim.city import City
from sim.scenario.schema import Scenario


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def in_season(date: dt.date, start: str, end: str) -> bool:
    """Whether `date` falls in the MM-DD range [start, end], which may wrap past the new year."""
    key, lo, hi = (date.month, date.day), _month_day(start), _month_day(end)
    return lo <= key <= hi if lo <= hi else (key >= lo or key <= hi)


class Timeline:
    def __init__(self, scenario: Scenario, city: City, days: int):
        self.start = scenario.start
        self.days = days
        self.dates = [scenario.start + dt.timedelta(days=i) for i in range(days + 1)]
        categories = list(scenario.categories)
        n_districts, n_categories = len(city.district_names), len(categories)

        self._seasons = [category.season for category in scenario.categories.values()]
        self._season = np.array([self._season_row(date) for date in self.dates])

        def masks(event) -> tuple[np.ndarray, np.ndarray]:
            district_mask = np.ones(n_districts, bool)
            if event.districts:
                district_mask = np.isin(city.district_names, event.districts)
            return district_mask, np.isin(categories, event.categories)

        self._shocks = [(self.day_of(s.start), self.day_of(s.end), *masks(s), s.multiplier) for s in scenario.timeline.shocks]
        self._programmes = [
            (self.day_of(p.start), self.day_of(p.end), *masks(p), p.arrival_cut, p.extra_street_staff)
            for p in scenario.timeline.programmes
        ]
        # Mergers (ODD 7.10): from its date, a merged line's demand comes to 12345 on top of the hotline's own.
        self._mergers = [
            (self.day_of(m.date), np.isin(categories, m.categories) if m.categories else np.ones(n_categories, bool), m.share)
            for m in scenario.timeline.mergers
        ]
        self._coverage: dict[tuple[bool, ...], np.ndarray] = {}
        self._n_categories = n_categories
        self._street_district = city.street_district
        self._n_districts = n_districts
        switches = sorted(scenario.timeline.regimes, key=lambda s: s.date)
        self.initial_regime = scenario.regime
        for switch in switches:
            if switch.date <= scenario.start:
                self.initial_regime = switch.regime
        self._switches = {self.day_of(s.date): s.regime for s in switches if s.date > scenario.start}

    def _season_row(self, date: dt.date) -> np.ndarray:
        row = np.ones(len(self._seasons))
        for k, seasons in enumerate(self._seasons):
            for season in seasons:
                if in_season(date, season.start, season.end):
                    row[k] *= season.multiplier
        return row

    def season(self, day: int) -> np.ndarray:
        """(K,) seasonal multiplier of each category's arrivals on `day` (also past the horizon)."""
        return self._season[day] if 0 <= day < len(self._season) else self._season_row(self.date(day))

    def day_of(self, date: dt.date) -> int:
        return (date - self.start).days

    def date(self, day: int) -> dt.date:
        return self.dates[day] if 0 <= day < len(self.dates) else self.start + dt.timedelta(days=day)

    def is_month_start(self, day: int) -> bool:
        return self.date(day).day == 1

    def regime_switch(self, day: int) -> str | None:
        return self._switches.get(day)

    def arrival_factor(self, day: int) -> np.ndarray:
        """(D, K) multiplier on problem arrivals: season x shocks x programmes x mergers (the problems merged lines
        handled now come to 12345)."""
        factor = np.tile(self.season(day) * self.coverage(day), (self._n_districts, 1))
        for start, end, district_mask, category_mask, multiplier in self._shocks:
            if start <= day <= end:
                factor[np.ix_(district_mask, category_mask)] *= multiplier
        for start, end, district_mask, category_mask, cut, _ in self._programmes:
            if day >= start:
                progress = 1.0 if end <= start else min((day - start) / (end - start), 1.0)
                factor[np.ix_(district_mask, category_mask)] *= 1.0 - cut * progress
        return factor

    def street_staff_factor(self, day: int) -> np.ndarray:
        """(S,) multiplier on street staff-hours from programmes that add staff."""
        factor = np.ones(len(self._street_district))
        for start, _, district_mask, _, _, extra in self._programmes:
            if day >= start and extra:
                factor[district_mask[self._street_district]] *= 1.0 + extra
        return factor

    def coverage(self, day: int) -> np.ndarray:
        """(K,) the hotline's demand by category relative to its own before any merger: 1 + shares merged by `day`
        (read-only: one array for each set of mergers in force, made the first time it is asked for)."""
        merged = tuple(day >= start for start, _, _ in self._mergers)
        factor = self._coverage.get(merged)
        if factor is None:
            factor = np.ones(self._n_categories)
            for (_, category_mask, share), done in zip(self._mergers, merged):
                if done:
                    factor[category_mask] += share
            factor.flags.writeable = False
            self._coverage[merged] = factor
        return factor
