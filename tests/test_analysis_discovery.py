"""Scenario discovery: PRIM finds a planted box, and `govsim discover` reads stored runs and prints boxes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.evaluators import read_outcomes
from sim.analysis.outcomes import parse_outcome
from sim.analysis.prim import covering, find_box
from sim.experiment.runner import run_experiment
from sim.cli import main
from tests.conftest import TEACHING_TOWN


def _planted(n: int = 600, seed: int = 1):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, 3)), columns=["a", "b", "c"])
    x["d"] = rng.integers(1, 5, n)
    y = (((x["a"] > 0.6) & (x["b"] < 0.4)) | ((x["c"] > 0.8) & (x["d"] == 4))).to_numpy()
    return x, y


def test_prim_finds_the_planted_boxes():
    x, y = _planted()
    boxes = covering(x, y)
    first = boxes[0]
    assert set(first.limits) == {"a", "b"}
    # the chosen box is the widest whose density reaches 0.8, so its edges may sit a little outside the planted ones
    assert first.limits["a"][0] == pytest.approx(0.6, abs=0.05) and first.limits["b"][1] == pytest.approx(0.4, abs=0.08)
    assert first.density >= 0.8 and first.coverage >= 0.7
    assert all(p < 1e-6 for p in first.qp_values.values())
    second = boxes[1]
    assert second.limits["d"] == (4.0, 4.0) and second.limits["c"][0] == pytest.approx(0.8, abs=0.1)


def test_peeling_trades_coverage_for_density():
    x, y = _planted()
    trajectory = find_box(x, y, np.ones(len(x), dtype=bool)).trajectory
    assert trajectory["coverage"].is_monotonic_decreasing
    assert trajectory["density"].iloc[-1] > 3 * trajectory["density"].iloc[0]
    assert trajectory["support"].iloc[-1] >= 0.05


EXPERIMENT = """name: town_lhs
scenarios: [{town}]
regimes: [whistle, hotline]
replicates: 1
seed: 2
days: 60
overrides: {{warmup_days: 0}}
parameters:
  latin_hypercube:
    points: 12
    ranges:
      handling.fix_with_authority: {{low: 0.6, high: 0.95}}
      propensity: {{low: 0.5, high: 1.5}}
"""


def test_discover_prints_boxes_from_stored_runs(tmp_path, capsys):
    path = tmp_path / "lhs.yaml"
    path.write_text(EXPERIMENT.format(town=TEACHING_TOWN), encoding="utf-8")
    assert run_experiment(path, tmp_path / "out", workers=2, progress=False, echo=lambda *_: None).ok
    # Contacts under complaint-response, not its difference from whistle-blowing: in 60 days of a town of 16,000 that
    # difference is a few dozen contacts of chance (the hotline's reach grows with awareness, over years).
    outcome = "contacts@hotline"
    values, _ = read_outcomes(tmp_path / "out", [parse_outcome("x", outcome, ["whistle", "hotline"])])
    threshold = float(values["x"].median())  # half the points: more contacts than this
    assert main(["discover", str(tmp_path / "out"), "--outcome", outcome, "--threshold", str(threshold), "--min-support", "0.1"]) == 0
    text = capsys.readouterr().out
    assert "12 parameter points" in text and "at 6 of them (50%)" in text
    # contacts grow with residents' propensity to complain: the box bounds propensity from below
    assert "box 1: coverage" in text and "propensity [multiplier]" in text


def _exit_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as stop:  # argparse's own refusals
        return int(stop.code)


@pytest.mark.parametrize("arguments, expected", [
    (["--outcome", "contacts", "--threshold", "0"], "this experiment runs several regimes"),
    (["--outcome", "contacts@proactive", "--threshold", "0"], "regime 'proactive' is not run by this experiment"),
    (["--outcome", "contacts@hotline", "--threshold", "x"], "expected a number, got 'x'"),
])
def test_discover_bad_input_gives_one_line_errors(tmp_path, capsys, arguments, expected):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "experiment.json").write_text('{"spec": {"regimes": ["whistle", "hotline"]}, "swept": ["x"], "points": [{"x": 1}], "runs": []}', encoding="utf-8")
    assert _exit_code(["discover", str(tmp_path / "out"), *arguments]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and expected in error
