"""Figure 5, equity: the rates by district zone and by age group (resolution, satisfaction, root fixes and the
share of contacts lost to full phone lines; ODD 7.19)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from sim.plots.marks import dot_interval, figure_legend, new_figure, styled, title, value_axis
from sim.plots.series import with_series
from sim.plots.style import COLUMN_WIDTH, PAGE_WIDTH, name, unit_label
from sim.scenario.schema import AGE_GROUPS, ZONES

RATES = {  # rate -> (numerator, denominator) among a breakdown's counts
    "resolution_rate": ("resolved", "rated"),
    "satisfaction_rate": ("satisfied", "rated"),
    "response_rate": ("responded", "rated"),
    "fix_share": ("fixed", "tickets_closed"),
    "abandon_share": ("abandoned", "contacts"),
    "unreported_share": ("unreported", "problems_ended"),
}
LABELS = {"abandon_share": "Contacts lost to full lines", "unreported_share": "Problems expired unreported"}


def pooled_rate(frame: pd.DataFrame, rate: str) -> pd.Series:
    """A breakdown's rate from its counts (resolved ÷ rated); the table's own column if it has no counts."""
    if rate in RATES and set(RATES[rate]) <= set(frame.columns):
        numerator, denominator = RATES[rate]
        base = frame[denominator].astype(float)
        return frame[numerator].astype(float) / base.where(base > 0)
    return frame[rate]


@styled
def plot_equity(by_zone: pd.DataFrame, by_age_group: pd.DataFrame, fig: Figure | None = None,
                *, rates=("resolution_rate", "satisfaction_rate", "fix_share")) -> Figure:
    """Figure 5: equity — each rate by district zone and by age group per series, over the whole run (each run's
    rate from the group's counts); medians across runs with 10-90 % intervals, on 0-100 % axes. A grouping whose
    frame is empty is left out."""
    groupings = [(frame, column, order, label) for frame, column, order, label in (
        (by_zone, "zone", ZONES, "District zone"), (by_age_group, "age_group", AGE_GROUPS, "Age group"))
        if len(frame)]
    if not groupings:
        raise ValueError("equity needs rows in by_zone or by_age_group")
    rates = [r for r in rates if r in RATES and all(set(RATES[r]) <= set(f.columns) for f, *_ in groupings) or
             r not in RATES]
    width = PAGE_WIDTH if len(groupings) > 1 else COLUMN_WIDTH + 0.5
    fig = fig if fig is not None else new_figure(width, 1.0 + 2.0 * len(rates))
    axes = fig.subplots(len(rates), len(groupings), squeeze=False, sharey=True,
                        width_ratios=[len(frame[column].unique()) + 1 for frame, column, *_ in groupings])
    series = None
    for col, (frame, column, order, label) in enumerate(groupings):
        present = set(frame[column])
        groups = [g for g in order if g in present] + sorted(present - set(order))
        long, series = with_series(frame.assign(pos=frame[column].map({g: i for i, g in enumerate(groups)})))
        for row, rate in enumerate(rates):
            ax = axes[row, col]
            dot_interval(ax, long.assign(value=pooled_rate(long, rate)), series, groups)
            ax.set_title(f"{LABELS.get(rate) or name(rate)} by {label.lower()}")
            ax.set_xlabel(label)
            ax.set_ylabel(("%" if rate in LABELS else unit_label(rate)) if col == 0 else "")
            if rate in LABELS:
                value_axis(ax, share=True)
            else:
                value_axis(ax, rate)
    figure_legend(fig, series)
    title(fig, "Equity: rates by district zone and age group over the whole run, median and 10–90 % across runs",
          groupings[0][0], series=series)
    return fig
