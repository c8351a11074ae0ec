"""The demand side of issue 11 (ODD 7.10-7.14): each new parameter moves its outcome in the documented direction.

One-at-a-time tests on small fast runs of the teaching town (no warm-up unless said, a few months), under common
random numbers: the two runs of a pair share their seed, and where noise could decide the direction, seeds are pooled.
"""

from __future__ import annotations

from sim.scenario import load_scenario

import numpy as np
import pytest

from sim.model import GovernanceModel
from sim.scenario.schema import Behaviour

SEEDS = (1, 2, 3)


def simulate(days: int = 120, seed: int = 1, regime: str = "hotline", scenario: str = "teaching_town", scale: float = 1.0, **overrides):
    changes = {"warmup_days": 0, **{key.replace("__", "."): value for key, value in overrides.items()}}
    model = GovernanceModel(scenario, regime=regime, rng=seed, scale=scale, days=days, overrides=changes)
    while model.running:
        model.step()
    return model, model.datacollector.get_model_vars_dataframe()


def pooled(column: str, seeds=SEEDS, reduce="sum", **kwargs) -> float:
    series = [simulate(seed=seed, **kwargs)[1][column] for seed in seeds]
    if reduce == "mean_last":  # the mean over seeds of the last day's value
        return float(np.mean([s.iloc[-1] for s in series]))
    return float(np.sum([getattr(s, reduce)() for s in series]))


def true_mean_propensity(model) -> float:
    residents = model.residents
    return float(residents.current_propensity(np.arange(residents.n), model.day).mean(dtype=np.float64))


def rate(frame, name: str) -> float:
    counts = {"satisfaction_rate": "satisfied", "resolution_rate": "resolved"}
    return float((frame[name] * frame["rated"]).sum() / frame["rated"].sum()) if name in counts else float(frame[name].mean())


# ---------------------------------------------------------------------------------------------- A. awareness

def test_more_publicity_brings_more_hotline_contacts():
    low = pooled("hotline_contacts", behaviour__publicity_hotline=0.0)
    high = pooled("hotline_contacts", behaviour__publicity_hotline=0.02)
    assert high > 1.3 * low, (low, high)


def test_publicity_under_whistle_blowing_brings_more_hotline_contacts():
    low = pooled("hotline_contacts", regime="whistle", behaviour__publicity_whistle=0.0)
    high = pooled("hotline_contacts", regime="whistle", behaviour__publicity_whistle=0.02)
    assert high > 1.3 * low, (low, high)


def test_word_of_mouth_speeds_adoption():
    kwargs = dict(behaviour__publicity_hotline=0.0)
    slow = simulate(behaviour__word_of_mouth=0.0, **kwargs)[1]["awareness"].iloc[-1]
    fast = simulate(behaviour__word_of_mouth=0.02, **kwargs)[1]["awareness"].iloc[-1]
    start = load_scenario("teaching_town").behaviour.initial_awareness
    assert slow == pytest.approx(start)  # no media, no word of mouth: nobody new learns of 12345
    assert fast > slow + 0.2, (slow, fast)


def test_a_longer_outcome_memory_lets_satisfied_neighbours_spread_the_word_faster():
    kwargs = dict(behaviour__publicity_hotline=0.0, behaviour__word_of_mouth=0.05)
    short = simulate(behaviour__outcome_memory_days=1.0, **kwargs)[1]["awareness"].iloc[-1]
    long = simulate(behaviour__outcome_memory_days=365.0, **kwargs)[1]["awareness"].iloc[-1]
    assert long > short + 0.01, (short, long)


def test_initial_awareness_raises_contacts():
    low = pooled("contacts", days=60, behaviour__initial_awareness=0.2)
    high = pooled("contacts", days=60, behaviour__initial_awareness=0.8)
    assert high > 1.5 * low, (low, high)


def test_the_hotline_reach_lever_is_the_initial_awareness():
    model = GovernanceModel("teaching_town", rng=1, days=1, hotline_reach=0.3, overrides={"warmup_days": 0})
    assert model.spec.behaviour.initial_awareness == 0.3


# ------------------------------------------------------------------------------------------------ B. mergers

def test_a_merger_brings_more_requests_after_its_date():
    merger = [{"date": "2019-03-02", "categories": None, "share": 1.0, "name": "all lines"}]
    _, without = simulate(days=120)
    _, with_merger = simulate(days=120, timeline__mergers=merger)
    before, after = without.day < 60, without.day >= 60
    assert with_merger.hotline_contacts[before].sum() == without.hotline_contacts[before].sum()  # same seed, same days
    assert with_merger.hotline_contacts[after].sum() > 1.5 * without.hotline_contacts[after].sum()


def test_a_merger_of_some_categories_brings_only_theirs():
    merger = [{"date": "2019-01-01", "categories": ["market_regulation"], "share": 2.0}]
    model, _ = simulate(days=10, timeline__mergers=merger)
    coverage = model.timeline.coverage(5)
    names = list(model.spec.categories)
    assert coverage[names.index("market_regulation")] == 3.0
    assert np.all(np.delete(coverage, names.index("market_regulation")) == 1.0)


# ------------------------------------------------------------------------------------------ C. induced demand

@pytest.fixture(scope="module")
def propensity_runs():
    def mean(**overrides):
        return true_mean_propensity(simulate(days=365, **overrides)[0])

    return {
        "default": mean(),
        "fast_decay": mean(behaviour__memory_decay=0.05),
        "no_decay": mean(behaviour__memory_decay=0.0),
        "cap_low": mean(behaviour__memory_cap=0.5),
        "cap_high": mean(behaviour__memory_cap=5.0),
        "boost_high": mean(behaviour__success_boost=1.5),
        "boost_zero": mean(behaviour__success_boost=0.0),
        "drop_high": mean(behaviour__failure_drop=0.9),
        "drop_zero": mean(behaviour__failure_drop=0.0),
    }


def test_faster_memory_decay_lowers_induced_propensity(propensity_runs):
    r = propensity_runs
    assert r["fast_decay"] < r["default"] < r["no_decay"], r


def test_a_higher_memory_cap_allows_more_induced_propensity(propensity_runs):
    assert propensity_runs["cap_low"] < propensity_runs["cap_high"], propensity_runs


def test_success_boost_and_failure_drop_move_propensity(propensity_runs):
    r = propensity_runs
    assert r["boost_zero"] < r["default"] < r["boost_high"], r
    assert r["drop_high"] < r["drop_zero"], r


def test_induced_demand_is_bounded_over_five_years():
    model, frame = simulate(days=5 * 365, scenario="teaching_town", warmup_days=90)
    b = model.spec.behaviour
    mean = true_mean_propensity(model)
    assert mean < 1.3, mean  # the old compounding x(1 + boost) reached 2.2 here
    assert frame["mean_propensity"].max() < 1.3
    assert model.residents.memory.max() <= b.memory_cap
    current = model.residents.current_propensity(np.arange(model.residents.n), model.day)
    assert np.all(current <= model.residents.propensity + 1e-6)  # the sampler's weights bound the current values


def test_the_draws_stay_exact_a_seed_fixes_a_run():
    a = simulate(days=60, seed=5)[1]
    b = simulate(days=60, seed=5)[1]
    assert a.drop(columns=["date"]).equals(b.drop(columns=["date"]))


# ------------------------------------------------------------------------------------------- D. consultations

def test_consultation_scale_raises_the_consultation_share():
    def share(scale):
        return pooled("consultations", behaviour__consultation_scale=scale) / pooled("contacts", behaviour__consultation_scale=scale)

    assert share(2.0) > share(1.0) + 0.05


def test_consultations_do_not_follow_complaint_success():
    seeds = range(10, 22)
    low = pooled("consultations", seeds=seeds, days=60, behaviour__success_boost=0.0)
    high = pooled("consultations", seeds=seeds, days=60, behaviour__success_boost=3.0)
    assert abs(high - low) < 0.06 * low, (low, high)  # consultations are their own process


# --------------------------------------------------------------------------------------------- E. channels

def test_online_growth_lowers_the_phone_share():
    def phone(growth):
        groups = {
            "young": {"share": 0.5, "propensity": 0.8, "online_share": 0.15, "online_growth": growth},
            "middle": {"share": 0.304, "propensity": 1.2, "online_share": 0.08, "online_growth": growth},
            "elderly": {"share": 0.196, "propensity": 1.0, "online_share": 0.0, "online_growth": 0.0},
        }
        frame = simulate(days=60, start="2024-01-01", population__age_groups=groups)[1]
        return frame.phone_contacts.sum() / frame.hotline_contacts.sum()

    assert phone(0.1) < phone(0.0) - 0.1


def test_a_later_reference_year_means_more_phone_calls_when_online_grows():
    def phone(year):
        frame = simulate(days=60, start="2022-01-01", population__online_reference_year=year)[1]
        return frame.phone_contacts.sum() / frame.hotline_contacts.sum()

    assert phone(2024) > phone(2018)


def test_beijing_2020_contacts_are_mostly_by_phone():
    frame = simulate(days=60, scenario="beijing", scale=0.003, start="2020-01-01")[1]
    share = frame.phone_contacts.sum() / frame.hotline_contacts.sum()
    assert 0.85 < share < 0.95, share


# ------------------------------------------------------------------------------------ F. expectations

def test_disconfirmation_weight_makes_satisfaction_respond_to_expectation():
    def gap(weight):
        low = simulate(behaviour__disconfirmation_weight=weight, behaviour__initial_expectation=0.3,
                       behaviour__expectation_learning=0.0)[1]
        high = simulate(behaviour__disconfirmation_weight=weight, behaviour__initial_expectation=1.0,
                        behaviour__expectation_learning=0.0)[1]
        return rate(low, "satisfaction_rate") - rate(high, "satisfaction_rate")

    assert gap(0.0) == 0.0  # expectations change nothing without disconfirmation
    assert gap(0.4) > 0.03


def pooled_satisfaction(seeds=(1, 2, 3, 4), **overrides) -> float:
    frames = [simulate(seed=seed, **overrides)[1] for seed in seeds]
    return sum((f["satisfaction_rate"] * f["rated"]).sum() for f in frames) / sum(f["rated"].sum() for f in frames)


def test_higher_expectations_lower_satisfaction():
    kwargs = dict(behaviour__disconfirmation_weight=0.4, behaviour__expectation_learning=0.01)
    low = pooled_satisfaction(behaviour__initial_expectation=0.5, **kwargs)
    high = pooled_satisfaction(behaviour__initial_expectation=1.0, **kwargs)
    assert high < low - 0.02, (low, high)


def test_expectations_adapt_to_experience():
    fast = simulate(behaviour__initial_expectation=1.0, behaviour__expectation_learning=0.5)[1]
    still = simulate(behaviour__initial_expectation=1.0, behaviour__expectation_learning=0.0)[1]
    assert still.mean_expectation.iloc[-1] == pytest.approx(1.0)
    assert fast.mean_expectation.iloc[-1] < 0.95
    # too high hopes come down to experience, and so does the disappointment
    kwargs = dict(behaviour__disconfirmation_weight=0.4, behaviour__initial_expectation=1.0)
    slow = pooled_satisfaction(behaviour__expectation_learning=0.0, **kwargs)
    quick = pooled_satisfaction(behaviour__expectation_learning=0.5, **kwargs)
    assert quick > slow + 0.004, (slow, quick)


# -------------------------------------------------------------------------------------------------- G. trust

def test_negativity_bias_lowers_trust_after_the_same_outcomes():
    low = pooled("mean_trust", days=180, reduce="mean_last", behaviour__negativity_bias=1.0)
    high = pooled("mean_trust", days=180, reduce="mean_last", behaviour__negativity_bias=4.0)
    assert high < low - 0.04, (low, high)


def test_vicarious_reach_pulls_trust_toward_the_neighbours_outcomes():
    # Without bad news from open problems and without bias, neighbours' outcomes (mostly good) raise trust.
    kwargs = dict(days=180, reduce="mean_last", behaviour__open_problem_weight=0.0, behaviour__negativity_bias=1.0)
    none = pooled("mean_trust", behaviour__vicarious_reach=0.0, **kwargs)
    many = pooled("mean_trust", behaviour__vicarious_reach=50.0, **kwargs)
    assert many > none + 0.1, (none, many)


def test_problems_left_open_lower_trust():
    none = pooled("mean_trust", days=180, reduce="mean_last", behaviour__open_problem_weight=0.0)
    many = pooled("mean_trust", days=180, reduce="mean_last", behaviour__open_problem_weight=0.02)
    assert many < none - 0.1, (none, many)


def test_trust_responds_to_service_quality():
    good = pooled("mean_trust", days=180, reduce="mean_last", handling__fix_with_authority=1.0, handling__fix_without_authority=0.9)
    poor = pooled("mean_trust", days=180, reduce="mean_last", handling__fix_with_authority=0.2,
                  handling__fix_without_authority=0.05, behaviour__symptom_rated_resolved=0.3)
    assert good > poor + 0.02, (poor, good)  # before issue 11, trust hardly moved (0.60 -> 0.62) whatever the service


def test_a_merger_after_the_last_day_is_warned_about_and_unknown_categories_refused():
    from sim.inputs import InputError
    from sim.scenario import load_scenario
    from sim.scenario.loading import dead_events

    late = load_scenario("teaching_town", {"timeline.mergers": [{"date": "2030-01-01", "share": 0.5}]})
    assert [path for path, _ in dead_events(late)] == [("timeline", "mergers", 0)]
    with pytest.raises(InputError, match="expected a category name"):
        load_scenario("teaching_town", {"timeline.mergers": [{"date": "2019-06-01", "share": 0.5, "categories": ["nope"]}]})


def test_mergers_keep_the_consultations_share():
    merger = [{"date": "2019-01-01", "share": 1.0}]
    without = simulate(days=120)[1]
    merged = simulate(days=120, timeline__mergers=merger)[1]
    share = lambda f: f.consultations.sum() / f.contacts.sum()  # noqa: E731
    assert merged.contacts.sum() > 1.6 * without.contacts.sum()
    assert abs(share(merged) - share(without)) < 0.05


def test_thinned_draws_are_exactly_in_proportion_to_current_propensity():
    from sim.population import Residents
    from sim.scenario.schema import Population

    behaviour = Behaviour(memory_decay=0.1)
    residents = Residents(np.array([2000]), Population(), behaviour, np.random.default_rng(3), first_day=0)
    rng = np.random.default_rng(4)
    lucky = np.arange(200)
    residents.learn(lucky, np.ones(200, bool), np.ones(200, bool), day=0)  # one satisfying fix each: m = 1
    day = 10  # m has faded to 0.9^10 = 0.35, but the sampler still holds p0 (1 + 0.57)
    n = 400_000
    drawn = residents.draw(np.zeros(n, dtype=np.int64), np.zeros(n, bool), day, rng)
    kept = drawn[rng.random(n) < residents.acceptance(drawn, day)]
    everyone = np.arange(residents.n)
    weight = residents.current_propensity(everyone, day) * residents.trust_weight(residents.effective_trust(everyone, np.zeros(residents.n, dtype=np.int64), day))
    expected = weight[lucky].sum() / weight.sum()
    observed = np.isin(kept, lucky).mean()
    untinned = np.isin(drawn, lucky).mean()
    sd = np.sqrt(expected * (1 - expected) / len(kept))
    assert abs(observed - expected) < 4 * sd, (observed, expected, sd)
    assert untinned > expected + 10 * sd  # without thinning the faded memory would still count in full
