"""The day's tally and the daily indicators (ODD 7, step 8: record).

`DayTally` is what the processes count during a day: a dataclass with one field per count, so a misspelt name is
an error, not a silent 0. `daily_indicators` turns the tally and the state at the day's end into the row of the
daily table (the columns of `sim.metrics.DAILY`, in that order), which `DailyCollector` (Mesa's DataCollector)
collects.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from sim.metrics import ratio


@dataclass(slots=True)
class DayTally:
    contacts: float = 0.0
    consultations: float = 0.0
    hotline_questions: float = 0.0
    forwarded_questions: float = 0.0
    hotline_contacts: float = 0.0
    phone_contacts: float = 0.0
    abandoned: float = 0.0
    tickets_opened: float = 0.0
    tickets_closed: float = 0.0
    rated: float = 0.0
    responded: float = 0.0
    resolved: float = 0.0
    satisfied: float = 0.0
    fixed: float = 0.0
    repeats: float = 0.0
    whistles: float = 0.0
    operator_hours: float = 0.0
    patrol_hours: float = 0.0
    prevention_spend: float = 0.0
    new_problems: float = 0.0
    prevented_problems: float = 0.0
    median_days_to_close: float = float("nan")


class DailyCollector(mesa.DataCollector):
    """Mesa's DataCollector with one model reporter per daily indicator, whose `collect` appends the day's row
    (`model.indicators`) as it is. Mesa's own deep-copies every reporter's value, for values a later step could
    change; an indicator is a number, a string or a date computed afresh each day, so there is nothing to copy,
    and the copies cost about 30 us a day."""

    def collect(self, model) -> None:
        if hasattr(self, "_collection_steps"):  # as Mesa's own collect does
            self._collection_steps.append(model.time)
        row = model.indicators
        for name, column in self.model_vars.items():
            column.append(row[name])


class _StaffMeans:
    """Staff-weighted means of per-handler arrays over the street offices and over the departments (the weights
    and their totals taken once a day; np.average's arithmetic without its argument checks)."""

    def __init__(self, handlers):
        self.handlers = handlers
        self.street_weights = handlers.streets_part(handlers.staff_hours)
        self.department_weights = handlers.departments_part(handlers.staff_hours)
        self.street_total, self.department_total = self.street_weights.sum(), self.department_weights.sum()

    def streets(self, values: np.ndarray) -> float:
        return _weighted(self.handlers.streets_part(values), self.street_weights, self.street_total)

    def departments(self, values: np.ndarray) -> float:
        return _weighted(self.handlers.departments_part(values), self.department_weights, self.department_total)


def _weighted(values: np.ndarray, weights: np.ndarray, total: float) -> float:
    return float(np.multiply(values, weights, dtype=np.float64).sum() / total) if total > 0 else float("nan")


def daily_indicators(model, day: int) -> dict:
    """The day's row of the daily table, from the tally and the state at the end of `day`."""
    today, spec, handlers = model.today, model.spec, model.handlers
    table = model.tickets.table
    capacity, used = model.work.capacity, model.work.used
    street_used, department_used = handlers.streets_part(used).sum(), handlers.departments_part(used).sum()
    hours = street_used + department_used + today.operator_hours + today.patrol_hours
    capability = model.learning.capability(np.arange(handlers.n))
    staff_mean = _StaffMeans(handlers)
    return {
        "day": day,
        "date": model.timeline.date(day),
        "regime": model.regime.name,
        "contacts": int(today.contacts),
        "consultations": int(today.consultations),
        "hotline_contacts": int(today.hotline_contacts),
        "phone_contacts": int(today.phone_contacts),
        "consultation_share": ratio(today.consultations, today.contacts),
        "phone_share": ratio(today.phone_contacts, today.hotline_contacts),
        "abandoned": int(today.abandoned),
        "tickets_opened": int(today.tickets_opened),
        "tickets_closed": int(today.tickets_closed),
        "backlog": len(model.tickets),
        "overdue": int(np.count_nonzero(table.due <= day)),
        "rated": int(today.rated),
        "response_rate": ratio(today.responded, today.rated),
        "resolution_rate": ratio(today.resolved, today.rated),
        "satisfaction_rate": ratio(today.satisfied, today.rated),
        "fix_share": ratio(today.fixed, today.tickets_closed),
        "median_days_to_close": today.median_days_to_close,
        "street_load": ratio(street_used, handlers.streets_part(capacity).sum()),
        "department_load": ratio(department_used, handlers.departments_part(capacity).sum()),
        "street_hours": float(street_used),
        "department_hours": float(department_used),
        "operator_hours": float(today.operator_hours),
        "patrol_hours": float(today.patrol_hours),
        "whistles": int(today.whistles),
        "prevention_spend": float(today.prevention_spend),
        "cost": float(hours * spec.handling.hour_cost + today.prevention_spend),
        "new_problems": int(today.new_problems),
        "prevented_problems": int(today.prevented_problems),
        "open_problems": model.problems.count_open(),
        "repeat_share": ratio(today.repeats, today.tickets_opened),
        "mean_trust": model.residents.mean_trust_overall(),
        "mean_propensity": model.residents.mean_propensity_overall(),
        "street_capability": staff_mean.streets(capability),
        "department_capability": staff_mean.departments(capability),
        "street_pressure": float(model.standing.street_pressure.sum() / len(model.standing.street_pressure)) if len(model.standing.street_pressure) else float("nan"),
        "street_staffing": staff_mean.streets(model.staffing.factor),
        "department_staffing": staff_mean.departments(model.staffing.factor),
        "misroute_rate": model.learning.misroute_rate(),
        "answered_on_call_share": 1.0 - ratio(today.forwarded_questions, today.hotline_questions),
        "awareness": model.adoption.mean(),
        "mean_expectation": model.neighbourhood.mean_expectation(),
    }
