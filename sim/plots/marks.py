"""The building blocks the figures share: figures made outside pyplot under the house style, titles that say
what is shown and where it comes from, series legends, the marks for a median across runs with its 10-90 %
interval (dot and bar, or grouped bars), lines whose markers stay visible where lines coincide, and value axes
(rates in %, levels from zero, big numbers readable)."""

from __future__ import annotations

import functools
import math
import textwrap

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from sim.plots.data import parameter_columns, quantiles, value_label
from sim.plots.series import SERIES, Series
from sim.metrics import DAILY
from sim.plots.style import RC, display_regime, is_share, unit

BAND_ALPHA = 0.2
PERCENT = FuncFormatter(lambda x, _: f"{round(x * 100, 6):g}%")  # a share as a percentage: 0.15 -> 15%
GROUP_WIDTH = 0.75  # share of a slot's width taken by its series' dodged marks
MARKER_SIZE = 4
TICK_CHARACTERS = 16  # longest line of a series' name that a dot plot writes under its slot


def styled(function):
    """Run a plot function under the house style (fonts, grid, line widths)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(RC):
            return function(*args, **kwargs)

    return wrapper


def new_figure(width: float, height: float) -> Figure:
    """A figure outside pyplot (no GUI backend, no global registry) with constrained layout."""
    return Figure(figsize=(width, height), layout="constrained")


# --------------------------------------------------------------------------------------------------- titles


def about(frame: pd.DataFrame, series: Series | None = None, shown=()) -> list[str]:
    """Provenance: scenario, regime and parameter values held fixed, scale, dates and runs per series. What tells
    the series apart is in the legend and what an axis shows (`shown`) on the axis, so neither is repeated."""
    parts, dimensions = [], set(series.dimensions if series else ())
    for column in ("scenario", "regime"):
        if column in frame.columns and column not in dimensions and frame[column].nunique() == 1:
            parts.append(("regime " if column == "regime" else "") + str(frame[column].iloc[0]))
    if "scale" in frame.columns and len(frame):
        scales = sorted(frame["scale"].unique())
        parts.append("scale " + ", ".join(value_label(s) for s in scales))
    if "date" in frame.columns and len(frame):
        dates = pd.to_datetime(frame["date"])
        parts.append(f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}")
    if "run_id" in frame.columns and len(frame):
        known = series.dimensions if series and set(series.dimensions) <= set(frame.columns) else ["regime"]
        by = [SERIES] if SERIES in frame.columns else known
        by += [c for c in shown if c in frame.columns]
        noun = series.noun() if series else "regime"
        per = f"per {noun}" + (" and point" if shown else "")
        parts.append(count(frame.groupby(by)["run_id"].nunique(), "run", per))
    for column in parameter_columns(frame):
        if column not in shown and column not in dimensions and frame[column].nunique(dropna=False) == 1:
            parts.append(f"{column} = {value_label(frame[column].iloc[0])}")
    return parts


def count(counts: pd.Series, noun: str, per: str) -> str:
    low, high = int(counts.min()), int(counts.max())
    return f"{low}{'' if low == high else f'–{high}'} {noun}{'s' if high > 1 else ''} {per}"


def title(fig: Figure, what: str, frame: pd.DataFrame, note: str = "", shown=(), series: Series | None = None) -> None:
    """The figure's title: what it shows, then its provenance and `note`, wrapped to the figure's width."""
    chars = int(fig.get_figwidth() * 13)  # about 13 characters of 9 pt text per inch
    lines = textwrap.wrap(what, chars)
    line = ""
    for part in about(frame, series, shown):
        if line and len(line) + 3 + len(part) > chars:
            lines.append(line)
            line = ""
        line = f"{line} · {part}" if line else part
    lines += [line] if line else []
    lines += [textwrap.fill(text, chars) for text in note.splitlines()]
    fig.suptitle("\n".join(lines), fontsize=RC["figure.titlesize"])


# -------------------------------------------------------------------------------------------------- legends


def marker_style(style: dict, size: float = MARKER_SIZE) -> dict:
    """Matplotlib keywords of a series' marker: filled, or open (white inside) for the second and fourth variants."""
    return {"marker": style["marker"], "markersize": size, "markeredgecolor": style["color"],
            "markerfacecolor": style["color"] if style["filled"] else "white"}


def series_handles(series: Series, band: bool = False, line: bool = False) -> tuple[list, list[str]]:
    """Legend entries, one per series: a marker, a line with its marker (`line`), over a band patch (`band`)."""
    handles = []
    for style in series.styles.values():
        mark = Line2D([], [], color=style["color"], linestyle=style["linestyle"] if line or band else "none",
                      **marker_style(style))
        handles.append((Patch(facecolor=style["color"], alpha=BAND_ALPHA, linewidth=0), mark) if band else mark)
    return handles, series.labels


def figure_legend(fig: Figure, series: Series, band: bool = False, line: bool = False) -> None:
    handles, labels = series_handles(series, band, line)
    fig.legend(handles, labels, loc="outside lower center", ncols=legend_columns(fig, labels), frameon=False)


def legend_columns(fig: Figure, labels: list[str], most: int = 4) -> int:
    """As many legend columns as the figure's width holds for labels this long (about 13 characters of 7.5 pt
    text per inch, plus the marker)."""
    longest = max(map(len, labels), default=1) + 6
    return max(1, min(most, len(labels), int(fig.figure.get_figwidth() * 13) // longest))


# ---------------------------------------------------------------------------------------------------- marks


def slots(long: pd.DataFrame, series: Series, tick_labels: list[str] | None) -> tuple[pd.Series, dict, list[str], float]:
    """Where each row's mark goes: (slot of each row, {series: offset inside its slot}, slot labels, dodge step).

    With `tick_labels` None the slots are the series' groups (a regime, or one series each); otherwise the rows'
    `pos` column gives the slot and all series are dodged inside it."""
    present = [s for s in series.labels if s in set(long[SERIES])]
    if tick_labels is None:
        groups = {series.styles[s]["group_label"] for s in present}
        ordered = [g for g in series.groups if g in groups]
        members = {g: [s for s in present if series.styles[s]["group_label"] == g] for g in ordered}
        largest = max(len(m) for m in members.values())
        step = GROUP_WIDTH / largest if largest > 1 else 0.0
        offsets = {s: (m.index(s) - (len(m) - 1) / 2) * step for m in members.values() for s in m}
        position = long[SERIES].map({s: ordered.index(series.styles[s]["group_label"]) for s in present})
        labels = [display_regime(g) for g in ordered]
        if max(len(line) for label in labels for line in label.split("\n")) > TICK_CHARACTERS:
            labels = [""] * len(labels)  # too long to stand under a slot: the legend names them
        return position, offsets, labels, step
    step = GROUP_WIDTH / len(present)
    offsets = {s: (k - (len(present) - 1) / 2) * step for k, s in enumerate(present)}
    return long["pos"], offsets, tick_labels, step


def dot_interval(ax: Axes, long: pd.DataFrame, series: Series, tick_labels: list[str] | None = None) -> None:
    """Median and 10-90 % interval across runs (marker and bar) with the single runs as faint dots.

    `long` has one row per run and slot: series, value and (with `tick_labels`) `pos`, the slot's index."""
    position, offsets, labels, step = slots(long, series, tick_labels)
    long = long.assign(pos=position)
    for label, offset in offsets.items():
        style = series.styles[label]
        rows = long[long[SERIES] == label].dropna(subset=["value"])
        stats = quantiles(rows, ["pos"], "value").sort_values("pos")
        errors = np.clip([stats["median"] - stats["low"], stats["high"] - stats["median"]], 0, None)
        ax.errorbar(stats["pos"].to_numpy(float) + offset, stats["median"], yerr=errors, color=style["color"],
                    elinewidth=1.2, linestyle="none", label=label, zorder=3, **marker_style(style))
        x = rows["pos"].to_numpy(float) + offset + jitter(rows, 0.3 * (step or GROUP_WIDTH / 2))
        ax.scatter(x, rows["value"], s=5, color=style["color"], alpha=0.35, linewidths=0, zorder=2)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.grid(False, axis="x")
    if not any(labels):
        ax.set_xlabel("(series: see the legend)")


def jitter(rows: pd.DataFrame, spread: float) -> np.ndarray:
    """Small, deterministic horizontal offsets so that single runs in one slot do not hide each other."""
    rank = rows.groupby("pos").cumcount().to_numpy(float)
    size = rows.groupby("pos")["pos"].transform("size").to_numpy(float)
    return np.where(size > 1, (rank / np.maximum(size - 1, 1) - 0.5) * spread, 0.0)


def bar_interval(ax: Axes, long: pd.DataFrame, series: Series, tick_labels: list[str], horizontal: bool = False) -> None:
    """Grouped bars: the median across runs per slot and series, with a 10-90 % error bar.

    `long` has one row per run and slot: series, value and `pos` (the slot's index)."""
    _, offsets, _, step = slots(long, series, tick_labels)
    for label, offset in offsets.items():
        style = series.styles[label]
        stats = quantiles(long[long[SERIES] == label].dropna(subset=["value"]), ["pos"], "value").sort_values("pos")
        at = stats["pos"].to_numpy(float) + offset
        errors = np.clip([stats["median"] - stats["low"], stats["high"] - stats["median"]], 0, None)
        common = dict(color=style["color"] if style["filled"] else "white", edgecolor=style["color"], linewidth=0.8,
                      label=label, error_kw=dict(ecolor="#333333", elinewidth=0.8, capsize=1.5))
        if horizontal:
            ax.barh(at, stats["median"], height=step, xerr=errors, **common)
        else:
            ax.bar(at, stats["median"], width=step, yerr=errors, **common)
    if horizontal:
        ax.set_yticks(range(len(tick_labels)), tick_labels)
        ax.set_ylim(len(tick_labels) - 0.5, -0.5)  # first slot at the top
        ax.grid(True, axis="x")
        ax.grid(False, axis="y")
    else:
        ax.set_xticks(range(len(tick_labels)), tick_labels)
        ax.set_xlim(-0.6, len(tick_labels) - 0.4)
        ax.grid(False, axis="x")


def series_line(ax: Axes, x, y, style: dict, k: int, n: int, label: str, marks: int = 12, **kwargs) -> None:
    """A series' line with about `marks` markers along it, staggered by the series' rank `k` of `n`: where the
    lines of several series coincide, the markers of every one of them still show (and the later lines are
    thinner, so that the earlier show at their edges)."""
    every = max(len(x) // marks, 1)
    ax.plot(x, y, color=style["color"], linestyle=style["linestyle"], linewidth=line_width(k, n), label=label,
            markevery=((k * every) // max(n, 1), every), **marker_style(style, 2.8), **kwargs)


def line_width(k: int, n: int) -> float:
    """Series k of n: from 1.3 times the house width (the first) down to 0.85 times (the last)."""
    return RC["lines.linewidth"] * (1.3 - 0.45 * k / (n - 1) if n > 1 else 1.0)


# ---------------------------------------------------------------------------------------------------- axes


def value_axis(ax: Axes, column: str | None = None, *, zero: bool = True, axis: str = "y", share: bool | None = None) -> None:
    """A value axis: rates and shares in % and 0-1 scales over their whole range when `zero` (0-100 %), other levels
    from zero when `zero` and all values are positive (so that a small difference does not look large), big numbers
    with thousands separators or in M."""
    share = is_share(column) if share is None and column else bool(share)
    whole = share or (column is not None and column in DAILY and unit(column) == "0-1")
    target = ax.yaxis if axis == "y" else ax.xaxis
    set_limits = ax.set_ylim if axis == "y" else ax.set_xlim
    if whole and zero:
        set_limits(0, 1.04)
        target.set_major_locator(MultipleLocator(0.2))
    elif zero and np.isfinite(target.get_data_interval()[0]) and target.get_data_interval()[0] >= 0:
        ax.update_datalim([(0, 0)], updatex=axis == "x", updatey=axis == "y")
        ax.autoscale_view(scalex=axis == "x", scaley=axis == "y")
        set_limits(0, None)
    if share:
        target.set_major_formatter(PERCENT)
        if not zero:
            target.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
            low, high = target.get_view_interval()
            set_limits(max(low, 0.0), min(high, 1.01))  # a share stays within 0-100 %
    else:
        readable_numbers(target)


def percent_axis(axis) -> None:
    """Ticks of a share axis at round percentages, labelled in %."""
    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(PERCENT)


def readable_numbers(axis) -> None:
    """Thousands separators rather than an offset ('1e6') for large numbers; millions as 'M' from 10 million."""
    low, high = axis.get_view_interval()
    biggest = max(abs(low), abs(high))
    if biggest >= 1e7:
        axis.set_major_formatter(FuncFormatter(lambda x, _: f"{x / 1e6:,.{0 if biggest >= 1e8 else 1}f} M" if x else "0"))
    elif biggest >= 1000:
        axis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}" if x == round(x) else f"{x:,.1f}"))


def date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelbottom=True)


def panel_grid(fig: Figure, panels: int, ncols: int = 3, **kwargs) -> np.ndarray:
    nrows = math.ceil(panels / ncols)
    return fig.subplots(nrows, ncols, squeeze=False, **kwargs).ravel()
