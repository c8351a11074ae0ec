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


def test_same_problems_arise_under_whistle_and_hotline_and_the_hotlines_volume_grows_through_the_year():
    whistle, hotline = side_by_side("whistle", "hotline")
    assert whistle["new_problems"] == hotline["new_problems"] > 3000
    assert whistle["prevented_problems"] == hotline["prevented_problems"] == 0
    assert hotline["contacts"] > 1.04 * whistle["contacts"]
    # no jump on day one (whistle-blowing's walk-ins count too): the hotline's volume grows over the year
    assert hotline["contacts_dec"] / hotline["contacts_jan"] > 1.15 > whistle["contacts_dec"] / whistle["contacts_jan"]


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
    # doubling the slider does not double contacts: only residents who know of 12345 call it (ODD 7.10)
    assert eager["contacts"] > 1.25 * hotline["contacts"]
    assert eager["street_load"] > hotline["street_load"] + 0.1
    assert eager["backlog"] > 1.5 * hotline["backlog"]
    assert eager["satisfaction_rate"] <= hotline["satisfaction_rate"]


# ------------------------------------------------------------------------ exercise 2: where the load lands


def test_whistle_summons_departments_more_and_loads_them_more():
    hotline, whistle = side_by_side("hotline", "whistle")
    assert whistle["whistles"] > 3 * hotline["whistles"]
    assert whistle["department_load"] > hotline["department_load"] + 0.1
    assert whistle["department_load"] > whistle["street_load"] + 0.1
    assert whistle["backlog"] > 1.6 * hotline["backlog"]
    assert whistle["response_rate"] < 0.8 < 0.95 < hotline["response_rate"]


def test_whistle_blowings_streets_work_more_hours_for_fewer_rated_lessons():
    """Under whistle-blowing the streets also work patrol finds and walk-ins, which nobody rates, so they learn less
    (ODD 7.16) and need more hours per ticket: both bodies are busier than under the hotline."""
    hotline, whistle = side_by_side("hotline", "whistle")
    assert whistle["street_hours"] > hotline["street_hours"]
    assert whistle["department_hours"] > hotline["department_hours"]
    assert whistle["street_load"] > hotline["street_load"] + 0.1


def test_the_siphon_moves_staff_time_to_the_streets_and_lowers_the_true_fix_share():
    none = page("hotline", siphon_share=0.0)[1]
    heavy = page("hotline", siphon_share=0.6)[1]
    assert heavy["street_hours"] > 1.1 * none["street_hours"]
    assert heavy["department_hours"] < 0.85 * none["department_hours"]
    assert heavy["street_load"] > none["street_load"] + 0.05
    assert heavy["department_load"] < none["department_load"] - 0.1


def test_too_few_street_staff_swamp_the_streets():
    hotline = page("hotline")[1]
    short = page("hotline", street_staff=8)[1]
    assert short["street_load"] > 0.85
    assert short["backlog"] > 3 * hotline["backlog"]
    assert short["open_problems"] > 1.15 * hotline["open_problems"]
    assert short["satisfaction_rate"] < hotline["satisfaction_rate"] - 0.05


# ---------------------------------------------------------------------------- exercise 3: the monthly ranking


def test_ranking_pressure_is_split_between_gaming_and_building_capability():
    """At the calibrated split (about a quarter gaming), a year of full pressure raises the true fix share: the
    capability streets invest in outweighs the effort gaming diverts. The rates rise too, as they would under any
    split (gaming flatters them), so only the true fix share tells what the ranking bought."""
    calm = page("hotline", ranking_pressure=0.0)[1]
    pressed = page("hotline", ranking_pressure=1.0)[1]
    assert calm["new_problems"] == pressed["new_problems"]
    assert pressed["fix_share"] > calm["fix_share"] + 0.01
    assert pressed["resolution_rate"] > calm["resolution_rate"] + 0.01
    assert pressed["satisfaction_rate"] > calm["satisfaction_rate"] + 0.01


def test_short_staffed_streets_fix_less_and_no_longer_score_a_higher_resolution_rate():
    """A problem that went away while its ticket waited is no longer rated resolved by default (ODD 7.6), so
    overload cannot raise the resolution rate; satisfaction shows the lateness."""
    hotline = page("hotline")[1]
    short = page("hotline", street_staff=8)[1]
    assert short["resolution_rate"] <= hotline["resolution_rate"] + 0.005
    assert short["fix_share"] < hotline["fix_share"] - 0.04
    assert short["satisfaction_rate"] < hotline["satisfaction_rate"] - 0.05


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
    # prevention is a production function of spend (ODD 7.8): the money buys fewer problems and contacts
    assert rich["open_problems"] < none["open_problems"] and 0.8 < rich["contacts"] / none["contacts"] < 0.98
