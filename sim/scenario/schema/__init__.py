"""The scenario schema: a city, its residents, its complaint categories and its governance regimes as typed,
frozen data (one section a module; everything is importable from `sim.scenario.schema`)."""

from sim.scenario.schema.base import (
    AGE_GROUPS, REGIMES, URGENCIES, ZONES, Date, Fraction, Frozen, MonthDay, NonNegative, Positive, RegimeName, Urgency, Zone, param,
)
from sim.scenario.schema.behaviour import Behaviour
from sim.scenario.schema.categories import Category, Season
from sim.scenario.schema.city import City, Department, District
from sim.scenario.schema.handling import Handling, Hotline, TimeLimit, TimeLimits
from sim.scenario.schema.places import Places
from sim.scenario.schema.regimes import HotlineParams, ProactiveParams, Regimes, WhistleParams
from sim.scenario.schema.residents import AgeGroup, Population
from sim.scenario.schema.scenario import Scenario
from sim.scenario.schema.timeline import Merger, Programme, RegimeSwitch, Shock, Timeline

__all__ = [
    "AGE_GROUPS", "REGIMES", "URGENCIES", "ZONES", "AgeGroup", "Behaviour", "Category", "City", "Date", "Department",
    "District", "Fraction", "Frozen", "Handling", "Hotline", "HotlineParams", "Merger", "MonthDay", "NonNegative", "Places", "Population",
    "Positive", "ProactiveParams", "Programme", "RegimeName", "RegimeSwitch", "Regimes", "Scenario", "Season", "Shock",
    "TimeLimit", "TimeLimits", "Timeline", "Urgency", "WhistleParams", "Zone", "param",
]
