"""The scenario: everything a run needs besides the seed."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from sim.scenario.schema.base import Date, Frozen, RegimeName, param
from sim.scenario.schema.behaviour import Behaviour
from sim.scenario.schema.categories import Category
from sim.scenario.schema.city import City
from sim.scenario.schema.handling import Handling, Hotline
from sim.scenario.schema.learning import Learning
from sim.scenario.schema.places import Places
from sim.scenario.schema.regimes import Regimes
from sim.scenario.schema.residents import Population
from sim.scenario.schema.timeline import Timeline

class Scenario(Frozen):
    """A city and how it is governed: everything a run needs besides the seed."""

    name: str = Field(description="Short name used in result folders")
    description: str = Field("", description="One line saying what the scenario shows")
    start: Date = Field(dt.date(2019, 1, 1), description="Date of day 0")
    days: int = Field(365, gt=0, le=32000, description="Simulated days [days] (at most 32,000, about 87 years)")
    warmup_days: int = param(
        90, "days", "Days simulated before day 0 under the regime in force on day 0 and not recorded, so that a run "
        "starts from a city in operation (open problems, queues, rankings, residents' experience) rather than an "
        "empty one; the stock of open problems levels off after about three months", ge=0, le=730,
    )
    regime: RegimeName = Field("hotline", description="Regime at the start (the timeline may switch it)")
    city: City = Field(description="Districts, streets, communities and departments")
    population: Population = Field(default_factory=Population, description="Residents' groups and dispositions")
    categories: dict[str, Category] = Field(min_length=1, description="Complaint categories by name")
    hotline: Hotline = Field(default_factory=Hotline, description="The 12345 centre")
    handling: Handling = Field(default_factory=Handling, description="How tickets are worked and how they end")
    behaviour: Behaviour = Field(default_factory=Behaviour, description="How residents contact and learn")
    learning: Learning = Field(default_factory=Learning, description="How handlers learn from the tickets they handle")
    places: Places = Field(default_factory=Places, description="How places differ: capability, travel, old compounds, reporting")
    regimes: Regimes = Field(default_factory=Regimes, description="Parameters of each regime")
    timeline: Timeline = Field(default_factory=Timeline, description="Regime switches, shocks and programmes by date")
