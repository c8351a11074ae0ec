"""The lecturer's guide (docs/teaching.md) tells students what they will see; these tests check its main claims.

Each run is what the browser app shows after a full year with the guide's settings: the page's `ClassroomModel`
(teaching town, seed 42, default sliders unless the exercise moves one) and, for *Side by side*, its twin. The
assertions are on the directions and rough sizes the guide states, not on its exact numbers (those come from
scripts/teaching_numbers.py).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("solara", reason="the side-by-side twin is part of the browser app's [viz] extra")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import teaching_numbers  # noqa: E402  (the guide's numbers and these checks come from the same runs)


@cache
def page(regime: str, **sliders) -> tuple:
    """The page's run (Reset with these settings, then a year of play), as (model, numbers)."""
    model = teaching_numbers.page_run(regime=regime, **sliders)
    return model, numbers(model)


def numbers(model) -> dict[str, float]:
    out = teaching_numbers.summary(model)
    for month in ("jan", "dec"):
        out[f"contacts_{month}"] = out[f"contacts_per_day_{month}"]
        out[f"problems_{month}"] = out[f"new_problems_per_day_{month}"]
    return out


@cache
def side_by_side(regime: str, second: str) -> tuple[dict, dict]:
    model, twin = teaching_numbers.side_by_side(regime, second)
    return numbers(model), numbers(twin)


# ------------------------------------------------------------------- exercise 1: volume rises with the hotline


def test_same_problems_arise_under_whistle_and_hotline_but_the_hotline_draws_twice_the_contacts():
    whistle, hotline = side_by_side("whistle", "hotline")
    assert whistle["new_problems"] == hotline["new_problems"] > 3000
    assert whistle["prevented_problems"] == hotline["prevented_problems"] == 0
    assert hotline["contacts"] > 1.8 * whistle["contacts"]
    assert hotline["contacts_jan"] > 1.6 * whistle["contacts_jan"]  # from day one


def test_readiness_to_complain_climbs_faster_under_the_hotline_while_problems_stay_flat():
    whistle, hotline = side_by_side("whistle", "hotline")
    hotline_rise = hotline["mean_propensity"] - hotline["mean_propensity_start"]
    whistle_rise = whistle["mean_propensity"] - whistle["mean_propensity_start"]
    assert hotline_rise > 0.04  # bounded: a success memory that fades (ODD 7.11), not a compounding x1.57
    assert hotline_rise > 1.5 * whistle_rise
    assert hotline["contacts_dec"] > hotline["contacts_jan"]
    assert abs(hotline["problems_dec"] / hotline["problems_jan"] - 1) < 0.15


def test_a_readier_public_loads_the_streets_and_lowers_satisfaction():
    hotline = page("hotline")[1]
    eager = page("hotline", propensity=2.0)[1]
    assert eager["new_problems"] == hotline["new_problems"]
    assert eager["contacts"] > 1.5 * hotline["contacts"]
    assert eager["street_load"] > hotline["street_load"] + 0.1
    assert eager["backlog"] > 1.5 * hotline["backlog"]
    assert eager["satisfaction_rate"] < hotline["satisfaction_rate"]


# ------------------------------------------------------------------------ exercise 2: where the load lands


def test_whistle_summons_departments_more_and_loads_them_more():
    hotline, whistle = side_by_side("hotline", "whistle")
    assert whistle["whistles"] > 3 * hotline["whistles"]
    assert whistle["department_load"] > hotline["department_load"] + 0.1
    assert whistle["department_load"] > whistle["street_load"] + 0.15
    assert whistle["backlog"] > 1.6 * hotline["backlog"]
    assert whistle["response_rate"] < 0.8 < 0.95 < hotline["response_rate"]


def test_the_hotline_moves_the_load_to_the_streets_and_evens_it_out():
    hotline, whistle = side_by_side("hotline", "whistle")
    assert hotline["street_hours"] > whistle["street_hours"]
    assert hotline["department_hours"] < whistle["department_hours"]
    assert abs(hotline["street_load"] - hotline["department_load"]) < 0.1


def test_the_siphon_moves_staff_time_to_the_streets_and_lowers_the_true_fix_share():
    none = page("hotline", siphon_share=0.0)[1]
    heavy = page("hotline", siphon_share=0.6)[1]
    assert heavy["street_hours"] > 1.2 * none["street_hours"]
    assert heavy["department_hours"] < 0.8 * none["department_hours"]
    assert heavy["street_load"] > none["street_load"] + 0.1
    assert heavy["department_load"] < none["department_load"] - 0.1
    assert heavy["fix_share"] < none["fix_share"] - 0.04


def test_too_few_street_staff_swamp_the_streets():
    hotline = page("hotline")[1]
    short = page("hotline", street_staff=8)[1]
    assert short["street_load"] > 0.9
    assert short["backlog"] > 5 * hotline["backlog"]
    assert short["open_problems"] > 1.5 * hotline["open_problems"]
    assert short["satisfaction_rate"] < hotline["satisfaction_rate"] - 0.05


# ---------------------------------------------------------------------------- exercise 3: the monthly ranking


def test_ranking_pressure_lowers_the_true_fix_share_but_not_satisfaction():
    calm = page("hotline", ranking_pressure=0.0)[1]
    pressed = page("hotline", ranking_pressure=1.0)[1]
    assert calm["new_problems"] == pressed["new_problems"]
    assert pressed["fix_share"] < calm["fix_share"] - 0.04
    assert abs(pressed["satisfaction_rate"] - calm["satisfaction_rate"]) < 0.02
    assert pressed["resolution_rate"] < calm["resolution_rate"] + 0.01


def test_short_staffed_streets_score_a_higher_resolution_rate_while_fixing_less():
    hotline = page("hotline")[1]
    short = page("hotline", street_staff=8)[1]
    assert short["resolution_rate"] > hotline["resolution_rate"]
    assert short["fix_share"] < hotline["fix_share"] - 0.1


def test_the_whistle_deadline_changes_only_the_response_rate():
    quick = page("whistle", whistle_deadline=1)[1]
    slow = page("whistle", whistle_deadline=7)[1]
    assert slow["response_rate"] > quick["response_rate"]
    for key in ("new_problems", "contacts", "whistles", "open_problems", "street_hours", "department_hours",
                "resolution_rate", "satisfaction_rate", "fix_share", "cost"):
        assert slow[key] == pytest.approx(quick[key]), key


# ---------------------------------------------------------------------------------- exercise 4: prevention


def test_proactive_prevents_problems_and_lowers_the_open_stock_at_a_higher_cost():
    proactive, hotline = side_by_side("proactive", "hotline")
    assert proactive["new_problems"] < hotline["new_problems"]
    assert proactive["prevented_problems"] > 0.05 * proactive["new_problems"]
    assert proactive["open_problems"] < hotline["open_problems"]
    assert proactive["contacts"] < hotline["contacts"]
    assert proactive["department_load"] < hotline["department_load"]
    assert proactive["fix_share"] >= hotline["fix_share"]
    assert proactive["cost"] > 1.1 * hotline["cost"]


def test_a_bigger_prevention_budget_costs_much_more():
    none = page("proactive", prevention_budget=0)[1]
    rich = page("proactive", prevention_budget=60_000)[1]
    assert rich["cost"] > 1.5 * none["cost"]
    assert abs(rich["contacts"] / none["contacts"] - 1) < 0.05  # contacts barely change
