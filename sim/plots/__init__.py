"""The comparison figures for papers: how regimes, scenarios and the points of a parameter sweep differ, drawn
from the tidy frames of an experiment's runs.

    from sim.plots import FigureData, draw_figures
    paths = draw_figures(FigureData(daily, by_category, by_zone, by_age_group, days_to_close, swept=[]), "figures/")

1. `plot_timeseries`: response, resolution and satisfaction rates, backlog and contacts over time.
2. `plot_indicators`: the indicators over the run (the summary table's period), dot/interval; in a sweep, against
   the first swept parameter.
3. `plot_days_to_close`: the distribution of days to close (densities over true bin widths) and its cumulative.
4. `plot_load`: street offices versus departments (staff-hours, utilisation) and whistles.
5. `plot_equity`: resolution and satisfaction by district zone and age group.
6. `plot_category_mix`: volume by complaint category ('other' apart, on its own scale).
7. `plot_heatmap` (a grid) or `plot_partial_dependence` (a Latin hypercube): the swept parameters.
8. `plot_differences`: paired differences with 95 % intervals, city-wide and by district zone.

Whatever varies among the runs (regimes, scenarios, parameter points) is drawn on the same axes, one series each
(`sim.plots.series`): the median across runs with a 10-90 % interval, regimes in their fixed colour-blind-safe
colours (`REGIME_COLOURS`), every axis labelled with its unit (from `sim.metrics.DAILY`; rates in %), counts as
city-equivalents at a reduced scale, labelled so. docs/figures.md says how each is computed.
"""

from sim.plots.categories import plot_category_mix
from sim.plots.closing import plot_days_to_close
from sim.plots.data import FigureData, end_of_horizon, period_table, smooth
from sim.plots.differences import plot_differences
from sim.plots.draw import draw_figures
from sim.plots.equity import plot_equity
from sim.plots.indicators import plot_indicators
from sim.plots.load import plot_load
from sim.plots.series import with_series
from sim.plots.style import REGIME_COLOURS, REGIME_ORDER, ordered_regimes, regime_styles
from sim.plots.sweeps import plot_heatmap, plot_partial_dependence
from sim.plots.timeseries import plot_timeseries

__all__ = [
    "REGIME_COLOURS",
    "REGIME_ORDER",
    "FigureData",
    "draw_figures",
    "end_of_horizon",
    "ordered_regimes",
    "period_table",
    "plot_category_mix",
    "plot_days_to_close",
    "plot_differences",
    "plot_equity",
    "plot_heatmap",
    "plot_indicators",
    "plot_load",
    "plot_partial_dependence",
    "plot_timeseries",
    "regime_styles",
    "smooth",
    "with_series",
]
