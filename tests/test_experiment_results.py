"""What a comparison leaves behind, as a user meets it: the printed summary, the results folder, the tidy tables,
and figures and a report redrawn from stored results without running anything."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiment.runner import run_experiment
from sim.metrics import DAILY
from sim.results import Results
from tests.conftest import ROOT, TEACHING_TOWN, write_scenario

IDENTIFIERS = ["run_id", "scenario", "regime", "replicate", "seed", "scale"]


def govsim(*args):
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """`govsim compare` on the teaching town: two regimes x three replicates of 60 days at half scale."""
    out = tmp_path_factory.mktemp("compare") / "cmp"
    done = govsim("compare", TEACHING_TOWN, "--regimes", "whistle,hotline", "--runs", 3, "--days", 60, "--scale", 0.5, "--out", out, "--workers", 2)
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_compare_prints_the_summary_and_leaves_runs_summary_figures_and_report(compared):
    out, stdout = compared
    assert "compare_teaching_town: 6 runs (1 scenario × 2 regimes × 3 replicates) on 2 local worker processes" in stdout
    assert "scale 0.5: counts and money are simulated (50 % of residents; divide by 0.5 for city-equivalents)" in stdout
    assert re.search(r"satisfaction rate\s+\d+\.\d% \(\d+\.\d–\d+\.\d\)\s+\d+\.\d% \(", stdout)
    assert "paired differences (replicate k minus replicate k, same seed): mean [95 % t-interval]" in stdout
    assert re.search(r"satisfaction rate\s+[+-]\d+\.\d pp \[[+-]\d+\.\d, [+-]\d+\.\d\]", stdout)
    assert len(list((out / "runs").iterdir())) == 6
    for name in ("experiment.json", "summary.csv", "differences.csv", "summary_by_area.csv", "differences_by_area.csv", "report.html"):
        assert (out / name).is_file(), name
    for number in (1, 2, 3, 4, 5, 6, 8):  # a plain comparison has figures 1-6 and the differences, as PNG and SVG
        assert len(list((out / "figures").glob(f"fig{number}_*.png"))) == 1 and len(list((out / "figures").glob(f"fig{number}_*.svg"))) == 1
    assert "counts and money simulated (scale 0.5)" in stdout  # the tables say what their counts are


def test_the_summary_is_the_statistics_of_the_stored_runs(compared):
    out, _ = compared
    totals = {}
    for folder in sorted((out / "runs").iterdir()):
        results = Results.load(folder)
        totals[(results.manifest["regime"], results.manifest["replicate"])] = results.totals()
    summary = pd.read_csv(out / "summary.csv").set_index(["regime", "indicator"])
    satisfaction = [totals[("hotline", k)]["satisfaction_rate"] for k in range(3)]
    row = summary.loc[("hotline", "satisfaction_rate")]
    assert row["n"] == 3 and row["median"] == pytest.approx(np.median(satisfaction))
    assert row["p10"] == pytest.approx(np.percentile(satisfaction, 10)) and row["p90"] == pytest.approx(np.percentile(satisfaction, 90))
    assert row["label"] == "satisfaction rate" and row["kind"] == "rate"

    differences = pd.read_csv(out / "differences.csv").set_index("indicator").loc["cost"]
    paired = np.array([totals[("hotline", k)]["cost"] - totals[("whistle", k)]["cost"] for k in range(3)])
    half = 4.302652729911275 * paired.std(ddof=1) / np.sqrt(3)  # t(0.975; 2 degrees of freedom)
    assert (differences["compared"], differences["scenario"], differences["a"], differences["b"], differences["n"]) == (
        "regime", "teaching_town", "whistle", "hotline", 3)
    assert differences["mean_difference"] == pytest.approx(paired.mean())
    assert (differences["ci_low"], differences["ci_high"]) == (pytest.approx(paired.mean() - half), pytest.approx(paired.mean() + half))


def test_load_results_is_one_tidy_row_per_run_and_day(compared):
    out, _ = compared
    daily = sim.load_results(out)
    rest = [c for c in DAILY if c not in ("day", "date", "regime")]
    assert list(daily.columns) == IDENTIFIERS + ["day", "date", "regime_in_force"] + rest
    assert len(daily) == 6 * 60 and daily["run_id"].nunique() == 6
    first = daily.iloc[0]
    assert first["run_id"] == "teaching_town__whistle__r000" and first["scenario"] == "teaching_town" and first["regime"] == "whistle"
    assert first["replicate"] == 0 and first["scale"] == 0.5 and first["regime_in_force"] == "whistle"
    assert pd.api.types.is_datetime64_any_dtype(daily["date"]) and str(daily["date"].iloc[0].date()) == "2019-01-01"
    # Replicate k of both regimes shares its seed (common random numbers).
    seeds = daily.groupby(["replicate", "regime"])["seed"].first().unstack()
    assert (seeds["whistle"] == seeds["hotline"]).all() and seeds["whistle"].nunique() == 3

    zones = sim.load_breakdown(out, "by_zone")
    assert list(zones.columns[:6]) == IDENTIFIERS and "zone" in zones.columns and len(zones) == 6
    histogram = sim.load_breakdown(out, "days_to_close")
    assert list(histogram.columns) == IDENTIFIERS + ["days", "tickets"]


def test_export_writes_the_tidy_table_for_r_and_spreadsheets(compared, tmp_path):
    out, _ = compared
    done = govsim("export", out, "--out", tmp_path / "daily.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{tmp_path / 'daily.csv'}  (360 rows x {6 + len(DAILY)} columns)"
    csv = pd.read_csv(tmp_path / "daily.csv")
    assert csv.shape == (360, 6 + len(DAILY)) and csv["date"].iloc[0] == "2019-01-01"
    done = govsim("export", out, "--table", "by_category", "--format", "parquet", "--out", tmp_path / "categories.parquet")
    assert done.returncode == 0, done.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "categories.parquet"), sim.load_breakdown(out, "by_category"))


def test_plot_and_report_work_from_stored_results_without_running(compared):
    out, _ = compared
    stamps = {p: p.stat().st_mtime_ns for p in (out / "runs").glob("*/*.parquet")}
    for figure in (out / "figures").iterdir():
        figure.unlink()
    (out / "report.html").unlink()

    done = govsim("plot", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"14 figure files in {out / 'figures'}")
    assert len(list((out / "figures").glob("*.png"))) == 7

    done = govsim("report", out)
    assert done.returncode == 0, done.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["'](?!data:)""", page)  # self-contained: nothing to fetch
    assert page.count('src="data:image/svg+xml;base64,') == 7
    assert "satisfaction rate" in page and "hotline − whistle" in page
    assert "name: teaching_town" in page  # the scenario as run
    assert "package_version" in page  # the manifest
    assert {p: p.stat().st_mtime_ns for p in (out / "runs").glob("*/*.parquet")} == stamps  # nothing was run again


def test_a_sweep_has_parameter_columns_a_compact_summary_and_a_heat_map(tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text(
        f"name: sweep\nscenarios: [{TEACHING_TOWN}]\nregimes: [hotline]\nreplicates: 1\nseed: 5\ndays: 30\n"
        "parameters:\n  grid:\n    street_staff: [10, 30]\n    ranking_pressure: [0.2, 0.8]\n",
        encoding="utf-8",
    )
    done = govsim("experiment", path, "--out", tmp_path / "out", "--workers", 2)
    assert done.returncode == 0, done.stderr
    assert "sweep: 4 runs (1 scenario × 1 regime × 4 parameter points × 1 replicate)" in done.stdout
    assert "medians across replicates (ranges and paired differences: summary.csv, differences.csv)" in done.stdout
    assert re.search(r"teaching_town\s+30\s+0\.8\s+hotline\s+\d+\.\d%", done.stdout)
    daily = sim.load_results(tmp_path / "out")
    assert list(daily.columns[6:8]) == ["city.street_staff_hours_per_10k", "regimes.hotline.ranking_pressure"]
    last = daily[daily["run_id"] == "teaching_town__hotline__p003__r000"].iloc[0]
    assert (last["city.street_staff_hours_per_10k"], last["regimes.hotline.ranking_pressure"]) == (30, 0.8)
    assert len(list((tmp_path / "out" / "figures").glob("fig7_*.png"))) == 1


def test_a_timeline_run_is_labelled_by_its_regimes(tmp_path):
    scenario = write_scenario(tmp_path, "extends: TEACHING_TOWN\nname: switching\nregime: whistle\ndays: 40\n"
                              "timeline:\n  regimes:\n    - {date: 2019-01-21, regime: hotline}\n")
    path = tmp_path / "timeline.yaml"
    path.write_text(f"name: timeline\nscenarios: [{scenario}]\nregimes: [timeline, whistle]\nreplicates: 2\nseed: 3\n", encoding="utf-8")
    assert run_experiment(path, tmp_path / "out", workers=1, progress=False, echo=lambda _: None).ok
    daily = sim.load_results(tmp_path / "out")
    assert list(dict.fromkeys(daily["run_id"])) == [
        "switching__timeline__r000", "switching__timeline__r001", "switching__whistle__r000", "switching__whistle__r001",
    ]
    run = daily[daily["run_id"] == "switching__timeline__r000"]
    assert set(run["regime"]) == {"whistle→hotline"}
    assert list(run["regime_in_force"].iloc[[19, 20]]) == ["whistle", "hotline"]


def test_a_single_run_folder_reads_as_a_one_run_experiment(tmp_path):
    folder = sim.run(TEACHING_TOWN, seed=9, regime="proactive", days=20).save(tmp_path / "proactive-seed9")
    daily = sim.load_results(folder)
    assert len(daily) == 20 and set(daily["run_id"]) == {"proactive-seed9"}
    assert (daily["seed"].iloc[0], daily["replicate"].iloc[0], daily["regime"].iloc[0]) == (9, 0, "proactive")


def test_plot_on_a_folder_without_results_is_a_one_line_error(tmp_path):
    done = govsim("plot", tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"error: {tmp_path}: not a govsim results folder (no experiment.json or manifest.json)\n"


def test_the_report_lists_failed_runs(compared, tmp_path):
    out, _ = compared
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(out), str(copy)], check=True)
    (copy / "failures").mkdir(exist_ok=True)
    record = {"run_id": "teaching_town__hotline__r002", "error": "ValueError: the model broke", "traceback": "Traceback ...", "arguments": {}}
    (copy / "failures" / "teaching_town__hotline__r002.json").write_text(json.dumps(record))
    done = govsim("report", copy)
    assert done.returncode == 0, done.stderr
    page = Path(done.stdout.strip()).read_text(encoding="utf-8")
    assert "Failed runs (1)" in page and "ValueError: the model broke" in page


# ------------------------------------------------------------------------- scenarios, samples and the report

TWO_TOWNS = """extends: TEACHING_TOWN
name: {name}
city:
  districts:
    - {{name: Riverside, zone: central, population: 16000, streets: 4, communities_per_street: 4}}
    - {{name: Hillside, zone: ecological, population: 8000, streets: 2, communities_per_street: 4, street_staff_hours_per_10k: {staff}}}
"""


@pytest.fixture(scope="module")
def two_scenarios(tmp_path_factory):
    """`govsim compare BASE VARIANT --regimes hotline`: a town of two districts, and the same town with 50 % more
    street staff in its ecological district; three replicates of 60 days each."""
    folder = tmp_path_factory.mktemp("scenarios")
    base = write_scenario(folder, TWO_TOWNS.format(name="two_towns", staff=12), "two_towns.yaml")
    variant = write_scenario(folder, TWO_TOWNS.format(name="two_towns_hill_staff", staff=18), "two_towns_hill_staff.yaml")
    out = folder / "cmp"
    done = govsim("compare", base, variant, "--regimes", "hotline", "--runs", 3, "--days", 60, "--out", out, "--workers", 2)
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_two_scenarios_get_paired_differences_with_intervals(two_scenarios):
    out, stdout = two_scenarios
    differences = pd.read_csv(out / "differences.csv")
    between = differences[differences["compared"] == "scenario"].set_index("indicator")
    assert len(between) == len(differences) > 0 and set(between["regime"]) == {"hotline"}
    row = between.loc["satisfaction_rate"]
    assert (row["a"], row["b"], row["n"]) == ("two_towns", "two_towns_hill_staff", 3)
    assert row["ci_low"] <= row["mean_difference"] <= row["ci_high"] and np.isfinite(row["ci_high"] - row["ci_low"])
    totals = {}
    for folder in (out / "runs").iterdir():
        results = Results.load(folder)
        totals[(results.manifest["scenario"], results.manifest["replicate"])] = results.totals()["street_load"]
    paired = [totals[("two_towns_hill_staff", k)] - totals[("two_towns", k)] for k in range(3)]
    assert between.loc["street_load", "mean_difference"] == pytest.approx(np.mean(paired))
    assert "regime hotline: paired differences" in stdout and "two_towns_hill_staff − two_towns" in stdout


def test_two_scenarios_are_summarised_by_zone_and_district_from_pooled_counts(two_scenarios):
    out, stdout = two_scenarios
    by_area = pd.read_csv(out / "summary_by_area.csv")
    assert set(zip(by_area["area_type"], by_area["area"])) == {
        ("zone", "central"), ("zone", "ecological"), ("district", "Riverside"), ("district", "Hillside")}
    hill = sim.load_breakdown(out, "by_district")
    hill = hill[(hill["district"] == "Hillside") & (hill["scenario"] == "two_towns")]
    row = by_area[(by_area["area"] == "Hillside") & (by_area["scenario"] == "two_towns") & (by_area["indicator"] == "resolution_rate")]
    assert row["median"].iloc[0] == pytest.approx(np.median(hill["resolved"] / hill["rated"]))
    area_differences = pd.read_csv(out / "differences_by_area.csv")
    ecological = area_differences[(area_differences["area"] == "ecological") & (area_differences["indicator"] == "resolution_rate")]
    assert len(ecological) == 1 and ecological["compared"].iloc[0] == "scenario" and ecological["n"].iloc[0] == 3
    assert re.search(r"resolution rate \(as residents say\) by district zone.*\n.*\n-+.*\ncentral .*\necological .* pp \[", stdout)


def test_two_scenarios_share_one_set_of_figures(two_scenarios):
    out, _ = two_scenarios
    figures = out / "figures"
    assert not [p for p in figures.iterdir() if p.is_dir()]  # no folder per scenario
    assert {p.stem for p in figures.glob("*.png")} == {
        "fig1_timeseries", "fig2_indicators", "fig3_days_to_close", "fig4_load", "fig5_equity", "fig6_categories",
        "fig8_differences"}
    svg = (figures / "fig2_indicators.svg").read_text(encoding="utf-8")
    assert ">two_towns_<" in svg.replace("</tspan>", "<") and "hill_staff" in svg  # both scenarios' slots, one panel


def test_the_report_has_a_title_for_people_and_figures_at_one_scale(two_scenarios):
    from sim.experiment.report import PX_PER_INCH, figure_inches

    out, _ = two_scenarios
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<title>Two towns and Two towns hill staff under complaint-response · govsim report</title>" in page
    assert "<h1>Two towns and Two towns hill staff under complaint-response</h1>" in page
    widths = [int(w) for w in re.findall(r'<img alt="[^"]+" width="(\d+)"', page)]
    inches = [figure_inches(p) for p in sorted((out / "figures").glob("*.png"))]
    assert widths == [round(i * PX_PER_INCH) for i in inches] and len(set(widths)) > 1  # natural sizes, not stretched
    assert "img { width: 100%" not in page and "figure img { max-width: 100%; height: auto;" in page
    assert "Riverside (central)" in page and "by district:" in page  # the district tables


def test_the_report_says_which_counts_are_simulated_and_which_city_equivalent(compared):
    out, _ = compared
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "The tables give simulated counts and money" in page and "the figures give city-equivalents" in page
    assert "counts and money simulated (scale 0.5)" in page


def test_writing_the_report_leaves_no_temporary_file_and_refuses_a_folder(compared, tmp_path):
    from sim.experiment.report import write_report
    from sim.experiment.summary import summarise_results
    from sim.inputs import InputError

    out, _ = compared
    summary = summarise_results(out)
    target = write_report(out, summary, tmp_path / "page.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"] and target.stat().st_size > 1000
    (tmp_path / "folder").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        write_report(out, summary, tmp_path / "folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "page.html"]
    assert not list((tmp_path / "folder").iterdir())


def test_a_latin_hypercube_prints_its_sampled_points_only_and_draws_their_partial_dependence(tmp_path):
    path = tmp_path / "sample.yaml"
    path.write_text(
        f"name: sample\nscenarios: [{TEACHING_TOWN}]\nregimes: [hotline]\nreplicates: 1\nseed: 5\ndays: 20\n"
        "parameters:\n  latin_hypercube:\n    points: 4\n    ranges:\n      street_staff: {low: 6, high: 24}\n"
        "      ranking_pressure: {low: 0, high: 1}\n      propensity: {low: 0.7, high: 1.3}\n",
        encoding="utf-8",
    )
    done = govsim("experiment", path, "--out", tmp_path / "out", "--workers", 2)
    assert done.returncode == 0, done.stderr
    table = done.stdout.split("medians across replicates", 1)[1].split("\n\nresults:", 1)[0].strip().splitlines()
    header, rule, *rows = table[1:]
    assert header.split()[:4] == ["scenario", "street_staff", "ranking_pressure", "propensity"]
    assert len(rows) == 4 and all(row.startswith("teaching_town") for row in rows)  # one per sampled point
    assert not re.search(r"\d\.\d{5}", "\n".join(rows))  # values to four significant digits
    figures = {p.stem for p in (tmp_path / "out" / "figures").glob("*.png")}
    assert "fig7_partial_dependence" in figures and not {"fig2_indicators", "fig7_heatmap"} & figures
    differences = pd.read_csv(tmp_path / "out" / "differences.csv")
    assert differences.empty  # one regime, one scenario, and no two sampled points share the other values
