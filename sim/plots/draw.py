"""Drawing a comparison's figures to files: which figures apply to the runs at hand, PNG and SVG output."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from sim.plots.categories import plot_category_mix
from sim.plots.closing import plot_days_to_close
from sim.plots.data import FigureData, is_grid
from sim.plots.differences import MAX_PAIRS, compared, plot_differences
from sim.plots.equity import plot_equity
from sim.plots.indicators import plot_indicators
from sim.plots.load import plot_load
from sim.plots.series import MAX_SERIES, with_series
from sim.plots.style import RC
from sim.plots.sweeps import plot_heatmap, plot_partial_dependence
from sim.plots.timeseries import plot_timeseries

MAX_PANELS = 9  # heat-map panels (regimes x scenarios x values of further parameters) drawn in one figure


def save(fig: Figure, out_dir: Path, stem: str, dpi: int = 300) -> list[Path]:
    """Write the figure as PNG and SVG, without time stamps or version strings so that the files are reproducible."""
    paths = [out_dir / f"{stem}.png", out_dir / f"{stem}.svg"]
    with mpl.rc_context(RC):
        fig.savefig(paths[0], dpi=dpi, metadata={"Software": None})
        # The layout is in inches and already done: keep it rather than solve it again (a third of the time).
        fig.set_layout_engine("none")
        fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths


def draw_figures(data: FigureData, out_dir: str | Path, *, window: int | None = None, smoothing: int = 7,
                 heatmap_indicator: str = "satisfaction_rate", dpi: int = 300) -> list[Path]:
    """Draw every figure that applies to `data` into `out_dir` (PNG and SVG) and return the files' paths, in
    figure order. Whatever varies among the runs — regimes, scenarios, parameter points — is compared on the same
    axes, one series each (`sim.plots.series`).

    A comparison without a sweep gives figures 1-6 and 8 (the paired differences). A grid sweep gives figure 2
    against the first swept parameter and figure 7, the heat map (two or more parameters); a sample (a Latin
    hypercube) gives figure 7, the partial dependence. Figures 1 and 3-6 are drawn for a sweep too when it has
    at most MAX_SERIES series. `window` is the period in days of figures 2, 4, 7 and 8 (None: the whole run, as
    the summary table), `smoothing` the time series' window in days, `heatmap_indicator` a daily column."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    daily, swept = data.daily, list(data.swept)
    _, series = with_series(daily)
    paths: list[Path] = []
    if not swept:
        paths += save(plot_indicators(daily, window=window), out_dir, "fig2_indicators", dpi)
        along, context = compared(daily)
        if daily[along].nunique() > 1 and _pairs(daily, along, context) <= MAX_PAIRS:
            paths += save(plot_differences(daily, by_zone=data.by_zone, window=window), out_dir, "fig8_differences", dpi)
    elif is_grid(daily, swept):
        paths += save(plot_indicators(daily, swept=swept, window=window), out_dir, "fig2_indicators", dpi)
        _, panels = with_series(daily, exclude=swept[:2])
        if len(swept) >= 2 and len(panels.labels) <= MAX_PANELS:
            paths += save(plot_heatmap(daily, swept, indicator=heatmap_indicator, window=window), out_dir,
                          "fig7_heatmap", dpi)
    else:
        paths += save(plot_partial_dependence(daily, swept, window=window), out_dir, "fig7_partial_dependence", dpi)
    if len(series.labels) <= MAX_SERIES:
        paths += point_figures(data, out_dir, window, smoothing, dpi)
    return sorted(paths, key=lambda path: path.name.split("_", 1)[0])  # 'fig1', ..., 'fig8'; a stable sort


def _pairs(daily, along: str, context: list[str]) -> int:
    levels = daily[along].nunique()
    contexts = len(daily[context].drop_duplicates()) if context else 1
    return contexts * levels * (levels - 1) // 2


def point_figures(data: FigureData, out_dir: Path, window: int | None, smoothing: int, dpi: int) -> list[Path]:
    """Figures 1 and 3-6; those whose frames are empty are skipped."""
    paths = save(plot_timeseries(data.daily, window=smoothing), out_dir, "fig1_timeseries", dpi)
    if len(data.days_to_close):
        paths += save(plot_days_to_close(data.days_to_close), out_dir, "fig3_days_to_close", dpi)
    paths += save(plot_load(data.daily, window=window), out_dir, "fig4_load", dpi)
    if len(data.by_zone) or len(data.by_age_group):
        paths += save(plot_equity(data.by_zone, data.by_age_group), out_dir, "fig5_equity", dpi)
    if len(data.by_category):
        paths += save(plot_category_mix(data.by_category, data.daily), out_dir, "fig6_categories", dpi)
    return paths
