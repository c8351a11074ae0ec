"""Changing part of a scenario: list items by name or by a field, dotted keys in files, the same paths in --set and
in experiment files, and every mistake listed at the line the user wrote."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sim import load_scenario
from sim.experiment.plan import make_plan
from sim.experiment.spec import load_experiment
from sim.inputs import InputError, Select, dotted, parse_assignment, parse_path
from tests.conftest import ROOT, SCENARIOS, TEACHING_TOWN, write_scenario

BEIJING = SCENARIOS / "beijing.yaml"
ECOLOGICAL = ["Mentougou", "Huairou", "Pinggu", "Miyun", "Yanqing"]


def beijing_variant(tmp_path, text: str, name: str = "variant.yaml"):
    path = tmp_path / name
    path.write_text(f"extends: {BEIJING}\nname: variant\n" + text, encoding="utf-8")
    return path


def mistakes_of(path, overrides=None) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_scenario(path, overrides)
    return str(caught.value).replace(str(path), "FILE").splitlines()


def districts(scenario) -> dict:
    return {d.name: d for d in scenario.city.districts}


# ------------------------------------------------------------------------------------------------ good changes


def test_a_district_and_a_department_change_by_name_and_the_rest_stays(tmp_path):
    base = load_scenario(BEIJING)
    text = "city:\n  districts:\n    Yanqing: {street_staff_hours_per_10k: 18}\n  departments:\n    utilities: {staff_hours: 2000}\n"
    variant = load_scenario(beijing_variant(tmp_path, text))
    assert districts(variant)["Yanqing"].street_staff_hours_per_10k == 18
    assert districts(variant)["Yanqing"].population == districts(base)["Yanqing"].population  # merged, not replaced
    assert [d.name for d in variant.city.districts] == [d.name for d in base.city.districts]  # order and number kept
    assert {d.name: d.staff_hours for d in variant.city.departments}["utilities"] == 2000
    others = [d for d in variant.city.departments if d.name != "utilities"]
    assert others == [d for d in base.city.departments if d.name != "utilities"]


def test_the_worked_example_changes_exactly_the_five_ecological_districts():
    base, variant = load_scenario(BEIJING).model_dump(), load_scenario(SCENARIOS / "beijing_ecological_staff.yaml").model_dump()
    changed = [
        (district["name"], field, base["city"]["districts"][index][field], value)
        for index, district in enumerate(variant["city"]["districts"])
        for field, value in district.items()
        if base["city"]["districts"][index][field] != value
    ]
    assert changed == [(name, "street_staff_hours_per_10k", 13.0, 19.5) for name in ECOLOGICAL]
    assert {k: v for k, v in variant.items() if k not in ("name", "description", "city")} == {
        k: v for k, v in base.items() if k not in ("name", "description", "city")
    }
    assert variant["city"]["departments"] == base["city"]["departments"]


def test_a_partial_category_merges_onto_the_parents(tmp_path):
    base = load_scenario(BEIJING).categories["housing"]
    variant = load_scenario(beijing_variant(tmp_path, "categories:\n  housing: {problems_per_1k: 3.5}\n")).categories
    assert variant["housing"].problems_per_1k == 3.5
    assert variant["housing"].model_dump(exclude={"problems_per_1k"}) == base.model_dump(exclude={"problems_per_1k"})
    assert len(variant) == len(load_scenario(BEIJING).categories)


def test_dotted_keys_in_a_file_mean_what_they_mean_in_set(tmp_path):
    text = (
        "city.districts[6].population: 400000\n"
        "city:\n  districts.Yanqing.streets: 19\n"
        "hotline.time_limits.ordinary.due_days: 10\n"
        "categories.housing.effort_hours: 5\n"
    )
    from_file = load_scenario(beijing_variant(tmp_path, text))
    from_set = load_scenario(BEIJING, [
        "city.districts[6].population=400000", "city.districts.Yanqing.streets=19",
        "hotline.time_limits.ordinary.due_days=10", "categories.housing.effort_hours=5",
    ])
    assert from_file.model_dump(exclude={"name"}) == from_set.model_dump(exclude={"name"})
    assert districts(from_file)["Mentougou"].population == 400000 and districts(from_file)["Yanqing"].streets == 19
    assert from_file.hotline.time_limits.ordinary.response_days == 1  # the rest of the section kept


def test_a_selector_picks_every_district_of_a_zone_in_files_set_and_mappings(tmp_path):
    forms = {
        "path key": "city.districts[zone=ecological].street_staff_hours_per_10k: 19.5\n",
        "nested key": "city:\n  districts[zone=ecological]:\n    street_staff_hours_per_10k: 19.5\n",
        "mapping over the list": "city:\n  districts:\n    zone=ecological: {street_staff_hours_per_10k: 19.5}\n",
    }
    expected = load_scenario(SCENARIOS / "beijing_ecological_staff.yaml").city
    for label, text in forms.items():
        assert load_scenario(beijing_variant(tmp_path, text, f"{label.replace(' ', '_')}.yaml")).city == expected, label
    assert load_scenario(BEIJING, ["city.districts[zone=ecological].street_staff_hours_per_10k=19.5"]).city == expected
    assert load_scenario(load_scenario(BEIJING), {"city.districts[zone=ecological].street_staff_hours_per_10k": 19.5}).city == expected


def test_selectors_compare_numbers_dates_and_defaults_as_yaml_reads_them():
    scenario = load_scenario(BEIJING, ["city.districts[streets=18].reporting=0.5", "city.districts[communities_per_street=20].streets=1"])
    assert sorted(d.name for d in scenario.city.districts if d.reporting == 0.5) == ["Pinggu", "Yanqing"]
    assert all(d.streets == 1 for d in scenario.city.districts)  # every district has the default 20
    epidemic = load_scenario(SCENARIOS / "beijing_2018_2024.yaml", ["timeline.shocks[start=2020-01-20].multiplier=2.5"])
    assert [s.multiplier for s in epidemic.timeline.shocks] == [0.2, 2.5, 2.0, 1.5, 2.0, 2.5, 0.1]
    streets_only = load_scenario(BEIJING, ["categories[owner=street].effort_hours=9"]).categories
    assert {name for name, c in streets_only.items() if c.effort_hours == 9} == {name for name, c in streets_only.items() if c.owner == "street"} != set()


def test_programmes_change_by_name_even_with_dots_in_the_name(tmp_path):
    path = tmp_path / "huitian_variant.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'huitian.yaml'}\nname: h\ntimeline:\n  programmes:\n"
        "    \"owners' committees in 94.8 % of compounds (from 14.9 %)\": {arrival_cut: 0.4}\n", encoding="utf-8")
    programmes = load_scenario(path).timeline.programmes
    assert [p.arrival_cut for p in programmes] == [0.25, 0.4]
    by_set = load_scenario(SCENARIOS / "huitian.yaml", ["timeline.programmes[owners' committees in 94.8 % of compounds (from 14.9 %)].arrival_cut=0.4"])
    assert by_set.timeline.programmes == programmes


def test_a_mapping_given_to_set_merges_like_one_in_a_file():
    scenario = load_scenario(BEIJING, ["city.districts[Yanqing]={population: 350000}"])
    assert districts(scenario)["Yanqing"].population == 350000 and districts(scenario)["Yanqing"].streets == 18


def test_a_list_still_replaces_the_parents_list():
    town = load_scenario(TEACHING_TOWN)
    assert [d.name for d in town.city.districts] == ["Riverside"]


def test_a_child_of_a_csv_city_changes_its_districts_by_name(tmp_path):
    (tmp_path / "districts.csv").write_text("name,zone,population,streets\nNorth,core,5000,2\nSouth,plain,7000,3\n")
    write_scenario(tmp_path, "extends: TEACHING_TOWN\nname: csvtown\ncity:\n  districts_csv: districts.csv\n", "parent.yaml")
    child = write_scenario(tmp_path, "extends: parent.yaml\nname: child\ncity:\n  districts:\n    South: {streets: 4}\n", "child.yaml")
    assert [(d.name, d.streets) for d in load_scenario(child).city.districts] == [("North", 2), ("South", 4)]


# ------------------------------------------------------------------------------------------------ bad changes


BAD_CHANGES = {
    "no such district": (
        "city:\n  districts:\n    Yanqin: {street_staff_hours_per_10k: 18}\n",
        ["FILE:5: city.districts[Yanqin]: no district named 'Yanqin' (did you mean 'Yanqing'?)"],
    ),
    "selector matches nothing": (
        "city.districts[zone=ecologic].streets: 3\n",
        ["FILE:3: city.districts[zone=ecologic]: no district has zone = ecologic (did you mean 'ecological'?)"],
    ),
    "selector matches nothing, no close value": (
        "city.districts[streets=999].reporting: 1\n",
        ["FILE:3: city.districts[streets=999]: no district has streets = 999; values here: 17, 15, 43, 26, 9, 29, 13, 28, 22, 25, 16, 18, 20"],
    ),
    "attribute that does not exist": (
        "city:\n  districts[zon=ecological]: {streets: 3}\n",
        ["FILE:4: city.districts[zon=ecological]: the districts have no field 'zon' (did you mean 'zone'?)"],
    ),
    "unnamed items": (
        "timeline.shocks[Big].multiplier: 2\n",
        ["FILE:3: timeline.shocks[Big]: the shocks have no name: pick one by its place ([0]) or by a field ([start=...])"],
    ),
    "index out of range": ("city.departments[9].staff_hours: 1\n", ["FILE:3: city.departments[9]: there is no item 9 here (the list has 9)"]),
    "not a path": (
        "city..streets: 3\n",
        ["FILE:3: city..streets: 'city..streets' is not a dotted field path (e.g. hotline.operators, city.districts[0].population "
         "or city.districts[zone=ecological].streets)"],
    ),
    "inside a single value": ("hotline.operators.day: 3\n", ["FILE:3: hotline.operators: cannot set a field inside a single value"]),
    "a bad value at the selected districts": (
        "city:\n  districts[zone=core]:\n    population: -1\n",
        ["FILE:5: city.districts[0].population: expected a number > 0, got -1", "FILE:5: city.districts[1].population: expected a number > 0, got -1"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_CHANGES))
def test_a_bad_change_names_the_users_file_and_line(tmp_path, case):
    text, expected = BAD_CHANGES[case]
    assert mistakes_of(beijing_variant(tmp_path, text)) == expected


def test_a_name_given_twice_in_the_parent_cannot_pick_one(tmp_path):
    parent = write_scenario(tmp_path, (
        "extends: TEACHING_TOWN\nname: twins\ncity:\n  districts:\n"
        "    - {name: Twin, zone: core, population: 1000, streets: 1}\n    - {name: Twin, zone: plain, population: 2000, streets: 1}\n"
    ), "parent.yaml")
    assert mistakes_of(parent) == ["FILE:6: city.districts[1].name: duplicate district name 'Twin'"]
    child = write_scenario(tmp_path, "extends: parent.yaml\nname: child\ncity:\n  districts:\n    Twin: {streets: 2}\n", "child.yaml")
    assert mistakes_of(child) == ["FILE:5: city.districts[Twin]: 2 districts are named 'Twin' (items 0, 1); pick one by its place, e.g. city.districts[0]"]


def test_bad_set_selectors_are_listed_together():
    assert mistakes_of(BEIJING, ["city.districts[zone=x].streets=1", "city.districts[Nowhere].streets=1", "hotline.operators=-1"]) == [
        "--set: city.districts[zone=x]: no district has zone = x; values here: core, central, ecological, plain, subcenter",
        "--set: city.districts[Nowhere]: no district named 'Nowhere'; the names are Dongcheng, Xicheng, Chaoyang, Fengtai, Shijingshan, "
        "Haidian, Mentougou, Fangshan, Tongzhou, Shunyi, Changping, Daxing, Huairou, Pinggu, Miyun, Yanqing",
        "--set: hotline.operators: expected a number ≥ 0, got -1",
    ]


# ------------------------------------------------------------------------------------------- every mistake listed


def test_a_partial_district_list_points_at_the_users_file_and_says_how_to_change_one(tmp_path):
    """The case that named the parent's file and hid two of three mistakes."""
    path = beijing_variant(tmp_path, "city:\n  districts:\n    - {name: Yanqing, street_staff_hours_per_10k: 18}\n")
    assert mistakes_of(path) == [
        "FILE:5: city.districts[0].zone: required field is missing (this list replaces all 16 districts from beijing.yaml; "
        "to change 'Yanqing' alone, write districts: {Yanqing: {field: value}})",
        "FILE:5: city.districts[0].population: required field is missing",
        "FILE:5: city.districts[0].streets: required field is missing",
    ]


def test_every_mistake_is_listed_in_file_order_with_the_first_as_the_errors_fields(tmp_path):
    path = beijing_variant(tmp_path, (
        "hotline:\n  operators: many\n"
        "city:\n  districts:\n    Yanqin: {streets: 2}\n    Miyun: {population: -4}\n"
        "categories:\n  housng: {problems_per_1k: 3}\n"
        "regime: anarchy\n"
    ))
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    error = caught.value
    assert str(error).replace(str(path), "FILE").splitlines() == [
        "FILE:4: hotline.operators: expected a valid number, got 'many'",
        "FILE:7: city.districts[Yanqin]: no district named 'Yanqin' (did you mean 'Yanqing'?)",
        "FILE:8: city.districts[14].population: expected a number > 0, got -4",
        "FILE:10: categories.housng.owner: required field is missing ('housng' is new here; did you mean 'housing'?)",
        "FILE:10: categories.housng.street_duty: required field is missing",
        "FILE:10: categories.housng.consultations_per_1k: required field is missing",
        "FILE:11: regime: expected 'whistle', 'hotline' or 'proactive', got 'anarchy'",
    ]
    assert (error.source, error.line, error.field, error.problem) == (str(path), 4, "hotline.operators", "expected a valid number, got 'many'")
    assert len(error.mistakes) == 7


def test_more_than_twenty_mistakes_are_capped_with_a_count(tmp_path):
    path = beijing_variant(tmp_path, "city:\n  districts[communities_per_street=20]: {streets: -1, population: -1}\n")
    lines = mistakes_of(path)
    assert len(lines) == 21 and lines[-1] == "... and 12 more mistakes (fix these first)"  # 16 districts x 2 fields
    assert all(line.startswith("FILE:4: city.districts[") for line in lines[:20])


def test_a_single_mistake_is_still_one_line():
    with pytest.raises(InputError) as caught:
        load_scenario(TEACHING_TOWN, ["hotline.operators=-1"])
    assert str(caught.value) == "--set: hotline.operators: expected a number ≥ 0, got -1"
    assert caught.value.mistakes == [caught.value]
    assert str(InputError("no such file", source="x.yaml")) == "x.yaml: no such file"


def test_the_command_line_prints_each_mistake_on_its_own_error_line(tmp_path):
    bad = beijing_variant(tmp_path, "city:\n  districts:\n    Yanqin: {streets: 2}\nhotline:\n  operators: -1\n")
    done = subprocess.run([sys.executable, "-m", "sim.cli", "validate", str(TEACHING_TOWN), str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "ok: " in done.stdout
    assert done.stderr.splitlines() == [
        f"error: {bad}:5: city.districts[Yanqin]: no district named 'Yanqin' (did you mean 'Yanqing'?)",
        f"error: {bad}:7: hotline.operators: expected a number ≥ 0, got -1",
    ]
    done = subprocess.run([sys.executable, "-m", "sim.cli", "run", str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 2 and all(line.startswith("error: ") for line in done.stderr.splitlines())


# ------------------------------------------------------------------------------------------------ experiments


def test_experiment_files_take_selectors_in_overrides_and_grids(tmp_path):
    path = tmp_path / "experiment.yaml"
    path.write_text(
        "name: eco\nscenarios: [beijing]\nregimes: [hotline]\nreplicates: 1\nseed: 1\nscale: 0.01\n"
        "overrides:\n  city.districts[zone=ecological].street_staff_hours_per_10k: 19.5\n"
        "parameters:\n  grid:\n    city.districts[Yanqing].reporting: [0.85, 1.0]\n", encoding="utf-8")
    plan = make_plan(load_experiment(path))
    assert plan.swept == ["city.districts[Yanqing].reporting"]
    scenario = plan.tasks[0].scenario
    assert {d.name for d in scenario.city.districts if d.street_staff_hours_per_10k == 19.5} == set(ECOLOGICAL)
    assert [t.params for t in plan.tasks] == [{"city.districts[Yanqing].reporting": 0.85}, {"city.districts[Yanqing].reporting": 1.0}]


@pytest.mark.parametrize(
    "lines, message",
    [
        ("overrides:\n  city.districts[zone=nowhere].streets: 2\n",
         "FILE:8: overrides.city.districts[zone=nowhere].streets: no district has zone = nowhere; values here: central (in scenario teaching_town)"),
        ("parameters:\n  grid:\n    city.districts[zone=central].streets: [2, 0]\n",
         "FILE:9: parameters.grid.city.districts[zone=central].streets[1]: expected a number > 0, got 0 (in scenario teaching_town)"),
        ("parameters:\n  grid:\n    city.districts[zon=central].streets: [2]\n",
         "FILE:9: parameters.grid.city.districts[zon=central].streets: the districts have no field 'zon' (did you mean 'zone'?) (in scenario teaching_town)"),
    ],
)
def test_experiment_selector_mistakes_name_the_experiment_line(tmp_path, lines, message):
    path = tmp_path / "experiment.yaml"
    path.write_text("name: t\nscenarios: [teaching_town]\nregimes: [hotline]\nreplicates: 1\nseed: 1\nscale: 1\n" + lines, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_experiment(path)
    assert str(caught.value).replace(str(path), "FILE") == message


def test_an_experiment_file_lists_every_mistake(tmp_path):
    path = tmp_path / "experiment.yaml"
    path.write_text("name: t\nscenarios: [teaching_town]\nregimes: [hotline]\nreplicates: 0\nseed: -1\nscale: 2\n"
                    "parameters:\n  grid:\n    street_staff: [{a: 1}]\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_experiment(path)
    assert str(caught.value).replace(str(path), "FILE").splitlines() == [
        "FILE:4: replicates: expected a number > 0, got 0",
        "FILE:5: seed: expected a number ≥ 0, got -1",
        "FILE:6: scale: expected a number ≤ 1, got 2",
        # one mistake, not one per type the value could have been
        "FILE:9: parameters.grid.city.street_staff_hours_per_10k[0]: expected a number, text or true/false (a grid varies one field at a time), got a mapping",
    ]


# ------------------------------------------------------------------------------------------------------ paths


@pytest.mark.parametrize("text, parts", [
    ("hotline.operators", ("hotline", "operators")),
    ("city.districts[6].population", ("city", "districts", 6, "population")),
    ("city.districts.6.population", ("city", "districts", 6, "population")),
    ("city.districts[zone=ecological].streets", ("city", "districts", Select("zone", "ecological"), "streets")),
    ("city.districts[ zone = ecological ]", ("city", "districts", Select("zone", "ecological"))),
    ("timeline.programmes[a plan (v. 2)].arrival_cut", ("timeline", "programmes", "a plan (v. 2)", "arrival_cut")),
])
def test_paths_parse_into_parts(text, parts):
    assert parse_path(text) == parts
    assert parse_path(dotted(parts)) == parts


@pytest.mark.parametrize("text", ["", ".a", "a.", "a..b", "a[0]b", "a[]", "a[=x]", "a[zone=]", "a[0", "a]b"])
def test_malformed_paths_are_refused(text):
    with pytest.raises(InputError, match="is not a dotted field path"):
        parse_path(text)


def test_the_value_starts_after_the_first_equals_sign_outside_brackets():
    assert parse_assignment("city.districts[zone=core].reporting=1.2") == (("city", "districts", Select("zone", "core"), "reporting"), 1.2)
    assert parse_assignment("description=a=b") == (("description",), "a=b")


# ------------------------------------------------------------------------------------------------------ origins


def test_a_mistake_the_parent_made_still_names_the_parent(tmp_path):
    parent = write_scenario(tmp_path, "extends: TEACHING_TOWN\nname: p\nhotline:\n  operators: -3\n", "parent.yaml")
    child = write_scenario(tmp_path, "extends: parent.yaml\nname: c\ncity:\n  districts:\n    Riverside: {streets: 0}\n", "child.yaml")
    with pytest.raises(InputError) as caught:
        load_scenario(child)
    assert str(caught.value).splitlines() == [  # grouped by file, in the order the schema meets them
        f"{child}:5: city.districts[0].streets: expected a number > 0, got 0",
        f"{parent}:4: hotline.operators: expected a number ≥ 0, got -3",
    ]


def test_a_cross_field_mistake_in_a_changed_item_names_the_line_that_changed_it(tmp_path):
    path = beijing_variant(tmp_path, "city:\n  districts:\n    Yanqing:\n      name: Miyun\n")
    assert mistakes_of(path) == ["FILE:6: city.districts[15].name: duplicate district name 'Miyun'"]
    path = beijing_variant(tmp_path, "timeline.shocks:\n  - {start: 2019-05-01, end: 2019-06-01, categories: [housng], multiplier: 2}\n")
    assert mistakes_of(path) == ["FILE:4: timeline.shocks[0].categories[0]: expected a category name (epidemic_control, market_regulation, "
                                 "housing, urban_construction, traffic, public_services, social_order, health, education, "
                                 "labour_social_security, other), got 'housng'"]


def test_a_set_that_replaces_a_list_leaves_no_line_of_the_old_list(tmp_path):
    assert mistakes_of(BEIJING, ["city.districts=[{name: A, zone: core}]"]) == [
        "--set: city.districts[0].population: required field is missing",
        "--set: city.districts[0].streets: required field is missing",
    ]
    assert mistakes_of(BEIJING, ["city.districts=[{name: Miyun, zone: core}]"])[0] == (
        "--set: city.districts[0].population: required field is missing (this list replaces all 16 districts from "
        "beijing.yaml; to change 'Miyun' alone, write districts: {Miyun: {field: value}})"
    )
