"""Figure 2, the indicators over the run: per series the median across runs with its 10-90 % interval and each run
as a dot, over the same period as the summary table (the whole run) unless told otherwise. In a sweep, against
the first swept parameter's value."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.plots.data import city_equivalent, is_grid, kind, period_table, period_text, quantiles, total_unit, value_label
from sim.plots.marks import TICK_CHARACTERS, dot_interval, figure_legend, marker_style, new_figure, panel_grid, styled, title, value_axis
from sim.plots.series import SERIES, Series, with_series
from sim.plots.style import PAGE_WIDTH, name, parameter_label, unit, unit_label

INDICATORS = (
    "response_rate", "resolution_rate", "satisfaction_rate", "fix_share",
    "contacts", "backlog", "open_problems", "cost", "mean_trust",
)


def summed(column: str) -> bool:
    """Whether figure 2 shows the column as a total over the period (a flow counted per day)."""
    return kind(column) == "flow" and unit(column).endswith("/day")


def panel_title(column: str) -> str:
    return name(column) + (" (last day)" if kind(column) == "stock" else " (total)" if summed(column) else "")


def panel_unit(column: str, scaled: bool) -> str:
    return unit_label(column, scaled, total_unit(column) if summed(column) else None)


@styled
def plot_indicators(daily: pd.DataFrame, fig: Figure | None = None, *, swept=(), indicators=INDICATORS,
                    window: int | None = None) -> Figure:
    """Figure 2: indicators per series over the run's last `window` days (None: the whole run, the period of the
    summary table) — rates pooled from counts, per-day flows (contacts, cost) summed, stocks on the last day;
    the median across runs with its 10-90 % interval and the single runs as dots, value axes from zero.

    With `swept` parameters, each panel's x axis is the first one's value; the series are the regimes (and
    scenarios, and the other parameters' values in a grid). Points of a sample (a Latin hypercube) are one mark
    each, the other parameters varying between them."""
    indicators, swept = list(indicators), list(swept)
    ncols = min(3, len(indicators))
    fig = fig if fig is not None else new_figure(PAGE_WIDTH, 0.9 + 1.9 * math.ceil(len(indicators) / ncols))
    table, scaled = city_equivalent(period_table(daily, window), indicators)
    along = swept[0] if swept else None
    grid = is_grid(table, swept)
    table, series = with_series(table, exclude=(swept if not grid else [along]) if along else [])
    axes = panel_grid(fig, len(indicators), ncols=ncols, sharex=True)
    for i, (ax, column) in enumerate(zip(axes, indicators)):
        if along:
            dot_interval_along(ax, table.assign(value=table[column], x=table[along]), series, joined=grid)
            if i >= len(indicators) - ncols:  # the bottom row
                ax.set_xlabel(parameter_label(along, width=30))
        else:
            dot_interval(ax, table.assign(value=table[column]), series)
        ax.set_title(panel_title(column))
        ax.set_ylabel(panel_unit(column, scaled))
        ax.tick_params(axis="x", labelbottom=True)
        value_axis(ax, column)
    for ax in axes[len(indicators):]:
        ax.set_axis_off()
    note = f"over {period_text(daily, window)}, as in the summary table: rates pooled from counts; contacts and cost: totals"
    if along and not grid:
        note += "\none mark per sampled point, at its value of the first parameter (the others vary too)"
    if along or len(series.labels) > 3 or max(map(len, series.labels), default=0) > 2 * TICK_CHARACTERS:
        figure_legend(fig, series, line=bool(along))
    what = "Indicators" + (" against " + parameter_label(along, width=200).lower() if along else "")
    title(fig, f"{what}: median and 10–90 % interval across runs" + ("" if along else " (dots: single runs)"), daily,
          note, shown=swept, series=series)
    return fig


def dot_interval_along(ax: Axes, long: pd.DataFrame, series: Series, joined: bool = True) -> None:
    """Per series, the median and 10-90 % interval across the runs at each value `x` of a swept parameter, joined
    by a line (a grid's values, `joined`) and nudged apart along x so that their intervals do not hide each other;
    or one mark per value (a sample's). A parameter whose values are not numbers is placed at its values' ranks."""
    values = sorted(long["x"].dropna().unique())
    numeric = pd.api.types.is_numeric_dtype(long["x"])
    long = long.assign(x=long["x"] if numeric else long["x"].map({v: i for i, v in enumerate(values)}))
    positions = np.array(values, dtype=float) if numeric else np.arange(len(values), dtype=float)
    spread = (positions.max() - positions.min()) if len(positions) > 1 else 1.0
    labels = series.labels
    few = joined
    for k, label in enumerate(labels):
        style = series.styles[label]
        rows = long[long[SERIES] == label].dropna(subset=["value"])
        if rows.empty:
            continue
        stats = quantiles(rows, ["x"], "value").sort_values("x")
        nudge = (k - (len(labels) - 1) / 2) * 0.012 * spread if few else 0.0
        errors = np.clip([stats["median"] - stats["low"], stats["high"] - stats["median"]], 0, None)
        ax.errorbar(stats["x"] + nudge, stats["median"], yerr=errors, color=style["color"], label=label,
                    linestyle=style["linestyle"] if few else "none", elinewidth=0.9, linewidth=1.0,
                    **marker_style(style, 3.5))
    if few or not numeric:
        ax.set_xticks(positions, [value_label(v) for v in values])
    ax.grid(False, axis="x")
