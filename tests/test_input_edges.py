"""The edges around the scenario checker, tried as a hostile but fair user would: encodings and unreadable files,
YAML that would expand without end, impossible dates, infinities, seeds that do not fit, parameters that take no
effect, ambiguous or dead timelines, experiments too big to build. Each is one line naming the file or option, the
field and what was expected, with exit status 2 -- never a traceback, never a silently different run."""

from __future__ import annotations

import os
import time

import pytest

from sim.cli import main
from sim.experiment.spec import load_experiment
from sim.inputs import InputError, parse_assignment, read_yaml
from sim.safe_yaml import MAX_VALUES
from sim.scenario import load_scenario
from tests.conftest import TEACHING_TOWN, write_scenario

EXTENDS = "extends: TEACHING_TOWN\nname: edge\n"


def one_line_error(capsys, argv: list) -> str:
    """Run the command line in this process; it must fail with status 2 and one line on stderr."""
    try:
        status = main([str(a) for a in argv])
    except SystemExit as stop:  # argparse's own errors (one line too: see sim.cli._Parser)
        status = stop.code
    assert status == 2
    printed = capsys.readouterr()
    assert printed.err.startswith("error: ") and printed.err.count("\n") == 1, printed.err
    assert "Traceback" not in printed.err
    return printed.err.strip()


def scenario_error(tmp_path, text: str) -> str:
    path = write_scenario(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    return str(caught.value).replace(str(path), "FILE")


# ------------------------------------------------------------------------------------- encodings and files


def test_utf8_and_utf16_with_a_byte_order_mark_are_read(tmp_path):
    text = EXTENDS.replace("TEACHING_TOWN", str(TEACHING_TOWN)) + "description: 回龙观 and café\n"
    for codec in ("utf-8-sig", "utf-16", "utf-32"):
        path = tmp_path / f"{codec}.yaml"
        path.write_bytes(text.encode(codec))
        assert load_scenario(path).description == "回龙观 and café", codec


def test_latin1_utf16_without_mark_and_binary_files_are_one_line_errors(tmp_path, capsys):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(f"extends: {TEACHING_TOWN}\nname: edge\ndescription: café\n".encode("latin-1"))
    assert one_line_error(capsys, ["validate", latin]) == f"error: {latin}:3: not UTF-8 text (byte 0xe9); save the scenario file as UTF-8"
    bare16 = tmp_path / "bare16.yaml"
    bare16.write_bytes("name: edge\n".encode("utf-16-le"))
    assert "not a text file (it contains NUL bytes; UTF-16 text needs a byte-order mark)" in one_line_error(capsys, ["run", bare16])
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(bytes(range(256)) * 4)
    assert f"error: {binary}:1: not a text file" in one_line_error(capsys, ["run", binary])
    control = tmp_path / "control.yaml"
    control.write_bytes(b"name: x\ndescription: a\x07b\n")
    assert one_line_error(capsys, ["validate", control]) == (
        f"error: {control}:2: not valid YAML: unacceptable character #x0007: control characters are not allowed"
    )


def test_unreadable_files_folders_and_huge_files_are_one_line_errors(tmp_path, capsys):
    # /proc/self/mem is a file that exists and cannot be read from its start (root can read files without permission)
    assert one_line_error(capsys, ["validate", "/proc/self/mem"]) == "error: /proc/self/mem: cannot read the scenario file: Input/output error"
    assert one_line_error(capsys, ["run", tmp_path]) == f"error: {tmp_path}: expected a scenario file, got a folder"
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    assert one_line_error(capsys, ["validate", fifo]) == f"error: {fifo}: expected a scenario file, got something that is not a regular file"
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * (17 * 2**20) + b"\nname: x\n")
    assert one_line_error(capsys, ["validate", huge]) == f"error: {huge}: the scenario file is larger than 16 MiB; this is not a govsim input"
    experiment = tmp_path / "experiment.yaml"
    experiment.write_bytes("name: é\n".encode("latin-1"))
    assert one_line_error(capsys, ["experiment", experiment, "--dry-run"]) == (
        f"error: {experiment}:1: not UTF-8 text (byte 0xe9); save the experiment file as UTF-8"
    )


def test_a_district_csv_in_another_encoding_or_with_extra_cells_is_one_line(tmp_path):
    csv = tmp_path / "districts.csv"
    scenario = EXTENDS + "city:\n  districts: []\n  districts_csv: districts.csv\n"
    csv.write_bytes("name,zone,population,streets\nCafé,core,1000,2\n".encode("latin-1"))
    assert scenario_error(tmp_path, scenario) == f"{csv}:2: not UTF-8 text (byte 0xe9); save the districts CSV file as UTF-8"
    csv.write_text("name,zone,population,streets\nA,core,1000,2,9\n", encoding="utf-8")
    assert scenario_error(tmp_path, scenario) == f"{csv}:2: 5 cells, but the header names 4 columns"


# ------------------------------------------------------------------------------------- YAML that explodes


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path, capsys):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")  # 9^9 = 387 million strings if expanded
    started = time.perf_counter()
    error = one_line_error(capsys, ["validate", path])
    assert time.perf_counter() - started < 5
    assert error == (
        f"error: {path}:6: stands for more than {MAX_VALUES:,} values (counting what its aliases repeat); refused before "
        "expanding it: this is not a govsim input"
    )
    experiment = tmp_path / "experiment.yaml"
    experiment.write_text(alias_bomb(), encoding="utf-8")
    assert "stands for more than" in one_line_error(capsys, ["experiment", experiment, "--dry-run"])
    levels = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"] + [f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]" for a, b in zip("abcd", "bcde")]
    with pytest.raises(InputError, match=r"^--set: x: stands for more than"):  # 10^6 values from one option
        parse_assignment("x={" + ", ".join(levels) + ", f: [*e, *e, *e]}")


def test_recursive_aliases_and_deep_nesting_are_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("name: x\nloop: &l [1, *l]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"loop.yaml:2: the alias \*l refers to a list or mapping that contains it"):
        read_yaml(path)
    path.write_text("name: x\ndeep: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"loop.yaml:2: lists and mappings nested more than 50 deep"):
        read_yaml(path)


def test_modest_aliases_still_work_and_keep_their_lines(tmp_path):
    text = EXTENDS + "defaults: &fast {response_days: 0, due_days: 3}\n"
    path = write_scenario(tmp_path, text.replace("defaults: &fast", "hotline:\n  time_limits:\n    ordinary: &fast")
                          + "    complex: *fast\n")
    scenario = load_scenario(path)
    assert scenario.hotline.time_limits.complex.due_days == 3 == scenario.hotline.time_limits.ordinary.due_days


# -------------------------------------------------------------------------------------------- dates


def test_an_impossible_date_is_named_in_files_options_and_experiments(tmp_path, capsys):
    assert scenario_error(tmp_path, EXTENDS + "start: 2019-02-30\n") == "FILE:3: start: expected a real calendar date as YYYY-MM-DD, got '2019-02-30'"
    assert one_line_error(capsys, ["run", TEACHING_TOWN, "--set", "start=2019-02-30"]) == (
        "error: --set: start: expected a real calendar date as YYYY-MM-DD, got '2019-02-30'"
    )
    assert "got 20190101" in one_line_error(capsys, ["run", TEACHING_TOWN, "--set", "start=20190101"])
    shock = EXTENDS + "timeline:\n  shocks:\n    - {start: 2019-04-31, end: 2019-05-03, categories: [housing], multiplier: 2}\n"
    assert scenario_error(tmp_path, shock) == (
        "FILE:5: timeline.shocks[0].start: expected a real calendar date as YYYY-MM-DD, got '2019-04-31'"
    )
    experiment = tmp_path / "experiment.yaml"
    experiment.write_text(f"name: t\nscenarios: [{TEACHING_TOWN}]\nregimes: [hotline]\nreplicates: 1\nseed: 1\n"
                          "overrides:\n  start: 2021-02-29\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_experiment(experiment)
    assert str(caught.value) == f"{experiment}:7: overrides.start: expected a real calendar date as YYYY-MM-DD, got '2021-02-29' (in scenario teaching_town)"


# ------------------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize("field, value, shown", [
    ("city.departments[0].staff_hours", ".inf", "inf"), ("hotline.operators", ".inf", "inf"),
    ("categories.housing.problems_per_1k", ".inf", "inf"), ("hotline.operators", ".nan", "nan"),
    ("behaviour.contact_scale", "-.inf", "-inf"), ("regimes.proactive.budget_per_10k", ".NaN", "nan"),
])
def test_infinities_and_nan_are_refused_with_the_field_named(capsys, field, value, shown):
    assert one_line_error(capsys, ["run", TEACHING_TOWN, "--days", "2", "--set", f"{field}={value}"]) == (
        f"error: --set: {field}: expected a finite number, got {shown}"
    )


def test_infinities_in_scenario_and_experiment_files_are_refused(tmp_path):
    text = EXTENDS + "hotline:\n  operators: .inf\n"
    assert scenario_error(tmp_path, text) == "FILE:4: hotline.operators: expected a finite number, got inf"
    head = f"name: t\nscenarios: [{TEACHING_TOWN}]\nregimes: [hotline]\nreplicates: 1\nseed: 1\n"
    cases = {
        "overrides:\n  city.departments[0].staff_hours: .inf\n": "FILE:7: overrides.city.departments[0].staff_hours: expected a finite number, got inf (in scenario teaching_town)",
        "parameters:\n  grid:\n    street_staff: [10, .nan]\n": "FILE:8: parameters.grid.city.street_staff_hours_per_10k[1]: expected a finite number, got nan",
        "parameters:\n  latin_hypercube:\n    points: 4\n    ranges:\n      street_staff: {low: 1, high: .inf}\n":
            "FILE:10: parameters.latin_hypercube.ranges.city.street_staff_hours_per_10k.high: expected a finite number, got inf",
    }
    for tail, expected in cases.items():
        path = tmp_path / "experiment.yaml"
        path.write_text(head + tail, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            load_experiment(path)
        assert str(caught.value).replace(str(path), "FILE") == expected


@pytest.mark.parametrize("command", ["run", "compare"])
@pytest.mark.parametrize("seed", ["-1", str(2**63), str(2**70), "1.5", "x"])
def test_a_seed_must_be_a_whole_number_that_fits_int64(capsys, command, seed):
    error = one_line_error(capsys, [command, TEACHING_TOWN, "--seed", seed])
    assert error.startswith(f"error: govsim {command}: argument --seed: expected a whole number from 0 to 9223372036854775807 (2**63 - 1), got ")


def test_an_experiment_seed_must_fit_int64(tmp_path):
    path = tmp_path / "experiment.yaml"
    path.write_text(f"name: t\nscenarios: [{TEACHING_TOWN}]\nregimes: [hotline]\nreplicates: 1\nseed: {2**63}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"experiment.yaml:5: seed: expected a number ≤ 9.22337e\+18, got 9223372036854775808"):
        load_experiment(path)


# ----------------------------------------------------------------------------------- names and timelines


@pytest.mark.parametrize("name", ["../../../../tmp/x/evil", "a/b", "/abs", ".hidden", "", "two words", "..", "x" * 101, "北京", "café"])
def test_a_scenario_name_must_be_one_plain_folder_name(tmp_path, name):
    error = scenario_error(tmp_path, f"extends: TEACHING_TOWN\nname: {name!r}\n")
    assert error == (f"FILE:2: name: expected a short name of ASCII letters, digits, '_', '.' and '-', starting with a letter or digit "
                     f"(it names the results folder), got {name!r}")


def test_scenarios_whose_results_folders_would_be_one_are_refused(tmp_path):
    for name in ("Riverside", "riverside"):
        write_scenario(tmp_path, f"extends: TEACHING_TOWN\nname: {name}\n", name=f"{name}.yaml")
    path = tmp_path / "experiment.yaml"
    path.write_text("name: t\nscenarios: [Riverside.yaml, riverside.yaml]\nregimes: [hotline]\nreplicates: 1\nseed: 1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"experiment.yaml:2: scenarios\[1\]: two scenarios are named 'riverside' \(results are filed by scenario name, in any case\)"):
        load_experiment(path)


def test_two_regime_switches_on_one_date_are_refused(tmp_path):
    text = EXTENDS + "timeline:\n  regimes:\n    - {date: 2019-06-01, regime: whistle}\n    - {date: 2019-06-01, regime: proactive}\n"
    assert scenario_error(tmp_path, text) == "FILE:6: timeline.regimes[1].date: two regime switches on 2019-06-01 (items 0 and 1); keep one"


def test_timeline_events_that_cannot_act_are_warned_about_in_one_line_each(tmp_path, capsys):
    text = EXTENDS + (
        "timeline:\n  regimes:\n    - {date: 2018-01-01, regime: whistle}\n    - {date: 2018-06-01, regime: hotline}\n"
        "    - {date: 2030-01-01, regime: proactive}\n"
        "  shocks:\n    - {start: 2019-03-01, end: 2019-03-10, categories: [housing], multiplier: 2}\n"
        "    - {start: 2018-01-01, end: 2018-02-01, categories: [housing], multiplier: 2}\n"
        "  programmes:\n    - {start: 2019-02-01, end: 2019-06-01, categories: [housing], arrival_cut: 0.5}\n"
    )
    path = write_scenario(tmp_path, text)
    assert main(["validate", str(path)]) == 0
    warnings = capsys.readouterr().err.splitlines()
    assert warnings == [
        f"warning: {path}: timeline.shocks[1]: ends on 2018-02-01, before the first simulated day (2018-10-03, warm-up included); it has no effect",
        f"warning: {path}: timeline.regimes[0]: the switch on 2018-01-01 is overtaken by a later one before the start (2019-01-01); it has no effect",
        f"warning: {path}: timeline.regimes[2]: switches on 2030-01-01, after the last simulated day (2019-12-31); it has no effect",
    ]
    out = tmp_path / "run"
    assert main(["run", str(path), "--days", "20", "--out", str(out), "--quiet"]) == 0  # a quick run of a long timeline: warned, run
    warnings = capsys.readouterr().err.splitlines()
    assert f"warning: {path}: timeline.shocks[0]: starts on 2019-03-01, after the last simulated day (2019-01-20); it has no effect" in warnings
    assert f"warning: {path}: timeline.programmes[0]: starts on 2019-02-01, after the last simulated day (2019-01-20); it has no effect" in warnings
    assert len(warnings) == 5
    assert main(["run", str(path), "--days", "20", "--out", str(tmp_path / "fixed"), "--quiet", "--regime", "hotline"]) == 0
    assert not any("regimes[" in line for line in capsys.readouterr().err.splitlines())  # a fixed regime ignores switches


# ------------------------------------------------------------------------------------------ experiments


HEAD = f"name: t\nscenarios: [{TEACHING_TOWN}]\nregimes: [whistle, hotline]\nreplicates: 2\nseed: 1\ndays: 10\n"


def experiment_error(tmp_path, text: str, **options) -> str:
    path = tmp_path / "experiment.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_experiment(path, **options)
    return str(caught.value).replace(str(path), "FILE")


@pytest.mark.parametrize("tail, expected", [
    ("parameters:\n  grid:\n    regime: [whistle, hotline]\n",
     "FILE:9: parameters.grid.regime: 'regime' cannot be varied here: the experiment's `regimes:` list sets every run's regime"),
    ("parameters:\n  grid:\n    name: [a, b]\n", "FILE:9: parameters.grid.name: 'name' cannot be varied here: it only labels the scenario"),
    ("overrides:\n  name: other\n", "FILE:8: overrides.name: 'name' cannot be overridden here: it only labels the scenario"),
    ("overrides:\n  regime: whistle\n", "FILE:8: overrides.regime: 'regime' cannot be overridden here: the experiment's `regimes:` list"),
    ("parameters:\n  grid:\n    days: [5, 8]\n", "FILE:9: parameters.grid.days: 'days' cannot be varied here: the experiment's `days:` sets every run's horizon"),
    ("parameters:\n  latin_hypercube:\n    points: 3\n    ranges:\n      timeline.regimes[0].date: {low: 1, high: 2}\n",
     "FILE:11: parameters.latin_hypercube.ranges.timeline.regimes[0].date: 'timeline.regimes[0].date' cannot be varied here: regime "
     "switches take effect only in runs that follow the timeline"),
])
def test_a_parameter_that_takes_no_effect_is_refused(tmp_path, tail, expected):
    assert experiment_error(tmp_path, HEAD + tail).startswith(expected)


def test_the_start_regime_may_be_overridden_for_runs_that_follow_the_timeline(tmp_path):
    path = tmp_path / "experiment.yaml"
    path.write_text(HEAD.replace("[whistle, hotline]", "[timeline]") + "overrides:\n  regime: whistle\n", encoding="utf-8")
    assert load_experiment(path).overrides == {"regime": "whistle"}


def test_compare_refuses_overrides_that_would_merge_or_ignore_scenarios(capsys):
    assert "error: --set: overrides.name: 'name' cannot be overridden here" in one_line_error(capsys, ["compare", TEACHING_TOWN, "--set", "name=x"])
    assert "overrides.regime: 'regime' cannot be overridden here" in one_line_error(capsys, ["compare", TEACHING_TOWN, "--set", "regime=whistle"])


def test_experiment_sizes_are_counted_not_built(tmp_path, capsys):
    grid = "parameters:\n  grid:\n" + "".join(f"    {lever}: [{', '.join(str(0.1 * k + 0.05) for k in range(10))}]\n"
                                              for lever in ("ranking_pressure", "siphon_share", "hotline_reach"))
    grid += "    street_staff: [" + ", ".join(str(k) for k in range(1, 100001)) + "]\n"  # 10^8 points
    started = time.perf_counter()
    assert experiment_error(tmp_path, HEAD.replace("replicates: 2", "replicates: 1000") + grid) == (
        "FILE:7: parameters: 200,000,000,000 runs (1 scenario × 2 regimes × 100,000,000 parameter points × 1,000 replicates) "
        "is more than the limit of 10,000: check the design, or allow it with --max-runs 200000000000 (max_runs=200000000000 in Python)"
    )
    lhs = "parameters:\n  latin_hypercube:\n    points: 1000000000\n    ranges:\n      street_staff: {low: 1, high: 20}\n"
    assert experiment_error(tmp_path, HEAD + lhs).startswith("FILE:7: parameters: 4,000,000,000 runs (1 scenario × 2 regimes")
    assert time.perf_counter() - started < 20  # nothing of that size was built (10^8 points would take minutes and GBs)
    assert one_line_error(capsys, ["compare", TEACHING_TOWN, "--runs", "100000"]) == (
        "error: replicates: 300,000 runs (1 scenario × 3 regimes × 100,000 replicates) is more than the limit of 10,000: check "
        "the design, or allow it with --max-runs 300000 (max_runs=300000 in Python)"
    )
    assert one_line_error(capsys, ["compare", TEACHING_TOWN, "--max-runs", "0"]).startswith("error: govsim compare: argument --max-runs: expected at least 1")
    cores = len(os.sched_getaffinity(0))
    assert one_line_error(capsys, ["compare", TEACHING_TOWN, "--workers", 4 * cores + 1]) == (
        f"error: --workers: {4 * cores + 1} worker processes on {cores} core{'s' if cores != 1 else ''} would only compete for them "
        f"(each holds a model in memory); expected at most {4 * cores}"
    )


def test_max_runs_allows_a_big_experiment_and_the_dry_run_lists_only_the_first_runs(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    path.write_text(HEAD.replace("replicates: 2", "replicates: 6000"), encoding="utf-8")
    assert "is more than the limit of 10,000" in one_line_error(capsys, ["experiment", path, "--dry-run"])
    assert main(["experiment", str(path), "--dry-run", "--max-runs", "12000", "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"t: 12,000 runs (1 scenario × 2 regimes × 6,000 replicates) -> {tmp_path / 'out'}"
    assert len(lines) == 22 and lines[-1] == "  ... and 11,980 more"
    assert lines[1].startswith("  teaching_town__whistle__r0000  seed ") and lines[1].endswith("(to do)")


def test_a_city_too_big_for_memory_is_one_line(tmp_path, capsys, monkeypatch):
    """(A typo such as population: 100000000000 asks numpy for 93 GiB; simulated here, not allocated.)"""
    import sim.simulate

    def too_big(*args, **kwargs):
        raise MemoryError("Unable to allocate 93.1 GiB for an array with shape (100000000000,) and data type int8")

    monkeypatch.setattr(sim.simulate, "run", too_big)
    assert one_line_error(capsys, ["run", TEACHING_TOWN, "--days", "2", "--out", tmp_path / "run"]) == (
        "error: not enough memory for this (Unable to allocate 93.1 GiB for an array with shape (100000000000,) and data type "
        "int8); is the city, or --scale, bigger than meant?"
    )
