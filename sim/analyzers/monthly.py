"""The month's ledger: what the regimes evaluate at the next month's start (ODD 7.7).

Counts of the month so far: each street's rated tickets and how many of them it contacted in time, resolved and
satisfied (the three rates it is ranked on, counted for the body that first received the ticket); each
department's whistles and those it answered in time; each category's tickets (what the monthly topic ranks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class MonthLedger:
    street_rated: np.ndarray
    street_responded: np.ndarray
    street_resolved: np.ndarray
    street_satisfied: np.ndarray
    department_whistles: np.ndarray
    department_reported: np.ndarray
    category_tickets: np.ndarray

    @classmethod
    def empty(cls, n_streets: int, n_departments: int, n_categories: int) -> "MonthLedger":
        return cls(
            street_rated=np.zeros(n_streets), street_responded=np.zeros(n_streets),
            street_resolved=np.zeros(n_streets), street_satisfied=np.zeros(n_streets),
            department_whistles=np.zeros(n_departments), department_reported=np.zeros(n_departments),
            category_tickets=np.zeros(n_categories),
        )
