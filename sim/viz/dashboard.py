"""The page's main area, in three tabs: "This run" (status, network and live charts with a caption each), "Side
by side" (the same town and seed under a second regime) and "Guide" (the regimes and the rates, for students).

Mesa's SolaraViz would lay components out in a draggable grid, but the grid's script (vue-grid-layout 2, a Vue 2
plugin) fails to load under the Vue 3 front end solara uses with ipyvue 3 ("GlobalVue.use is not a function") and
leaves the area blank; so SolaraViz here draws the app bar and the sidebar (controls and inputs) and this
component lays out the rest in plain rows and columns.
"""

from __future__ import annotations

import solara

from sim.model import GovernanceModel
from sim.viz.charts import ContactsChart, LoadChart, RatesChart, StocksChart
from sim.viz.guide import CAPTIONS, REGIMES_BRIEF, GuideText, Status
from sim.viz.network import NetworkView
from sim.viz.prose import Prose, ProseStyle
from sim.viz.side_by_side import SideBySide

CAPTION_STYLE = "font-size: 0.85em; color: #555555; padding: 0 8px 4px 8px"


@solara.component
def Panel(chart, model: GovernanceModel, caption: str):
    with solara.Card(margin=0):
        chart(model)
        Prose(caption, style=CAPTION_STYLE)


TABS = ("This run", "Side by side", "Guide")


@solara.component
def ThisRun(model: GovernanceModel):
    Status(model)
    with solara.Columns([1, 1]):
        Panel(NetworkView, model, CAPTIONS["network"])
        Panel(RatesChart, model, CAPTIONS["rates"])
    with solara.Columns([1, 1]):
        Panel(ContactsChart, model, CAPTIONS["contacts"])
        Panel(StocksChart, model, CAPTIONS["stocks"])
    with solara.Columns([1, 1]):
        Panel(LoadChart, model, CAPTIONS["load"])
        with solara.Card(margin=0):
            Prose(REGIMES_BRIEF, style="font-size: 0.9em; padding: 0 8px")


@solara.component
def Dashboard(model: GovernanceModel):
    tab, set_tab = solara.use_state(0)
    ProseStyle()
    # solara.v.Tabs and Window as SolaraViz uses them (solara.lab.Tabs puts the content in the tab bar under Vue 3)
    with solara.v.Tabs(v_model=tab, on_v_model=set_tab):
        for name in TABS:
            solara.v.Tab(children=[name])
    with solara.v.Window(v_model=tab):
        for index in range(len(TABS)):
            with solara.v.WindowItem():
                if index != tab:  # only the open tab is drawn: the side-by-side twin runs only when shown
                    continue
                if index == 0:
                    ThisRun(model)
                elif index == 1:
                    SideBySide(model)
                else:
                    GuideText()
