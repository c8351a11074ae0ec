"""The complaint categories as arrays: how often their problems arise, who owns them, what their tickets demand.

One row per category in scenario order; every process that needs a category's property indexes these arrays with
the category codes of problems and tickets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.scenario.schema import Scenario

STREET = -1  # owner code of categories that street offices own
PER_DAY = 1.0 / 1000.0 / 365.0  # from "per 1,000 residents per year" to "per resident per day"


@dataclass(frozen=True)
class Categories:
    names: list[str]
    labels: list[str]
    owner: np.ndarray  # (K,) department index, or STREET
    problem_rate: np.ndarray  # new problems per resident per day
    consult_rate: np.ndarray  # consultations per resident per day, at the hotline's full reach
    collective: np.ndarray  # share of problems that affect many residents
    affected: np.ndarray  # mean residents a collective problem affects (>= 1)
    report_rate: np.ndarray  # contacts per affected resident per day
    lifetime: np.ndarray  # mean days before an unfixed problem goes away (>= 1)
    unsolvable: np.ndarray  # share of tickets that cannot be solved
    effort: np.ndarray  # mean staff-hours per ticket
    street_duty: np.ndarray  # bool: on the streets' duty list
    territorial: np.ndarray  # share of hotline tickets dispatched to the street by default
    topic_eligible: np.ndarray  # bool: the monthly topic may pick it
    response_days: np.ndarray  # days allowed to contact the resident
    due_days: np.ndarray  # days allowed to close the ticket
    lead_days: np.ndarray  # mean elapsed days the work takes besides its staff-hours

    def __len__(self) -> int:
        return len(self.names)


def build_categories(spec: Scenario, department_names: list[str]) -> Categories:
    categories = list(spec.categories.values())

    def column(attribute, dtype=float):
        return np.array([getattr(c, attribute) for c in categories], dtype=dtype)

    limits = [getattr(spec.hotline.time_limits, c.urgency) for c in categories]
    return Categories(
        names=list(spec.categories),
        labels=[c.label for c in categories],
        owner=np.array([STREET if c.owner == "street" else department_names.index(c.owner) for c in categories], dtype=np.int32),
        problem_rate=column("problems_per_1k") * PER_DAY,
        consult_rate=column("consultations_per_1k") * PER_DAY,
        collective=column("collective_share"),
        affected=np.maximum(column("affected_mean"), 1.0),
        report_rate=column("report_rate"),
        lifetime=np.maximum(column("lifetime_days"), 1.0),
        unsolvable=column("unsolvable_share"),
        effort=column("effort_hours"),
        street_duty=column("street_duty", bool),
        territorial=column("territorial_share"),
        topic_eligible=column("topic_eligible", bool),
        response_days=np.array([limit.response_days for limit in limits]),
        due_days=np.array([limit.due_days for limit in limits]),
        lead_days=np.array([limit.lead_days for limit in limits]),
    )
