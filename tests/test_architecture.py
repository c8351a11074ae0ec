"""The model as modules: a regime is a composition a few lines long, and the model is a Mesa model by convention."""

from __future__ import annotations

from dataclasses import replace

import mesa
import numpy as np
import pytest

from sim import GovernanceModel, run
from sim.inputs import InputError
from sim.interventions.patrols import Patrols
from sim.regimes import registry
from sim.regimes.hotline import hotline


def grid_hotline(ctx):
    """The worked example of docs/architecture.md: complaint-response with whistle-blowing's grid patrols."""
    patrols = ctx.spec.regimes.whistle
    return replace(hotline(ctx), name="grid_hotline",
                   discovery=Patrols(ctx, patrols.patrol_find_rate, patrols.patrol_hours_per_community))


def test_a_fourth_regime_is_a_few_lines(monkeypatch):
    monkeypatch.setitem(registry.REGIMES, "grid_hotline", grid_hotline)
    both = run("teaching_town", seed=7, regime="grid_hotline", days=120)
    plain = run("teaching_town", seed=7, regime="hotline", days=120)
    assert set(both.daily["regime"]) == {"grid_hotline"}
    assert both.daily["patrol_hours"].sum() > 0 == plain.daily["patrol_hours"].sum()
    # patrols find problems before anyone calls: fewer of them are still open, and more tickets are opened
    assert both.daily["open_problems"].iloc[60:].mean() < plain.daily["open_problems"].iloc[60:].mean()
    assert both.totals()["response_rate"] > 0.9  # still the hotline's time limits and contact-first work order


def test_rng_accepts_what_mesa_accepts_and_refuses_the_rest():
    by_int = GovernanceModel("teaching_town", rng=5, days=10)
    by_sequence = GovernanceModel("teaching_town", rng=np.random.SeedSequence(5), days=10)
    assert by_int.seed == by_sequence.seed == 5
    drawn = GovernanceModel("teaching_town", rng=np.random.default_rng(3), days=10)
    again = GovernanceModel("teaching_town", rng=np.random.default_rng(3), days=10)
    assert drawn.seed == again.seed and 0 <= drawn.seed < 2**63
    for bad in (1.5, -1, 2**64, "7", True):
        with pytest.raises(InputError, match="seed: expected an integer from 0 to 2\\*\\*63 - 1"):
            GovernanceModel("teaching_town", rng=bad, days=10)
    with pytest.raises(InputError, match="seed"):
        run("teaching_town", seed=1.5, days=10)


def test_collect_works_right_after_construction_and_steps_collect_themselves():
    model = GovernanceModel("teaching_town", rng=2, days=20)
    assert model.indicators["day"] == -1  # the end of the warm-up: the city as it stands
    model.step()
    model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame["day"]) == [0, 1]
    fresh = GovernanceModel("teaching_town", rng=2, days=20, overrides={"warmup_days": 0})
    fresh.datacollector.collect(fresh)  # a Mesa user's habit: record the initial state
    assert fresh.datacollector.get_model_vars_dataframe()["backlog"].tolist() == [0]
    assert isinstance(model.datacollector, mesa.DataCollector)  # Mesa's, so Mesa's tools read it


def test_agents_are_views_of_the_arrays():
    model = GovernanceModel("teaching_town", rng=4, regime="hotline", days=60)
    model.run_for(40)
    streets = model.agents_by_type[next(t for t in model.agents_by_type if t.__name__ == "StreetOffice")]
    pressures = sorted(street.pressure for street in streets)
    assert pressures == sorted(model.standing.street_pressure.tolist())
    assert sum(street.backlog for street in streets) + sum(
        d.backlog for d in model.agents_by_type[next(t for t in model.agents_by_type if t.__name__ == "Department")]
    ) == len(model.tickets)
