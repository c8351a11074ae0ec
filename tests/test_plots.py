"""The comparison figures: drawn from the tidy frames of a few real small runs of the teaching town (two regimes,
two scenarios, a grid and a sample of parameter points), to files that exist and hold drawn data, with every
series on the same axes, units on every axis, rates in %, levels from zero, no text cut off, and the numbers the
summary table gives."""

from __future__ import annotations

import itertools
import re

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.dates import ConciseDateFormatter

from sim import run
from sim.plots import (
    REGIME_COLOURS,
    FigureData,
    draw_figures,
    end_of_horizon,
    ordered_regimes,
    period_table,
    plot_category_mix,
    plot_days_to_close,
    plot_differences,
    plot_equity,
    plot_heatmap,
    plot_indicators,
    plot_load,
    plot_partial_dependence,
    plot_timeseries,
    regime_styles,
    smooth,
    with_series,
)
from sim.plots.closing import CLOSE_BINS, DRAWN_UP_TO
from sim.plots.data import city_equivalent, is_grid
from sim.plots.draw import save
from sim.plots.indicators import INDICATORS
from sim.plots.marks import new_figure
from sim.plots.style import FALLBACK_COLOURS, OKABE_ITO, _slot, parameter_label
from sim.plots.timeseries import TIMESERIES
from tests.conftest import TEACHING_TOWN

DAYS = 60
REGIMES = ("whistle", "hotline")
STAFF, PRESSURE = "city.street_staff_hours_per_10k", "regimes.hotline.ranking_pressure"
SWEEP = {STAFF: [6.0, 18.0], PRESSURE: [0.2, 0.8]}
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


def runs(regimes, replicates, grid=None, scale=1.0, scenario_overrides=None):
    """Runs of the teaching town; `scenario_overrides` {scenario name: overrides} makes scenarios of it."""
    grid = grid or {}
    scenarios = scenario_overrides or {"teaching_town": {}}
    for (scenario, changes), regime, values, replicate in itertools.product(
            scenarios.items(), regimes, itertools.product(*grid.values()), range(replicates)):
        overrides = dict(zip(grid, values))
        seed = 11 + replicate
        results = run(TEACHING_TOWN, seed=seed, regime=regime, days=DAYS, scale=scale, overrides={**changes, **overrides} or None)
        run_id = "-".join([scenario, regime, *map(str, values), str(replicate)])
        yield results, {"run_id": run_id, "scenario": scenario, "regime": regime, "replicate": replicate, "seed": seed,
                        "scale": scale, **overrides}


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> FigureData:
    """Two regimes x two replicates at half scale, read back from parquet as the results store hands them over."""
    folder = tmp_path_factory.mktemp("store")
    frames = {}
    for name, frame in tidy(runs(REGIMES, 2, scale=0.5)).items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
        frames[name] = pd.read_parquet(folder / f"{name}.parquet")
    return FigureData(**frames, swept=[])


@pytest.fixture(scope="module")
def two_scenarios() -> FigureData:
    """One regime, two scenarios (the town, and the town with twice its street staff), two replicates each."""
    scenarios = {"teaching_town": {}, "more_staff": {STAFF: 30.0}}
    return FigureData(**tidy(runs(("hotline",), 2, scenario_overrides=scenarios)), swept=[])


@pytest.fixture(scope="module")
def sweep() -> FigureData:
    """A 2 x 2 grid of street staffing and ranking pressure, two regimes, one replicate each."""
    return FigureData(**tidy(runs(("hotline", "proactive"), 1, SWEEP)), swept=list(SWEEP))


def sampled(sweep: FigureData, copies: int = 4) -> FigureData:
    """The sweep's runs repeated at slightly moved parameter values: 16 points, none sharing a value, as a Latin
    hypercube's."""
    frames = {"daily": [], "days_to_close": []}
    for k in range(copies):
        for name, parts in frames.items():
            frame = getattr(sweep, name)
            moved = {column: frame[column] + 0.01 * k + 0.001 * (column == PRESSURE) for column in sweep.swept}
            parts.append(frame.assign(run_id=frame["run_id"] + f"-{k}", **moved))
    return FigureData(**{name: pd.concat(parts, ignore_index=True) for name, parts in frames.items()}, swept=sweep.swept)


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


def stems(paths) -> list[str]:
    return list(dict.fromkeys(path.stem for path in paths))


def data_axes(fig):
    return [ax for ax in fig.axes if ax.axison]


def errorbars(ax):
    return [c for c in ax.containers if isinstance(c, ErrorbarContainer)]


def medians(container: ErrorbarContainer) -> np.ndarray:
    return np.asarray(container.lines[0].get_ydata(), dtype=float)


# ------------------------------------------------------------------------------------------------- draw_figures


def test_a_regime_comparison_draws_figures_1_to_6_and_the_differences_as_png_and_svg(comparison, tmp_path):
    paths = draw_figures(comparison, tmp_path / "figures", dpi=100)
    expected = ["fig1_timeseries", "fig2_indicators", "fig3_days_to_close", "fig4_load", "fig5_equity",
                "fig6_categories", "fig8_differences"]
    assert stems(paths) == expected
    assert {(p.stem, p.suffix) for p in paths} == {(s, x) for s in expected for x in (".png", ".svg")}
    assert sorted(paths) == sorted((tmp_path / "figures").iterdir())
    assert_drawn(paths)


def test_two_scenarios_are_drawn_on_the_same_axes_in_one_folder(two_scenarios, tmp_path):
    paths = draw_figures(two_scenarios, tmp_path, dpi=60)
    assert all(path.parent == tmp_path for path in paths)  # no folder per scenario
    assert "fig8_differences" in stems(paths)
    fig = plot_indicators(two_scenarios.daily)
    for ax in data_axes(fig):
        assert [c.get_label() for c in errorbars(ax)] == ["teaching_town", "more_staff"]
    # one regime: the first scenario keeps the regime's colour, the second gets a colour of its own
    colours = [c.lines[0].get_color() for c in errorbars(data_axes(fig)[0])]
    assert colours[0].upper() == REGIME_COLOURS["hotline"] and colours[1].upper() == OKABE_ITO["vermillion"]
    assert "regime hotline" in fig.get_suptitle() and "2 runs per scenario" in fig.get_suptitle()
    lines = [line.get_label() for line in data_axes(plot_timeseries(two_scenarios.daily))[0].get_lines()]
    assert lines == ["teaching_town", "more_staff"]


def test_regimes_and_scenarios_at_once_keep_the_regime_colours_and_tell_scenarios_apart_by_style(two_scenarios, comparison):
    daily = pd.concat([two_scenarios.daily, comparison.daily.assign(scenario="teaching_town", scale=1.0)])
    _, series = with_series(daily)
    assert series.labels == ["teaching_town · whistle", "teaching_town · hotline", "more_staff · hotline"]
    styles = series.styles
    assert styles["teaching_town · hotline"]["color"] == styles["more_staff · hotline"]["color"] == REGIME_COLOURS["hotline"]
    assert (styles["teaching_town · hotline"]["linestyle"], styles["more_staff · hotline"]["linestyle"]) == ("-", "--")
    assert styles["more_staff · hotline"]["filled"] is False
    assert styles["more_staff · hotline"]["group"] == styles["teaching_town · hotline"]["group"]  # side by side


def test_a_grid_sweep_draws_the_indicators_against_a_parameter_the_heat_map_and_every_point_on_the_same_axes(sweep, tmp_path):
    paths = draw_figures(sweep, tmp_path, dpi=60)
    assert stems(paths) == ["fig1_timeseries", "fig2_indicators", "fig3_days_to_close", "fig4_load",
                            "fig5_equity", "fig6_categories", "fig7_heatmap"]
    assert_drawn(paths)
    fig = plot_timeseries(sweep.daily)
    assert len([line for line in data_axes(fig)[0].get_lines() if line.get_label()[0] != "_"]) == 8  # 4 points x 2 regimes


def test_a_sample_of_points_draws_the_partial_dependence_and_no_heat_map(sweep, tmp_path):
    data = sampled(sweep)
    assert is_grid(sweep.daily, sweep.swept) and not is_grid(data.daily, data.swept)
    paths = draw_figures(data, tmp_path, dpi=60)
    assert [p.name for p in paths] == ["fig7_partial_dependence.png", "fig7_partial_dependence.svg"]
    assert_drawn(paths)
    with pytest.raises(ValueError, match="grid"):
        plot_heatmap(data.daily, data.swept)


def test_drawing_twice_gives_identical_files(comparison, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        save(plot_category_mix(comparison.by_category, comparison.daily), tmp_path / folder, "mix", dpi=60)
    for name in ("mix.png", "mix.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


# ------------------------------------------------------------------------------------------------ the figures


def test_time_series_has_a_median_line_and_a_band_per_regime_on_dated_axes_with_rates_in_percent(comparison):
    fig = plot_timeseries(comparison.daily)
    axes = data_axes(fig)
    assert len(axes) == len(TIMESERIES)
    for ax, column in zip(axes, TIMESERIES):
        lines = [line for line in ax.get_lines() if line.get_label() in REGIMES]
        assert [line.get_label() for line in lines] == list(REGIMES)
        assert sum(isinstance(c, PolyCollection) for c in ax.collections) == len(REGIMES)
        assert isinstance(ax.xaxis.get_major_formatter(), ConciseDateFormatter) and ax.get_xlabel() == "Date"
        assert [line.get_color().upper() for line in lines] == [REGIME_COLOURS[r] for r in REGIMES]
        if column.endswith("_rate"):
            assert ax.get_ylabel() == "%" and ax.yaxis.get_major_formatter()(0.85, 0) == "85%"
            assert ax.get_ylim()[1] <= 1.01  # a share never runs past 100 %
        else:
            assert ax.get_ylabel().endswith(", city-equivalent")
    assert fig.get_suptitle().startswith("Daily indicators by regime") and "2 runs per regime" in fig.get_suptitle()


def test_lines_that_coincide_both_show_their_markers(comparison):
    """Two regimes with the same response rate: the later line does not hide the earlier one's markers."""
    daily = comparison.daily.copy()
    daily["response_rate"] = 1.0
    ax = data_axes(plot_timeseries(daily, columns=("response_rate",)))[0]
    lines = [line for line in ax.get_lines() if line.get_label() in REGIMES]
    starts = [line.get_markevery()[0] for line in lines]
    assert len(set(starts)) == 2 and all(line.get_marker() not in ("", "None", None) for line in lines)
    assert lines[0].get_linewidth() > lines[1].get_linewidth()


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


def test_indicators_are_the_summary_tables_numbers_over_the_whole_run(comparison):
    """Figure 2 covers the table's period: its cost is each run's total cost (here city-equivalent: ÷ 0.5)."""
    fig = plot_indicators(comparison.daily)
    axes = dict(zip(INDICATORS, data_axes(fig)))
    runs_cost = comparison.daily.groupby(["regime", "run_id"])["cost"].sum() / 0.5
    cost = axes["cost"]
    assert cost.get_title() == "Cost (total)" and cost.get_ylabel() == "yuan, city-equivalent"
    for container in errorbars(cost):
        expected = runs_cost.loc[container.get_label()].median()
        assert medians(container)[0] == pytest.approx(expected)
    rated = comparison.daily.assign(resolved=comparison.daily["resolution_rate"].fillna(0) * comparison.daily["rated"])
    pooled = rated.groupby(["regime", "run_id"])[["resolved", "rated"]].sum()
    for container in errorbars(axes["resolution_rate"]):
        shares = pooled.loc[container.get_label()]
        assert medians(container)[0] == pytest.approx((shares["resolved"] / shares["rated"]).median())
    assert "whole run (60 days)" in fig.get_suptitle().replace("\n", " ")


def test_indicator_axes_start_at_zero_and_rates_span_0_to_100_percent(comparison):
    fig = plot_indicators(comparison.daily)
    for ax, column in zip(data_axes(fig), INDICATORS):
        low, high = ax.get_ylim()
        assert low == 0, column
        assert [c.get_label() for c in errorbars(ax)] == list(REGIMES)
        assert [t.get_text() for t in ax.get_xticklabels()] == list(REGIMES)
        if column.endswith("_rate") or column == "fix_share":
            assert high == pytest.approx(1.04) and ax.get_ylabel() == "%"
        if column == "mean_trust":
            assert high == pytest.approx(1.04) and ax.get_ylabel() == "0–1 scale"


def test_indicators_of_a_grid_are_drawn_against_the_first_parameter_with_readable_labels(sweep):
    fig = plot_indicators(sweep.daily, swept=sweep.swept, indicators=("satisfaction_rate", "backlog"))
    for ax in data_axes(fig):
        bars = errorbars(ax)
        assert [c.get_label() for c in bars] == [
            "ranking pressure = 0.2 · hotline", "ranking pressure = 0.8 · hotline",
            "ranking pressure = 0.2 · proactive", "ranking pressure = 0.8 · proactive"]
        assert all(len(c.lines[0].get_xdata()) == 2 for c in bars)
        assert [t.get_text() for t in ax.get_xticklabels()] == ["6", "18"]
        assert ax.get_xlabel().replace("\n", " ") == "Street staff (staff-hours per day per 10,000 residents)"
    assert "pooled over" not in fig.get_suptitle()


def test_days_to_close_is_a_density_over_true_bin_widths(comparison):
    fig = plot_days_to_close(comparison.days_to_close)
    histogram, cumulative = fig.axes[:2]
    assert histogram.get_xlabel() == "Days to close"
    drawn = [(low, high) for low, high, _ in CLOSE_BINS if high <= DRAWN_UP_TO]
    later = {m.group(1): float(m.group(2)) / 100 for m in re.finditer(r"(\w+): ([\d.]+) %", histogram.texts[0].get_text())}
    for container in (c for c in histogram.containers if isinstance(c, BarContainer)):
        area = 0.0
        for patch in container:
            centre = patch.get_x() + patch.get_width() / 2
            low, high = next((lo, hi) for lo, hi in drawn if lo <= centre < hi + 1)
            area += patch.get_height() * (high + 1 - low)  # density x the bin's true width in days
        assert area + later[container.get_label()] == pytest.approx(1, abs=1e-3)
    lines = [line for line in cumulative.get_lines() if line.get_label() in REGIMES]
    assert len(lines) == len(REGIMES) and all(line.get_ydata()[-1] == pytest.approx(1) for line in lines)


def test_load_compares_street_offices_with_departments_and_counts_whistles(comparison):
    fig = plot_load(comparison.daily)
    assert len(fig.axes) == 3
    for ax in fig.axes:
        assert len(errorbars(ax)) == len(REGIMES) and ax.get_ylim()[0] == 0
    hours, utilisation, whistles = fig.axes
    assert [t.get_text() for t in hours.get_xticklabels()] == ["Street\noffices", "Depart-\nments"]
    assert hours.get_ylabel() == "staff-hours/day, city-equivalent" and whistles.get_ylabel() == "whistles, city-equivalent"
    assert utilisation.get_ylabel() == "%"


def test_equity_shows_both_rates_by_zone_and_by_age_group_from_their_counts(comparison):
    fig = plot_equity(comparison.by_zone, comparison.by_age_group)
    assert len(fig.axes) == 6  # resolution, satisfaction and root fixes
    for ax in fig.axes:
        assert len(errorbars(ax)) == len(REGIMES) and ax.get_xlabel() in ("District zone", "Age group")
        assert ax.get_ylim() == pytest.approx((0, 1.04))
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == ["young", "middle", "elderly"]
    young = comparison.by_age_group[(comparison.by_age_group["age_group"] == "young") & (comparison.by_age_group["regime"] == "hotline")]
    assert plot_equity(comparison.by_zone, comparison.by_age_group, rates=("abandon_share",)).axes[0].get_title() == \
        "Contacts lost to full lines by district zone"
    hotline = next(c for c in errorbars(fig.axes[1]) if c.get_label() == "hotline")
    assert medians(hotline)[0] == pytest.approx((young["resolved"] / young["rated"]).median())


def test_category_mix_draws_the_catch_all_apart_on_its_own_scale(comparison):
    fig = plot_category_mix(comparison.by_category, comparison.daily)
    named, other = data_axes(fig)
    assert [t.get_text() for t in other.get_yticklabels()] == ["other"]
    assert "other" not in [t.get_text() for t in named.get_yticklabels()]
    bars = [c for c in named.containers if isinstance(c, BarContainer)]
    assert [c.get_label() for c in bars] == list(REGIMES)
    widest_named = max(p.get_width() for c in bars for p in c)
    assert named.get_xlim()[1] < 1.3 * widest_named  # the named categories fill their own axis
    assert named.get_xlabel() == other.get_xlabel() == "Contacts (contacts/day, city-equivalent)"
    assert "% of contacts" in fig.get_suptitle()


def test_category_mix_on_given_axes_leaves_the_catch_all_out_and_says_so(comparison):
    fig = new_figure(4, 4)
    ax = fig.subplots()
    assert plot_category_mix(comparison.by_category, comparison.daily, ax) is fig
    assert "other" not in [t.get_text() for t in ax.get_yticklabels()] and "'other' left out" in ax.get_title()
    assert ax.get_legend() is not None and not fig.get_suptitle()  # a caller's figure keeps its own title


def test_heat_map_has_one_annotated_panel_per_regime_labelled_with_units(sweep):
    fig = plot_heatmap(sweep.daily, sweep.swept, indicator="backlog")
    panels = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in panels] == ["hotline", "proactive"]
    for ax in panels:
        grid = ax.images[0].get_array()
        assert grid.shape == (2, 2) and np.isfinite(grid).all()
        assert len(ax.texts) == 4
    assert panels[0].get_ylabel().replace("\n", " ") == "Street staff (staff-hours per day per 10,000 residents)"
    assert panels[0].get_xlabel() == "Ranking pressure (0-1)"  # units from the scenario schema
    colour_bar = next(ax for ax in fig.axes if not ax.images)
    assert colour_bar.get_ylabel() == "Backlog (last day)\n(tickets)"
    assert "pooled over" not in fig.get_suptitle()
    with pytest.raises(ValueError):
        plot_heatmap(sweep.daily, sweep.swept[:1])


def test_partial_dependence_has_a_panel_per_indicator_and_parameter_with_a_dot_per_point(sweep):
    data = sampled(sweep)
    fig = plot_partial_dependence(data.daily, data.swept, indicators=("satisfaction_rate", "backlog"))
    axes = data_axes(fig)
    assert len(axes) == 4
    for ax in axes:
        dots = [line for line in ax.get_lines() if line.get_linestyle() == "None"]
        assert len(dots) == 2 and all(len(line.get_xdata()) == 16 for line in dots)  # per regime, one per point
    assert axes[2].get_xlabel().replace("\n", " ") == "Street staff (staff-hours per day per 10,000 residents)"
    assert axes[3].get_xlabel() == "Ranking pressure (0-1)"
    assert all(len(t.get_text()) <= 6 for ax in axes for t in ax.get_xticklabels())  # no six-decimal ticks


def test_differences_are_paired_replicate_by_replicate_with_intervals(comparison):
    fig = plot_differences(comparison.daily, by_zone=comparison.by_zone, indicators=("cost", "satisfaction_rate"))
    cost, satisfaction = data_axes(fig)[:2]
    totals = comparison.daily.groupby(["regime", "replicate"])["cost"].sum() / 0.5
    paired = (totals.loc["hotline"] - totals.loc["whistle"]).to_numpy()
    (container,) = errorbars(cost)
    assert medians(container)[0] == pytest.approx(paired.mean())
    assert [t.get_text() for t in cost.get_xticklabels()] == ["hotline\n− whistle"]
    assert satisfaction.get_ylabel() == "percentage points"
    assert any(ax.get_title() == "Satisfaction rate by district zone" for ax in data_axes(fig))


def long_named(sweep: FigureData) -> FigureData:
    """Three points of a sample under one regime: series with long names (three parameter values each)."""
    data = sampled(sweep)
    keep = data.daily[data.daily["regime"] == "hotline"]["run_id"].unique()[:3]
    return data.subset(keep)


def test_every_axis_is_labelled_and_no_text_is_cut_off_or_overlapping(comparison, two_scenarios, sweep):
    long = long_named(sweep)
    figures = [
        plot_timeseries(long.daily), plot_load(long.daily), plot_indicators(long.daily), plot_days_to_close(long.days_to_close),
        plot_timeseries(comparison.daily), plot_indicators(comparison.daily), plot_days_to_close(comparison.days_to_close),
        plot_load(comparison.daily), plot_equity(comparison.by_zone, comparison.by_age_group),
        plot_category_mix(comparison.by_category, comparison.daily), plot_heatmap(sweep.daily, sweep.swept),
        plot_differences(comparison.daily, by_zone=comparison.by_zone), plot_indicators(two_scenarios.daily),
        plot_load(two_scenarios.daily), plot_differences(two_scenarios.daily, by_zone=two_scenarios.by_zone),
        plot_indicators(sweep.daily, swept=sweep.swept), plot_partial_dependence(sampled(sweep).daily, sweep.swept),
        plot_timeseries(sweep.daily), plot_equity(sweep.by_zone, sweep.by_age_group),
    ]
    for fig in figures:
        what = fig.get_suptitle().split("\n")[0]
        assert what
        canvas = FigureCanvasAgg(fig)  # as savefig draws a PNG
        canvas.draw()
        renderer = canvas.get_renderer()
        tight, page = fig.get_tightbbox(renderer), fig.bbox_inches  # everything drawn, and the page, in inches
        assert tight.x0 >= -0.01 and tight.y0 >= -0.01 and tight.x1 <= page.x1 + 0.01 and tight.y1 <= page.y1 + 0.01, \
            f"{what}: something is drawn outside the figure ({tight} in {page})"
        for ax in data_axes(fig):
            labelled = [a for a in data_axes(fig) if a.get_ylabel() and a.get_shared_y_axes().joined(a, ax)]
            assert ax.get_ylabel() or labelled or ax.get_label() == "<colorbar>", what
            if ax.get_label() != "<colorbar>":  # a colour bar has one axis
                shared = [a for a in data_axes(fig) if a.get_xlabel() and a.get_shared_x_axes().joined(a, ax)]
                assert ax.get_xlabel() or shared or any(t.get_text() for t in ax.get_xticklabels()), what
            low, high = sorted(ax.get_xlim())
            ticks = sorted((t.get_window_extent(renderer) for t in ax.get_xticklabels()
                            if t.get_text() and low <= t.get_position()[0] <= high), key=lambda box: box.x0)
            for left, right in zip(ticks, ticks[1:]):
                assert left.x1 <= right.x0 + 1, f"{what}: x tick labels overlap"


# ---------------------------------------------------------------------------------------------- the reductions


def test_period_table_pools_rates_sums_flows_and_takes_stocks_on_the_last_day(comparison):
    daily = comparison.daily
    table = period_table(daily).set_index("run_id")
    one = daily[daily["run_id"] == "teaching_town-hotline-1"]
    resolved = (one["resolution_rate"].fillna(0) * one["rated"]).sum()
    assert table.loc["teaching_town-hotline-1", "resolution_rate"] == pytest.approx(resolved / one["rated"].sum())
    assert table.loc["teaching_town-hotline-1", "cost"] == pytest.approx(one["cost"].sum())
    assert table.loc["teaching_town-hotline-1", "street_load"] == pytest.approx(one["street_load"].mean())
    assert table.loc["teaching_town-hotline-1", "backlog"] == one["backlog"].iloc[-1]
    assert list(table.index) == list(dict.fromkeys(daily["run_id"]))  # runs stay in their order
    tail = one[one["day"] >= DAYS - 30]
    last = end_of_horizon(daily, window=30).set_index("run_id").loc["teaching_town-hotline-1"]
    assert last["contacts"] == pytest.approx(tail["contacts"].mean())
    assert "median_days_to_close" not in table.columns


def test_the_whole_run_matches_the_run_summary():
    results = run(TEACHING_TOWN, seed=3, regime="hotline", days=40)
    daily = tidy([(results, {"run_id": "r", "regime": "hotline"})])["daily"]
    table = period_table(daily).iloc[0]
    totals = results.totals()
    for column in ("response_rate", "resolution_rate", "satisfaction_rate", "backlog", "open_problems", "cost", "contacts"):
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


def test_parameter_labels_are_words_with_units_from_the_scenario_schema():
    assert parameter_label(STAFF, width=200) == "Street staff (staff-hours per day per 10,000 residents)"
    assert parameter_label("regimes.whistle.report_days", width=200) == "Whistle deadline (days)"  # a lever's name
    assert parameter_label("city.community_size_spread", width=200) == "Community size spread (lognormal sigma)"
    assert parameter_label("no.such.field") == "Field"


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
