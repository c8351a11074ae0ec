"""govsim in the browser: how a city governs itself through residents' complaints, under three regimes.

What it shows (`govsim viz`, or `solara run sim/viz/app.py`), laid out for a projector at 1280 × 800:

- the sidebar (`controls`): the day of the year, Reset, Play/Pause and Step (by a day, a week or a month), then
  the scenario (the teaching town by default), regime, random seed and the levers a class argues about (street
  staff, ranking pressure, siphon, residents' propensity to complain, prevention budget, whistle deadline), each
  with its value;
- "This run": what is running, the governance network coloured by today's load, and live charts of the three
  rates (with the true fix share), contacts, backlog and open problems, and the load on streets and departments,
  each with a caption for students;
- "Side by side": the same town and seed under a second regime, stepped together with the first;
- "Guide": the three regimes, the rates, the network and the sliders, explained for students.

The model is a Mesa model (`ClassroomModel`); the page is built with solara, as Mesa's SolaraViz is, but with its
own sidebar (see `controls` for why). Each browser tab gets its own model (`Page` builds one per session) so two
students on one server do not step each other's run.
"""

import solara
from solara.server import settings as server_settings

from sim.viz.classroom import ClassroomModel, initial_inputs, model_params  # noqa: F401  (model_params: the inputs)
from sim.viz.controls import SUBTITLE, TITLE, Sidebar
from sim.viz.dashboard import Dashboard
from sim.viz.prose import ProseStyle
from sim.viz.theme import CSS

# The page template's options: no "This website runs on Solara" badge over the charts, and a tab title that says
# what the page is. Read when a page is served, so setting them here works for `solara run` too.
server_settings.theme.show_banner = False
server_settings.theme.title = f"{TITLE}: {SUBTITLE}"


def initial_model() -> ClassroomModel:
    """The run a new tab starts with: the inputs' initial values."""
    return ClassroomModel(**initial_inputs())


@solara.component
def Layout(children=[]):  # noqa: B006 (solara's signature)
    """No app bar or drawer from solara: the page lays itself out (`Page`), so nothing is cut off or covered."""
    return solara.Div(children=children)


@solara.component
def Page():
    model = solara.use_reactive(solara.use_memo(initial_model, []))  # Reset replaces model.value
    solara.Style(CSS)
    ProseStyle()
    solara.Title(f"{TITLE}: {SUBTITLE}")
    with solara.Div(classes=["govsim-page"]):
        Sidebar(model)
        with solara.Div(classes=["govsim-main"]):
            Dashboard(model.value)


page = Page
