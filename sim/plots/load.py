"""Figure 4, the load: where the work falls, street offices against departments, and the whistles blown."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.plots.data import city_equivalent, period_table, period_text
from sim.plots.marks import dot_interval, figure_legend, new_figure, styled, title, value_axis
from sim.plots.series import with_series
from sim.plots.style import PAGE_WIDTH, unit_label

BODIES = ["Street\noffices", "Depart-\nments"]


@styled
def plot_load(daily: pd.DataFrame, fig: Figure | None = None, *, window: int | None = None) -> Figure:
    """Figure 4: where the work falls per series — (a) staff-hours per day on tickets and (b) utilisation of street
    offices versus departments, daily means, and (c) whistles blown in all, over the run's last `window` days (None:
    the whole run, as the summary table); medians across runs with 10-90 %, axes from zero."""
    fig = fig if fig is not None else new_figure(PAGE_WIDTH, 3.0)
    columns = ["street_hours", "department_hours", "street_load", "department_load", "whistles"]
    means, scaled = city_equivalent(period_table(daily, window, flows="mean"), columns)
    totals, _ = city_equivalent(period_table(daily, window), ["whistles"])
    means, series = with_series(means)
    totals, _ = with_series(totals)
    hours, utilisation, whistles = fig.subplots(1, 3, width_ratios=(1, 1, 0.8))

    def street_versus_departments(ax: Axes, street: str, department: str) -> None:
        long = pd.concat([means.assign(value=means[street], pos=0), means.assign(value=means[department], pos=1)])
        dot_interval(ax, long, series, BODIES)

    street_versus_departments(hours, "street_hours", "department_hours")
    hours.set_title("(a) Staff-hours on tickets, per day")
    hours.set_ylabel(unit_label("street_hours", scaled))
    value_axis(hours, "street_hours")
    street_versus_departments(utilisation, "street_load", "department_load")
    utilisation.set_title("(b) Staff-hours used / available")
    utilisation.set_ylabel(unit_label("street_load"))
    value_axis(utilisation, "street_load")
    dot_interval(whistles, totals.assign(value=totals["whistles"]), series)
    whistles.set_title("(c) Whistles blown (total)")
    whistles.set_ylabel(unit_label("whistles", scaled, "whistles"))
    value_axis(whistles, "whistles")
    figure_legend(fig, series)
    title(fig, f"Load: street offices versus departments, and whistles, over {period_text(daily, window)}", daily,
          series=series)
    return fig
