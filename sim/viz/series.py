"""What the charts plot, computed from a model's daily indicators (its DataCollector).

A teaching town's streets get a handful of call-backs a day, so a day's rates jump between 0 and 1; the charts
show the rates over the trailing 30 days instead, as Beijing scores its streets on a month of call-backs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.metrics import RATES
from sim import GovernanceModel

WINDOW = 30  # days


def daily(model: GovernanceModel) -> pd.DataFrame:
    """One row per simulated day, one column per indicator of `sim.metrics.DAILY`."""
    return model.datacollector.get_model_vars_dataframe()


def trailing(series: pd.Series, window: int = WINDOW) -> pd.Series:
    return series.rolling(window, min_periods=1).mean()


def _trailing_share(part: pd.Series, whole: pd.Series, window: int) -> pd.Series:
    whole_sum = whole.rolling(window, min_periods=1).sum()
    return part.rolling(window, min_periods=1).sum() / whole_sum.where(whole_sum > 0)


def trailing_rates(frame: pd.DataFrame, window: int = WINDOW) -> pd.DataFrame:
    """The three rates over the call-backs of the trailing `window` days, and the share of the tickets closed in
    those days that fixed their problem at the root (`fix_share`)."""
    rated = frame["rated"].astype(float)
    closed = frame["tickets_closed"].astype(float)
    shares = {rate: _trailing_share(frame[rate].fillna(0.0) * rated, rated, window) for rate in RATES}
    shares["fix_share"] = _trailing_share(frame["fix_share"].fillna(0.0) * closed, closed, window)
    return pd.DataFrame(shares, index=frame.index)


def totals(frame: pd.DataFrame) -> dict[str, float]:
    """A run's totals to date, for the side-by-side table."""
    if frame.empty:
        return {}
    rated = frame["rated"].sum()
    closed = frame["tickets_closed"].sum()
    last = frame.iloc[-1]

    def over_rated(rate: str) -> float:
        return float((frame[rate].fillna(0.0) * frame["rated"]).sum() / rated) if rated else np.nan

    return {
        "new_problems": float(frame["new_problems"].sum()),
        "prevented_problems": float(frame["prevented_problems"].sum()),
        "contacts": float(frame["contacts"].sum()),
        "tickets_closed": float(closed),
        "response_rate": over_rated("response_rate"),
        "resolution_rate": over_rated("resolution_rate"),
        "satisfaction_rate": over_rated("satisfaction_rate"),
        "fix_share": float((frame["fix_share"].fillna(0.0) * frame["tickets_closed"]).sum() / closed) if closed else np.nan,
        "open_problems": float(last["open_problems"]),
        "backlog": float(last["backlog"]),
        "street_hours": float(frame["street_hours"].sum()),
        "department_hours": float(frame["department_hours"].sum()),
        "operator_hours": float(frame["operator_hours"].sum()),
        "patrol_hours": float(frame["patrol_hours"].sum()),
        "whistles": float(frame["whistles"].sum()),
        "prevention_spend": float(frame["prevention_spend"].sum()),
        "cost": float(frame["cost"].sum()),
        "mean_trust": float(last["mean_trust"]),
        "mean_propensity": float(last["mean_propensity"]),
    }


def cost_parts(frame: pd.DataFrame, hour_cost: float) -> dict[str, float]:
    """A run's cost to date in its three parts (yuan): staff time on tickets and calls (streets, departments,
    hotline operators), grid patrols' time, and prevention spending; they add up to the `cost` column."""
    if frame.empty:
        return {}
    staff = frame[["street_hours", "department_hours", "operator_hours"]].to_numpy().sum()
    return {
        "staff_cost": float(staff * hour_cost),
        "patrol_cost": float(frame["patrol_hours"].sum() * hour_cost),
        "prevention_cost": float(frame["prevention_spend"].sum()),
    }
