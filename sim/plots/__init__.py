"""The comparison figures for papers: how the regimes (and the points of a parameter sweep) differ, drawn from the
tidy frames of an experiment's runs.

    from sim.plots import FigureData, draw_figures
    paths = draw_figures(FigureData(daily, by_category, by_zone, by_age_group, days_to_close, swept=[]), "figures/")

1. `plot_timeseries`: response, resolution and satisfaction rates, backlog and contacts over time, per regime.
2. `plot_indicators`: end-of-horizon indicators per regime (and sweep point), dot/interval.
3. `plot_days_to_close`: the distribution of days to close per regime.
4. `plot_load`: street offices versus departments (staff-hours, utilisation) and whistles, per regime.
5. `plot_equity`: resolution and satisfaction by district zone and age group, per regime.
6. `plot_category_mix`: volume by complaint category, per regime.
7. `plot_heatmap`: one indicator over two swept parameters, per regime.

Each shows the median across runs with a 10-90 % interval, colours each regime with its fixed, colour-blind-safe
colour (`REGIME_COLOURS`), and labels every axis with its unit (from `sim.metrics.DAILY`). docs/figures.md says how
each is computed.
"""

from sim.plots.data import FigureData, end_of_horizon, smooth
from sim.plots.draw import draw_figures
from sim.plots.figures import (
    plot_category_mix,
    plot_days_to_close,
    plot_equity,
    plot_heatmap,
    plot_indicators,
    plot_load,
    plot_timeseries,
)
from sim.plots.style import REGIME_COLOURS, REGIME_ORDER, ordered_regimes, regime_styles

__all__ = [
    "REGIME_COLOURS",
    "REGIME_ORDER",
    "FigureData",
    "draw_figures",
    "end_of_horizon",
    "ordered_regimes",
    "plot_category_mix",
    "plot_days_to_close",
    "plot_equity",
    "plot_heatmap",
    "plot_indicators",
    "plot_load",
    "plot_timeseries",
    "regime_styles",
    "smooth",
]
