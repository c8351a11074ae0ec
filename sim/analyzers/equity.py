"""ODD 7.9 and 7.10 -- equity: who is served, where. The day's records that the breakdowns need besides tickets
(street offices' hours used and available by district; problems that ended and those that expired unreported),
and the run's summary indices of equity computed from the zone and age-group tables.

Indices (all from summed counts, so runs and replicates pool):
- zone_resolution_gap, zone_fix_gap: best zone's rate minus worst zone's (fractions: x100 for points);
- zone_days_gap: slowest zone's median days to close minus the fastest zone's;
- zone_unreported_ratio: highest zone share of problems that expired unreported over the lowest;
- age_resolution_gap: best age group's resolution rate minus the worst's;
- elderly_abandon_ratio: the share of the elderly's contacts lost to full lines over the young's (the elderly
  use the phone more, and phone calls are what the lines lose).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

INDICES = ("zone_resolution_gap", "zone_fix_gap", "zone_days_gap", "zone_unreported_ratio", "age_resolution_gap",
           "elderly_abandon_ratio")


def record_day(model) -> None:
    """Add the day's street hours by district and the problems that ended to the run's breakdowns."""
    city, handlers, breakdowns = model.city, model.handlers, model.breakdowns
    n_districts = len(city.district_names)
    used = handlers.streets_part(model.work.used)
    available = handlers.streets_part(model.work.capacity)
    breakdowns.street_hours[:, 0] += np.bincount(city.street_district, used, n_districts)
    breakdowns.street_hours[:, 1] += np.bincount(city.street_district, available, n_districts)
    community, category, unreported = model.problems.drain_ended()
    if len(community):
        district = city.community_district[community]
        breakdowns.add(category, district, np.full(len(community), -1), problems_ended=True, unreported=unreported)


def _rate(frame: pd.DataFrame, numerator: str, denominator: str) -> pd.Series:
    base = frame[denominator].astype(float)
    return frame[numerator].astype(float) / base.where(base > 0)


def _spread(values: pd.Series, ratio: bool = False) -> float:
    values = values.dropna()
    if len(values) < 2:
        return math.nan
    if ratio:
        return float(values.max() / values.min()) if values.min() > 0 else math.nan
    return float(values.max() - values.min())


def equity_indices(by_zone: pd.DataFrame, by_age_group: pd.DataFrame) -> dict[str, float]:
    """The run's equity indices (NaN where a table lacks the counts or has fewer than two groups with data)."""
    out = dict.fromkeys(INDICES, math.nan)
    if len(by_zone) and "rated" in by_zone:
        out["zone_resolution_gap"] = _spread(_rate(by_zone, "resolved", "rated"))
        out["zone_fix_gap"] = _spread(_rate(by_zone, "fixed", "tickets_closed"))
        if "median_days_to_close" in by_zone:
            out["zone_days_gap"] = _spread(by_zone["median_days_to_close"])
        if "unreported" in by_zone:
            out["zone_unreported_ratio"] = _spread(_rate(by_zone, "unreported", "problems_ended"), ratio=True)
    if len(by_age_group) and "rated" in by_age_group:
        out["age_resolution_gap"] = _spread(_rate(by_age_group, "resolved", "rated"))
        if "abandoned" in by_age_group:
            share = _rate(by_age_group, "abandoned", "contacts").set_axis(by_age_group["age_group"])
            young, elderly = share.get("young", math.nan), share.get("elderly", math.nan)
            if young > 0 and not math.isnan(elderly):
                out["elderly_abandon_ratio"] = float(elderly / young)
            elif young == 0 and elderly == 0:
                out["elderly_abandon_ratio"] = 1.0
    return out
