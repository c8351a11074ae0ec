"""The statistics of a comparison, checked against hand computations on small tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.experiment.stats import all_paired_differences, band, paired_differences, paired_interval, summarise
from sim.experiment.summary_tables import band_text, difference_text

T_975_3 = 3.182446305284263  # Student t, 97.5th percentile, 3 degrees of freedom (printed tables: 3.182)


def test_band_is_the_median_and_10_90_percentiles_with_linear_interpolation():
    # Sorted 1, 2, 3, 4, 10: the 10th percentile sits 0.4 of the way from 1 to 2, the 90th 0.6 of the way from 4 to 10.
    result = band([10, 3, 1, 4, 2, float("nan")])
    assert result == {"n": 5, "median": 3.0, "p10": pytest.approx(1.4), "p90": pytest.approx(7.6), "mean": 4.0}
    assert band([float("nan")])["n"] == 0 and math.isnan(band([])["median"])


def test_paired_interval_is_the_t_interval_of_the_mean_difference():
    # Differences 2, 3, 0, 3: mean 2; squared deviations 0, 1, 4, 1 -> s^2 = 6 / 3 = 2; se = sqrt(2 / 4).
    result = paired_interval([2, 3, 0, 3])
    half = T_975_3 * math.sqrt(2 / 4)
    assert result["n"] == 4 and result["mean"] == 2.0
    assert result["low"] == pytest.approx(2 - half) and result["high"] == pytest.approx(2 + half)
    assert result["low"] == pytest.approx(-0.2504, abs=1e-4) and result["high"] == pytest.approx(4.2504, abs=1e-4)
    single = paired_interval([5.0])
    assert single["mean"] == 5.0 and math.isnan(single["low"]) and math.isnan(single["high"])


def small_table() -> pd.DataFrame:
    """Two regimes x four replicates (rows shuffled: pairing must follow the replicate, not the row order)."""
    rows = [
        ("hotline", 2, 11.0), ("whistle", 0, 10.0), ("whistle", 1, 12.0), ("hotline", 0, 12.0),
        ("whistle", 3, 13.0), ("hotline", 1, 15.0), ("whistle", 2, 11.0), ("hotline", 3, 16.0),
    ]
    frame = pd.DataFrame(rows, columns=["regime", "replicate", "cost"])
    frame.insert(0, "scenario", "town")
    return frame


def test_paired_differences_pair_replicate_k_with_replicate_k():
    table = small_table()
    differences = paired_differences(table, ["scenario"], ["cost"])
    row = differences.iloc[0]
    # The first regime seen is 'hotline', so the difference is whistle - hotline: 10-12, 12-15, 11-11, 13-16.
    assert (row["compared"], row["a"], row["b"], row["n"]) == ("regime", "hotline", "whistle", 4)
    assert row["mean_difference"] == -2.0
    assert row["ci_high"] == pytest.approx(-2 + T_975_3 * math.sqrt(2 / 4))
    # A missing replicate drops its pair only.
    fewer = paired_differences(table[~((table["regime"] == "hotline") & (table["replicate"] == 3))], ["scenario"], ["cost"])
    assert fewer.iloc[0]["n"] == 3 and fewer.iloc[0]["mean_difference"] == pytest.approx((-2 - 3 + 0) / 3)


def test_paired_differences_follow_a_given_order():
    row = paired_differences(small_table(), ["scenario"], ["cost"], order=["whistle", "hotline"]).iloc[0]
    assert (row["a"], row["b"], row["mean_difference"]) == ("whistle", "hotline", 2.0)


def grid_table() -> pd.DataFrame:
    """Two scenarios x two regimes x a 2 x 2 grid of two parameters x three replicates: cost = 100 x scenario
    (0 or 1) + 10 x regime (0 or 1) + staff + 5 x pressure, plus a replicate effect shared by all (common seeds)."""
    rows = []
    for s, scenario in enumerate(("town", "town_plus")):
        for r, regime in enumerate(("whistle", "hotline")):
            for staff in (10, 20):
                for pressure in (0.2, 0.8):
                    for k in range(3):
                        rows.append((scenario, staff, pressure, regime, k, 100 * s + 10 * r + staff + 5 * pressure + k * k))
    return pd.DataFrame(rows, columns=["scenario", "staff", "pressure", "regime", "replicate", "cost"])


def test_differences_between_scenarios_and_parameter_values_hold_everything_else_fixed():
    table = grid_table()
    found = all_paired_differences(table, ["scenario", "staff", "pressure", "regime"], ["cost"], swept=["staff", "pressure"])
    counts = found["compared"].value_counts().to_dict()
    # regimes: 2 scenarios x 4 points; scenarios: 2 regimes x 4 points; each parameter: 2 x 2 x 2 other combinations
    assert counts == {"regime": 8, "scenario": 8, "staff": 8, "pressure": 8}
    scenario = found[found["compared"] == "scenario"].iloc[0]
    assert (scenario["a"], scenario["b"], scenario["mean_difference"]) == ("town", "town_plus", 100)
    assert scenario["ci_low"] == scenario["ci_high"] == 100  # the replicate effect cancels: same seed, same luck
    assert scenario["scenario"] is None and scenario["regime"] == "whistle"
    staff = found[found["compared"] == "staff"].iloc[0]
    assert (staff["a"], staff["b"], staff["mean_difference"], staff["n"]) == (10, 20, 10, 3)
    assert staff["staff"] is None and staff["pressure"] == 0.2
    assert found[found["compared"] == "pressure"]["mean_difference"].tolist() == pytest.approx([3.0] * 8)


def test_points_of_a_sample_have_no_pairs_sharing_the_other_parameters():
    table = grid_table()
    # as in a Latin hypercube, no two points share a value of either parameter
    table = table.assign(staff=table["staff"] + table["pressure"], pressure=table["pressure"] + table["staff"] / 1000)
    found = all_paired_differences(table, ["scenario", "staff", "pressure", "regime"], ["cost"], swept=["staff", "pressure"])
    assert set(found["compared"]) == {"regime", "scenario"}


def test_summarise_gives_a_band_per_regime():
    table = summarise(small_table(), ["scenario", "regime"], ["cost"])
    assert list(table["regime"]) == ["hotline", "whistle"]
    whistle = table.set_index("regime").loc["whistle"]
    assert whistle["median"] == 11.5 and whistle["p10"] == pytest.approx(10.3) and whistle["p90"] == pytest.approx(12.7)


def test_printed_cells():
    assert band_text({"kind": "rate", "n": 20, "median": 0.8512, "p10": 0.842, "p90": 0.8601}) == "85.1% (84.2–86.0)"
    assert band_text({"kind": "money", "n": 20, "median": 27_520_006, "p10": 27_445_042, "p90": 27_585_968}) == "27.52 M (27.45–27.59)"
    assert band_text({"kind": "count", "n": 1, "median": 1234.0, "p10": 1234.0, "p90": 1234.0}) == "1,234"
    assert difference_text({"kind": "rate", "n": 20, "mean_difference": 0.0198, "ci_low": 0.0171, "ci_high": 0.0224}) == "+2.0 pp [+1.7, +2.2]"
    assert difference_text({"kind": "count", "n": 20, "mean_difference": -2757.2, "ci_low": -2832.0, "ci_high": -2683.0}) == "-2,757 [-2,832, -2,683]"
