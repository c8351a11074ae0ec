"""The live charts: the three rates, contacts, backlog and open problems, and where the staff time goes.

Each chart is a matplotlib figure of the run so far on a time axis as long as the run, so the lines grow across
a fixed frame while the model plays. `*_figure` functions build figures (and are tested without a browser); the
components put them on the page and redraw them when the model moves on.
"""

from __future__ import annotations

import pandas as pd
import solara
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from sim.model import GovernanceModel
from sim.viz.picture import Picture
from sim.viz.series import WINDOW, daily, trailing, trailing_rates

RATE_STYLE = {  # column -> (label, colour, line style)
    "response_rate": ("response", "#4c72b0", "-"),
    "resolution_rate": ("resolution", "#dd8452", "-"),
    "satisfaction_rate": ("satisfaction", "#55a868", "-"),
    "fix_share": ("true fix share", "#333333", "--"),
}
BEIJING_2019_2021 = {"resolution": 0.85, "satisfaction": 0.90}  # seed report, January 2019 - 2021
SIZE = (6.4, 3.6)  # inches
MARGINS = {"left": 0.1, "right": 0.98, "top": 0.9, "bottom": 0.13}  # fixed: a layout engine doubles the drawing time


def new_axes(title: str, days: int, ylabel: str) -> tuple[Figure, Axes]:
    figure = Figure(figsize=SIZE)
    figure.subplots_adjust(**MARGINS)
    axes = figure.subplots()
    style_axes(axes, title, days, ylabel)
    return figure, axes


def style_axes(axes: Axes, title: str, days: int, ylabel: str) -> None:
    axes.set_title(title, fontsize=10, loc="left")
    axes.set_xlim(0, days)
    axes.set_xlabel("day", fontsize=8)
    axes.set_ylabel(ylabel, fontsize=8)
    axes.tick_params(labelsize=8)
    axes.grid(alpha=0.3)


def waiting_note(axes: Axes) -> None:
    axes.text(0.5, 0.5, "press ▶ or Step", transform=axes.transAxes, ha="center", va="center", color="grey")


def rates_figure(frame: pd.DataFrame, days: int) -> Figure:
    figure, axes = new_axes(f"The three rates, over the last {WINDOW} days of call-backs", days, "share of residents called back")
    axes.set_ylim(0, 1.02)
    for value in BEIJING_2019_2021.values():
        axes.axhline(value, color="#999999", lw=0.9, ls=":")
    axes.plot([], [], color="#999999", lw=0.9, ls=":", label="Beijing 2019-21 (85 %, 90 %)")
    if frame.empty:
        waiting_note(axes)
        return figure
    rates = trailing_rates(frame)
    for column, (label, colour, style) in RATE_STYLE.items():
        axes.plot(rates.index, rates[column], color=colour, ls=style, lw=1.6, label=label)
    axes.legend(fontsize=7, loc="lower left", ncols=3)
    return figure


def contacts_figure(frame: pd.DataFrame, days: int) -> Figure:
    figure, axes = new_axes("Residents' contacts and the problems behind them", days, "per day")
    if frame.empty:
        waiting_note(axes)
        return figure
    axes.plot(frame.index, frame["contacts"], color="#4c72b0", lw=0.6, alpha=0.45, label="contacts (each day)")
    axes.plot(frame.index, trailing(frame["contacts"]), color="#4c72b0", lw=2, label=f"contacts ({WINDOW}-day mean)")
    axes.plot(frame.index, trailing(frame["new_problems"]), color="#c44e52", lw=1.6, ls="--", label=f"new problems ({WINDOW}-day mean)")
    axes.set_ylim(bottom=0)
    axes.legend(fontsize=7, loc="upper left")
    return figure


def stocks_figure(frame: pd.DataFrame, days: int) -> Figure:
    figure, axes = new_axes("Unsolved: tickets waiting and problems still open", days, "at the end of the day")
    if frame.empty:
        waiting_note(axes)
        return figure
    axes.plot(frame.index, frame["backlog"], color="#8172b3", lw=1.6, label="backlog (open tickets)")
    axes.plot(frame.index, frame["open_problems"], color="#c44e52", lw=1.6, label="open problems")
    axes.set_ylim(bottom=0)
    axes.legend(fontsize=7, loc="upper left")
    return figure


def load_figure(frame: pd.DataFrame, days: int) -> Figure:
    figure, axes = new_axes("Where the load lands: share of staff-hours used", days, "used / available (7-day mean)")
    axes.set_ylim(0, 1.05)
    if frame.empty:
        waiting_note(axes)
        return figure
    axes.plot(frame.index, trailing(frame["street_load"], 7), color="#dd8452", lw=1.6, label="street offices")
    axes.plot(frame.index, trailing(frame["department_load"], 7), color="#4c72b0", lw=1.6, label="city departments")
    axes.legend(fontsize=7, loc="lower right")
    return figure


@solara.component
def RatesChart(model: GovernanceModel):
    update_counter.get()
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
