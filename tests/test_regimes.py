"""The regimes differ in the directions their mechanisms imply (teaching town, seed 7, one year)."""

from __future__ import annotations

import numpy as np


def test_common_random_numbers_same_problems_arise(town_runs):
    """Hotline and whistle prevent nothing, so with one seed they face exactly the same new problems each day."""
    assert (town_runs["hotline"].daily["new_problems"] == town_runs["whistle"].daily["new_problems"]).all()


def test_induced_demand_hotline_draws_more_contacts_than_whistle(town_runs):
    hotline, whistle = town_runs["hotline"].totals(), town_runs["whistle"].totals()
    # the same year and town: no jump (awareness spreads slowly, whistle-blowing's walk-ins count too), but more
    assert hotline["contacts"] > 1.05 * whistle["contacts"]
    assert hotline["mean_propensity"] > whistle["mean_propensity"]


def test_propensity_rises_under_hotline(town_runs):
    daily = town_runs["hotline"].daily
    # a fading, bounded success memory (ODD 7.11): it rises, but not by the old compounding's 10 %+ a year
    assert daily["mean_propensity"].iloc[-1] > 1.04 * daily["mean_propensity"].iloc[0]


def test_whistle_regime_blows_more_whistles_and_patrols(town_runs):
    whistle, hotline = town_runs["whistle"], town_runs["hotline"]
    assert whistle.totals()["whistles"] > 2 * hotline.totals()["whistles"]
    assert whistle.daily["patrol_hours"].sum() > 0 == hotline.daily["patrol_hours"].sum()


def test_prevention_lowers_the_open_problem_stock(town_runs):
    proactive, hotline = town_runs["proactive"].daily, town_runs["hotline"].daily
    second_half = slice(182, None)
    assert proactive["open_problems"][second_half].mean() < 0.9 * hotline["open_problems"][second_half].mean()
    assert proactive["prevention_spend"].sum() > 0 == hotline["prevention_spend"].sum()
    assert proactive["tickets_opened"].sum() < hotline["tickets_opened"].sum()


def test_monthly_topics_pick_busy_categories(town_runs):
    topics = town_runs["proactive"].topics
    assert 10 <= len(topics) <= 12  # one a month after the first month
    assert "other" not in set(topics["category"])  # not eligible
    assert topics["arrival_cut"].between(0, 1).all()


def test_hotline_contacts_residents_faster(town_runs):
    assert town_runs["hotline"].totals()["response_rate"] > town_runs["whistle"].totals()["response_rate"] + 0.1


def test_siphon_loads_streets_more_under_hotline(town_runs):
    from sim import run

    def street_share(results):
        daily = results.daily
        return daily["street_hours"].sum() / (daily["street_hours"].sum() + daily["department_hours"].sum())

    without = run("teaching_town", seed=7, regime="hotline", siphon_share=0.0)
    assert street_share(town_runs["hotline"]) > street_share(without)


def test_ranking_pressure_manufactures_satisfaction_when_streets_game():
    from sim import run

    gaming = {"regimes.hotline.gaming_share": 1.0}
    calm = run("teaching_town", seed=7, ranking_pressure=0.0, overrides=gaming).totals()
    pressed = run("teaching_town", seed=7, ranking_pressure=1.0, overrides=gaming).totals()
    assert pressed["fix_share"] < calm["fix_share"]
    gap = lambda t: t["satisfaction_rate"] - t["fix_share"]  # noqa: E731
    assert gap(pressed) > gap(calm)


def test_ranking_pressure_builds_capability_when_streets_invest():
    from sim import run

    investing = {"regimes.hotline.gaming_share": 0.0}
    calm = run("teaching_town", seed=7, ranking_pressure=0.0, overrides=investing).daily
    pressed = run("teaching_town", seed=7, ranking_pressure=1.0, overrides=investing).daily
    assert pressed["street_capability"].iloc[-1] > calm["street_capability"].iloc[-1]
