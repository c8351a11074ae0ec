"""Figure 6, the category mix: contacts per day by complaint category, the catch-all 'other' apart on its own
scale so that it does not dwarf the named categories."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.metrics import DAILY
from sim.plots.data import run_days
from sim.plots.marks import bar_interval, legend_columns, new_figure, styled, title, value_axis
from sim.plots.series import SERIES, with_series
from sim.plots.style import COLUMN_WIDTH, name, unit

CATCH_ALL = "other"


@styled
def plot_category_mix(by_category: pd.DataFrame, daily: pd.DataFrame, ax: Axes | None = None,
                      *, measure: str = "contacts") -> Figure:
    """Figure 6: volume by complaint category per series — `measure` (a count column of the breakdown) per day of
    each run, medians across runs with 10-90 % intervals; categories by volume. The catch-all 'other' gets a panel
    of its own below, with its own scale (when drawing on a given `ax`, it is left out and the axes' title says
    so)."""
    own_figure = ax is None
    frame = by_category.assign(value=by_category[measure] / by_category["run_id"].map(run_days(daily)))
    if "scale" in frame.columns:
        frame["value"] = frame["value"] / frame["scale"].astype(float)
    scaled = "scale" in frame.columns and bool((frame["scale"] != 1).any())
    frame, series = with_series(frame)
    volume = frame.groupby("category")["value"].median().sort_values(ascending=False)
    named = [c for c in volume.index if c != CATCH_ALL]
    apart = CATCH_ALL in volume.index
    slot_height = 0.075 * len(series.labels) + 0.1
    if own_figure:
        fig = new_figure(COLUMN_WIDTH + 0.7, 2.1 + slot_height * (len(named) + (2.2 if apart else 0)))
        if apart:
            ax, other = fig.subplots(2, 1, height_ratios=(len(named), 1.6))
        else:
            ax, other = fig.subplots(), None
    else:
        fig, other = ax.figure, None
    per_day = unit(measure) if measure in DAILY else "tickets/day"
    label = f"{name(measure)} ({per_day}{', city-equivalent' if scaled else ''})"

    def draw(target: Axes, categories: list[str]) -> None:
        long = frame[frame["category"].isin(categories)]
        long = long.assign(pos=long["category"].map({c: i for i, c in enumerate(categories)}))
        bar_interval(target, long, series, [c.replace("_", " ") for c in categories], horizontal=True)
        value_axis(target, axis="x")
        target.set_xlabel(label)

    draw(ax, named)
    ax.set_ylabel("Complaint category")
    ax.set_title(f"{name(measure)} per day by category (whole run)")
    if other is not None:
        draw(other, [CATCH_ALL])
        other.set_title(f"The catch-all '{CATCH_ALL}', on a scale of its own", fontsize=8)
        other.set_ylabel("Category")
    elif apart:
        ax.set_title(ax.get_title() + f"; '{CATCH_ALL}' left out", fontsize=8)
    handles = [Patch(facecolor=style["color"] if style["filled"] else "white", edgecolor=style["color"])
               for style in series.styles.values()]
    if own_figure:
        fig.legend(handles, series.labels, loc="outside lower center", ncols=legend_columns(fig, series.labels, 3),
                   frameon=False)
        share = frame.groupby([SERIES, "run_id"]).apply(_catch_all_share, include_groups=False).median() if apart else None
        note = f"'{CATCH_ALL}' (the categories not named) is {share * 100:.0f} % of contacts" if share is not None else ""
        title(fig, "Category mix: median and 10–90 % across runs", by_category, note, series=series)
    else:
        ax.legend(handles, series.labels, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=min(len(handles), 3),
                  frameon=False)
    return fig


def _catch_all_share(rows: pd.DataFrame) -> float:
    total = rows["value"].sum()
    return float(rows.loc[rows["category"] == CATCH_ALL, "value"].sum() / total) if total else float("nan")
