"""The building blocks the figures share: figures made outside pyplot under the house style, titles that say
what is shown and where it comes from, regime legends, and the marks for a median across runs with its 10-90 %
interval (dot and bar, or grouped bars)."""

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
from matplotlib.ticker import FuncFormatter

from sim.plots.data import value_label, parameter_columns, quantiles
from sim.plots.style import RC, display_regime

BAND_ALPHA = 0.2
GROUP_WIDTH = 0.75  # share of a slot's width taken by its regimes' dodged marks


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


def about(frame: pd.DataFrame, shown=()) -> list[str]:
    """Provenance: scenario, scale, dates, runs per regime and the parameters' values (`shown`: parameters the
    figure puts on an axis, so neither fixed nor pooled)."""
    parts = []
    if "scenario" in frame.columns:
        parts.append(", ".join(sorted(map(str, frame["scenario"].unique()))))
    if "scale" in frame.columns:
        parts.append("scale " + ", ".join(value_label(s) for s in sorted(frame["scale"].unique())))
    if "date" in frame.columns and len(frame):
        dates = pd.to_datetime(frame["date"])
        parts.append(f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}")
    if shown and "replicate" in frame.columns and len(frame):
        parts.append(count(frame.groupby(["regime", *shown])["replicate"].nunique(), "replicate", "per regime and point"))
    elif {"regime", "run_id"} <= set(frame.columns) and len(frame):
        parts.append(count(frame.groupby("regime")["run_id"].nunique(), "run", "per regime"))
    for column in parameter_columns(frame):
        values = frame[column].unique()
        if column in shown:
            continue
        if len(values) == 1:
            parts.append(f"{column} = {value_label(values[0])}")
        else:
            parts.append(f"pooled over {len(values)} values of {column}")
    return parts


def count(counts: pd.Series, noun: str, per: str) -> str:
    low, high = int(counts.min()), int(counts.max())
    return f"{low}{'' if low == high else f'–{high}'} {noun}{'s' if high > 1 else ''} {per}"


def title(fig: Figure, what: str, frame: pd.DataFrame, note: str = "", shown=()) -> None:
    """The figure's title: what it shows, then its provenance and `note`, wrapped to the figure's width."""
    chars = int(fig.get_figwidth() * 14)  # about 14 characters of 9 pt text per inch
    lines, line = [what], ""
    for part in about(frame, shown):
        if line and len(line) + 3 + len(part) > chars:
            lines.append(line)
            line = ""
        line = f"{line} · {part}" if line else part
    lines += [line] if line else []
    lines += [textwrap.fill(text, chars) for text in note.splitlines()]
    fig.suptitle("\n".join(lines), fontsize=RC["figure.titlesize"])


def regime_handles(styles: dict, band: bool = False) -> tuple[list, list[str]]:
    """Legend entries, one per regime: a line (over a band patch when `band`) or a marker."""
    handles = []
    for style in styles.values():
        if band:
            line = Line2D([], [], color=style["color"])
            handles.append((Patch(facecolor=style["color"], alpha=BAND_ALPHA, linewidth=0), line))
        else:
            handles.append(Line2D([], [], color=style["color"], marker=style["marker"], linestyle="none", markersize=4))
    return handles, list(styles)


def figure_legend(fig: Figure, styles: dict, band: bool = False) -> None:
    handles, labels = regime_handles(styles, band)
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), frameon=False)


def dot_interval(ax: Axes, long: pd.DataFrame, styles: dict, tick_labels: list[str] | None = None) -> None:
    """Median and 10-90 % interval across runs (marker and bar) with the single runs as faint dots.

    `long` has one row per run and slot: regime, value and `pos` (the slot's index). With `tick_labels` None there
    is one slot per regime, labelled by it; otherwise the regimes are dodged side by side inside each slot."""
    present = [r for r in styles if r in set(long["regime"])]
    by_regime = tick_labels is None
    if by_regime:
        long = long.assign(pos=long["regime"].map({r: i for i, r in enumerate(present)}))
        tick_labels = [display_regime(r) for r in present]
    step = 0.0 if by_regime else GROUP_WIDTH / len(present)
    for k, regime in enumerate(present):
        style = styles[regime]
        rows = long[long["regime"] == regime].dropna(subset=["value"])
        offset = (k - (len(present) - 1) / 2) * step
        stats = quantiles(rows, ["pos"], "value").sort_values("pos")
        errors = np.clip([stats["median"] - stats["low"], stats["high"] - stats["median"]], 0, None)
        ax.errorbar(stats["pos"].to_numpy(float) + offset, stats["median"], yerr=errors, fmt=style["marker"],
                    color=style["color"], markersize=4, elinewidth=1.2, label=regime, zorder=3)
        x = rows["pos"].to_numpy(float) + offset + jitter(rows, 0.3 * (step or GROUP_WIDTH / 2))
        ax.scatter(x, rows["value"], s=5, color=style["color"], alpha=0.35, linewidths=0, zorder=2)
    ax.set_xticks(range(len(tick_labels)), tick_labels)
    ax.set_xlim(-0.6, len(tick_labels) - 0.4)
    ax.grid(False, axis="x")
    readable_numbers(ax.yaxis)


def dot_interval_along(ax: Axes, long: pd.DataFrame, styles: dict) -> None:
    """Median and 10-90 % interval across the runs of each sweep point, placed at the point's value `x` of a
    numeric parameter: for sweeps with too many points to list (a Latin hypercube).

    `long` has one row per run: regime, value, x and `pos` (the sweep point's index)."""
    for regime, style in styles.items():
        rows = long[long["regime"] == regime].dropna(subset=["value"])
        if rows.empty:
            continue
        stats = quantiles(rows, ["pos", "x"], "value").sort_values("x")
        errors = np.clip([stats["median"] - stats["low"], stats["high"] - stats["median"]], 0, None)
        ax.errorbar(stats["x"], stats["median"], yerr=errors, fmt=style["marker"], color=style["color"],
                    markersize=3.5, elinewidth=0.8, alpha=0.85, label=regime)
    ax.grid(False, axis="x")
    readable_numbers(ax.yaxis)


def jitter(rows: pd.DataFrame, spread: float) -> np.ndarray:
    """Small, deterministic horizontal offsets so that single runs in one slot do not hide each other."""
    rank = rows.groupby("pos").cumcount().to_numpy(float)
    size = rows.groupby("pos")["pos"].transform("size").to_numpy(float)
    return np.where(size > 1, (rank / np.maximum(size - 1, 1) - 0.5) * spread, 0.0)


def bar_interval(ax: Axes, long: pd.DataFrame, styles: dict, tick_labels: list[str], horizontal: bool = False) -> None:
    """Grouped bars: the median across runs per slot and regime, with a 10-90 % error bar.

    `long` has one row per run and slot: regime, value and `pos` (the slot's index)."""
    present = [r for r in styles if r in set(long["regime"])]
    step = GROUP_WIDTH / len(present)
    for k, regime in enumerate(present):
        style = styles[regime]
        stats = quantiles(long[long["regime"] == regime].dropna(subset=["value"]), ["pos"], "value").sort_values("pos")
        at = stats["pos"].to_numpy(float) + (k - (len(present) - 1) / 2) * step
        errors = np.clip([stats["median"] - stats["low"], stats["high"] - stats["median"]], 0, None)
        common = dict(color=style["color"], label=regime, error_kw=dict(ecolor="#333333", elinewidth=0.8, capsize=1.5))
        if horizontal:
            ax.barh(at, stats["median"], height=step, xerr=errors, **common)
        else:
            ax.bar(at, stats["median"], width=step, yerr=errors, **common)
    if horizontal:
        ax.set_yticks(range(len(tick_labels)), tick_labels)
        ax.set_ylim(len(tick_labels) - 0.5, -0.5)  # first slot at the top
        ax.grid(True, axis="x")
        ax.grid(False, axis="y")
        readable_numbers(ax.xaxis)
    else:
        ax.set_xticks(range(len(tick_labels)), tick_labels)
        ax.set_xlim(-0.6, len(tick_labels) - 0.4)
        ax.grid(False, axis="x")
        readable_numbers(ax.yaxis)


def readable_numbers(axis) -> None:
    """Thousands separators rather than an offset ('1e6') on an axis of large numbers (city-equivalent counts)."""
    low, high = axis.get_view_interval()
    if max(abs(low), abs(high)) >= 10_000:
        axis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))


def date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelbottom=True)


def panel_grid(fig: Figure, panels: int, ncols: int = 3, **kwargs) -> np.ndarray:
    nrows = math.ceil(panels / ncols)
    return fig.subplots(nrows, ncols, squeeze=False, **kwargs).ravel()
