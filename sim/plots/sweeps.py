"""Figure 7, the swept parameters: a heat map of one indicator over two parameters when the points form a grid,
or the partial dependence of a few indicators on each parameter when they are a sample (a Latin hypercube)."""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.plots.data import city_equivalent, is_grid, kind, period_table, period_text, value_label
from sim.plots.indicators import panel_title, panel_unit
from sim.plots.marks import PERCENT, figure_legend, marker_style, new_figure, styled, title, value_axis
from sim.plots.series import SERIES, with_series
from sim.plots.style import PAGE_WIDTH, is_share, name, parameter_label

SWEEP_INDICATORS = ("resolution_rate", "satisfaction_rate", "fix_share", "backlog", "cost")
TREND_BINS = 5  # partial dependence: the mean over this many quantile bins of the parameter


def cell_text(value: float, share: bool) -> str:
    if not np.isfinite(value):
        return "–"
    if share:
        return f"{value * 100:.1f}"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


@styled
def plot_heatmap(daily: pd.DataFrame, swept, fig: Figure | None = None, *, indicator: str = "satisfaction_rate",
                 window: int | None = None) -> Figure:
    """Figure 7 for a grid: one indicator (over the whole run by default, as the summary table) over the first two
    swept parameters, one panel per regime (and scenario, and value of any further swept parameter: nothing is
    pooled) — the median across runs in each cell, annotated, on a colour scale the panels share."""
    swept = list(swept)
    if len(swept) < 2:
        raise ValueError("a heat map needs two swept parameters")
    rows_param, cols_param = swept[:2]
    table, scaled = city_equivalent(period_table(daily, window), [indicator])
    if not is_grid(table, swept):
        raise ValueError("a heat map needs the points of a grid; draw a sample's with plot_partial_dependence")
    table, series = with_series(table, exclude=swept[:2])
    row_values, col_values = sorted(table[rows_param].unique()), sorted(table[cols_param].unique())
    cells = table.groupby([SERIES, rows_param, cols_param])[indicator].median()
    ncols = min(3, len(series.labels))
    nrows = math.ceil(len(series.labels) / ncols)
    size = (min(PAGE_WIDTH, 1.6 + 2.1 * ncols), 1.4 + (0.8 + 0.32 * len(row_values)) * nrows)
    fig = fig if fig is not None else new_figure(*size)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True).ravel()
    finite = cells[np.isfinite(cells)]
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    if low == high:  # one value everywhere: give the colour bar a range to draw
        low, high = low - max(abs(low) * 0.01, 1e-6), high + max(abs(high) * 0.01, 1e-6)
    norm = mpl.colors.Normalize(low, high)
    cmap = mpl.colormaps["viridis"].with_extremes(bad="#eeeeee")
    share = is_share(indicator)
    image = None
    for ax, label in zip(axes, series.labels):
        grid = cells.loc[label].unstack(cols_param).reindex(index=row_values, columns=col_values).to_numpy(float)
        image = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, norm=norm)
        for (i, j), value in np.ndenumerate(grid):
            red, green, blue, _ = cmap(norm(value)) if np.isfinite(value) else (1, 1, 1, 1)
            dark = 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5
            ax.text(j, i, cell_text(value, share), ha="center", va="center", fontsize=6.5,
                    color="white" if dark else "black")
        ax.set_xticks(range(len(col_values)), [value_label(v) for v in col_values])
        ax.set_yticks(range(len(row_values)), [value_label(v) for v in row_values])
        ax.set_xlabel(parameter_label(cols_param, width=26))
        ax.set_title(label, color=series.styles[label]["color"], fontsize=8)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
    for ax in axes[len(series.labels):]:
        ax.set_axis_off()
    for ax in axes[::ncols]:
        ax.set_ylabel(parameter_label(rows_param, width=26))
    bar = fig.colorbar(image, ax=list(axes), label=f"{panel_title(indicator)}\n({panel_unit(indicator, scaled)})",
                       shrink=0.9)
    if share:
        bar.ax.yaxis.set_major_formatter(PERCENT)
    when = "on the last day" if kind(indicator) == "stock" else f"over {period_text(daily, window)}"
    unit_note = "; cells in %" if share else ""
    title(fig, f"{name(indicator)} {when}: median across runs{unit_note}", daily, shown=swept, series=series)
    return fig


@styled
def plot_partial_dependence(daily: pd.DataFrame, swept, fig: Figure | None = None, *, indicators=SWEEP_INDICATORS,
                            window: int | None = None) -> Figure:
    """Figure 7 for a sample of points (a Latin hypercube): each indicator (rows) against each swept parameter
    (columns). A dot is one point (the median across its runs); the line, per regime (and scenario), is the mean
    of the points in each of TREND_BINS quantile bins of the parameter — the indicator's dependence on that
    parameter with the others averaged over the sample (an empirical partial dependence)."""
    swept, indicators = list(swept), list(indicators)
    if not swept:
        raise ValueError("partial dependence needs swept parameters")
    table, scaled = city_equivalent(period_table(daily, window), indicators)
    table, series = with_series(table, exclude=swept)
    points = table.groupby([SERIES, *swept], as_index=False)[indicators].median()
    fig = fig if fig is not None else new_figure(min(PAGE_WIDTH, 1.5 + 2.0 * len(swept)), 1.3 + 1.55 * len(indicators))
    axes = fig.subplots(len(indicators), len(swept), squeeze=False, sharex="col", sharey="row")
    for row, column in enumerate(indicators):
        for col, parameter in enumerate(swept):
            ax = axes[row, col]
            for label, style in series.styles.items():
                at = points[points[SERIES] == label].sort_values(parameter)
                ax.plot(at[parameter], at[column], linestyle="none", alpha=0.6, **marker_style(style, 3))
                trend = _binned(at, parameter, column)
                ax.plot(trend["x"], trend["y"], color=style["color"], linestyle=style["linestyle"], label=label)
            if col == 0:
                ax.set_title(panel_title(column), loc="left", fontsize=8)
                ax.set_ylabel(panel_unit(column, scaled))
            if row == len(indicators) - 1:
                ax.set_xlabel(parameter_label(parameter, width=28))
            value_axis(ax, column)
            ax.grid(True, axis="both")
    figure_legend(fig, series, line=True)
    title(fig, f"Partial dependence over {period_text(daily, window)}: dots are sampled points (median across runs), "
          f"lines the mean over {TREND_BINS} quantile bins of the parameter", daily, shown=swept, series=series)
    return fig


def _binned(points: pd.DataFrame, parameter: str, column: str) -> pd.DataFrame:
    """The mean of `column` (and the median of the parameter) in quantile bins of the parameter."""
    values = points[[parameter, column]].dropna()
    if len(values) < 2 or values[parameter].nunique() < 2:
        return pd.DataFrame({"x": values[parameter], "y": values[column]})
    bins = pd.qcut(values[parameter].rank(method="first"), q=min(TREND_BINS, len(values)), labels=False)
    grouped = values.groupby(bins)
    return pd.DataFrame({"x": grouped[parameter].median(), "y": grouped[column].mean()})
