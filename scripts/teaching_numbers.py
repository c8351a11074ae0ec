"""Every number docs/teaching.md quotes, computed from the current model: run it to refresh the guide after a change.

The lecturer's guide (docs/teaching.md) tells a class what to look for in the browser app (`govsim viz`) and quotes
the totals, loads, rates and costs students will see. Those numbers go stale whenever the model's calibration or
behaviour changes. This script recomputes all of them with the exact settings each exercise gives, the way the
page does it: the page's run is a `ClassroomModel` built from the page's inputs (teaching town, seed 42, the
sliders at their defaults unless the exercise moves them), the *Side by side* tab's twin is a `RegimePair`, and
the table's totals are `sim.viz.series.totals`, all after the full year. Loads are the means of the daily shares of
staff-hours used over the year (what the load chart's lines average to).

    python scripts/teaching_numbers.py            # about 20 seconds

Then update the guide so that each number (rounded as the text rounds it) and each statement about them
("rises", "falls", "hardly moves") matches, and run tests/test_teaching_guide.py, which asserts the guide's main
qualitative claims.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.viz.app import model_params
from sim.viz.classroom import SCENARIOS, ClassroomModel
from sim.viz.series import daily, totals
from sim.viz.side_by_side import RegimePair

SEED = 42
PAGE_INPUTS = {name: spec["value"] for name, spec in model_params.items()}  # a new tab's inputs: the defaults


def page_run(seed: int = SEED, **settings) -> ClassroomModel:
    """The page's run after a full year: the page's default inputs with `settings` changed, then Reset and play."""
    inputs = {**PAGE_INPUTS, "rng": str(seed), **settings}
    model = ClassroomModel(**inputs)
    while model.running:
        model.step()
    return model


def side_by_side(regime: str, second: str, **settings):
    """The page's run under `regime` and its twin under `second` (the Side by side tab), after a full year."""
    model = page_run(regime=regime, **settings)
    twin = RegimePair(model, second).sync(model.steps)
    return model, twin


def summary(model) -> dict[str, float]:
    """The side-by-side table's totals plus what the exercises read off the charts."""
    frame = daily(model)
    out = totals(frame)
    out["street_load"] = float(frame["street_load"].mean())
    out["department_load"] = float(frame["department_load"].mean())
    months = pd.to_datetime(frame["date"]).dt.month
    for name, month in (("jan", 1), ("dec", 12)):
        out[f"contacts_per_day_{name}"] = float(frame.loc[months == month, "contacts"].mean())
        out[f"new_problems_per_day_{name}"] = float(frame.loc[months == month, "new_problems"].mean())
    out["new_problems_per_day"] = float(frame["new_problems"].mean())
    out["mean_propensity_start"] = float(frame["mean_propensity"].iloc[0])
    return out


def pct(value: float) -> str:
    return f"{value:.0%}"


def show(label: str, *values: str) -> None:
    print(f"  {label:<48} " + "  ".join(f"{v:>10}" for v in values))


def compare(title: str, names: tuple[str, str], runs: tuple[dict, dict], rows: list[tuple[str, str, str]]) -> None:
    print(f" {title}")
    show("", *names)
    for label, key, form in rows:
        show(label, *(form.format(run[key]) for run in runs))


N, P = "{:,.0f}", "{:.0%}"
TABLE = [
    ("problems that arose", "new_problems", N),
    ("  of which prevented before any call", "prevented_problems", N),
    ("residents' contacts", "contacts", N),
    ("response rate", "response_rate", P),
    ("resolution rate", "resolution_rate", P),
    ("satisfaction rate", "satisfaction_rate", P),
    ("true fix share", "fix_share", P),
    ("open problems at the end", "open_problems", N),
    ("backlog (open tickets) at the end", "backlog", N),
    ("whistles blown", "whistles", N),
    ("street staff-hours", "street_hours", N),
    ("department staff-hours", "department_hours", N),
    ("street load (mean share of staff time used)", "street_load", P),
    ("department load (mean)", "department_load", P),
    ("cost (million yuan)", "cost_m", "{:.2f}"),
    ("contacts per day, January", "contacts_per_day_jan", "{:.1f}"),
    ("contacts per day, December", "contacts_per_day_dec", "{:.1f}"),
    ("new problems per day, year", "new_problems_per_day", "{:.1f}"),
    ("new problems per day, January", "new_problems_per_day_jan", "{:.1f}"),
    ("new problems per day, December", "new_problems_per_day_dec", "{:.1f}"),
    ("readiness to complain (mean propensity), day 1", "mean_propensity_start", "{:.2f}"),
    ("readiness to complain (mean propensity), end", "mean_propensity", "{:.2f}"),
]


def table(model) -> dict[str, float]:
    out = summary(model)
    out["cost_m"] = out["cost"] / 1e6
    return out


def rows(*keys: str) -> list[tuple[str, str, str]]:
    return [row for row in TABLE if row[1] in keys]


def change(before: float, after: float) -> str:
    return f"{after / before - 1:+.0%}"


def scenarios_and_tips() -> None:
    print("\nScenarios and tips (the page's scenarios at the page's scales)")
    for name, (scale, _) in SCENARIOS.items():
        model = ClassroomModel(scenario_name=name)
        city = model.city
        residents = int(np.sum(city.community_population))
        show(f"{name} (scale {scale:g})", f"{len(city.district_names)} districts", f"{city.n_streets} streets",
             f"{model.city.n_active_communities:,} communities", f"{residents:,} residents")
    spec = ClassroomModel().spec
    show("a satisfying fix raises propensity by", pct(spec.behaviour.success_boost))
    show("staff-hour cost (yuan)", f"{spec.handling.hour_cost:g}")
    show("default street staff, prevention budget", f"{spec.city.street_staff_hours_per_10k:g}", f"{spec.regimes.proactive.budget_per_10k:,.0f}")


def exercise_1() -> None:
    print("\nExercise 1: why does volume rise when the hotline gets better? (whistle, twin hotline)")
    whistle, hotline = (table(m) for m in side_by_side("whistle", "hotline"))
    compare("Side by side", ("whistle", "hotline"), (whistle, hotline), rows(
        "new_problems", "contacts", "contacts_per_day_jan", "contacts_per_day_dec", "new_problems_per_day",
        "new_problems_per_day_jan", "new_problems_per_day_dec", "mean_propensity_start", "mean_propensity"))
    show("hotline contacts, December over January", change(hotline["contacts_per_day_jan"], hotline["contacts_per_day_dec"]))
    show("whistle contacts, December over January", change(whistle["contacts_per_day_jan"], whistle["contacts_per_day_dec"]))
    show("hotline contacts / whistle contacts", f"{hotline['contacts'] / whistle['contacts']:.2f}")
    eager = table(page_run(regime="hotline", propensity=2.0))
    compare("Extension: propensity 1 vs 2 (hotline)", ("1", "2"), (hotline, eager), rows(
        "new_problems", "contacts", "street_load", "department_load", "backlog", "satisfaction_rate"))


def exercise_2() -> None:
    print("\nExercise 2: where does the load land? (hotline, twin whistle)")
    hotline, whistle = (table(m) for m in side_by_side("hotline", "whistle"))
    compare("Side by side", ("hotline", "whistle"), (hotline, whistle), rows(
        "whistles", "street_load", "department_load", "backlog", "response_rate", "street_hours", "department_hours"))
    low, high = table(page_run(regime="hotline", siphon_share=0.0)), table(page_run(regime="hotline", siphon_share=0.6))
    compare("Siphon share 0 vs 0.6 (hotline)", ("0", "0.6"), (low, high), rows(
        "street_hours", "department_hours", "street_load", "department_load", "fix_share"))
    short = table(page_run(regime="hotline", street_staff=8))
    compare("Street staff 15 vs 8 (hotline)", ("15", "8"), (hotline, short), rows(
        "street_load", "backlog", "open_problems", "satisfaction_rate"))


def exercise_3() -> None:
    print("\nExercise 3: what does the monthly ranking buy? (hotline)")
    calm, pressed = table(page_run(regime="hotline", ranking_pressure=0.0)), table(page_run(regime="hotline", ranking_pressure=1.0))
    compare("Ranking pressure 0 vs 1", ("0", "1"), (calm, pressed), rows(
        "new_problems", "satisfaction_rate", "resolution_rate", "fix_share"))
    default, short = table(page_run(regime="hotline")), table(page_run(regime="hotline", street_staff=8))
    compare("Street staff 15 vs 8 (ranking pressure 0.5)", ("15", "8"), (default, short), rows(
        "resolution_rate", "fix_share", "satisfaction_rate"))
    one, seven = table(page_run(regime="whistle", whistle_deadline=1)), table(page_run(regime="whistle", whistle_deadline=7))
    compare("Extension: whistle deadline 1 vs 7 days (whistle)", ("1 day", "7 days"), (one, seven), rows(
        "response_rate", "new_problems", "contacts", "whistles", "open_problems", "street_hours", "department_hours",
        "resolution_rate", "satisfaction_rate", "fix_share", "cost_m"))


def exercise_4() -> None:
    print("\nExercise 4: does prevention pay? (proactive, twin hotline)")
    proactive, hotline = (table(m) for m in side_by_side("proactive", "hotline"))
    compare("Side by side", ("proactive", "hotline"), (proactive, hotline), rows(
        "new_problems", "prevented_problems", "open_problems", "contacts", "street_load", "department_load",
        "fix_share", "cost_m"))
    show("cost, proactive over hotline", change(hotline["cost"], proactive["cost"]))
    print(" Prevention budget 0 vs 60,000 (proactive)")
    show("seed", "cost 0", "cost 60k", "open 0", "open 60k", "contacts 0", "contacts 60k")
    differences = []
    for seed in (SEED, 1, 2, 3, 4, 5):
        none = table(page_run(seed, regime="proactive", prevention_budget=0))
        rich = table(page_run(seed, regime="proactive", prevention_budget=60_000))
        show(str(seed), f"{none['cost_m']:.2f}", f"{rich['cost_m']:.2f}", N.format(none["open_problems"]),
             N.format(rich["open_problems"]), N.format(none["contacts"]), N.format(rich["contacts"]))
        if seed != SEED:
            differences.append((none["open_problems"], rich["open_problems"], none["contacts"], rich["contacts"]))
    d = np.array(differences)
    show("seeds 1-5: mean open problems 0 / 60k", f"{d[:, 0].mean():.0f}", f"{d[:, 1].mean():.0f}")
    show("seeds 1-5: mean effect of 60k on open problems", f"{(d[:, 1] - d[:, 0]).mean():+.0f}",
         f"range {(d[:, 1] - d[:, 0]).min():+.0f} to {(d[:, 1] - d[:, 0]).max():+.0f}")
    show("seeds 1-5: spread of open problems between seeds (0 budget)", f"{d[:, 0].min():.0f}-{d[:, 0].max():.0f}")
    show("seeds 1-5: mean effect of 60k on contacts", f"{(d[:, 3] - d[:, 2]).mean():+.0f}",
         f"{(d[:, 3] - d[:, 2]).mean() / d[:, 2].mean():+.0%}",
         f"range {(d[:, 3] - d[:, 2]).min():+.0f} to {(d[:, 3] - d[:, 2]).max():+.0f}")
    show("seeds 1-5: spread of contacts between seeds (0 budget)", f"{d[:, 2].min():.0f}-{d[:, 2].max():.0f}")


def main() -> None:
    print(f"Numbers for docs/teaching.md: teaching town, seed {SEED} unless said, one year, the page's default sliders")
    scenarios_and_tips()
    exercise_1()
    exercise_2()
    exercise_3()
    exercise_4()


if __name__ == "__main__":
    main()
