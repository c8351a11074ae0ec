"""The page's main area, in three tabs: "This run" (what is running, the network and the live charts with a
caption each), "Side by side" (the same town and seed under a second regime) and "Guide" (the regimes and the
rates, for students).

At 1280 × 800 the four key pictures (the network, the rates, contacts against problems, backlog and open
problems) stand in two rows above the fold; the load chart and a note on the regimes follow below.
"""

from __future__ import annotations

import solara

from sim import GovernanceModel
from sim.viz.charts import ContactsChart, LoadChart, RatesChart, StocksChart
from sim.viz.guide import CAPTIONS, REGIMES_BRIEF, GuideText, Status
from sim.viz.network import NetworkView
from sim.viz.prose import Prose
from sim.viz.side_by_side import SideBySide


@solara.component
def Panel(chart, model: GovernanceModel, caption: str):
    with solara.Div(classes=["govsim-chart"]):
        chart(model)
        Prose(caption, classes=["govsim-caption"])


TABS = ("This run", "Side by side", "Guide")


@solara.component
def ThisRun(model: GovernanceModel):
    Status(model)
    with solara.Div(classes=["govsim-charts"]):
        Panel(NetworkView, model, CAPTIONS["network"])
        Panel(RatesChart, model, CAPTIONS["rates"])
        Panel(ContactsChart, model, CAPTIONS["contacts"])
        Panel(StocksChart, model, CAPTIONS["stocks"])
        Panel(LoadChart, model, CAPTIONS["load"])
        Prose(REGIMES_BRIEF, classes=["govsim-caption"])


@solara.component
def Dashboard(model: GovernanceModel):
    tab, set_tab = solara.use_state(0)
    # solara.v.Tabs and Window as SolaraViz uses them (solara.lab.Tabs puts the content in the tab bar under Vue 3)
    with solara.v.Tabs(v_model=tab, on_v_model=set_tab, class_="govsim-tabs", density="compact"):
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
