"""Scenario files: extends, overrides, the JSON Schema, and one clear line for every kind of bad input."""

from __future__ import annotations

import json

import pytest

from sim import load_scenario
from sim.inputs import InputError
from sim.scenario import json_schema, scenario_hash
from tests.conftest import SCENARIOS, TEACHING_TOWN, write_scenario


@pytest.mark.parametrize("name", ["beijing", "teaching_town", "huitian", "beijing_2018_2024", "beijing_ecological_staff"])
def test_shipped_scenarios_validate(name):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    assert scenario.name == name
    assert scenario.categories


def test_beijing_has_the_census_districts_and_343_streets():
    beijing = load_scenario(SCENARIOS / "beijing.yaml")
    assert len(beijing.city.districts) == 16
    assert sum(d.streets for d in beijing.city.districts) == 343
    assert sum(d.population for d in beijing.city.districts) == 21_893_095


def test_extends_keeps_the_parent_and_replaces_the_city():
    town = load_scenario(TEACHING_TOWN)
    beijing = load_scenario(SCENARIOS / "beijing.yaml")
    assert [d.name for d in town.city.districts] == ["Riverside"]
    assert town.categories == beijing.categories
    assert town.hotline.operators == 1


def test_overrides_change_one_field_and_the_hash(tmp_path):
    base = load_scenario(TEACHING_TOWN)
    changed = load_scenario(TEACHING_TOWN, ["regimes.hotline.ranking_pressure=0.9", "city.districts[0].population=12000"])
    assert changed.regimes.hotline.ranking_pressure == 0.9
    assert changed.city.districts[0].population == 12000
    assert scenario_hash(changed) != scenario_hash(base)
    assert scenario_hash(load_scenario(TEACHING_TOWN)) == scenario_hash(base)


def test_districts_can_come_from_a_csv(tmp_path):
    (tmp_path / "districts.csv").write_text("name,zone,population,streets\nNorth,core,5000,2\nSouth,plain,7000,3\n")
    path = write_scenario(tmp_path, "extends: TEACHING_TOWN\nname: csvtown\ncity:\n  districts: null\n  districts_csv: districts.csv\n")
    scenario = load_scenario(path)
    assert [(d.name, d.population, d.streets) for d in scenario.city.districts] == [("North", 5000, 2), ("South", 7000, 3)]


def test_json_schema_describes_fields_with_units():
    schema = json_schema()
    json.dumps(schema)
    assert "extends" in schema["properties"] and "city" in schema["properties"]
    hotline = schema["$defs"]["Hotline"]["properties"]["operators"]
    assert "[operators; source: 1,400-1,700" in hotline["description"]


def test_a_time_limit_can_be_changed_alone(tmp_path):
    path = write_scenario(tmp_path, "extends: TEACHING_TOWN\nname: limits\nhotline:\n  time_limits:\n    ordinary: {due_days: 10}\n")
    limits = load_scenario(path).hotline.time_limits
    assert (limits.ordinary.due_days, limits.ordinary.response_days, limits.ordinary.lead_days) == (10, 1, 3.0)
    assert limits.utility == load_scenario(TEACHING_TOWN).hotline.time_limits.utility
    assert load_scenario(TEACHING_TOWN, ["hotline.time_limits.complex.lead_days=9"]).hotline.time_limits.complex.due_days == 15


BAD_INPUTS = {
    "wrong type": ("extends: TEACHING_TOWN\nname: bad\nhotline:\n  operators: many\n", 4, "hotline.operators", "expected a valid number, got 'many'"),
    "unknown key": ("extends: TEACHING_TOWN\nname: bad\nhotline:\n  operator: 3\n", 4, "hotline.operator", "did you mean 'operators'"),
    "missing required": ("name: bad\ncategories:\n  a: {owner: street, street_duty: true, problems_per_1k: 1, consultations_per_1k: 1}\n", 1, "city", "required field is missing"),
    "negative capacity": (
        "extends: TEACHING_TOWN\nname: bad\ncity:\n  districts:\n    - {name: A, zone: core, population: 1000, streets: 1}\n"
        "  departments:\n    - {name: health_commission, staff_hours: -3}\n", 7, "city.departments[0].staff_hours", "expected a number ≥ 0, got -3"),
    "shares": (
        "extends: TEACHING_TOWN\nname: bad\npopulation:\n  age_groups:\n    young: {share: 0.5}\n    middle: {share: 0.3}\n"
        "    elderly: {share: 0.1}\n", 4, "population.age_groups", "shares add up to 0.9, expected 1"),
    "unknown urgency": (
        "extends: TEACHING_TOWN\nname: bad\nhotline:\n  time_limits:\n    urgent: {due_days: 1}\n", 5, "hotline.time_limits.urgent",
        "expected one of: emergency, utility, ordinary, complex"),
    "scalar for a section": (
        "extends: TEACHING_TOWN\nname: bad\nhotline:\n  time_limits:\n    ordinary: 7\n", 5, "hotline.time_limits.ordinary",
        "expected a mapping of fields (response_days, due_days, lead_days), got 7"),
    "unknown regime": ("extends: TEACHING_TOWN\nname: bad\nregime: anarchy\n", 3, "regime", "expected 'whistle', 'hotline' or 'proactive', got 'anarchy'"),
    "missing file": ("extends: nowhere.yaml\nname: bad\n", 1, "extends", "file not found"),
    "unknown owner": ("extends: TEACHING_TOWN\nname: bad\ncategories:\n  housing: {owner: housing_ministry}\n", 4, "categories.housing.owner", "got 'housing_ministry'"),
    "bad season day": (
        "extends: TEACHING_TOWN\nname: bad\ncategories:\n  housing:\n    season: [{start: 02-30, end: 03-01, multiplier: 2}]\n",
        5, "categories.housing.season[0].start", "expected a real calendar day"),
    "timeline end before start": (
        "extends: TEACHING_TOWN\nname: bad\ntimeline:\n  shocks:\n    - {start: 2019-05-01, end: 2019-04-01, categories: [housing], multiplier: 2}\n",
        5, "timeline.shocks[0].end", "on or after start"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_names_file_line_field_and_expectation(tmp_path, case):
    text, line, field, expected = BAD_INPUTS[case]
    path = write_scenario(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: {field}: "), message
    assert expected in message


def test_yaml_is_never_executed(tmp_path):
    marker = tmp_path / "executed"
    path = write_scenario(tmp_path, f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_scenario(path)
    assert not marker.exists()


def test_duplicate_keys_are_refused(tmp_path):
    path = write_scenario(tmp_path, "extends: TEACHING_TOWN\nname: a\nname: b\n")
    with pytest.raises(InputError, match=r":3: name: duplicate key 'name'"):
        load_scenario(path)


def test_bad_override_names_the_option():
    with pytest.raises(InputError) as caught:
        load_scenario(TEACHING_TOWN, ["hotline.operators=-1"])
    assert str(caught.value) == "--set: hotline.operators: expected a number ≥ 0, got -1"


def test_extends_loop_is_refused(tmp_path):
    write_scenario(tmp_path, "extends: b.yaml\nname: a\n", "a.yaml")
    write_scenario(tmp_path, "extends: a.yaml\nname: b\n", "b.yaml")
    with pytest.raises(InputError, match="loop"):
        load_scenario(tmp_path / "a.yaml")
