"""Drawing a comparison's figures to files: which figures apply, how a sweep is split, PNG and SVG output."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from sim.plots.data import FigureData, value_label
from sim.plots.figures import (
    plot_category_mix,
    plot_days_to_close,
    plot_equity,
    plot_heatmap,
    plot_indicators,
    plot_load,
    plot_timeseries,
)
from sim.plots.style import RC

# Sweeps of up to this many points get figures 1 and 3-6 per point by default: each set takes about two seconds
# and five file pairs, and a bigger sweep is read in figures 2 and 7.
PER_POINT_LIMIT = 6


def save(fig: Figure, out_dir: Path, stem: str, dpi: int = 300) -> list[Path]:
    """Write the figure as PNG and SVG, without time stamps or version strings so that the files are reproducible."""
    paths = [out_dir / f"{stem}.png", out_dir / f"{stem}.svg"]
    with mpl.rc_context(RC):
        fig.savefig(paths[0], dpi=dpi, metadata={"Software": None})
        # The layout is in inches and already done: keep it rather than solve it again (a third of the time).
        fig.set_layout_engine("none")
        fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths


def point_suffix(swept: list[str], point: tuple) -> str:
    """'__<param>=<value>' per swept parameter (its last path segment when that is unambiguous), safe in file names."""
    last = [path.rsplit(".", 1)[-1] for path in swept]
    keys = last if len(set(last)) == len(last) else swept
    text = "".join(f"__{key}={value_label(value)}" for key, value in zip(keys, point))
    return re.sub(r"[^A-Za-z0-9._=+-]", "-", text)


def draw_figures(data: FigureData, out_dir: str | Path, *, window: int | None = 30, smoothing: int = 7,
                 heatmap_indicator: str = "satisfaction_rate", per_point: bool | None = None,
                 dpi: int = 300) -> list[Path]:
    """Draw every figure that applies to `data` into `out_dir` (PNG and SVG) and return the files' paths, grouped
    by figure.

    A plain comparison gives figures 1-6. A sweep gives figure 2 over all sweep points, figure 7 (the heat map,
    when at least two parameters are swept) and figures 1 and 3-6 once per sweep point, the point in the file name
    and the title — when `per_point` is true, or when it is None and the sweep has at most PER_POINT_LIMIT points.
    Runs of several scenarios go into one sub-folder per scenario. `window` is the end-of-horizon window in days (None: the whole
    run), `smoothing` the time series' window in days, `heatmap_indicator` a daily column (figure 7's colour)."""
    out_dir = Path(out_dir)
    scenarios = sorted(data.daily["scenario"].unique()) if "scenario" in data.daily.columns else []
    if len(scenarios) > 1:
        paths = []
        for scenario in scenarios:
            runs = data.daily.loc[data.daily["scenario"] == scenario, "run_id"].unique()
            folder = out_dir / re.sub(r"[^A-Za-z0-9._-]", "-", str(scenario))
            paths += draw_figures(data.subset(runs), folder, window=window, smoothing=smoothing,
                                  heatmap_indicator=heatmap_indicator, per_point=per_point, dpi=dpi)
        return paths

    out_dir.mkdir(parents=True, exist_ok=True)
    swept = list(data.swept)
    paths = save(plot_indicators(data.daily, swept=swept, window=window), out_dir, "fig2_indicators", dpi)
    if len(swept) >= 2:
        paths += save(plot_heatmap(data.daily, swept, indicator=heatmap_indicator, window=window), out_dir,
                      "fig7_heatmap", dpi)
    if not swept:
        paths += point_figures(data, out_dir, "", window, smoothing, dpi)
    elif per_point or (per_point is None and len(data.daily[swept].drop_duplicates()) <= PER_POINT_LIMIT):
        for point, rows in data.daily.groupby(swept, sort=True, dropna=False):
            point = point if isinstance(point, tuple) else (point,)
            paths += point_figures(data.subset(rows["run_id"].unique()), out_dir, point_suffix(swept, point), window,
                                   smoothing, dpi)
    figure = {path: path.name.split("_", 1)[0] for path in paths}  # 'fig1', ..., 'fig7'
    return sorted(paths, key=lambda path: figure[path])  # a stable sort: sweep points stay in order


def point_figures(data: FigureData, out_dir: Path, suffix: str, window: int | None, smoothing: int,
                  dpi: int) -> list[Path]:
    """Figures 1 and 3-6 for one set of runs (a plain comparison or one sweep point); those whose frames are
    empty are skipped."""
    paths = save(plot_timeseries(data.daily, window=smoothing), out_dir, f"fig1_timeseries{suffix}", dpi)
    if len(data.days_to_close):
        paths += save(plot_days_to_close(data.days_to_close), out_dir, f"fig3_days_to_close{suffix}", dpi)
    paths += save(plot_load(data.daily, window=window), out_dir, f"fig4_load{suffix}", dpi)
    if len(data.by_zone) or len(data.by_age_group):
        paths += save(plot_equity(data.by_zone, data.by_age_group), out_dir, f"fig5_equity{suffix}", dpi)
    if len(data.by_category):
        paths += save(plot_category_mix(data.by_category, data.daily), out_dir, f"fig6_categories{suffix}", dpi)
    return paths
