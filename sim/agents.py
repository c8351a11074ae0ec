"""The governing bodies as Mesa agents: the 12345 hotline centre, district centres, street offices and city
departments.

There are a few hundred of them, against millions of residents and tickets, so they are `mesa.Agent`s that a user
can inspect, collect and draw, while their daily work is done for all of them at once on the model's arrays
(`sim/processes/work.py`). Each agent is a named view onto its row of those arrays.
"""

from __future__ import annotations

import mesa


class HotlineCentre(mesa.Agent):
    """12345: answers, classifies, dispatches and calls back."""

    @property
    def capacity(self) -> float:
        """Phone calls it can take per day."""
        return self.model.intake.capacity

    @property
    def contacts_today(self) -> int:
        return int(self.model.indicators.get("contacts", 0))


class DistrictCentre(mesa.Agent):
    """Second dispatch level; scored on its streets' rates."""

    def __init__(self, model, index: int, name: str, zone: str):
        super().__init__(model)
        self.index, self.name, self.zone = index, name, zone

    @property
    def score(self) -> float:
        return float(self.model.standing.district_score[self.index])

    @property
    def rank(self) -> int:
        return int(self.model.standing.district_rank[self.index])


class Handler(mesa.Agent):
    """A body that spends staff-hours on a ticket queue (street office or department)."""

    def __init__(self, model, index: int, handler: int, name: str):
        super().__init__(model)
        self.index, self.handler, self.name = index, handler, name

    @property
    def staff_hours(self) -> float:
        return float(self.model.work.capacity[self.handler])

    @property
    def hours_used(self) -> float:
        return float(self.model.work.used[self.handler])

    @property
    def load(self) -> float:
        """Share of today's staff-hours used."""
        return self.hours_used / self.staff_hours if self.staff_hours > 0 else 0.0

    @property
    def backlog(self) -> int:
        return int(self.model.work.backlog()[self.handler])


class StreetOffice(Handler):
    """Territorial owner of most tickets; ranked monthly under complaint-response."""

    def __init__(self, model, index: int, name: str, district: int):
        super().__init__(model, index, index, name)
        self.district = district

    @property
    def score(self) -> float:
        return float(self.model.standing.street_score[self.index])

    @property
    def rank(self) -> int:
        return int(self.model.standing.street_rank[self.index])

    @property
    def named(self) -> bool:
        return bool(self.model.standing.street_named[self.index])

    @property
    def pressure(self) -> float:
        return float(self.model.standing.street_pressure[self.index])


class Department(Handler):
    """Owns functional categories; answers whistles, and tires of them."""

    def __init__(self, model, index: int, name: str):
        super().__init__(model, index, model.handlers.of_department(index), name)

    @property
    def whistle_load(self) -> float:
        """Recent whistles per day per 100 staff-hours."""
        return float(self.model.standing.department_whistle_load[self.index])

    @property
    def quality(self) -> float:
        """How well it answers a whistle (1 = fully), falling with whistle load."""
        return float(self.model.standing.department_quality(self.model.regime.escalation.fatigue_load)[self.index])

    @property
    def whistle_score(self) -> float:
        """Streets' rating of its answers last month (share of whistles answered in time)."""
        return float(self.model.standing.department_score[self.index])
