"""Figure 3, days to close: (a) the distribution of days from opening to closure as a histogram of densities over
bins of their true widths, (b) the share closed within d days."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

from sim.metrics import MAX_DAYS
from sim.plots.data import quantiles
from sim.plots.marks import (
    BAND_ALPHA,
    GROUP_WIDTH,
    figure_legend,
    legend_columns,
    line_width,
    marker_style,
    new_figure,
    percent_axis,
    series_handles,
    styled,
    title,
)
from sim.plots.series import SERIES, with_series
from sim.plots.style import PAGE_WIDTH, RC

# Days-to-close bins, whole days low..high, aligned with the hotline's time limits (24 hours, 7 days, 15 days).
CLOSE_BINS = ((0, 0, "0"), (1, 1, "1"), (2, 3, "2–3"), (4, 7, "4–7"), (8, 15, "8–15"), (16, 30, "16–30"),
              (31, 60, "31–60"), (61, MAX_DAYS - 1, f"61–{MAX_DAYS - 1}"), (MAX_DAYS, MAX_DAYS, f"{MAX_DAYS}+"))
DRAWN_UP_TO = 30  # panel (a) draws the bins up to 30 days; the share closed later is written in the panel
CLOSE_TICKS = (0, 1, 2, 3, 7, 15, 30, 60, MAX_DAYS)
TEXT_LABEL = 16  # series names up to this long are listed in panel (a); longer ones in the legend
MARKED_DAYS = (0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 15, 20, 25, 30, 40, 50, 60, 75, 90, 105, MAX_DAYS)


def close_shares(days_to_close: pd.DataFrame) -> pd.DataFrame:
    """Each run's days-to-close histogram as shares of its closed tickets, with their running total."""
    frame = days_to_close.sort_values(["run_id", "days"]).copy()
    total = frame.groupby("run_id")["tickets"].transform("sum").astype(float)
    frame["share"] = frame["tickets"] / total.where(total > 0)
    frame["within"] = frame.groupby("run_id")["share"].cumsum()
    return frame.dropna(subset=["share"])


def bin_densities(frame: pd.DataFrame) -> pd.DataFrame:
    """Per run (and series) and bin of CLOSE_BINS: its share of the run's closed tickets, the bin's width in days
    (low to high + 1; none for the open last bin) and the density, share ÷ width (share per day)."""
    bin_of = np.zeros(MAX_DAYS + 1, dtype=int)
    for k, (low, high, _) in enumerate(CLOSE_BINS):
        bin_of[low:high + 1] = k
    keys = [c for c in ("run_id", SERIES) if c in frame.columns]
    binned = frame.assign(bin=bin_of[frame["days"].clip(upper=MAX_DAYS).to_numpy()]).groupby(
        [*keys, "bin"], as_index=False)["share"].sum()
    widths = np.array([np.nan if low == MAX_DAYS else high + 1 - low for low, high, _ in CLOSE_BINS], dtype=float)
    lows = np.array([low for low, _, _ in CLOSE_BINS], dtype=float)
    return binned.assign(low=lows[binned["bin"]], width=widths[binned["bin"]],
                         density=binned["share"] / widths[binned["bin"]])


@styled
def plot_days_to_close(days_to_close: pd.DataFrame, fig: Figure | None = None) -> Figure:
    """Figure 3: days from opening to closure per series, over the whole run. (a) A histogram of densities: each
    bin drawn over its true width in days (same day, 1, 2–3, 4–7, 8–15, 16–30), its height the share of closed
    tickets per day — the mean across runs, so that each series' bars and the share closed after 30 days (written
    in the panel) add up to 100 % —, the series side by side inside the bin, 10-90 % of runs as error bars.
    (b) The share closed within d days: median across runs with 10-90 %, markers staggered between series so
    that curves which coincide both show."""
    fig = fig if fig is not None else new_figure(PAGE_WIDTH, 3.1)
    frame, series = with_series(close_shares(days_to_close))
    histogram, cumulative = fig.subplots(1, 2, width_ratios=(1.15, 1))

    densities = bin_densities(frame)
    drawn = [k for k, (_, high, _) in enumerate(CLOSE_BINS) if high <= DRAWN_UP_TO]
    n = len(series.labels)
    later = []
    for k, (label, style) in enumerate(series.styles.items()):
        rows = densities[(densities[SERIES] == label)]
        means = rows.groupby("bin")["density"].mean()
        spread = quantiles(rows, ["bin"], "density").set_index("bin")
        at = [b for b in drawn if b in means.index]
        widths = np.array([CLOSE_BINS[b][1] + 1 - CLOSE_BINS[b][0] for b in at], dtype=float)
        lefts = np.array([CLOSE_BINS[b][0] for b in at], dtype=float) + widths * (1 - GROUP_WIDTH) / 2
        step = widths * GROUP_WIDTH / n
        heights = means.loc[at].to_numpy()
        errors = np.clip([heights - spread.loc[at, "low"], spread.loc[at, "high"] - heights], 0, None)
        histogram.bar(lefts + k * step, heights, width=step, align="edge", label=label,
                      color=style["color"] if style["filled"] else "white", edgecolor=style["color"], linewidth=0.6)
        histogram.errorbar(lefts + (k + 0.5) * step, heights, yerr=errors, fmt="none", ecolor="#333333",
                           elinewidth=0.6, capsize=1)
        shares = rows[rows["width"].isna() | (rows["low"] > DRAWN_UP_TO)].groupby("run_id")["share"].sum()
        later.append((label, shares.mean() * 100 if len(shares) else 0.0))
    histogram.set_xlim(0, DRAWN_UP_TO + 1)
    histogram.xaxis.set_major_locator(FixedLocator([(CLOSE_BINS[b][0] + CLOSE_BINS[b][1] + 1) / 2 for b in drawn]))
    histogram.set_xticklabels([CLOSE_BINS[b][2] for b in drawn])
    percent_axis(histogram.yaxis)
    histogram.grid(False, axis="x")
    beyond = f"closed after {DRAWN_UP_TO} days"
    if max(len(label) for label, _ in later) <= TEXT_LABEL:
        histogram.text(0.98, 0.97, f"{beyond}\n(not drawn; mean across runs):\n"
                       + "\n".join(f"{label}: {share:.1f} %" for label, share in later),
                       transform=histogram.transAxes, ha="right", va="top", fontsize=RC["legend.fontsize"] - 0.5,
                       linespacing=1.3)
        figure_legend(fig, series, line=True)
    else:  # long names: the shares go into the legend
        handles, _ = series_handles(series, line=True)
        labels = [f"{label} · {share:.1f} % {beyond} (not in a)" for label, share in later]
        fig.legend(handles, labels, loc="outside lower center", ncols=legend_columns(fig, labels), frameon=False)
    histogram.set_title("(a) Days to close: density over true bin widths")
    histogram.set_xlabel("Days to close")
    histogram.set_ylabel("% of closed tickets per day")

    stats = quantiles(frame, [SERIES, "days"], "within")
    for k, (label, style) in enumerate(series.styles.items()):
        rows = stats[stats[SERIES] == label].sort_values("days")
        cumulative.fill_between(rows["days"], rows["low"], rows["high"], step="post", color=style["color"],
                                alpha=BAND_ALPHA, linewidth=0)
        cumulative.step(rows["days"], rows["median"], where="post", color=style["color"], linestyle=style["linestyle"],
                        linewidth=line_width(k, n), label=label)
        marked = rows[rows["days"].isin(MARKED_DAYS[k::max(n, 1)])]
        cumulative.plot(marked["days"], marked["median"], linestyle="none", **marker_style(style, 2.8))
    cumulative.set_xscale("symlog", linthresh=1, linscale=0.5)
    cumulative.xaxis.set_major_locator(FixedLocator(CLOSE_TICKS))
    cumulative.set_xticklabels([str(d) if d < MAX_DAYS else f"{d}+" for d in CLOSE_TICKS])
    cumulative.xaxis.set_minor_locator(FixedLocator([]))
    cumulative.set_xlim(0, MAX_DAYS)
    cumulative.set_ylim(0, 1.02)
    percent_axis(cumulative.yaxis)
    cumulative.grid(True, axis="x")
    cumulative.set_title("(b) Closed within d days")
    cumulative.set_xlabel("d: days to close (log scale beyond 1)")
    cumulative.set_ylabel("% of closed tickets")
    title(fig, "Days from opening to closure (whole run): (a) mean, (b) median, and 10–90 % across runs", frame,
          series=series)
    return fig
