"""How the governing bodies stand: the scores, ranks and pressure that evaluations give street offices and
districts, and the whistle load and ratings of departments.

A regime's monthly evaluations write these (ranking, department rating); dispatch and closure read them (a pressed
street closes faster and fixes less; a department tired by whistles answers them less well). They exist under
every regime, so that a switch of regime keeps the scores the city had.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

WHISTLE_MEMORY_DAYS = 30.0  # whistle load is a moving average over about a month


@dataclass
class Standing:
    street_pressure: np.ndarray  # (S,) 0-1: how strongly the ranking weighs on each street this month
    street_score: np.ndarray  # (S,) last month's weighted rates (NaN before any ranking)
    street_rank: np.ndarray  # (S,) 1 = best
    street_named: np.ndarray  # (S,) bool: named at the monthly meeting
    district_score: np.ndarray  # (D,)
    district_rank: np.ndarray  # (D,)
    department_whistle_load: np.ndarray  # (G,) recent whistles per day per 100 staff-hours
    department_score: np.ndarray  # (G,) streets' rating of the department's answers

    @classmethod
    def empty(cls, n_streets: int, n_districts: int, n_departments: int) -> "Standing":
        return cls(
            street_pressure=np.zeros(n_streets),
            street_score=np.full(n_streets, np.nan),
            street_rank=np.zeros(n_streets, dtype=np.int64),
            street_named=np.zeros(n_streets, dtype=bool),
            district_score=np.full(n_districts, np.nan),
            district_rank=np.zeros(n_districts, dtype=np.int64),
            department_whistle_load=np.zeros(n_departments),
            department_score=np.full(n_departments, np.nan),
        )

    def add_whistles(self, whistles: np.ndarray, staff_hours: np.ndarray) -> None:
        """Today's whistles per department enter its load: whistles per 100 staff-hours, a 30-day moving average."""
        staff = np.maximum(staff_hours, 1e-9)
        self.department_whistle_load += (whistles * 100.0 / staff - self.department_whistle_load) / WHISTLE_MEMORY_DAYS

    def department_quality(self, fatigue_load: float) -> np.ndarray:
        """How well each department answers a whistle: exp(-load / fatigue_load)."""
        return np.array([math.exp(-load / fatigue_load) for load in self.department_whistle_load])  # libm: same everywhere
