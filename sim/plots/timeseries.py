"""Figure 1, the time series: daily indicators over the run, one line (median across runs) and band (10-90 %)
per series."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from sim.plots.data import city_equivalent, kind, quantiles, regime_switches, smooth
from sim.plots.marks import (
    BAND_ALPHA,
    date_axis,
    figure_legend,
    new_figure,
    panel_grid,
    series_handles,
    series_line,
    styled,
    title,
    value_axis,
)
from sim.plots.series import SERIES, with_series
from sim.plots.style import PAGE_WIDTH, name, unit_label

TIMESERIES = ("response_rate", "resolution_rate", "satisfaction_rate", "backlog", "contacts")
LEGEND_IN_CELL = 28  # series names up to this long fit in the grid's spare cell


@styled
def plot_timeseries(daily: pd.DataFrame, fig: Figure | None = None, *, columns=TIMESERIES,
                    window: int | None = 7) -> Figure:
    """Figure 1: daily indicators over time per series — median across runs with the 10-90 % band. Rates and flows
    are first taken per run over a centred `window`-day window (rates pooled from their counts), stocks as they are.
    Markers along each line are staggered between series, so that lines which coincide (two regimes at a 100 %
    response rate) both show."""
    columns = list(columns)
    fig = fig if fig is not None else new_figure(PAGE_WIDTH, 2.3 * math.ceil((len(columns) + 1) / 3))
    frame, scaled = city_equivalent(daily, columns)
    frame = smooth(frame, columns, window)
    frame, series = with_series(frame.assign(date=pd.to_datetime(frame["date"])))
    switches = regime_switches(frame, by=SERIES)
    axes = panel_grid(fig, len(columns) + 1, sharex=True)
    n = len(series.labels)
    for i, (ax, column) in enumerate(zip(axes, columns)):
        stats = quantiles(frame, [SERIES, "date"], column)
        for k, (label, style) in enumerate(series.styles.items()):
            rows = stats[stats[SERIES] == label].sort_values("date")
            ax.fill_between(rows["date"], rows["low"], rows["high"], color=style["color"], alpha=BAND_ALPHA, linewidth=0)
            series_line(ax, rows["date"], rows["median"], style, k, n, label)
            for date, regime_then in switches.get(label, []):
                ax.axvline(date, color=style["color"], linestyle=":", linewidth=0.8, gid="regime-switch")
                if i == 0:
                    ax.annotate(regime_then, (date, 1), xycoords=("data", "axes fraction"), xytext=(2, -2),
                                textcoords="offset points", rotation=90, va="top", fontsize=6, color=style["color"])
        ax.set_title(name(column))
        ax.set_ylabel(unit_label(column, scaled))
        ax.set_xlabel("Date")
        date_axis(ax)
        value_axis(ax, column, zero=False)
    spare = axes[len(columns):]
    for ax in spare:
        ax.set_axis_off()
    smoothed = window and window > 1 and any(kind(c) != "stock" for c in columns)
    note = "median across runs\nshaded: 10–90 % of runs" + (f"\nrates and flows: {window}-day window" if smoothed else "") \
        + ("\ndotted: regime switches" if switches else "")
    if max(map(len, series.labels), default=0) <= LEGEND_IN_CELL:
        handles, labels = series_handles(series, band=True)
        spare[0].legend(handles, labels, loc="center", frameon=False, title=note)  # the grid has a cell to spare
    else:  # long names: the legend goes under the figure, the note stays in the spare cell
        spare[0].text(0.5, 0.5, note, transform=spare[0].transAxes, ha="center", va="center", fontsize=7.5)
        figure_legend(fig, series, band=True)
    title(fig, "Daily indicators" + (f" by {series.noun()}" if series.noun() != "series" else ""), frame, series=series)
    return fig
