"""What the figures are drawn from: the tidy frames of a comparison (`FigureData`) and the reductions the figures
share: city-equivalent counts, 7-day smoothing per run, end-of-horizon indicators per run, and medians with
10-90 % intervals across runs.

Every tidy frame has the identifier columns `run_id, scenario, regime, replicate, seed, scale`, then one column per
varied parameter named by its dotted path; the daily frame adds `day, date, regime_in_force` and the other
`sim.metrics.DAILY` columns, each breakdown frame adds its table's columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.metrics import DAILY
from sim.plots.style import scales_with_population, unit

IDENTIFIERS = ("run_id", "scenario", "regime", "replicate", "seed", "scale")
QUANTILES = (0.1, 0.5, 0.9)

# Rates are pooled over days from their counts: a rate times its denominator is the day's count.
RATE_BASES = {
    "response_rate": "rated",
    "resolution_rate": "rated",
    "satisfaction_rate": "rated",
    "fix_share": "tickets_closed",
    "repeat_share": "tickets_opened",
}
STOCK_UNITS = {"tickets", "problems", "0-1", "ratio"}


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass
class FigureData:
    """The tidy frames of one comparison or sweep; `swept` names the varied parameters' columns."""

    daily: pd.DataFrame
    by_category: pd.DataFrame = field(default_factory=_empty)
    by_zone: pd.DataFrame = field(default_factory=_empty)
    by_age_group: pd.DataFrame = field(default_factory=_empty)
    days_to_close: pd.DataFrame = field(default_factory=_empty)
    swept: list[str] = field(default_factory=list)

    def subset(self, run_ids) -> "FigureData":
        """The same frames restricted to the given runs."""
        keep = set(run_ids)

        def rows(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["run_id"].isin(keep)] if "run_id" in frame else frame

        return FigureData(
            daily=rows(self.daily), by_category=rows(self.by_category), by_zone=rows(self.by_zone),
            by_age_group=rows(self.by_age_group), days_to_close=rows(self.days_to_close), swept=list(self.swept),
        )


def kind(column: str) -> str:
    """How a daily column is reduced over days: 'rate' (pooled from counts), 'stock' (a level: last value),
    'flow' (a per-day amount or a utilisation: mean), or 'other' (not reduced: day, date, names, daily medians)."""
    if column in RATE_BASES:
        return "rate"
    if column not in DAILY:
        return "other"
    u = unit(column)
    if u in STOCK_UNITS:
        return "stock"
    if u.endswith("/day") or u == "fraction":
        return "flow"
    return "other"


def parameter_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding a scenario parameter: named by a dotted path."""
    return [c for c in frame.columns if "." in str(c)]


def identifier_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in IDENTIFIERS if c in frame.columns] + parameter_columns(frame)


def city_equivalent(frame: pd.DataFrame, columns) -> tuple[pd.DataFrame, bool]:
    """The frame with its population-dependent columns divided by each run's scale, and whether any run was
    scaled (so that labels can say 'city-equivalent'), as `govsim run` does in its summary."""
    if "scale" not in frame.columns:
        return frame, False
    scale = frame["scale"].astype(float)
    out = frame.copy()
    for column in columns:
        if column in out.columns and scales_with_population(column):
            out[column] = out[column] / scale
    return out, bool((scale != 1).any())


def smooth(daily: pd.DataFrame, columns, window: int | None = 7) -> pd.DataFrame:
    """Each run's daily columns over a centred window of `window` days: rates pooled from their counts over the
    window, flows averaged; stocks are left as they are (a level needs no smoothing)."""
    if not window or window <= 1:
        return daily
    out = daily.sort_values("day", kind="stable").copy()  # runs stay in their order
    runs = out.groupby("run_id", sort=False)

    def rolling_sum(values: pd.Series) -> pd.Series:
        return values.groupby(out["run_id"], sort=False).transform(
            lambda s: s.rolling(window, center=True, min_periods=1).sum()
        )

    for column in columns:
        match kind(column):
            case "rate":
                base = out[RATE_BASES[column]].astype(float)
                counts = rolling_sum((out[column] * base).fillna(0.0))
                bases = rolling_sum(base)
                out[column] = counts / bases.where(bases > 0)
            case "flow":
                out[column] = runs[column].transform(lambda s: s.rolling(window, center=True, min_periods=1).mean())
    return out


def period_table(daily: pd.DataFrame, window: int | None = None, flows: str = "total") -> pd.DataFrame:
    """One row per run: its identifiers and, for every daily indicator, its value over the run's last `window`
    days (None: the whole run, as the summary table) — rates pooled from counts (Σ resolved ÷ Σ rated), flows in
    per-day units summed (`flows='total'`: the period's contacts, yuan, ...) or averaged (`'mean'`), utilisations
    averaged, stocks on the last day."""
    daily = daily.sort_values("day", kind="stable")  # runs stay in their order (the scenarios' order, say)
    if window:
        last = daily.groupby("run_id")["day"].transform("max")
        daily = daily[daily["day"] > last - window]
    runs = daily.groupby("run_id", sort=False)
    ids = [c for c in identifier_columns(daily) if c != "run_id"]
    out = runs[ids].first() if ids else pd.DataFrame(index=runs.size().index)
    for column in daily.columns:
        match kind(column):
            case "rate":
                base = daily[RATE_BASES[column]].astype(float)
                counts = (daily[column] * base).fillna(0.0).groupby(daily["run_id"], sort=False).sum()
                bases = base.groupby(daily["run_id"], sort=False).sum()
                out[column] = counts / bases.where(bases > 0)
            case "flow":
                summed = flows == "total" and unit(column).endswith("/day")
                out[column] = runs[column].sum() if summed else runs[column].mean()
            case "stock":
                out[column] = runs[column].last()
    return out.reset_index()


def end_of_horizon(daily: pd.DataFrame, window: int | None = 30) -> pd.DataFrame:
    """`period_table` with flows as daily means over the last `window` days (None: the whole run)."""
    return period_table(daily, window, flows="mean")


def total_unit(column: str) -> str:
    """The unit of a flow summed over a period: 'contacts/day' -> 'contacts'."""
    return unit(column).removesuffix("/day")


def period_text(daily: pd.DataFrame, window: int | None) -> str:
    """'the whole run (365 days)' or 'the last 30 days', for titles."""
    if window:
        return f"the last {window} days"
    days = int(daily.groupby("run_id")["day"].nunique().max()) if len(daily) else 0
    return f"the whole run ({days} days)"


def is_grid(frame: pd.DataFrame, swept) -> bool:
    """Whether the swept parameters' points form a full grid (every combination of their values), not a sample."""
    swept = list(swept)
    if not swept:
        return False
    points = len(frame[swept].drop_duplicates())
    return points == int(np.prod([frame[c].nunique(dropna=False) for c in swept])) and points > 1


def run_days(daily: pd.DataFrame) -> pd.Series:
    """Days simulated by each run (run_id -> days)."""
    return daily.groupby("run_id")["day"].nunique()


def quantiles(frame: pd.DataFrame, by: list[str], column: str) -> pd.DataFrame:
    """Median and 10-90 % interval of `column` across the rows of each group: columns `by` + low, median, high."""
    if frame.empty:
        return pd.DataFrame(columns=[*by, "low", "median", "high"])
    stats = frame.groupby(by, sort=False)[column].quantile(list(QUANTILES)).unstack()
    stats.columns = ["low", "median", "high"]
    return stats.reset_index()


def regime_switches(daily: pd.DataFrame, by: str = "regime") -> dict[str, list]:
    """For each label of `by` (a regime label, a series) whose runs change regime mid-run (a timeline):
    [(date, new regime), ...] of its first run."""
    if "regime_in_force" not in daily.columns:
        return {}
    switches = {}
    for label, rows in daily.groupby(by, sort=False):
        first = rows[rows["run_id"] == rows["run_id"].iloc[0]].sort_values("day")
        in_force = first["regime_in_force"]
        changed = in_force.ne(in_force.shift()) & in_force.shift().notna()
        if changed.any():
            dates = pd.to_datetime(first.loc[changed, "date"])
            switches[label] = list(zip(dates, in_force[changed]))
    return switches


def value_label(value) -> str:
    """A parameter value as figures print it: four significant digits (0.5, not 0.5000000001; 13.54, not 13.538271)."""
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    return str(value)
