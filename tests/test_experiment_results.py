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
    for name in ("experiment.json", "summary.csv", "differences.csv", "report.html"):
        assert (out / name).is_file(), name
    for number in range(1, 7):  # a plain comparison has figures 1-6, each as PNG and SVG
        assert len(list((out / "figures").glob(f"fig{number}_*.png"))) == 1 and len(list((out / "figures").glob(f"fig{number}_*.svg"))) == 1


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
    assert (differences["regime_a"], differences["regime_b"], differences["n"]) == ("whistle", "hotline", 3)
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
    assert done.stdout.startswith(f"12 figure files in {out / 'figures'}")
    assert len(list((out / "figures").glob("*.png"))) == 6

    done = govsim("report", out)
    assert done.returncode == 0, done.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["'](?!data:)""", page)  # self-contained: nothing to fetch
    assert page.count('src="data:image/svg+xml;base64,') == 6
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
