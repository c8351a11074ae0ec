"""The command line end to end, as a user types it."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from tests.conftest import ROOT, TEACHING_TOWN, write_scenario


def govsim(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd or ROOT)


def test_run_prints_the_summary_and_writes_the_results(tmp_path):
    out = tmp_path / "run"
    done = govsim("run", TEACHING_TOWN, "--regime", "hotline", "--seed", "7", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "teaching_town · regime hotline · seed 7 · 365 days" in done.stdout
    assert "satisfaction rate" in done.stdout and "%" in done.stdout
    daily = pd.read_parquet(out / "daily.parquet")
    assert len(daily) == 365 and {"contacts", "resolution_rate", "mean_trust"} <= set(daily.columns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["regime"] == "hotline" and manifest["days"] == 365
    assert len(manifest["scenario_hash"]) == 16 and manifest["wall_time_s"] > 0
    for table in ("by_category", "by_district", "by_zone", "by_age_group"):
        assert len(pd.read_parquet(out / f"{table}.parquet")) > 0


def test_scale_and_days_are_recorded_and_city_equivalents_labelled(tmp_path):
    out = tmp_path / "scaled"
    done = govsim("run", "teaching_town", "--scale", "0.25", "--days", "30", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "city-equivalent (÷ scale)" in done.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scale"] == 0.25 and manifest["days"] == 30
    assert len(pd.read_parquet(out / "daily.parquet")) == 30


def test_default_results_folder(tmp_path):
    done = govsim("run", TEACHING_TOWN, "--days", "5", "--seed", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "results" / "teaching_town" / "hotline-seed3" / "manifest.json").is_file()


def test_bad_scenario_is_one_line_without_traceback(tmp_path):
    path = write_scenario(tmp_path, "extends: TEACHING_TOWN\nname: bad\nhotline:\n  operators: -5\n")
    done = govsim("run", path)
    assert done.returncode == 2
    assert done.stderr == f"error: {path}:4: hotline.operators: expected a number ≥ 0, got -5\n"
    assert done.stdout == ""


def test_bad_option_is_one_line():
    done = govsim("run", TEACHING_TOWN, "--scale", "3")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--scale: expected a number in (0, 1], got 3" in done.stderr
    done = govsim("run", TEACHING_TOWN, "--regime", "anarchy")
    assert done.returncode == 2 and "invalid choice: 'anarchy'" in done.stderr and "Traceback" not in done.stderr


def test_validate_reports_each_file(tmp_path):
    bad = write_scenario(tmp_path, "extends: TEACHING_TOWN\nname: bad\nregime: anarchy\n")
    done = govsim("validate", TEACHING_TOWN, bad)
    assert done.returncode == 2
    assert "ok: " in done.stdout and "16,000 residents" in done.stdout
    assert f"{bad}:3: regime: expected 'whistle', 'hotline' or 'proactive', got 'anarchy'" in done.stderr


def test_schema_is_json_schema(tmp_path):
    done = govsim("schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert schema["title"] == "govsim scenario" and "categories" in schema["required"]
