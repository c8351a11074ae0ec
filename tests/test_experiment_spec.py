"""Experiment files: what a good file means (runs, points, seeds), and one-line errors for bad ones."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import yaml

from sim.experiment.plan import make_plan, replicate_seed
from sim.experiment.spec import experiment_from_options, load_experiment
from sim.inputs import InputError
from tests.conftest import ROOT, TEACHING_TOWN

EXPERIMENTS = ROOT / "experiments"
HEAD = f"name: t\nscenarios: [{TEACHING_TOWN}]\nregimes: [whistle, hotline]\nreplicates: 2\nseed: 1\n"


def experiment_file(tmp_path, text: str):
    path = tmp_path / "experiment.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path, text: str) -> str:
    path = experiment_file(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_experiment(path)
    return str(caught.value).replace(str(path), "FILE")


def test_shipped_experiments_load_with_the_documented_sizes():
    sizes = {}
    for path in sorted(EXPERIMENTS.glob("*.yaml")):
        if {"sensitivity", "calibration"} & set(yaml.safe_load(path.read_text(encoding="utf-8"))):
            continue  # analysis files (govsim sensitivity / calibrate): tests/test_analysis_*.py
        plan = make_plan(load_experiment(path))
        sizes[path.stem] = (len(plan.tasks), plan.spec.scale, plan.swept)
    assert sizes == {
        "beijing_2018_2024": (10, 0.01, []),
        "equity_street_staff": (40, 0.01, []),
        "regime_comparison": (60, 0.01, []),
        "street_capacity_x_ranking_pressure": (45, 0.01, ["city.street_staff_hours_per_10k", "regimes.hotline.ranking_pressure"]),
    }


def test_the_regime_comparison_file_makes_the_same_runs_as_the_readme_compare_command():
    from_file = make_plan(load_experiment(EXPERIMENTS / "regime_comparison.yaml"))
    from_options = make_plan(experiment_from_options(["scenarios/beijing.yaml"], ["whistle", "hotline", "proactive"], 20, 1, 0.01, None, {}))
    assert [(t.run_id, t.seed, t.regime) for t in from_file.tasks] == [(t.run_id, t.seed, t.regime) for t in from_options.tasks]


def test_scenarios_are_relative_to_the_file_or_shipped_names(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "town.yaml").write_text(f"extends: {TEACHING_TOWN}\nname: town\n", encoding="utf-8")
    text = "name: t\nscenarios: [sub/town.yaml, teaching_town]\nregimes: [timeline]\nreplicates: 1\nseed: 3\n"
    spec = load_experiment(experiment_file(tmp_path, text))
    assert spec.scenarios == [str((tmp_path / "sub" / "town.yaml").resolve()), str(TEACHING_TOWN.resolve())]
    assert [t.run_id for t in make_plan(spec).tasks] == ["town__timeline__r000", "teaching_town__timeline__r000"]


def test_a_grid_is_full_factorial_with_levers_named_by_their_paths_and_common_seeds(tmp_path):
    text = HEAD + "days: 30\noverrides: {hotline.operators: 2}\nparameters:\n  grid:\n    street_staff: [8, 16]\n    regimes.hotline.ranking_pressure: [0.2, 0.5, 0.8]\n"
    plan = make_plan(load_experiment(experiment_file(tmp_path, text)))
    assert plan.swept == ["city.street_staff_hours_per_10k", "regimes.hotline.ranking_pressure"]
    assert len(plan.points) == 6 and plan.points[1] == {"city.street_staff_hours_per_10k": 8, "regimes.hotline.ranking_pressure": 0.5}
    assert len(plan.tasks) == 2 * 6 * 2  # regimes x points x replicates
    task = plan.tasks[0]
    assert task.run_id == "teaching_town__whistle__p000__r000" and task.days == 30
    assert task.scenario.hotline.operators == 2  # fixed overrides are in the scenario every run gets
    # Common random numbers: replicate k has one seed whatever the regime and the point.
    for k in range(2):
        assert {t.seed for t in plan.tasks if t.replicate == k} == {replicate_seed(1, k)}
    assert replicate_seed(1, 0) != replicate_seed(1, 1)
    assert replicate_seed(1, 1) == int(np.random.SeedSequence(1).spawn(2)[1].generate_state(1)[0])


def test_latin_hypercube_puts_one_point_in_each_stratum_of_each_range(tmp_path):
    text = HEAD + (
        "parameters:\n  latin_hypercube:\n    points: 10\n    ranges:\n"
        "      ranking_pressure: {low: 0, high: 1}\n      whistle_deadline: {low: 1, high: 10, integer: true}\n"
    )
    spec = load_experiment(experiment_file(tmp_path, text))
    points = make_plan(spec).points
    pressure = [p["regimes.hotline.ranking_pressure"] for p in points]
    deadline = [p["regimes.whistle.report_days"] for p in points]
    assert sorted(int(x * 10) for x in pressure) == list(range(10))
    assert sorted(deadline) == list(range(1, 11)) and all(isinstance(d, int) for d in deadline)
    assert make_plan(load_experiment(experiment_file(tmp_path, text))).points == points  # fixed by the master seed


@pytest.mark.parametrize(
    "text, message",
    [
        (HEAD + "repeats: 3\n", "FILE:6: repeats: unknown field (did you mean 'replicates'?)"),
        (HEAD.replace("replicates: 2\n", ""), "FILE:1: replicates: required field is missing"),
        (HEAD.replace("hotline", "anarchy"), "FILE:3: regimes[1]: expected 'whistle', 'hotline', 'proactive' or 'timeline', got 'anarchy'"),
        (HEAD.replace("hotline", "whistle"), "FILE:3: regimes[1]: 'whistle' is listed twice"),
        (HEAD.replace("replicates: 2", "replicates: 0"), "FILE:4: replicates: expected a number > 0, got 0"),
        (HEAD + "scale: 2\n", "FILE:6: scale: expected a number ≤ 1, got 2"),
        (HEAD + "parameters: [\n", "FILE:7: not valid YAML: did not find expected node content"),
        (HEAD.replace("name: t", "name: my experiment"), "FILE:1: name: expected a short name of letters, digits, '_', '.' and '-' (it names files), got 'my experiment'"),
        (
            HEAD + "parameters:\n  grid:\n    ranking_pressure: [0.5, 2]\n",
            "FILE:8: parameters.grid.regimes.hotline.ranking_pressure[1]: expected a number ≤ 1, got 2 (in scenario teaching_town)",
        ),
        (
            HEAD + "parameters:\n  grid:\n    street_staf: [1, 2]\n",
            "FILE:8: parameters.grid.street_staf: neither a lever (street_staff, ranking_pressure, siphon_share, propensity, "
            "prevention_budget, whistle_deadline, hotline_reach) nor a scenario field; did you mean 'street_staff'? (in scenario teaching_town)",
        ),
        (HEAD + "parameters:\n  grid:\n    street_staff: []\n", "FILE:8: parameters.grid.city.street_staff_hours_per_10k: expected at least one value, got an empty list"),
        (HEAD + "parameters:\n  grid:\n    street_staff: [1, 1]\n", "FILE:8: parameters.grid.city.street_staff_hours_per_10k[1]: the value 1 is listed twice"),
        (
            HEAD + "parameters:\n  grid:\n    street_staff: [1]\n    city.street_staff_hours_per_10k: [2]\n",
            "FILE:8: parameters.grid.city.street_staff_hours_per_10k: given twice (as 'city.street_staff_hours_per_10k' and as the same field under another name)",
        ),
        (
            HEAD + "parameters:\n  grid:\n    street_staff: [1]\n  latin_hypercube:\n    points: 3\n    ranges:\n      street_staff: {low: 1, high: 2}\n",
            "FILE:6: parameters: give either grid or latin_hypercube, not both",
        ),
        (
            HEAD + "parameters:\n  latin_hypercube:\n    points: 3\n    ranges:\n      street_staff: {low: 5, high: 2}\n",
            "FILE:10: parameters.latin_hypercube.ranges.city.street_staff_hours_per_10k.high: expected a number > low (5), got 2",
        ),
        (
            HEAD + "overrides: {street_staff: 3}\nparameters:\n  grid:\n    street_staff: [1, 2]\n",
            "FILE:6: overrides.city.street_staff_hours_per_10k: this field is also varied under parameters; give it in one place only",
        ),
        (HEAD + "overrides: {hotline.operators: -1}\n", "FILE:6: overrides.hotline.operators: expected a number ≥ 0, got -1 (in scenario teaching_town)"),
        (HEAD.replace(str(TEACHING_TOWN), "nowhere.yaml"), "FILE:2: scenarios[0]: scenario file not found: DIR/nowhere.yaml"),
    ],
)
def test_bad_experiment_files_give_one_line_errors(tmp_path, text, message):
    assert error_of(tmp_path, text).replace(str(tmp_path), "DIR") == message


def test_a_latin_hypercube_over_a_whole_number_field_says_what_to_add(tmp_path):
    text = HEAD + "parameters:\n  latin_hypercube:\n    points: 3\n    ranges:\n      whistle_deadline: {low: 1, high: 5}\n"
    message = error_of(tmp_path, text)
    assert message.startswith("FILE:10: parameters.latin_hypercube.ranges.regimes.whistle.report_days: expected a valid integer, got ")
    assert message.endswith("; for a whole-number field add `integer: true` to its range (in scenario teaching_town)")


def test_the_command_prints_the_error_on_one_line_and_exits_2(tmp_path):
    path = experiment_file(tmp_path, HEAD + "parameters:\n  grid:\n    ranking_pressure: [0.5, 2]\n")
    done = subprocess.run([sys.executable, "-m", "sim.cli", "experiment", str(path)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"error: {path}:8: parameters.grid.regimes.hotline.ranking_pressure[1]: expected a number ≤ 1, got 2 (in scenario teaching_town)\n"


def test_compare_options_are_checked_like_a_file():
    with pytest.raises(InputError, match=r"^--set: overrides.hotline.operators: expected a number ≥ 0, got -1 \(in scenario teaching_town\)$"):
        experiment_from_options(["teaching_town"], ["hotline"], 2, 1, 1.0, None, {"hotline.operators": -1})
    done = subprocess.run([sys.executable, "-m", "sim.cli", "compare", "teaching_town", "--regimes", "whistle,anarchy"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "--regimes: expected a comma-separated list of whistle, hotline, proactive, timeline, got 'whistle,anarchy'" in done.stderr
