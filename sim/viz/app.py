"""govsim in the browser: how a city governs itself through residents' complaints, under three regimes.

What it shows (Mesa SolaraViz; `govsim viz`, or `solara run sim/viz/app.py`):

- the sidebar: scenario (the teaching town by default), regime, random seed and the levers a class argues about
  (street staff, ranking pressure, siphon, residents' propensity to complain, prevention budget, whistle
  deadline); play, pause, step and reset;
- "This run": what is running, the governance network coloured by today's load, and live charts of the three
  rates (with the true fix share), contacts, backlog and open problems, and the load on streets and departments,
  each with a caption for students;
- "Side by side": the same town and seed under a second regime, stepped together with the first;
- "Guide": the three regimes, the rates, the network and the sliders, explained for students.

Each browser tab gets its own model (`Page` builds one per session) so two students on one server do not step
each other's run.
"""

import solara
from mesa.visualization import SolaraViz

from sim.scenario import REGIMES
from sim.viz.classroom import DEFAULT_REGIME, DEFAULT_SCENARIO, DEFAULT_SEED, SCENARIOS, ClassroomModel, lever_defaults
from sim.viz.dashboard import Dashboard

TITLE = "govsim: governing a city through its residents' complaints"
DAYS_PER_STEP = 7  # a week per Step and per redraw while playing; drawing, not the model, sets the pace

levers = lever_defaults(DEFAULT_SCENARIO)
model_params = {
    "scenario_name": {"type": "Select", "value": DEFAULT_SCENARIO, "values": list(SCENARIOS), "label": "Scenario"},
    "regime": {"type": "Select", "value": DEFAULT_REGIME, "values": list(REGIMES), "label": "Regime"},
    "rng": {"type": "InputText", "value": str(DEFAULT_SEED), "label": "Random seed"},
    "street_staff": {
        "type": "SliderInt", "value": int(levers["street_staff"]), "min": 4, "max": 40, "step": 1,
        "label": "Street staff",
    },
    "ranking_pressure": {
        "type": "SliderFloat", "value": levers["ranking_pressure"], "min": 0.0, "max": 1.0, "step": 0.05,
        "label": "Ranking pressure",
    },
    "siphon_share": {
        "type": "SliderFloat", "value": levers["siphon_share"], "min": 0.0, "max": 0.8, "step": 0.05,
        "label": "Siphon share",
    },
    "propensity": {
        "type": "SliderFloat", "value": levers["propensity"], "min": 0.25, "max": 3.0, "step": 0.25,
        "label": "Propensity to complain",
    },
    "prevention_budget": {
        "type": "SliderInt", "value": int(levers["prevention_budget"]), "min": 0, "max": 100_000, "step": 5_000,
        "label": "Prevention budget",
    },
    "whistle_deadline": {
        "type": "SliderInt", "value": int(levers["whistle_deadline"]), "min": 1, "max": 14, "step": 1,
        "label": "Whistle deadline",
    },
}

def initial_model() -> ClassroomModel:
    """The run a new tab starts with: the inputs' initial values."""
    params = {name: spec["value"] for name, spec in model_params.items()}
    return ClassroomModel(**params)


@solara.component
def Page():
    model = solara.use_reactive(solara.use_memo(initial_model, []))  # Reset in the sidebar replaces model.value
    SolaraViz(
        model,
        components=[],  # SolaraViz's draggable grid does not load under Vue 3: the Dashboard lays out the charts
        model_params=model_params,
        name=TITLE,
        play_interval=50,
        render_interval=DAYS_PER_STEP,
    )
    Dashboard(model.value)


page = Page
