"""Statistics across replicates: medians with 10-90 % ranges, and paired differences (between regimes, scenarios or
the values of a swept parameter) with 95 % intervals.

- Range: the 10th and 90th percentiles of the replicates' values (numpy's default linear interpolation between
  order statistics), with the median; missing values (a rate with nothing to rate) are left out.
- Paired difference of B against A (two regimes, two scenarios or two values of a parameter, everything else
  equal): replicate k of B minus replicate k of A. The two share a seed, so they faced the same problems (common
  random numbers) and the difference is B's, not luck's.
- Its interval: Student's t-interval of the mean of the n paired differences, mean ± t(0.975; n-1) · s / √n, with
  s the standard deviation of the differences (n - 1 in the denominator). Needs n ≥ 2.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

LEVEL = 0.95
BAND = (0.10, 0.90)


def band(values) -> dict[str, float]:
    """n, median, 10th and 90th percentile and mean of the finite values."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return {"n": 0, "median": math.nan, "p10": math.nan, "p90": math.nan, "mean": math.nan}
    low, median, high = np.quantile(x, [BAND[0], 0.5, BAND[1]])
    return {"n": len(x), "median": float(median), "p10": float(low), "p90": float(high), "mean": float(x.mean())}


def paired_interval(differences, level: float = LEVEL) -> dict[str, float]:
    """n, mean and the t-interval (low, high) of the mean of paired differences."""
    d = np.asarray(differences, dtype=float)
    d = d[np.isfinite(d)]
    n = len(d)
    mean = float(d.mean()) if n else math.nan
    if n < 2:
        return {"n": n, "mean": mean, "low": math.nan, "high": math.nan}
    half = float(scipy_stats.t.ppf(0.5 + level / 2, n - 1)) * float(d.std(ddof=1)) / math.sqrt(n)
    return {"n": n, "mean": mean, "low": mean - half, "high": mean + half}


def summarise(totals: pd.DataFrame, groups: list[str], indicators: list[str]) -> pd.DataFrame:
    """One row per group and indicator: n, median, p10, p90, mean across the group's runs (groups in first-seen order)."""
    rows = []
    for key, frame in totals.groupby(groups, sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        for indicator in indicators:
            rows.append({**dict(zip(groups, key)), "indicator": indicator, **band(frame[indicator])})
    return pd.DataFrame(rows, columns=[*groups, "indicator", "n", "median", "p10", "p90", "mean"])


def paired_differences(totals: pd.DataFrame, groups: list[str], indicators: list[str], by: str = "regime",
                       pair_on: str = "replicate", ordered: bool = False, order=None) -> pd.DataFrame:
    """For every two values A, B of `by` inside each group: B - A, paired on `pair_on` (replicate k of B minus
    replicate k of A: the same seed). A is the one listed first: first seen, the smaller when `ordered`, or first
    in `order` (a list of the values).

    Returns one row per group, pair and indicator: the group's columns, compared (= `by`), a, b, n (pairs with
    both values), mean_difference, ci_low, ci_high.
    """
    rows = []
    grouped = totals.groupby(groups, sort=False, dropna=False) if groups else [((), totals)]
    for key, frame in grouped:
        key = key if isinstance(key, tuple) else (key,)
        levels = list(dict.fromkeys(frame[by]))
        if ordered:
            levels = sorted(levels)
        elif order is not None:
            levels = [level for level in order if level in set(levels)]
        for a, b in combinations(levels, 2):
            left = frame[frame[by] == a].set_index(pair_on)
            right = frame[frame[by] == b].set_index(pair_on)
            common = left.index.intersection(right.index)
            for indicator in indicators:
                interval = paired_interval(right.loc[common, indicator].to_numpy(float) - left.loc[common, indicator].to_numpy(float))
                rows.append({
                    **dict(zip(groups, key)), "compared": by, "a": a, "b": b, "indicator": indicator, "n": interval["n"],
                    "mean_difference": interval["mean"], "ci_low": interval["low"], "ci_high": interval["high"],
                })
    return pd.DataFrame(rows, columns=[*groups, "compared", "a", "b", "indicator", "n", "mean_difference", "ci_low", "ci_high"])


def all_paired_differences(totals: pd.DataFrame, context: list[str], indicators: list[str], swept: list[str],
                           extra: list[str] = ()) -> pd.DataFrame:
    """Paired differences along every dimension of `context` that varies, the others held fixed: regimes (same
    scenario and point), scenarios (same regime and point) and the values of each swept parameter (same scenario,
    regime and other parameters: pairs exist in a grid, not between the points of a Latin hypercube).

    One row per pair and indicator: compared (the dimension: 'regime', 'scenario' or a parameter's dotted path),
    the `extra` and `context` columns (blank for the compared one), a, b, n, mean_difference, ci_low, ci_high."""
    columns = ["compared", *extra, *context, "a", "b", "indicator", "n", "mean_difference", "ci_low", "ci_high"]
    frames = []
    for by in context:
        if totals[by].nunique(dropna=False) < 2:
            continue
        groups = [*extra, *[c for c in context if c != by]]
        found = paired_differences(totals, groups, indicators, by=by, ordered=by in swept)
        if len(found):
            # object columns throughout, so that the blank column does not change its dtype in the concatenation
            frames.append(found.assign(**{by: None}).astype({c: object for c in context}))
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
