"""What a run measures: the daily indicators with their units (the data dictionary), the counts of the breakdowns by
category, district, zone and age group, and how rates are computed from counts.

The three rates follow Beijing's definitions (三率) and are computed over the tickets the hotline called back that
day: response = the resident was contacted within the time limit, resolution = the resident says it was solved,
satisfaction = the resident says they are satisfied. Tickets that patrols found or residents brought to the
community office are handled and closed but not called back, so they do not enter the rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# name -> (unit, meaning). The order is the order of the daily table's columns.
DAILY: dict[str, tuple[str, str]] = {
    "day": ("day", "Days since the scenario's start (0-based)"),
    "date": ("date", "Calendar date"),
    "regime": ("name", "Regime in force that day"),
    "contacts": ("contacts/day", "Residents' contacts reaching the hotline or the community office (consultations included)"),
    "consultations": ("contacts/day", "Questions with no problem behind them (no ticket): answered on the call or forwarded to a department"),
    "hotline_contacts": ("contacts/day", "Contacts made to 12345 by phone or online (not walk-ins), before the lines' capacity"),
    "phone_contacts": ("contacts/day", "Contacts made to 12345 by phone, before the lines' capacity (answered or not)"),
    "consultation_share": ("fraction", "Consultations / contacts"),
    "phone_share": ("fraction", "Phone contacts / hotline contacts"),
    "abandoned": ("calls/day", "Calls that gave up because the hotline's lines were full"),
    "tickets_opened": ("tickets/day", "Tickets created (from calls, walk-ins and patrols)"),
    "tickets_closed": ("tickets/day", "Tickets closed"),
    "backlog": ("tickets", "Open tickets at the end of the day"),
    "overdue": ("tickets", "Open tickets past their due date at the end of the day"),
    "rated": ("tickets/day", "Closed tickets whose caller the hotline reached on call-back"),
    "response_rate": ("fraction", "Share of rated tickets whose resident was contacted within the time limit"),
    "resolution_rate": ("fraction", "Share of rated tickets the resident called resolved"),
    "satisfaction_rate": ("fraction", "Share of rated tickets whose resident was satisfied"),
    "fix_share": ("fraction", "Share of closed tickets that removed their problem at the root (true resolution)"),
    "median_days_to_close": ("days", "Median days from opening to closure of the tickets closed that day"),
    "street_load": ("fraction", "Street offices' staff-hours used / available"),
    "department_load": ("fraction", "Departments' staff-hours used / available"),
    "street_hours": ("staff-hours/day", "Street offices' staff-hours spent on tickets"),
    "department_hours": ("staff-hours/day", "Departments' staff-hours spent on tickets"),
    "operator_hours": ("staff-hours/day", "Hotline operators' time on contacts"),
    "patrol_hours": ("staff-hours/day", "Grid patrol time"),
    "whistles": ("whistles/day", "Tickets on which a street summoned a department (吹哨)"),
    "prevention_spend": ("yuan/day", "Money spent on prevention (monthly topics, seasonal preparation)"),
    "cost": ("yuan/day", "Staff-hours of every kind x hour cost + prevention spend"),
    "new_problems": ("problems/day", "Problems that arose"),
    "prevented_problems": ("problems/day", "Problems prevented or removed before any call (prevention, co-production)"),
    "open_problems": ("problems", "Problems open (calling) at the end of the day"),
    "repeat_share": ("fraction", "Share of the day's tickets about a problem that came back after a symptom-only closure"),
    "mean_trust": ("0-1", "Residents' mean trust in government"),
    "mean_propensity": ("ratio", "Residents' mean propensity to complain (1 before the warm-up; faded success memories count until brought up to date, at most 30 days)"),
    "street_capability": ("0-1", "Street offices' mean capability (multiplier on a root fix's chance; staff-weighted)"),
    "department_capability": ("0-1", "Departments' mean capability (multiplier on a root fix's chance; staff-weighted)"),
    "street_pressure": ("0-1", "Mean ranking pressure on street offices"),
    "street_staffing": ("ratio", "Street offices' staff-hours relative to the scenario's, as staffing follows load (staff-weighted)"),
    "department_staffing": ("ratio", "Departments' staff-hours relative to the scenario's, as staffing follows load (staff-weighted)"),
    "misroute_rate": ("fraction", "Chance the hotline sends a ticket to the wrong body (falls as its knowledge base learns)"),
    "answered_on_call_share": ("fraction", "Share of the hotline's questions answered on the call, not forwarded to a department (rises as its knowledge base learns)"),
    "awareness": ("fraction", "Share of residents aware of 12345 (Bass diffusion)"),
    "mean_expectation": ("0-1", "Communities' mean expected service quality, weighted by residents"),
}
RATES = ("response_rate", "resolution_rate", "satisfaction_rate")
MAX_DAYS = 120  # days-to-close histograms put everything longer in the last bin

# Breakdown columns: counts first, then the rates computed from them.
GROUP_COUNTS = ("contacts", "consultations", "phone_calls", "abandoned", "tickets_opened", "tickets_closed", "rated",
                "responded", "resolved", "satisfied", "fixed", "problems_ended", "unreported")


def ratio(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else float("nan")


def quantile_from_histogram(counts: np.ndarray, q: float = 0.5) -> float:
    """The q-quantile of days whose histogram (tickets per day count 0, 1, ...) is `counts`; q=0.5: the median."""
    total = counts.sum()
    if total == 0:
        return float("nan")
    return float(np.searchsorted(np.cumsum(counts), total * q))


def with_rates(columns: dict[str, np.ndarray], medians: list[float] | None = None) -> pd.DataFrame:
    """A table of the count columns (and any others) with the three rates and the true-fix share computed from its
    counts (NaN where the denominator is 0), then the shares of contacts lost and problems unreported, the street
    load where the hours are given and the median days to close; made in one go, not column by column (pandas'
    inserts were most of the cost of writing a run's tables)."""
    def share(numerator: str, denominator: str) -> np.ndarray:
        top, bottom = np.asarray(columns[numerator], dtype=np.float64), np.asarray(columns[denominator], dtype=np.float64)
        return np.divide(top, bottom, out=np.full(len(bottom), np.nan), where=bottom != 0)

    table = dict(columns)
    table["response_rate"] = share("responded", "rated")
    table["resolution_rate"] = share("resolved", "rated")
    table["satisfaction_rate"] = share("satisfied", "rated")
    table["fix_share"] = share("fixed", "tickets_closed")
    if "abandoned" in columns:
        table["abandon_share"] = share("abandoned", "contacts")
        table["unreported_share"] = share("unreported", "problems_ended")
    if "street_hours_used" in columns:
        table["street_load"] = share("street_hours_used", "street_hours_available")
    if medians is not None:
        table["median_days_to_close"] = medians
    return pd.DataFrame(table)
