"""Calibration: a parameter set to a known value is recovered from synthetic targets; an interrupted calibration
resumes without losing trials; the outputs (overlay, trials, importances, ensemble) and `compare --ensemble`; the
one-line errors of targets files."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import optuna
import pandas as pd
import pytest
import yaml

from sim import run
from sim.analysis.ensemble import combined_interval
from sim.cli import main
from sim.experiment.plan import replicate_seed
from sim.experiment.stats import paired_interval
from tests.conftest import ROOT, TEACHING_TOWN

TRUE_PROPENSITY = 1.2
DAYS = 60


def _synthetic_targets(folder: Path, days: int = DAYS) -> Path:
    """Targets made by the model itself at contact_scale 1.2, on the seeds the calibration will use."""
    runs = [run(TEACHING_TOWN, seed=replicate_seed(5, k), regime="hotline", days=days, overrides={"warmup_days": 0, "behaviour.contact_scale": TRUE_PROPENSITY}) for k in range(2)]
    contacts = float(np.mean([r.daily["contacts"].sum() for r in runs]))
    resolution = float(np.mean([(r.daily["resolution_rate"].fillna(0) * r.daily["rated"]).sum() / r.daily["rated"].sum() for r in runs]))
    targets = {"targets": [
        {"name": "contacts", "indicator": "contacts", "statistic": "total", "start": "2019-01-01", "end": str(dt.date(2019, 1, 1) + dt.timedelta(days=days - 1)), "value": contacts,
         "relative_tolerance": 0.04, "source": "synthetic: the model at contact_scale 1.2"},
        {"name": "resolution", "indicator": "resolution_rate", "statistic": "mean", "start": "2019-01-01", "end": str(dt.date(2019, 1, 1) + dt.timedelta(days=days - 1)), "value": resolution,
         "tolerance": 0.05, "source": "synthetic: the model at contact_scale 1.2"},
    ]}
    path = folder / "targets.yaml"
    path.write_text(yaml.safe_dump(targets), encoding="utf-8")
    return path


CALIBRATION = """name: town_fit
scenarios: [{town}]
regimes: [hotline]
replicates: 2
seed: 5
days: {days}
overrides: {{warmup_days: 0}}
uncertainties:
  propensity: {{low: 0.6, high: 1.8}}
  regimes.whistle.fatigue_load: {{low: 2, high: 6}}   # not used under complaint-response: should not matter
calibration:
  targets: [targets.yaml]
  trials: {trials}
  startup_trials: 6
  storage: {storage}
"""


def _write(folder: Path, trials: int, storage: str = "sqlite", days: int = DAYS) -> Path:
    _synthetic_targets(folder, days)
    path = folder / "fit.yaml"
    path.write_text(CALIBRATION.format(town=TEACHING_TOWN, days=days, trials=trials, storage=storage), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calibration")
    path = _write(folder, trials=20)
    assert main(["calibrate", str(path), "--out", str(folder / "out"), "--workers", "2"]) == 0
    return folder / "out"


def test_calibration_recovers_a_known_parameter(fitted):
    best = yaml.safe_load((fitted / "best.yaml").read_text(encoding="utf-8"))
    # contacts grow by about 8 % per 0.1 of contact_scale: the 4 % tolerance on contacts, plus seed noise, is ±0.1
    assert abs(best["behaviour"]["contact_scale"] - TRUE_PROPENSITY) <= 0.1
    assert best["warmup_days"] == 0 and best["extends"].endswith("teaching_town.yaml")
    assert main(["validate", str(fitted / "best.yaml")]) == 0
    importances = pd.read_csv(fitted / "importances.csv").set_index("parameter")["importance"]
    assert importances["behaviour.contact_scale"] > importances["regimes.whistle.fatigue_load"]


def test_trials_table_and_ensemble_hold_what_was_accepted(fitted):
    trials = pd.read_csv(fitted / "trials.csv")
    assert len(trials) == 20 and (trials["state"] == "COMPLETE").all()
    accepted = trials[trials["accepted"]]
    assert len(accepted) >= 1 and accepted["within:contacts"].all() and accepted["within:resolution"].all()
    members = pd.read_csv(fitted / "ensemble" / "members.csv")
    assert sorted(members["trial"]) == sorted(accepted["trial"])
    assert ((members["behaviour.contact_scale"] - TRUE_PROPENSITY).abs() < 0.15).all()  # acceptable sets lie near the truth
    assert (fitted / "figures" / "targets.png").stat().st_size > 10_000


def test_compare_with_the_ensemble_pools_members_and_replicates(fitted, tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", str(TEACHING_TOWN), "--regimes", "whistle,hotline", "--runs", "2", "--days", "15", "--set", "warmup_days=0",
                 "--ensemble", str(fitted / "ensemble"), "--out", str(out), "--workers", "2"])
    assert code == 0
    members = len(pd.read_csv(fitted / "ensemble" / "members.csv"))
    differences = pd.read_csv(out / "ensemble_differences.csv").set_index("indicator")
    assert differences.at["whistles", "members"] == members and differences.at["whistles", "n"] == 2 * members
    assert differences.at["whistles", "mean_difference"] < 0  # complaint-response summons departments less often
    assert "paired differences pooled over the ensemble" in capsys.readouterr().out


def test_ensemble_interval_adds_the_spread_of_parameter_sets_to_noise():
    # three parameter sets whose regime differences are 1, 2, 3, each seen on four seeds with a little noise
    noise = np.array([-0.1, 0.1, -0.05, 0.05])
    d = pd.DataFrame([{"member": m, "replicate": k, "d": 1 + m + noise[k]} for m in range(3) for k in range(4)])
    combined = combined_interval(d)
    assert combined["mean_difference"] == pytest.approx(2.0)
    half = combined["ci_high"] - 2.0
    assert half == pytest.approx(4.302653 * np.sqrt(1.0 * (1 + 1 / 3)), rel=1e-5)  # t(0.975; 2) · s_b · √(1 + 1/M)
    noise_only = paired_interval(d["d"])
    assert half > noise_only["high"] - noise_only["mean"]
    assert combined["parameter_share"] > 0.99


def _trials(journal: Path, state=optuna.trial.TrialState.COMPLETE) -> list:
    """The trials in a given state of the study in a journal file (written by another process)."""
    if not journal.is_file():
        return []
    from optuna.storages.journal import JournalFileBackend

    try:
        study = optuna.load_study(study_name="town_fit", storage=optuna.storages.JournalStorage(JournalFileBackend(str(journal))))
    except KeyError:  # the study is not created yet
        return []
    return study.get_trials(deepcopy=True, states=(state,))


def test_a_killed_calibration_resumes_without_losing_trials(tmp_path):
    path = _write(tmp_path, trials=8, storage="journal", days=30)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sim.cli", "calibrate", str(path), "--out", str(out), "--workers", "1"]
    url = out / "study.journal"
    with open(tmp_path / "stderr.txt", "w", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr, env={**os.environ, "PYTHONWARNINGS": "error"})
        deadline = time.monotonic() + 120
        while len(_trials(url)) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        process.send_signal(signal.SIGKILL)
        code = process.wait()
    assert code == -signal.SIGKILL, "the calibration ended before it could be interrupted: " + (tmp_path / "stderr.txt").read_text(encoding="utf-8")[-500:]
    before = {t.number: (t.params, t.value) for t in _trials(url)}
    assert 2 <= len(before) < 8
    time.sleep(1.1)
    assert main(["calibrate", str(path), "--out", str(out), "--workers", "2", "--retry-stale", "1"]) == 0
    after = _trials(url)
    assert len(after) == 8
    kept = {t.number: (t.params, t.value) for t in after if t.number in before}
    assert kept == before  # nothing stored was lost or recomputed
    assert not _trials(url, optuna.trial.TrialState.RUNNING)


@pytest.mark.parametrize("change, expected", [
    (("2019-03-01", "2019-04-01"), "targets[0].end: 2019-01-01 to 2019-04-01 is outside the horizon of scenario teaching_town (2019-01-01 to 2019-03-01)"),
    (("relative_tolerance: 0.04", "weight: 2"), "targets[0].tolerance: give exactly one of tolerance (absolute) and relative_tolerance"),
    (("indicator: contacts", "indicator: contact"), "targets[0].indicator: expected a daily indicator"),
    (("statistic: mean", "statistic: total"), "targets[1].statistic: 'resolution_rate' is not a count per day, so it has no total; use mean"),
])
def test_bad_targets_give_one_line_errors(tmp_path, capsys, change, expected):
    path = _write(tmp_path, trials=2)
    targets = tmp_path / "targets.yaml"
    targets.write_text(targets.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    assert main(["calibrate", str(path), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and expected in error and "targets.yaml" in error


def test_shipped_calibration_loads_and_its_next_targets_wait_for_the_longer_timeline():
    from sim.analysis.analysis_file import load_analysis
    from sim.analysis.targets import load_targets
    from sim.inputs import InputError
    from sim.scenario import load_scenario

    spec, settings, targets = load_analysis(ROOT / "experiments" / "calibrate_beijing.yaml", "calibration")
    assert len(spec.uncertainties) == 24 and settings.trials == 200 and [p.name for p in targets] == ["beijing_public_record.yaml"]
    assert len(load_targets(targets[0], load_scenario(ROOT / "scenarios" / "beijing_2018_2024.yaml"))) == 10
    with pytest.raises(InputError, match=r"targets\[0\].start: 2018-01-01 to 2018-12-31 is outside the horizon of scenario beijing "):
        load_targets(targets[0], load_scenario(ROOT / "scenarios" / "beijing.yaml"))


def test_a_fitted_list_item_is_written_into_the_overlay_by_its_index(tmp_path):
    """A fitted parameter inside a list (a merger's share) changes that item of the extended scenario in place."""
    import yaml

    from sim.analysis.calibration_output import _set_in_overlay
    from sim.inputs import parse_path
    from sim.scenario import load_scenario

    data = {"extends": str(ROOT / "scenarios" / "beijing_2018_2024.yaml"), "name": "fitted"}
    _set_in_overlay(data, parse_path("timeline.mergers[1].share"), 0.37)
    _set_in_overlay(data, parse_path("handling.fix_with_authority"), 0.9)
    path = tmp_path / "best.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    scenario = load_scenario(path)
    base = load_scenario(ROOT / "scenarios" / "beijing_2018_2024.yaml")
    assert [m.share for m in scenario.timeline.mergers] == [base.timeline.mergers[0].share, 0.37, base.timeline.mergers[2].share]
    assert scenario.handling.fix_with_authority == 0.9 and len(scenario.timeline.reforms) == len(base.timeline.reforms)


def test_the_staged_search_starts_from_the_values_in_force():
    """scripts/staged_search.py (the search behind the shipped values) reads every fitted parameter of
    experiments/calibrate_beijing.yaml from the scenario, so each stage's first trial is the scenario as shipped."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import staged_search

    from sim import load_scenario
    from sim.analysis.analysis_file import load_analysis

    spec, _, _ = load_analysis(staged_search.ANALYSIS, "calibration")
    values = staged_search.scenario_values(load_scenario(spec.scenarios[0]), spec.uncertainties)
    assert set(values) == set(spec.uncertainties) and len(values) == 24
    assert values["behaviour.contact_scale"] == load_scenario(spec.scenarios[0]).behaviour.contact_scale
    assert values["timeline.mergers[2].share"] == load_scenario(spec.scenarios[0]).timeline.mergers[2].share
    for name, factor in spec.uncertainties.items():  # the values in force lie inside the ranges searched
        assert factor.low <= values[name] <= factor.high, name
    assert set(staged_search.VOLUME_PARAMETERS) < set(spec.uncertainties)
