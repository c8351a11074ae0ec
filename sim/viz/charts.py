"""The live charts: the three rates, contacts, backlog and open problems, and where the staff time goes.

Each chart is a matplotlib figure of the run so far on a time axis as long as the run, so the lines grow across
a fixed frame while the model plays. Sized and lettered for a projector (`theme`): 460 × 260 px, no text under
14 px, rates in %. `*_figure` functions build figures (and are tested without a browser); the components put
them on the page and redraw them when the model moves on.
"""

from __future__ import annotations

import pandas as pd
import solara
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator, PercentFormatter
from mesa.visualization.utils import update_counter

from sim import GovernanceModel
from sim.viz.picture import Picture
from sim.viz.series import WINDOW, daily, trailing, trailing_rates
from sim.viz.theme import CHART_SIZE, SMALL_PT, TEXT_PT, TITLE_PT

RATE_STYLE = {  # column -> (label, colour, line style); Okabe-Ito colours, none of them a regime's
    "response_rate": ("response", "#56B4E9", "-"),
    "resolution_rate": ("resolution", "#D55E00", "-"),
    "satisfaction_rate": ("satisfaction", "#CC79A7", "-"),
    "fix_share": ("true fix", "#000000", "--"),
}
BEIJING_2019_2021 = {"resolution": 0.85, "satisfaction": 0.90}  # seed report, January 2019 - 2021
# Fixed margins (a layout engine doubles the drawing time), in figure fractions for CHART_SIZE.
MARGINS = {"left": 0.15, "right": 0.975, "top": 0.885, "bottom": 0.17}


def new_axes(title: str, days: int, ylabel: str) -> tuple[Figure, Axes]:
    figure = Figure(figsize=CHART_SIZE)
    figure.subplots_adjust(**MARGINS)
    axes = figure.subplots()
    style_axes(axes, title, days, ylabel)
    return figure, axes


def style_axes(axes: Axes, title: str, days: int, ylabel: str, xlabel: str = "day") -> None:
    axes.set_title(title, fontsize=TITLE_PT, loc="left")
    axes.set_xlim(0, days)
    axes.set_xlabel(xlabel, fontsize=TEXT_PT, labelpad=1)
    axes.set_ylabel(ylabel, fontsize=TEXT_PT)
    axes.tick_params(labelsize=SMALL_PT, pad=2)
    axes.grid(alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def as_percent(axes: Axes) -> None:
    axes.set_ylim(0, 1.02)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_yticks([0, 0.25, 0.5, 0.75, 1.0])


def legend(axes: Axes, **options) -> None:
    axes.legend(fontsize=SMALL_PT, frameon=False, handlelength=1.4, columnspacing=0.9, borderaxespad=0.2, **options)


def waiting_note(axes: Axes) -> None:
    axes.text(0.5, 0.5, "press ▶ Play or Step", transform=axes.transAxes, ha="center", va="center", color="grey",
              fontsize=TEXT_PT)


def rates_figure(frame: pd.DataFrame, days: int) -> Figure:
    figure, axes = new_axes(f"The three rates (call-backs, last {WINDOW} days)", days, "")
    as_percent(axes)
    for value in BEIJING_2019_2021.values():
        axes.axhline(value, color="#999999", lw=1.0, ls=":")
    if frame.empty:
        waiting_note(axes)
        return figure
    rates = trailing_rates(frame)
    for column, (label, colour, style) in RATE_STYLE.items():
        axes.plot(rates.index, rates[column], color=colour, ls=style, lw=1.8, label=label)
    axes.plot([], [], color="#999999", lw=1.0, ls=":", label="Beijing 2019-21")
    legend(axes, loc="lower left", ncols=2)
    return figure


def contacts_figure(frame: pd.DataFrame, days: int) -> Figure:
    figure, axes = new_axes("Contacts and the problems behind them", days, "per day")
    if frame.empty:
        waiting_note(axes)
        return figure
    axes.plot(frame.index, frame["contacts"], color="#000000", lw=0.7, alpha=0.35, label="contacts a day")
    axes.plot(frame.index, trailing(frame["contacts"]), color="#000000", lw=2.2, label=f"{WINDOW}-day mean")
    axes.plot(frame.index, trailing(frame["new_problems"]), color="#D55E00", lw=1.8, ls="--", label=f"new problems ({WINDOW}-day mean)")
    axes.set_ylim(0, max(frame["contacts"].max(), frame["new_problems"].max()) * 1.9)  # room for the legend
    legend(axes, loc="upper left", ncols=1)
    return figure


def stocks_figure(frame: pd.DataFrame, days: int) -> Figure:
    figure, axes = new_axes("Unsolved: tickets waiting, problems open", days, "at the day's end")
    if frame.empty:
        waiting_note(axes)
        return figure
    axes.plot(frame.index, frame["backlog"], color="#CC79A7", lw=1.8, label="backlog (open tickets)")
    axes.plot(frame.index, frame["open_problems"], color="#D55E00", lw=1.8, label="open problems")
    top = max(frame["backlog"].max(), frame["open_problems"].max()) * 1.35
    axes.set_ylim(0, top)
    if top >= 10_000:  # five-digit tick labels would push the axis label off the picture
        axes.yaxis.set_major_locator(MultipleLocator(10 ** (len(str(int(top))) - 1)))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value / 1000:.0f}k"))
    legend(axes, loc="upper left", ncols=2)
    return figure


def load_figure(frame: pd.DataFrame, days: int) -> Figure:
    figure, axes = new_axes("Where the load lands: staff time used", days, "")
    as_percent(axes)
    if frame.empty:
        waiting_note(axes)
        return figure
    axes.plot(frame.index, trailing(frame["street_load"], 7), color="#D55E00", lw=1.8, label="street offices")
    axes.plot(frame.index, trailing(frame["department_load"], 7), color="#56B4E9", lw=1.8, label="city departments")
    legend(axes, loc="lower right", ncols=2)
    return figure


@solara.component
def RatesChart(model: GovernanceModel):
    update_counter.get()  # every component that shows the model reads it: the play loop bumps it
    return Picture(lambda: rates_figure(daily(model), model.spec.days), [model, model.steps], "rates")


@solara.component
def ContactsChart(model: GovernanceModel):
    update_counter.get()
    return Picture(lambda: contacts_figure(daily(model), model.spec.days), [model, model.steps], "contacts")


@solara.component
def StocksChart(model: GovernanceModel):
    update_counter.get()
    return Picture(lambda: stocks_figure(daily(model), model.spec.days), [model, model.steps], "stocks")


@solara.component
def LoadChart(model: GovernanceModel):
    update_counter.get()
    return Picture(lambda: load_figure(daily(model), model.spec.days), [model, model.steps], "load")
