"""Figure 8, the paired differences: replicate k of B minus replicate k of A (the same seed, so the same
problems) for every two regimes — or scenarios, when there is one regime — with 95 % t-intervals: the figure that
says which differences are real, next to level figures whose axes start at zero."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.experiment.stats import paired_differences
from sim.plots.data import city_equivalent, period_table, period_text
from sim.plots.equity import pooled_rate
from sim.plots.indicators import panel_title, panel_unit
from sim.plots.marks import GROUP_WIDTH, legend_columns, new_figure, readable_numbers, styled, title
from sim.plots.series import SERIES, with_series
from sim.plots.style import PAGE_WIDTH, display_regime, is_share, name, ordered_regimes
from sim.scenario.schema import ZONES

DIFFERENCE_INDICATORS = ("resolution_rate", "satisfaction_rate", "fix_share", "contacts", "backlog",
                         "open_problems", "cost", "mean_trust", "response_rate")
ZONE_RATES = ("resolution_rate", "satisfaction_rate")
MAX_PAIRS = 8


def compared(frame: pd.DataFrame) -> tuple[str, list[str]]:
    """What the pairs differ in (regime, or scenario when there is one regime) and what else tells runs apart."""
    along = "regime" if frame["regime"].nunique() > 1 else "scenario"
    context = [c for c in ("scenario", "regime") if c != along and frame[c].nunique() > 1]
    return along, context


def pairs_of(table: pd.DataFrame, columns: list[str], along: str, context: list[str], order: list, extra=()) -> pd.DataFrame:
    """Paired differences of `columns` along `along` (A before B in `order`), per `context` (and `extra`) group,
    with a 'pair' label 'B − A'."""
    found = paired_differences(table, [*context, *extra], columns, by=along, order=order)
    where = found[context].astype(str).agg(" · ".join, axis=1) if context else ""
    return found.assign(pair=found["b"].astype(str) + " − " + found["a"].astype(str) + (" · " + where if context else ""))


def level_order(frame: pd.DataFrame, along: str) -> list:
    """Regimes in their fixed order, scenarios in the order they were given."""
    return ordered_regimes(frame[along]) if along == "regime" else list(dict.fromkeys(frame[along]))


def pair_tick(pair: str) -> str:
    """'hotline − whistle · beijing' as a tick label: 'hotline\n− whistle\nbeijing', long names broken."""
    return display_regime(pair.replace(" − ", "\n− "), 16)


@styled
def plot_differences(daily: pd.DataFrame, fig: Figure | None = None, *, by_zone: pd.DataFrame | None = None,
                     indicators=DIFFERENCE_INDICATORS, window: int | None = None) -> Figure:
    """Figure 8: paired differences B − A over the run's last `window` days (None: the whole run, as the summary
    table), one panel per indicator — the mean difference and its 95 % t-interval per pair, rates in percentage
    points, counts city-equivalent; with `by_zone`, the rates' differences by district zone too."""
    indicators = list(indicators)
    table, scaled = city_equivalent(period_table(daily, window), indicators)
    along, context = compared(table)
    order = level_order(daily, along)
    differences = pairs_of(table, indicators, along, context, order)
    pairs = list(dict.fromkeys(differences["pair"]))
    if not pairs:
        raise ValueError("paired differences need two regimes or two scenarios")
    zones = by_zone is not None and len(by_zone) > 0
    ncols = 3
    rows = -(-len(indicators) // ncols)
    fig = fig if fig is not None else new_figure(PAGE_WIDTH, 1.2 + 1.75 * rows + (2.2 if zones else 0))
    top, bottom = fig.subfigures(2, 1, height_ratios=(1.75 * rows, 2.0)) if zones else (fig, None)
    axes = top.subplots(rows, ncols, squeeze=False).ravel()
    styles, series = pair_styles(table, differences, along)
    for ax, column in zip(axes, indicators):
        at = differences[differences["indicator"] == column].set_index("pair").reindex(pairs)
        factor = 100 if is_share(column) else 1
        for i, pair in enumerate(pairs):
            mean, low, high = (at.loc[pair, c] * factor for c in ("mean_difference", "ci_low", "ci_high"))
            errors = [[max(mean - low, 0)], [max(high - mean, 0)]] if np.isfinite(low) else None
            ax.errorbar([i], [mean], yerr=errors, fmt=styles[pair]["marker"], color=styles[pair]["color"], markersize=4,
                        elinewidth=1.2)
        ax.axhline(0, color="#555555", linewidth=0.8, zorder=1)
        ax.set_xticks(range(len(pairs)), [pair_tick(p) for p in pairs])
        ax.set_xlim(-0.6, len(pairs) - 0.4)
        ax.set_title(panel_title(column))
        ax.set_ylabel("percentage points" if factor == 100 else panel_unit(column, scaled))
        ax.grid(False, axis="x")
        readable_numbers(ax.yaxis)
    for ax in axes[len(indicators):]:
        ax.set_axis_off()
    if zones:
        _zone_panels(bottom, by_zone, along, context, order, pairs, styles)
    title(fig, f"Paired differences (replicate k minus replicate k, same seed) over {period_text(daily, window)}: "
          "mean and 95 % t-interval", daily, series=series)
    return fig


def pair_styles(table: pd.DataFrame, differences: pd.DataFrame, along: str):
    """Each pair's colour and marker: the colour of its B side's series and the marker of its A side's
    (hotline − whistle: the hotline's blue, the whistle's circle), and the series."""
    framed, series = with_series(table)
    label_of = dict(zip(zip(framed["scenario"], framed["regime"]), framed[SERIES]))
    fixed = {"scenario": table["scenario"].iloc[0], "regime": table["regime"].iloc[0]}
    styles = {}
    for _, row in differences.drop_duplicates("pair").iterrows():
        key = {**fixed, **{c: row[c] for c in ("scenario", "regime") if c in row.index and c != along}}
        a, b = ({**key, along: row[side]} for side in ("a", "b"))
        styles[row["pair"]] = {"color": series.styles[label_of[(b["scenario"], b["regime"])]]["color"],
                               "marker": series.styles[label_of[(a["scenario"], a["regime"])]]["marker"]}
    return styles, series


def _zone_panels(sub, by_zone: pd.DataFrame, along: str, context: list[str], order: list, pairs: list[str],
                 styles: dict) -> None:
    """The rates' paired differences by district zone: zones along x, the pairs side by side in each."""
    frame = by_zone.assign(**{rate: pooled_rate(by_zone, rate) for rate in ZONE_RATES})
    found = pairs_of(frame, list(ZONE_RATES), along, context, order, extra=["zone"])
    zones = [z for z in ZONES if z in set(found["zone"])] + sorted(set(found["zone"]) - set(ZONES))
    step = GROUP_WIDTH / max(len(pairs), 1)
    for ax, rate in zip(sub.subplots(1, len(ZONE_RATES), squeeze=False)[0], ZONE_RATES):
        at = found[found["indicator"] == rate]
        for k, pair in enumerate(pairs):
            rows = at[at["pair"] == pair].set_index("zone").reindex(zones)
            x = np.arange(len(zones)) + (k - (len(pairs) - 1) / 2) * step
            mean = rows["mean_difference"].to_numpy(float) * 100
            errors = np.clip([mean - rows["ci_low"].to_numpy(float) * 100, rows["ci_high"].to_numpy(float) * 100 - mean], 0, None)
            ax.errorbar(x, mean, yerr=np.nan_to_num(errors), fmt=styles[pair]["marker"], color=styles[pair]["color"],
                        markersize=3.5, elinewidth=1.0, label=pair)
        ax.axhline(0, color="#555555", linewidth=0.8, zorder=1)
        ax.set_xticks(range(len(zones)), zones)
        ax.set_title(f"{name(rate)} by district zone")
        ax.set_ylabel("percentage points")
        ax.grid(False, axis="x")
    if len(pairs) > 1:
        handles, labels = ax.get_legend_handles_labels()
        sub.legend(handles, labels, loc="outside lower center", ncols=legend_columns(sub, labels, 3), frameon=False)
