"""The comparison figures, one pure function each: tidy frames (and optionally the figure or axes to draw on) in,
the matplotlib figure out. They never save or show; `sim.plots.draw.draw_figures` saves them. Called without a
figure, each makes its own, sized for a page (7.2 in wide) or a column (3.5 in).

Every function groups runs by their `regime` label and draws the median across runs with a 10-90 % interval;
pass the rows of one sweep point at a time (rows of several points are pooled, and the title says so).
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

from sim.metrics import DAILY, MAX_DAYS
from sim.plots.data import (
    axis_levels,
    city_equivalent,
    end_of_horizon,
    value_label,
    kind,
    quantiles,
    regime_switches,
    run_days,
    smooth,
)
from sim.plots.marks import (
    BAND_ALPHA,
    bar_interval,
    date_axis,
    dot_interval,
    dot_interval_along,
    figure_legend,
    new_figure,
    panel_grid,
    readable_numbers,
    regime_handles,
    styled,
    title,
)
from sim.plots.style import (
    COLUMN_WIDTH,
    PAGE_WIDTH,
    axis_label,
    name,
    parameter_label,
    regime_styles,
    unit,
    unit_label,
)
from sim.scenario.schema import AGE_GROUPS, ZONES

TIMESERIES = ("response_rate", "resolution_rate", "satisfaction_rate", "backlog", "contacts")
INDICATORS = (
    "response_rate", "resolution_rate", "satisfaction_rate", "fix_share",
    "contacts", "backlog", "open_problems", "cost", "mean_trust",
)
# Days-to-close bins, aligned with the hotline's time limits (24 hours, 7 days, 15 days).
CLOSE_BINS = ((0, 0, "same\nday"), (1, 1, "1"), (2, 3, "2–3"), (4, 7, "4–7"), (8, 15, "8–15"), (16, 30, "16–30"),
              (31, 60, "31–60"), (61, MAX_DAYS - 1, f"61–\n{MAX_DAYS - 1}"), (MAX_DAYS, MAX_DAYS, f"{MAX_DAYS}+"))
CLOSE_TICKS = (0, 1, 2, 3, 7, 15, 30, 60, MAX_DAYS)
MAX_POINTS = 12  # sweep points that figure 2 lists by name along its x axis


# ---------------------------------------------------------------------------------------------------- figure 1


@styled
def plot_timeseries(daily: pd.DataFrame, fig: Figure | None = None, *, columns=TIMESERIES,
                    window: int | None = 7) -> Figure:
    """Figure 1: daily indicators over time per regime — median across runs with the 10-90 % band. Rates and flows
    are first taken per run over a centred `window`-day window (rates pooled from their counts), stocks as they are."""
    columns = list(columns)
    fig = fig if fig is not None else new_figure(PAGE_WIDTH, 2.3 * math.ceil((len(columns) + 1) / 3))
    frame, scaled = city_equivalent(daily, columns)
    frame = smooth(frame, columns, window)
    frame = frame.assign(date=pd.to_datetime(frame["date"]))
    styles = regime_styles(frame["regime"])
    switches = regime_switches(frame)
    axes = panel_grid(fig, len(columns) + 1, sharex=True)
    for i, (ax, column) in enumerate(zip(axes, columns)):
        stats = quantiles(frame, ["regime", "date"], column)
        for regime, style in styles.items():
            rows = stats[stats["regime"] == regime].sort_values("date")
            ax.fill_between(rows["date"], rows["low"], rows["high"], color=style["color"], alpha=BAND_ALPHA, linewidth=0)
            ax.plot(rows["date"], rows["median"], color=style["color"], label=regime)
            for date, regime_then in switches.get(regime, []):
                ax.axvline(date, color=style["color"], linestyle=":", linewidth=0.8, gid="regime-switch")
                if i == 0:
                    ax.annotate(regime_then, (date, 1), xycoords=("data", "axes fraction"), xytext=(2, -2),
                                textcoords="offset points", rotation=90, va="top", fontsize=6, color=style["color"])
        smoothed = kind(column) != "stock" and window and window > 1
        ax.set_title(name(column) + (f", {window}-day window" if smoothed else ""))
        ax.set_ylabel(unit_label(column, scaled))
        ax.set_xlabel("Date")
        date_axis(ax)
        readable_numbers(ax.yaxis)
    spare = axes[len(columns):]
    for ax in spare:
        ax.set_axis_off()
    handles, labels = regime_handles(styles, band=True)
    note = "median across runs\nshaded: 10–90 % of runs" + ("\ndotted: regime switches" if switches else "")
    spare[0].legend(handles, labels, loc="center", frameon=False, title=note)  # the grid has a cell to spare
    title(fig, "Daily indicators by regime", frame)
    return fig


# ---------------------------------------------------------------------------------------------------- figure 2


@styled
def plot_indicators(daily: pd.DataFrame, fig: Figure | None = None, *, swept=(), indicators=INDICATORS,
                    window: int | None = 30) -> Figure:
    """Figure 2: end-of-horizon indicators per regime (and per sweep point when `swept` names parameters) — the
    median across runs with its 10-90 % interval and the single runs as dots. Rates are pooled from counts and
    flows averaged over the last `window` days; stocks are the last day's.

    Up to MAX_POINTS sweep points are listed along the x axis; a sweep with more (a Latin hypercube) is drawn
    against the first swept parameter's value instead, one mark per point."""
    indicators, swept = list(indicators), list(swept)
    ncols = min(3, len(indicators))
    fig = fig if fig is not None else new_figure(PAGE_WIDTH, 0.6 + 1.9 * math.ceil(len(indicators) / ncols))
    table, scaled = city_equivalent(end_of_horizon(daily, window), indicators)
    styles = regime_styles(table["regime"])
    tick_labels, along = None, None
    if swept:
        points = table.groupby(swept, sort=True, dropna=False)
        table = table.assign(pos=points.ngroup())
        if points.ngroups > MAX_POINTS and pd.api.types.is_numeric_dtype(table[swept[0]]):
            along = swept[0]
        else:
            tick_labels = [", ".join(map(value_label, key if isinstance(key, tuple) else (key,))) for key, _ in points]
    axes = panel_grid(fig, len(indicators), ncols=ncols, sharex=True)
    for i, (ax, column) in enumerate(zip(axes, indicators)):
        if along:
            dot_interval_along(ax, table.assign(value=table[column], x=table[along]), styles)
            if i >= len(indicators) - ncols:  # the bottom row
                ax.set_xlabel(parameter_label(along, short=True))
        else:
            dot_interval(ax, table.assign(value=table[column]), styles, tick_labels)
        ax.set_title(name(column) + (" (last day)" if kind(column) == "stock" else ""))
        ax.set_ylabel(unit_label(column, scaled))
        ax.tick_params(axis="x", labelbottom=True)
        if tick_labels and len(tick_labels) > 4:
            ax.tick_params(axis="x", labelrotation=45)
    for ax in axes[len(indicators):]:
        ax.set_axis_off()
    note = f"rates pooled and flows averaged over {f'the last {window} days' if window else 'the whole run'}; " \
           "stocks on the last day"
    if along:
        note += f"\none mark per sweep point, at its value of {along} (the other swept parameters vary too)"
    elif swept:
        note += "\nx axes: sweep point (" + ", ".join(swept) + ")"
    if swept:
        figure_legend(fig, styles)
    title(fig, "End-of-horizon indicators: median and 10–90 % interval across runs"
          + ("" if along else " (dots: single runs)"), daily, note, shown=swept)
    return fig


# ---------------------------------------------------------------------------------------------------- figure 3


def close_shares(days_to_close: pd.DataFrame) -> pd.DataFrame:
    """Each run's days-to-close histogram as shares of its closed tickets, with their running total."""
    frame = days_to_close.sort_values(["run_id", "days"]).copy()
    total = frame.groupby("run_id")["tickets"].transform("sum").astype(float)
    frame["share"] = frame["tickets"] / total.where(total > 0)
    frame["within"] = frame.groupby("run_id")["share"].cumsum()
    return frame.dropna(subset=["share"])


@styled
def plot_days_to_close(days_to_close: pd.DataFrame, fig: Figure | None = None) -> Figure:
    """Figure 3: the distribution of days from opening to closure per regime — (a) the share of closed tickets in
    bins aligned with the time limits, (b) the share closed within d days; medians across runs with 10-90 %."""
    fig = fig if fig is not None else new_figure(PAGE_WIDTH, 2.9)
    frame = close_shares(days_to_close)
    styles = regime_styles(frame["regime"])
    bins, cumulative = fig.subplots(1, 2, width_ratios=(1.25, 1))

    bin_of = np.zeros(MAX_DAYS + 1, dtype=int)
    for k, (low, high, _) in enumerate(CLOSE_BINS):
        bin_of[low:high + 1] = k
    binned = frame.assign(pos=bin_of[frame["days"].clip(upper=MAX_DAYS).to_numpy()]).groupby(
        ["run_id", "regime", "pos"], as_index=False)["share"].sum()
    bar_interval(bins, binned.rename(columns={"share": "value"}), styles, [label for *_, label in CLOSE_BINS])
    bins.set_title("(a) Closed tickets by days to close")
    bins.set_xlabel("Days to close (days)")
    bins.set_ylabel("Share of closed tickets (fraction)")

    stats = quantiles(frame, ["regime", "days"], "within")
    for regime, style in styles.items():
        rows = stats[stats["regime"] == regime].sort_values("days")
        cumulative.fill_between(rows["days"], rows["low"], rows["high"], step="post", color=style["color"],
                                alpha=BAND_ALPHA, linewidth=0)
        cumulative.step(rows["days"], rows["median"], where="post", color=style["color"], label=regime)
    cumulative.set_xscale("symlog", linthresh=1, linscale=0.5)
    cumulative.xaxis.set_major_locator(FixedLocator(CLOSE_TICKS))
    cumulative.set_xticklabels([str(d) if d < MAX_DAYS else f"{d}+" for d in CLOSE_TICKS])
    cumulative.xaxis.set_minor_locator(FixedLocator([]))
    cumulative.set_xlim(0, MAX_DAYS)
    cumulative.set_ylim(0, 1.01)
    cumulative.grid(True, axis="x")
    cumulative.set_title("(b) Closed within d days")
    cumulative.set_xlabel("d (days, log scale beyond 1)")
    cumulative.set_ylabel("Share of closed tickets (fraction)")
    figure_legend(fig, styles, band=True)
    title(fig, "Days from opening to closure by regime: median and 10–90 % across runs (whole run)", frame)
    return fig


# ---------------------------------------------------------------------------------------------------- figure 4


@styled
def plot_load(daily: pd.DataFrame, fig: Figure | None = None, *, window: int | None = 30) -> Figure:
    """Figure 4: where the work falls per regime — staff-hours on tickets and utilisation of street offices versus
    departments, and whistles blown; means over the last `window` days, medians across runs with 10-90 %."""
    fig = fig if fig is not None else new_figure(PAGE_WIDTH, 2.8)
    columns = ["street_hours", "department_hours", "street_load", "department_load", "whistles"]
    table, scaled = city_equivalent(end_of_horizon(daily, window), columns)
    styles = regime_styles(table["regime"])
    hours, utilisation, whistles = fig.subplots(1, 3, width_ratios=(1, 1, 0.8))
    bodies = ["Street\noffices", "Depart-\nments"]
    horizon = f"mean over the last {window} days" if window else "mean over the run"

    def street_versus_departments(ax: Axes, street: str, department: str) -> None:
        long = pd.concat([table.assign(value=table[street], pos=0), table.assign(value=table[department], pos=1)])
        dot_interval(ax, long, styles, bodies)

    street_versus_departments(hours, "street_hours", "department_hours")
    hours.set_title("(a) Staff-hours on tickets")
    hours.set_ylabel(unit_label("street_hours", scaled))
    street_versus_departments(utilisation, "street_load", "department_load")
    utilisation.set_title("(b) Staff-hours used / available")
    utilisation.set_ylabel(unit_label("street_load"))
    dot_interval(whistles, table.assign(value=table["whistles"]), styles)
    whistles.set_title("(c) Whistles blown")
    whistles.set_ylabel(unit_label("whistles", scaled))
    figure_legend(fig, styles)
    title(fig, f"Load by regime: street offices versus departments, and whistles ({horizon})", daily)
    return fig


# ---------------------------------------------------------------------------------------------------- figure 5


@styled
def plot_equity(by_zone: pd.DataFrame, by_age_group: pd.DataFrame, fig: Figure | None = None,
                *, rates=("resolution_rate", "satisfaction_rate")) -> Figure:
    """Figure 5: equity — each rate by district zone and by age group per regime, over the whole run; medians
    across runs with 10-90 % intervals. A grouping whose frame is empty is left out."""
    groupings = [(frame, column, order, label) for frame, column, order, label in (
        (by_zone, "zone", ZONES, "District zone"), (by_age_group, "age_group", AGE_GROUPS, "Age group"))
        if len(frame)]
    if not groupings:
        raise ValueError("equity needs rows in by_zone or by_age_group")
    rates = list(rates)
    width = PAGE_WIDTH if len(groupings) > 1 else COLUMN_WIDTH + 0.5
    fig = fig if fig is not None else new_figure(width, 0.8 + 2.0 * len(rates))
    styles = regime_styles(pd.concat([frame["regime"] for frame, *_ in groupings]))
    axes = fig.subplots(len(rates), len(groupings), squeeze=False,
                        width_ratios=[len(frame[column].unique()) + 1 for frame, column, *_ in groupings])
    for col, (frame, column, order, label) in enumerate(groupings):
        present = set(frame[column])
        groups = [g for g in order if g in present] + sorted(present - set(order))
        long = frame.assign(pos=frame[column].map({g: i for i, g in enumerate(groups)}))
        for row, rate in enumerate(rates):
            ax = axes[row, col]
            dot_interval(ax, long.assign(value=long[rate]), styles, groups)
            ax.set_title(f"{name(rate)} by {label.lower()}")
            ax.set_xlabel(label)
            ax.set_ylabel(unit_label(rate))
    figure_legend(fig, styles)
    title(fig, "Equity: rates by district zone and age group (whole run), median and 10–90 % across runs",
          groupings[0][0])
    return fig


# ---------------------------------------------------------------------------------------------------- figure 6


@styled
def plot_category_mix(by_category: pd.DataFrame, daily: pd.DataFrame, ax: Axes | None = None,
                      *, measure: str = "contacts") -> Figure:
    """Figure 6: volume by complaint category per regime — `measure` (a count column of the breakdown) per day of
    each run, medians across runs with 10-90 % intervals; categories by volume, the catch-all 'other' last."""
    own_figure = ax is None
    fig = new_figure(COLUMN_WIDTH + 0.5, 4.6) if own_figure else ax.figure
    ax = fig.subplots() if own_figure else ax
    frame = by_category.assign(value=by_category[measure] / by_category["run_id"].map(run_days(daily)))
    if "scale" in frame.columns:
        frame["value"] = frame["value"] / frame["scale"].astype(float)
    scaled = "scale" in frame.columns and bool((frame["scale"] != 1).any())
    styles = regime_styles(frame["regime"])
    volume = frame.groupby("category")["value"].median().sort_values(ascending=False)
    categories = [c for c in volume.index if c != "other"] + [c for c in volume.index if c == "other"]
    long = frame.assign(pos=frame["category"].map({c: i for i, c in enumerate(categories)}))
    bar_interval(ax, long, styles, [c.replace("_", " ") for c in categories], horizontal=True)
    per_day = unit(measure) if measure in DAILY else "tickets/day"
    ax.set_xlabel(f"{name(measure)} ({per_day}{', city-equivalent' if scaled else ''})")
    ax.set_ylabel("Complaint category")
    ax.set_title(f"{name(measure)} per day by category (whole run)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=min(len(styles), 3), frameon=False)
    if own_figure:
        title(fig, "Category mix by regime: median and 10–90 % across runs", by_category)
    return fig


# ---------------------------------------------------------------------------------------------------- figure 7


def cell_text(value: float) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


@styled
def plot_heatmap(daily: pd.DataFrame, swept, fig: Figure | None = None, *, indicator: str = "satisfaction_rate",
                 window: int | None = 30) -> Figure:
    """Figure 7: one end-of-horizon indicator over the first two swept parameters, one panel per regime — the
    median across runs in each cell (runs at other values of further swept parameters pooled), annotated, on a
    colour scale shared by the panels. A parameter with more than ten values (a Latin hypercube) is cut into five
    quantile bins."""
    swept = list(swept)
    if len(swept) < 2:
        raise ValueError("a heat map needs two swept parameters")
    rows_param, cols_param = swept[:2]
    table, scaled = city_equivalent(end_of_horizon(daily, window), [indicator])
    styles = regime_styles(table["regime"])
    (row_level, row_labels), (col_level, col_labels) = axis_levels(table[rows_param]), axis_levels(table[cols_param])
    cells = table.groupby(["regime", row_level.rename("row"), col_level.rename("col")])[indicator].median()
    size = (min(PAGE_WIDTH, 0.9 + 2.3 * len(styles)), 2.1 + 0.35 * len(row_labels))
    fig = fig if fig is not None else new_figure(*size)
    axes = fig.subplots(1, len(styles), squeeze=False, sharey=True)[0]
    finite = cells[np.isfinite(cells)]
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    if low == high:  # one value everywhere: give the colour bar a range to draw
        low, high = low - max(abs(low) * 0.01, 1e-6), high + max(abs(high) * 0.01, 1e-6)
    norm = mpl.colors.Normalize(low, high)
    cmap = mpl.colormaps["viridis"].with_extremes(bad="#eeeeee")
    image = None
    for ax, regime in zip(axes, styles):
        grid = cells.loc[regime].unstack("col").reindex(index=range(len(row_labels)), columns=range(len(col_labels)))
        grid = grid.to_numpy(float)
        image = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, norm=norm)
        for (i, j), value in np.ndenumerate(grid):
            red, green, blue, _ = cmap(norm(value)) if np.isfinite(value) else (1, 1, 1, 1)
            dark = 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5
            ax.text(j, i, cell_text(value), ha="center", va="center", fontsize=6.5, color="white" if dark else "black")
        ax.set_xticks(range(len(col_labels)), col_labels)
        ax.set_yticks(range(len(row_labels)), row_labels)
        if max(map(len, col_labels)) * len(col_labels) > 40:
            ax.tick_params(axis="x", labelrotation=45)
        ax.set_xlabel(parameter_label(cols_param))
        ax.set_title(regime, color=styles[regime]["color"])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
    axes[0].set_ylabel(parameter_label(rows_param))
    fig.colorbar(image, ax=list(axes), label=axis_label(indicator, scaled), shrink=0.9)
    when = "on the last day" if kind(indicator) == "stock" else f"last {window} days" if window else "whole run"
    title(fig, f"{name(indicator)} ({when}): median across runs over the swept parameters", daily,
          shown=swept[:2])
    return fig
