"""Scenarios: typed, validated descriptions of a city and how it is governed."""

from sim.scenario.loading import find_scenario, json_schema, load_scenario, scenario_hash
from sim.scenario.schema import AGE_GROUPS, REGIMES, URGENCIES, ZONES, Scenario

__all__ = ["AGE_GROUPS", "REGIMES", "URGENCIES", "ZONES", "Scenario", "find_scenario", "json_schema", "load_scenario", "scenario_hash"]
