"""Sensitivity analysis: known indices through the same code path as the model, paired differences on one seed,
the files and figures of `govsim sensitivity`, and the one-line errors of analysis files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami

from sim import run
from sim.analysis.evaluators import FunctionEvaluator
from sim.analysis.outcomes import Outcome
from sim.analysis.sensitivity import morris_design, run_design, sobol_design
from sim.analysis.uncertainties import Uncertainty
from sim.cli import main
from sim.experiment.plan import replicate_seed
from tests.conftest import ROOT, TEACHING_TOWN

ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}  # a = 7, b = 0.1 [Ishigami & Homma 1990; Saltelli et al. 2008]
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
Y = [Outcome("y", "y", None, None, None)]


def _ishigami(point: dict) -> dict:
    return {"y": float(Ishigami.evaluate(np.array([[point["x1"], point["x2"], point["x3"]]]))[0])}


def test_sobol_indices_of_ishigami_land_within_their_intervals():
    factors = {name: Uncertainty(low=-math.pi, high=math.pi) for name in ("x1", "x2", "x3")}
    indices, _ = run_design(sobol_design(factors, 1024, seed=5), FunctionEvaluator(_ishigami), Y, seed=5)
    table = indices.set_index("factor")
    for name in factors:
        assert abs(table.at[name, "S1"] - ISHIGAMI_S1[name]) <= table.at[name, "S1_conf"], name
        assert abs(table.at[name, "ST"] - ISHIGAMI_ST[name]) <= table.at[name, "ST_conf"], name
    assert table["ST"].idxmax() == "x1" and table["S1"].idxmax() == "x2"


def test_morris_effects_are_in_outcome_units_per_step_of_the_range():
    # y = 3a + b²·0 + 10·(integer c): μ* of a is 3 × its range (the step is in quantile units); b does nothing
    factors = {"a": Uncertainty(low=2, high=4), "b": Uncertainty(low=0, high=1), "c": Uncertainty(distribution="integer", low=1, high=4)}
    indices, _ = run_design(morris_design(factors, 8, 4, seed=1), FunctionEvaluator(lambda p: {"y": 3 * p["a"] + 10 * p["c"]}), Y, seed=1)
    table = indices.set_index("factor")
    assert table.at["a", "mu_star"] == pytest.approx(3 * 2)
    assert table.at["b", "mu_star"] == 0 and table.at["b", "sigma"] == 0
    assert table.at["c", "mu_star"] > 0


def test_distributions_map_the_unit_interval_to_their_truncated_quantiles():
    normal = Uncertainty(distribution="normal", mean=0.85, sd=0.05, low=0.7, high=0.95)
    assert normal.value_at(0) == pytest.approx(0.7) and normal.value_at(1) == pytest.approx(0.95) and normal.value_at(0.5) == pytest.approx(0.85, abs=0.005)
    lognormal = Uncertainty(distribution="lognormal", median=1.0, sigma=0.2, low=0.6, high=1.6)
    assert lognormal.value_at(0.5) == pytest.approx(1.0, abs=0.01)
    integer = Uncertainty(distribution="integer", low=1, high=7)
    assert [integer.value_at(u) for u in (0, 0.5, 1)] == [1, 4, 7]


SENSITIVITY = """name: town_sensitivity
scenarios: [{town}]
regimes: [whistle, hotline]
replicates: 2
seed: 3
days: 20
overrides: {{warmup_days: 0}}
uncertainties:
  behaviour.success_boost: {{low: 0.3, high: 0.8}}
  handling.fix_with_authority: {{low: 0.7, high: 0.95}}
sensitivity:
  outcomes:
    resolution: resolution_rate@hotline-whistle
    backlog: backlog:mean@hotline
  morris: {{trajectories: 2}}
"""


@pytest.fixture(scope="module")
def town_morris(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sensitivity")
    path = folder / "town.yaml"
    path.write_text(SENSITIVITY.format(town=TEACHING_TOWN), encoding="utf-8")
    assert main(["sensitivity", str(path), "--out", str(folder / "out"), "--workers", "2"]) == 0
    return folder / "out" / "morris"


def test_sensitivity_writes_indices_design_and_figure(town_morris):
    indices = pd.read_parquet(town_morris / "indices.parquet")
    assert set(indices["outcome"]) == {"resolution", "backlog"}
    assert set(indices["factor"]) == {"behaviour.success_boost", "handling.fix_with_authority"}
    assert indices["unit"].tolist()[:2] == ["relative change per unit of memory", "probability"]
    assert (indices["mu_star"] >= 0).all() and indices["mu_star"].max() > 0
    assert len(pd.read_csv(town_morris / "design.csv")) == 2 * (2 + 1)
    assert (town_morris / "figures" / "mu_star_sigma.png").stat().st_size > 10_000


def test_paired_difference_takes_both_regimes_on_the_same_seed(town_morris):
    design = pd.read_csv(town_morris / "design.csv")
    tidy = pd.read_csv(town_morris / "outcomes_by_replicate.csv")
    row = tidy[(tidy["outcome"] == "resolution") & (tidy["point"] == 1) & (tidy["replicate"] == 1)].iloc[0]
    seed = replicate_seed(3, 1)
    assert row["seed"] == seed
    point = design.iloc[1]
    params = {"behaviour.success_boost": float(point["behaviour.success_boost"]), "handling.fix_with_authority": float(point["handling.fix_with_authority"]), "warmup_days": 0}
    hotline = run(TEACHING_TOWN, seed=seed, regime="hotline", days=20, overrides=params).totals()["resolution_rate"]
    whistle = run(TEACHING_TOWN, seed=seed, regime="whistle", days=20, overrides=params).totals()["resolution_rate"]
    assert row["value"] == pytest.approx(hotline - whistle, abs=1e-12)


BAD = [
    ("  nothing.here: {low: 0, high: 1}", "uncertainties.nothing.here: not a scenario field: unknown field"),
    ("  behaviour.success_boost: {low: 0.5, high: 0.5}", "uncertainties.behaviour.success_boost.high: empty range: expected a number > low (0.5), got 0.5"),
    ("  regime: {low: 0, high: 1}", "uncertainties.regime: an uncertainty needs a numeric field; this one holds text ('hotline')"),
    ("  categories.housing.street_duty: {low: 0, high: 1}", "an uncertainty needs a numeric field; this one holds true/false"),
    ("  behaviour.success_boost: {low: 0.1, high: .inf}", "uncertainties.behaviour.success_boost.high: expected a finite number, got inf"),
    ("  whistle_deadline: {low: 1, high: 5}", "uncertainties.regimes.whistle.report_days: this field takes whole numbers: give it `distribution: integer`"),
    ("  behaviour.success_boost: {low: 0.1, high: 1.5, distribution: normal, mean: 0.5}", "a normal uncertainty needs `sd`"),
    ("  handling.fix_without_authority: {low: 0.5, high: 1.2}", "uncertainties.handling.fix_without_authority: expected a number ≤ 1, got 1.2"),
]


@pytest.mark.parametrize("line, expected", BAD)
def test_bad_uncertainties_give_one_line_errors(tmp_path, capsys, line, expected):
    text = SENSITIVITY.format(town=TEACHING_TOWN).replace("  behaviour.success_boost: {low: 0.3, high: 0.8}", line)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and expected in error and str(path) in error
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("old, new, expected", [
    ("resolution_rate@hotline-whistle", "resolution_rate@proactive-whistle", "regime 'proactive' is not run by this experiment"),
    ("backlog:mean@hotline", "backlog@hotline-hotline", "a paired difference needs two different regimes"),
    ("backlog:mean@hotline", "street_hours@hotline", "a daily indicator needs a statistic, e.g. street_hours:mean"),
    ("morris: {trajectories: 2}", "sobol: {samples: 12}", "sensitivity.sobol.samples: expected a power of 2"),
    ("morris: {trajectories: 2}", "morris: {trajectories: 0}", "sensitivity.morris.trajectories: expected a number > 0, got 0"),
])
def test_bad_sensitivity_sections_give_one_line_errors(tmp_path, capsys, old, new, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(SENSITIVITY.format(town=TEACHING_TOWN).replace(old, new), encoding="utf-8")
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and expected in error


def test_plain_experiment_refuses_to_ignore_uncertainties(tmp_path, capsys):
    path = tmp_path / "plain.yaml"
    path.write_text(SENSITIVITY.format(town=TEACHING_TOWN).split("sensitivity:")[0], encoding="utf-8")
    assert main(["experiment", str(path), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "`govsim sensitivity` and `govsim calibrate` sample" in error


def test_shipped_sensitivity_file_has_the_documented_size():
    from sim.analysis.analysis_file import load_analysis
    from sim.analysis.sensitivity import morris_design

    spec, settings, outcomes = load_analysis(ROOT / "experiments" / "sensitivity_regimes.yaml", "sensitivity")
    assert len(spec.uncertainties) == 28 and spec.scale == 0.01 and list(spec.regimes) == ["whistle", "hotline", "proactive"]
    design = morris_design(dict(spec.uncertainties), settings.morris.trajectories, settings.morris.levels, spec.seed)
    assert len(design.unit_points) * len(spec.regimes) * spec.replicates == 1740
    assert {o.text.split("@")[1] for o in outcomes} == {"hotline-whistle", "proactive-hotline"}
    assert {o.indicator for o in outcomes} == {"resolution_rate", "satisfaction_rate", "fix_share", "street_load", "cost"}


def test_sobol_takes_the_factors_that_lead_an_outcome_and_breaks_ties_by_breadth():
    from sim.analysis.sensitivity import top_factors

    # a leads outcome y, c leads z (both score 1); b is second everywhere, so it matters more broadly than a or c
    # but leads nothing; d is nearly inert
    rows = [("y", "a", 10.0), ("y", "b", 8.0), ("y", "c", 0.0), ("y", "d", 0.1),
            ("z", "a", 0.0), ("z", "b", 9.0), ("z", "c", 10.0), ("z", "d", 0.1)]
    indices = pd.DataFrame(rows, columns=["outcome", "factor", "mu_star"])
    assert top_factors(indices, 2) == ["a", "c"]
    indices.loc[(indices.outcome == "z") & (indices.factor == "a"), "mu_star"] = 5.0  # a now also matters for z
    assert top_factors(indices, 1) == ["a"] and top_factors(indices, 3) == ["a", "c", "b"]
