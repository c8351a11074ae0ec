"""The model the browser app runs: a GovernanceModel built from the page's inputs.

Reset rebuilds the model by calling this class with the page's inputs as keyword arguments (as Mesa's SolaraViz
does too, so the class also works under SolaraViz), so its signature *is* the list of inputs. It differs from
GovernanceModel's in two ways:

- the scenario is chosen by name as `scenario_name`: Mesa 3.5's SolaraViz passes `scenario=<a mesa Scenario>` to
  any model whose constructor accepts `scenario`, which would replace GovernanceModel's own `scenario` argument;
- each scenario runs at a scale the browser steps quickly (`SCENARIOS`), and the regime is always fixed (a class
  compares regimes; the scenario's own timeline of regime switches is for `govsim run`).

`model_params` describes the page's inputs (in SolaraViz's format: type, initial value, range, label) plus the
unit each slider's value is shown with.
"""

from __future__ import annotations

import zlib

from sim.inputs import InputError
from sim import GovernanceModel
from sim.scenario import REGIMES, load_scenario
from sim.scenario.levers import LEVERS

# name -> (scale, what the class sees). Scales keep a step of the model and its twin well under 20 ms.
SCENARIOS: dict[str, tuple[float, str]] = {
    "teaching_town": (1.0, "Teaching town: one district, 4 streets, 16 communities, 16,000 residents"),
    "huitian": (1.0, "Huilongguan-Tiantongyuan (回天): 8 streets, 850,000 residents, from 2018"),
    "beijing": (0.02, "Beijing at 1/50: 16 districts, one sampled street office each, 440,000 simulated residents"),
}
DEFAULT_SCENARIO = "teaching_town"
DEFAULT_REGIME = "hotline"
DEFAULT_SEED = 42
# The levers the page has sliders for, in the order they appear.
SLIDER_LEVERS = ("street_staff", "ranking_pressure", "siphon_share", "propensity", "prevention_budget", "whistle_deadline")


UNITS = {
    "street_staff": "staff-hours a day per 10,000 residents",
    "ranking_pressure": "0: none, 1: the most",
    "siphon_share": "of departments' tickets sent to streets",
    "propensity": "× residents' wish to complain",
    "prevention_budget": "yuan a month per 10,000 residents",
    "whistle_deadline": "days for a summoned department",
}


def lever_defaults(scenario: str = DEFAULT_SCENARIO) -> dict[str, float]:
    """The scenario's own value of every slider lever (the sliders start there)."""
    spec = load_scenario(scenario)
    values = {}
    for lever in SLIDER_LEVERS:
        value = spec
        for part in LEVERS[lever].split("."):
            value = getattr(value, part)
        values[lever] = value
    return values


def parse_seed(text: int | str) -> int:
    """The seed typed on the page (a text field): a whole number as itself, any other text as a number derived
    from it, so a student may type a name and get the same run each time."""
    text = str(text).strip()
    try:
        return int(text)
    except ValueError:
        return zlib.crc32(text.encode("utf-8"))


def _slider(kind: str, value: float, low: float, high: float, step: float, label: str, lever: str) -> dict:
    cast = int if kind == "SliderInt" else float
    return {"type": kind, "value": cast(value), "min": low, "max": high, "step": step, "label": label, "unit": UNITS[lever]}


_levers = lever_defaults(DEFAULT_SCENARIO)
model_params: dict[str, dict] = {
    "scenario_name": {"type": "Select", "value": DEFAULT_SCENARIO, "values": list(SCENARIOS), "label": "Scenario"},
    "regime": {"type": "Select", "value": DEFAULT_REGIME, "values": list(REGIMES), "label": "Regime"},
    "rng": {"type": "InputText", "value": str(DEFAULT_SEED), "label": "Random seed"},
    "street_staff": _slider("SliderInt", _levers["street_staff"], 4, 40, 1, "Street staff", "street_staff"),
    "ranking_pressure": _slider("SliderFloat", _levers["ranking_pressure"], 0.0, 1.0, 0.05, "Ranking pressure", "ranking_pressure"),
    "siphon_share": _slider("SliderFloat", _levers["siphon_share"], 0.0, 0.8, 0.05, "Siphon share", "siphon_share"),
    "propensity": _slider("SliderFloat", _levers["propensity"], 0.25, 3.0, 0.25, "Propensity to complain", "propensity"),
    "prevention_budget": _slider("SliderInt", _levers["prevention_budget"], 0, 100_000, 5_000, "Prevention budget",
                                 "prevention_budget"),
    "whistle_deadline": _slider("SliderInt", _levers["whistle_deadline"], 1, 14, 1, "Whistle deadline", "whistle_deadline"),
}


def initial_inputs() -> dict:
    """What a new tab's inputs hold: every input's initial value."""
    return {name: spec["value"] for name, spec in model_params.items()}


def scenario_inputs(inputs: dict, scenario: str) -> dict:
    """`inputs` with `scenario` chosen and the sliders moved to that scenario's own values."""
    levers = lever_defaults(scenario)
    cast = {name: int if model_params[name]["type"] == "SliderInt" else float for name in SLIDER_LEVERS}
    return {**inputs, "scenario_name": scenario, **{name: cast[name](levers[name]) for name in SLIDER_LEVERS}}


class ClassroomModel(GovernanceModel):
    """GovernanceModel with the browser app's inputs: a shipped scenario by name, a regime, a seed and the sliders.

    The page passes every slider's value, so the sliders apply whatever the scenario's own values: a run of Huitian
    with street_staff=15 has 15 staff-hours per 10,000 residents, not the scenario's 11. (None keeps the
    scenario's value, for use outside the page.)
    """

    def __init__(
        self,
        scenario_name: str = DEFAULT_SCENARIO,
        regime: str = DEFAULT_REGIME,
        rng: int | str = DEFAULT_SEED,
        street_staff: float | None = None,
        ranking_pressure: float | None = None,
        siphon_share: float | None = None,
        propensity: float | None = None,
        prevention_budget: float | None = None,
        whistle_deadline: int | None = None,
    ):
        if scenario_name not in SCENARIOS:
            raise InputError(f"expected one of {', '.join(SCENARIOS)}, got '{scenario_name}'", field="scenario_name")
        self.scenario_name = scenario_name
        self.inputs = {  # what the page's inputs held when this run was built: the settings on screen
            "scenario_name": scenario_name, "regime": regime, "rng": str(rng), "street_staff": street_staff,
            "ranking_pressure": ranking_pressure, "siphon_share": siphon_share, "propensity": propensity,
            "prevention_budget": prevention_budget, "whistle_deadline": whistle_deadline,
        }
        super().__init__(
            scenario=scenario_name,
            regime=regime,
            rng=parse_seed(rng),
            scale=SCENARIOS[scenario_name][0],
            street_staff=street_staff,
            ranking_pressure=ranking_pressure,
            siphon_share=siphon_share,
            propensity=propensity,
            prevention_budget=prevention_budget,
            whistle_deadline=whistle_deadline,
        )

    def step(self) -> None:
        """One day; nothing once the run has reached its horizon (the page may ask for a week at a time)."""
        if self.running:
            super().step()
