"""One run: a scenario and a seed in, `Results` out (a pure function of its arguments)."""

from __future__ import annotations

import datetime as dt
import platform
import time
from importlib import metadata

import mesa
import numpy as np
import pandas as pd

from sim.analyzers import Breakdown
from sim.metrics import MAX_DAYS
from sim.model import GovernanceModel
from sim.results import Results
from sim.scenario import AGE_GROUPS, ZONES, Scenario, scenario_hash


def run(
    scenario: str | Scenario,
    seed: int | None = None,
    regime: str | None = None,
    scale: float = 1.0,
    days: int | None = None,
    overrides: dict | None = None,
    **levers,
) -> Results:
    """Run a scenario to its horizon and return its tables. Arguments are those of `GovernanceModel`."""
    started = time.perf_counter()
    model = GovernanceModel(scenario, regime=regime, rng=seed, scale=scale, days=days, overrides=overrides, **levers)
    model.run_for(model.spec.days)
    return collect(model, wall_time=time.perf_counter() - started)


def collect(model: GovernanceModel, wall_time: float = float("nan")) -> Results:
    """The tables of a model that has run (any number of days)."""
    spec, city = model.spec, model.city
    daily = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    categories = list(spec.categories.values())
    breakdowns = model.breakdowns
    by_category = breakdowns.by_category.table(
        "category", model.categories.names, label=[c.label for c in categories], owner=[c.owner for c in categories]
    )
    zone_names = [spec.city.districts[d].zone for d in range(len(city.district_names))]
    hours = breakdowns.street_hours
    by_district = breakdowns.by_district.table(
        "district", city.district_names, zone=zone_names, population=[d.population for d in spec.city.districts],
        street_hours_used=hours[:, 0], street_hours_available=hours[:, 1],
    )
    zones = Breakdown(len(ZONES))
    Breakdown.merge_into(zones, city.district_zone, breakdowns.by_district)
    zone_hours = [np.bincount(city.district_zone, hours[:, i], len(ZONES)) for i in (0, 1)]
    present = sorted(set(city.district_zone.tolist()))
    by_zone = zones.table(
        "zone", list(ZONES), street_hours_used=zone_hours[0], street_hours_available=zone_hours[1]
    ).iloc[present].reset_index(drop=True)
    by_age_group = breakdowns.by_age_group.table("age_group", list(AGE_GROUPS))
    histogram = breakdowns.by_category.days_to_close.sum(axis=0)
    days_to_close = pd.DataFrame({"days": np.arange(MAX_DAYS + 1), "tickets": histogram})
    topics = pd.DataFrame(model.topics, columns=["date", "category", "arrival_cut", "problems_removed"])
    regimes_in_order = list(dict.fromkeys(daily["regime"])) if len(daily) else [model.regime.name]
    manifest = {
        "scenario": spec.name,
        "scenario_hash": scenario_hash(spec),
        "regime": model.fixed_regime or "→".join(regimes_in_order),
        "regimes_used": regimes_in_order,
        "seed": model.seed,
        "scale": model.scale,
        "days": int(model.steps),
        "warmup_days": spec.warmup_days,
        "backlog_at_start": model.backlog_at_start,
        "start": spec.start.isoformat(),
        "residents_simulated": city.population,
        "residents_city": sum(d.population for d in spec.city.districts),
        "package_version": metadata.version("govsim"),
        "mesa_version": mesa.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "wall_time_s": round(wall_time, 3),
        "created_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    return Results(
        daily=daily, by_category=by_category, by_district=by_district, by_zone=by_zone, by_age_group=by_age_group,
        days_to_close=days_to_close, topics=topics, manifest=manifest, scenario=spec.model_dump(mode="json"),
    )
