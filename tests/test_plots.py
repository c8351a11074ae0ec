"""The comparison figures: drawn from the tidy frames of a few real small runs of the teaching town, to files that
exist and hold drawn data, by pure functions whose axes hold one mark per regime."""

from __future__ import annotations

import itertools
import re

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.dates import ConciseDateFormatter

from sim import run
from sim.metrics import DAILY
from sim.plots import (
    REGIME_COLOURS,
    FigureData,
    draw_figures,
    end_of_horizon,
    ordered_regimes,
    plot_category_mix,
    plot_days_to_close,
    plot_equity,
    plot_heatmap,
    plot_indicators,
    plot_load,
    plot_timeseries,
    regime_styles,
    smooth,
)
from sim.plots.data import city_equivalent
from sim.plots.draw import point_suffix, save
from sim.plots.figures import CLOSE_BINS, INDICATORS, TIMESERIES, new_figure
from sim.plots.style import FALLBACK_COLOURS, OKABE_ITO, _slot
from tests.conftest import TEACHING_TOWN

DAYS = 60
REGIMES = ("whistle", "hotline")
SWEEP = {"city.street_staff_hours_per_10k": [6.0, 18.0], "regimes.hotline.ranking_pressure": [0.2, 0.8]}
TABLES = ("daily", "by_category", "by_zone", "by_age_group", "days_to_close")


def tidy(runs) -> dict[str, pd.DataFrame]:
    """The experiment engine's tidy frames: identifier columns, then each run's table (daily's `regime` column,
    the regime in force that day, renamed `regime_in_force`)."""
    frames = {name: [] for name in TABLES}
    for results, ids in runs:
        for name in TABLES:
            table = getattr(results, name).reset_index(drop=True)
            if name == "daily":
                table = table.rename(columns={"regime": "regime_in_force"})
            identifiers = pd.DataFrame({key: [value] * len(table) for key, value in ids.items()})
            frames[name].append(pd.concat([identifiers, table], axis=1))
    return {name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}


def runs(regimes, replicates, grid=None):
    grid = grid or {}
    for regime, values, replicate in itertools.product(regimes, itertools.product(*grid.values()), range(replicates)):
        overrides = dict(zip(grid, values))
        seed = 11 + replicate
        results = run(TEACHING_TOWN, seed=seed, regime=regime, days=DAYS, overrides=overrides)
        run_id = "-".join([regime, *map(str, values), str(replicate)])
        yield results, {"run_id": run_id, "scenario": results.manifest["scenario"], "regime": regime,
                        "replicate": replicate, "seed": seed, "scale": 1.0, **overrides}


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> FigureData:
    """Two regimes x two replicates, read back from parquet as the results store would hand them over."""
    folder = tmp_path_factory.mktemp("store")
    frames = {}
    for name, frame in tidy(runs(REGIMES, 2)).items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
        frames[name] = pd.read_parquet(folder / f"{name}.parquet")
    return FigureData(**frames, swept=[])


@pytest.fixture(scope="module")
def sweep() -> FigureData:
    """A 2 x 2 sweep of street staffing and ranking pressure, two regimes, one replicate each."""
    return FigureData(**tidy(runs(("hotline", "proactive"), 1, SWEEP)), swept=list(SWEEP))


def assert_drawn(paths):
    """Every file exists and is not empty; PNGs decode to images that are not blank; SVGs hold drawn paths."""
    for path in paths:
        assert path.is_file() and path.stat().st_size > 0, path
        if path.suffix == ".png":
            image = mpimg.imread(path)
            assert image.ndim == 3 and min(image.shape[:2]) > 100, path
            assert image[..., :3].std() > 0.05, f"{path} looks blank"
        else:
            text = path.read_text(encoding="utf-8")
            assert text.lstrip().startswith("<?xml") and "</svg>" in text, path
            marks = len(re.findall(r"<(path|use|image) ", text))
            assert marks > 20 or "<image " in text, f"{path} holds few drawn marks"


def stems(paths) -> set[str]:
    return {path.stem for path in paths}


# ------------------------------------------------------------------------------------------------- draw_figures


def test_a_regime_comparison_draws_figures_1_to_6_as_png_and_svg(comparison, tmp_path):
    paths = draw_figures(comparison, tmp_path / "figures", dpi=100)
    expected = {"fig1_timeseries", "fig2_indicators", "fig3_days_to_close", "fig4_load", "fig5_equity", "fig6_categories"}
    assert stems(paths) == expected
    assert {(p.stem, p.suffix) for p in paths} == {(s, x) for s in expected for x in (".png", ".svg")}
    assert sorted(paths) == sorted((tmp_path / "figures").iterdir())
    assert_drawn(paths)


def scattered(sweep: FigureData, copies: int = 4) -> FigureData:
    """The sweep's runs repeated at slightly moved parameter values: 16 points, none shared, as a Latin hypercube."""
    frames = []
    for k in range(copies):
        moved = {column: sweep.daily[column] + 0.01 * k for column in sweep.swept}
        frames.append(sweep.daily.assign(run_id=sweep.daily["run_id"] + f"-{k}", **moved))
    return FigureData(daily=pd.concat(frames, ignore_index=True), swept=sweep.swept)


def test_a_sweep_of_many_points_draws_only_the_indicators_and_the_heat_map(sweep, tmp_path):
    paths = draw_figures(scattered(sweep), tmp_path, dpi=60)
    assert [p.name for p in paths] == ["fig2_indicators.png", "fig2_indicators.svg", "fig7_heatmap.png", "fig7_heatmap.svg"]
    assert_drawn(paths)


def test_one_swept_parameter_gives_no_heat_map_and_the_other_figures_per_point(sweep, tmp_path):
    staff = "city.street_staff_hours_per_10k"
    daily = sweep.daily[sweep.daily["regimes.hotline.ranking_pressure"] == 0.2]
    paths = draw_figures(FigureData(daily=daily.drop(columns="regimes.hotline.ranking_pressure"), swept=[staff]),
                         tmp_path, dpi=60)
    # figures 3, 5 and 6 are skipped: their frames are empty
    assert [p.stem for p in paths[::2]] == [
        "fig1_timeseries__street_staff_hours_per_10k=6", "fig1_timeseries__street_staff_hours_per_10k=18",
        "fig2_indicators", "fig4_load__street_staff_hours_per_10k=6", "fig4_load__street_staff_hours_per_10k=18"]
    assert_drawn(p for p in paths if p.stem.startswith("fig1"))
    fig = plot_timeseries(daily[daily[staff] == 6.0])  # the title names the point too
    assert f"{staff} = 6 · regimes.hotline.ranking_pressure = 0.2" in fig.get_suptitle().replace("\n", " · ")


def test_drawing_twice_gives_identical_files(comparison, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        save(plot_category_mix(comparison.by_category, comparison.daily), tmp_path / folder, "mix", dpi=60)
    for name in ("mix.png", "mix.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_sweep_points_are_named_by_their_parameters_in_file_names():
    assert point_suffix(["city.street_staff_hours_per_10k", "regimes.hotline.ranking_pressure"], (6.0, 0.25)) == (
        "__street_staff_hours_per_10k=6__ranking_pressure=0.25")
    assert point_suffix(["regimes.hotline.report_days", "regimes.whistle.report_days"], (3, 5)) == (
        "__regimes.hotline.report_days=3__regimes.whistle.report_days=5")
    assert point_suffix(["behaviour.label"], ("a b/c",)) == "__label=a-b-c"


def test_runs_of_several_scenarios_go_to_one_folder_each(sweep, tmp_path):
    daily = sweep.daily[sweep.daily["regime"] == "hotline"]
    other = daily.assign(scenario="riverside 2", run_id=daily["run_id"] + "-b")
    data = FigureData(daily=pd.concat([daily, other]), swept=["city.street_staff_hours_per_10k"])
    paths = draw_figures(data, tmp_path, per_point=False, dpi=60)
    assert sorted(str(p.relative_to(tmp_path)) for p in paths) == [
        "riverside-2/fig2_indicators.png", "riverside-2/fig2_indicators.svg",
        "teaching_town/fig2_indicators.png", "teaching_town/fig2_indicators.svg"]


# ------------------------------------------------------------------------------------------------ the figures


def data_axes(fig):
    return [ax for ax in fig.axes if ax.axison]


def regime_lines(ax):
    return [line for line in ax.get_lines() if line.get_label() in REGIMES]


def test_time_series_has_a_median_line_and_a_band_per_regime_on_dated_axes(comparison):
    fig = plot_timeseries(comparison.daily)
    axes = data_axes(fig)
    assert len(axes) == len(TIMESERIES)
    for ax in axes:
        assert [line.get_label() for line in regime_lines(ax)] == list(REGIMES)
        assert sum(isinstance(c, PolyCollection) for c in ax.collections) == len(REGIMES)
        assert isinstance(ax.xaxis.get_major_formatter(), ConciseDateFormatter) and ax.get_xlabel() == "Date"
        assert ax.get_ylabel() in {unit for unit, _ in DAILY.values()}
        for line in regime_lines(ax):
            assert len(line.get_xdata()) == DAYS and np.isfinite(line.get_ydata().astype(float)).sum() > DAYS / 2
        assert [line.get_color().upper() for line in regime_lines(ax)] == [REGIME_COLOURS[r] for r in REGIMES]
    assert fig.get_suptitle().startswith("Daily indicators by regime")
    assert "2 runs per regime" in fig.get_suptitle()


def test_time_series_marks_the_switches_of_a_timeline(comparison):
    daily = comparison.daily[comparison.daily["regime"] == "hotline"].copy()
    daily["regime"] = "whistle→hotline"
    daily.loc[daily["day"] < 30, "regime_in_force"] = "whistle"
    fig = plot_timeseries(daily)
    for ax in data_axes(fig):
        switches = [line for line in ax.get_lines() if line.get_gid() == "regime-switch"]
        assert len(switches) == 1
        assert switches[0].get_xdata()[0] == pd.Timestamp("2019-01-31")
        assert switches[0].get_color() == REGIME_COLOURS["whistle→hotline"]


def test_indicators_are_one_dot_and_interval_per_regime_and_panel(comparison):
    fig = plot_indicators(comparison.daily)
    axes = data_axes(fig)
    assert len(axes) == len(INDICATORS)
    for ax, column in zip(axes, INDICATORS):
        bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert [c.get_label() for c in bars] == list(REGIMES)
        assert ax.get_ylabel() == DAILY[column][0]
        assert [t.get_text() for t in ax.get_xticklabels()] == list(REGIMES)


def test_indicators_of_a_sweep_put_each_point_on_the_x_axis(sweep):
    fig = plot_indicators(sweep.daily, swept=sweep.swept, indicators=("satisfaction_rate", "backlog"))
    for ax in data_axes(fig):
        bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert [c.get_label() for c in bars] == ["hotline", "proactive"]
        assert [len(c.lines[0].get_xdata()) for c in bars] == [4, 4]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["6, 0.2", "6, 0.8", "18, 0.2", "18, 0.8"]


def test_indicators_of_many_points_are_drawn_against_the_first_parameter(sweep):
    data = scattered(sweep)
    fig = plot_indicators(data.daily, swept=data.swept, indicators=("backlog",))
    ax = data_axes(fig)[0]
    bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert [c.get_label() for c in bars] == ["hotline", "proactive"]
    assert all(len(c.lines[0].get_xdata()) == 16 for c in bars)
    staff = {round(6.0 + 0.01 * k, 2) for k in range(4)} | {round(18.0 + 0.01 * k, 2) for k in range(4)}
    assert set(np.round(bars[0].lines[0].get_xdata().astype(float), 2)) == staff
    assert ax.get_xlabel().startswith("street_staff_hours_per_10k\n(staff-hours per day")


def test_heat_map_of_many_values_bins_them(sweep):
    data = scattered(sweep, copies=6)  # 12 values of each parameter: more than a grid's 10
    fig = plot_heatmap(data.daily, data.swept)
    panel = fig.axes[0]
    assert panel.images[0].get_array().shape == (5, 5)
    assert [t.get_text() for t in panel.get_yticklabels()][0] == "6–6.02"


def test_days_to_close_has_binned_shares_and_a_cumulative_share_per_regime(comparison):
    fig = plot_days_to_close(comparison.days_to_close)
    bins, cumulative = fig.axes
    bars = [c for c in bins.containers if isinstance(c, BarContainer)]
    assert [c.get_label() for c in bars] == list(REGIMES) and all(len(c) == len(CLOSE_BINS) for c in bars)
    assert all(abs(sum(p.get_height() for p in c) - 1) < 0.1 for c in bars)  # medians of shares: about 1
    lines = regime_lines(cumulative)
    assert len(lines) == len(REGIMES) and all(line.get_ydata()[-1] == pytest.approx(1) for line in lines)
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes)


def test_load_compares_street_offices_with_departments_and_counts_whistles(comparison):
    fig = plot_load(comparison.daily)
    assert len(fig.axes) == 3
    for ax in fig.axes:
        assert len([c for c in ax.containers if isinstance(c, ErrorbarContainer)]) == len(REGIMES)
        assert ax.get_ylabel()
    hours, utilisation, whistles = fig.axes
    assert [t.get_text() for t in hours.get_xticklabels()] == ["Street\noffices", "Depart-\nments"]
    assert hours.get_ylabel() == "staff-hours/day" and whistles.get_ylabel() == "whistles/day"


def test_equity_shows_both_rates_by_zone_and_by_age_group(comparison):
    fig = plot_equity(comparison.by_zone, comparison.by_age_group)
    assert len(fig.axes) == 4
    for ax in fig.axes:
        assert len([c for c in ax.containers if isinstance(c, ErrorbarContainer)]) == len(REGIMES)
        assert ax.get_ylabel() == "fraction" and ax.get_xlabel() in ("District zone", "Age group")
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == ["young", "middle", "elderly"]


def test_category_mix_draws_on_the_given_axes_with_other_last(comparison):
    fig = new_figure(4, 4)
    ax = fig.subplots()
    assert plot_category_mix(comparison.by_category, comparison.daily, ax) is fig
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    categories = comparison.by_category["category"].nunique()
    assert [c.get_label() for c in bars] == list(REGIMES) and all(len(c) == categories for c in bars)
    assert ax.get_yticklabels()[-1].get_text() == "other"
    assert ax.get_xlabel() == "Contacts (contacts/day)"
    assert ax.get_legend() is not None and not fig.get_suptitle()  # a caller's figure keeps its own title


def test_heat_map_has_one_annotated_panel_per_regime_and_a_labelled_colour_bar(sweep):
    fig = plot_heatmap(sweep.daily, sweep.swept, indicator="backlog")
    panels = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in panels] == ["hotline", "proactive"]
    for ax in panels:
        grid = ax.images[0].get_array()
        assert grid.shape == (2, 2) and np.isfinite(grid).all()
        assert len(ax.texts) == 4
    assert panels[0].get_ylabel().startswith("city.street_staff_hours_per_10k\n(staff-hours per day per 10,000")
    assert panels[0].get_xlabel() == "regimes.hotline.ranking_pressure\n(0-1)"  # units from the scenario schema
    colour_bar = next(ax for ax in fig.axes if not ax.images)
    assert colour_bar.get_ylabel() == "Backlog (tickets)"
    with pytest.raises(ValueError):
        plot_heatmap(sweep.daily, sweep.swept[:1])


def test_every_figure_labels_every_axis(comparison, sweep):
    figures = [
        plot_timeseries(comparison.daily), plot_indicators(comparison.daily), plot_days_to_close(comparison.days_to_close),
        plot_load(comparison.daily), plot_equity(comparison.by_zone, comparison.by_age_group),
        plot_category_mix(comparison.by_category, comparison.daily), plot_heatmap(sweep.daily, sweep.swept),
    ]
    for fig in figures:
        assert fig.get_suptitle()
        axes = data_axes(fig)
        for ax in axes:
            labelled = [a for a in axes if a.get_ylabel() and a.get_shared_y_axes().joined(a, ax)]
            assert ax.get_ylabel() or labelled, fig.get_suptitle()  # a shared y axis is labelled once
            if ax.get_label() != "<colorbar>":  # a colour bar has one axis
                assert ax.get_xlabel() or any(t.get_text() for t in ax.get_xticklabels()), fig.get_suptitle()


# ---------------------------------------------------------------------------------------------- the reductions


def test_end_of_horizon_pools_rates_from_counts_and_takes_stocks_on_the_last_day(comparison):
    daily = comparison.daily
    table = end_of_horizon(daily, window=30).set_index("run_id")
    one = daily[daily["run_id"] == "hotline-1"]
    tail = one[one["day"] >= DAYS - 30]
    resolved = (tail["resolution_rate"] * tail["rated"]).sum()
    assert table.loc["hotline-1", "resolution_rate"] == pytest.approx(resolved / tail["rated"].sum())
    assert table.loc["hotline-1", "contacts"] == pytest.approx(tail["contacts"].mean())
    assert table.loc["hotline-1", "backlog"] == one["backlog"].iloc[-1]
    assert table.loc["hotline-1", "regime"] == "hotline" and table.loc["hotline-1", "replicate"] == 1
    assert "median_days_to_close" not in table.columns


def test_end_of_horizon_over_the_whole_run_matches_the_run_summary():
    results = run(TEACHING_TOWN, seed=3, regime="hotline", days=40)
    daily = tidy([(results, {"run_id": "r", "regime": "hotline"})])["daily"]
    table = end_of_horizon(daily, window=None).iloc[0]
    totals = results.totals()
    for column in ("response_rate", "resolution_rate", "satisfaction_rate", "backlog", "open_problems"):
        assert table[column] == pytest.approx(totals[column]), column


def test_smoothing_pools_rates_over_the_window_and_averages_flows():
    daily = pd.DataFrame({
        "run_id": "r", "day": range(5), "rated": [1, 0, 3, 0, 0], "resolution_rate": [1.0, np.nan, 0.0, np.nan, np.nan],
        "contacts": [2, 4, 6, 8, 10], "backlog": [5, 1, 5, 1, 5],
    })
    smoothed = smooth(daily, ["resolution_rate", "contacts", "backlog"], window=3)
    assert smoothed["resolution_rate"].tolist()[:4] == [1.0, 0.25, 0.0, 0.0]
    assert np.isnan(smoothed["resolution_rate"].iloc[4])
    assert smoothed["contacts"].tolist() == [3.0, 4.0, 6.0, 8.0, 9.0]
    assert smoothed["backlog"].tolist() == [5, 1, 5, 1, 5]
    assert smooth(daily, ["contacts"], window=1) is daily


def test_scaled_runs_are_shown_as_city_equivalents():
    frame = pd.DataFrame({"scale": [0.5, 0.5], "contacts": [10.0, 20.0], "satisfaction_rate": [0.9, 0.8]})
    shown, scaled = city_equivalent(frame, ["contacts", "satisfaction_rate"])
    assert scaled and shown["contacts"].tolist() == [20.0, 40.0] and shown["satisfaction_rate"].tolist() == [0.9, 0.8]
    assert city_equivalent(frame.assign(scale=1.0), ["contacts"])[1] is False


# ------------------------------------------------------------------------------------------------- the colours


def test_regimes_have_fixed_okabe_ito_colours_and_a_fixed_order():
    assert REGIME_COLOURS["whistle"] == OKABE_ITO["orange"]
    assert REGIME_COLOURS["hotline"] == OKABE_ITO["blue"]
    assert REGIME_COLOURS["proactive"] == OKABE_ITO["bluish_green"]
    assert ordered_regimes(["zeta", "proactive", "whistle→hotline", "hotline", "whistle"]) == [
        "whistle", "hotline", "proactive", "whistle→hotline", "zeta"]


def test_other_labels_get_a_deterministic_fallback_colour_distinct_within_a_figure():
    label = "whistle→hotline→proactive"
    assert REGIME_COLOURS[label] == REGIME_COLOURS[label] in FALLBACK_COLOURS
    assert label not in REGIME_COLOURS  # looking a label up does not add it
    first, second = next((a, b) for a, b in itertools.combinations((f"timeline {i}" for i in range(50)), 2)
                         if _slot(a) == _slot(b))
    styles = regime_styles([first, second, "hotline"])
    assert styles[first]["color"] == REGIME_COLOURS[first]
    assert styles[second]["color"] != styles[first]["color"]
    assert styles[second]["color"] in FALLBACK_COLOURS and styles[second]["color"] != REGIME_COLOURS["hotline"]
