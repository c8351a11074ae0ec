"""Nothing lost, nothing silently wrong: no command replaces what govsim did not write, names never leave the
results folder, a damaged stored run is named and redone, temporary names never collide, and a killed experiment
leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

import sim.simulate
from sim.cli import default_run_folder, main
from sim.experiment.runner import run_experiment
from sim.inputs import InputError
from sim.results import TABLES, Results
from tests.conftest import ROOT, TEACHING_TOWN, write_scenario


def one_line_error(capsys, argv: list) -> str:
    try:
        status = main([str(a) for a in argv])
    except SystemExit as stop:
        status = stop.code
    assert status == 2
    printed = capsys.readouterr()
    assert printed.err.startswith("error: ") and printed.err.count("\n") == 1 and "Traceback" not in printed.err, printed.err
    return printed.err.strip()


@pytest.fixture
def no_simulation(monkeypatch):
    """The refusals must come before any simulation: running one fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("a simulation ran before the --out target was checked")
    monkeypatch.setattr(sim.simulate, "run", refuse)


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------- govsim run --out


def test_run_never_replaces_what_it_did_not_write(tmp_path, capsys, monkeypatch, no_simulation):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    lone = tmp_path / "notes.txt"
    lone.write_text("keep")
    before = snapshot(tmp_path)
    run = ["run", TEACHING_TOWN, "--days", "3"]
    assert one_line_error(capsys, run + ["--out", mine]) == f"error: --out: {mine} exists and is not a govsim run folder; it is left as it is (choose another --out)"
    assert one_line_error(capsys, run + ["--out", mine, "--force"]).endswith("is not a govsim run folder; it is left as it is (choose another --out)")
    assert one_line_error(capsys, run + ["--out", lone]) == f"error: --out: {lone} is a file, not a run folder; it is left as it is (choose another --out)"
    monkeypatch.chdir(tmp_path)
    assert one_line_error(capsys, run + ["--out", "."]) == "error: --out: . exists and is not a govsim run folder; it is left as it is (choose another --out)"
    (mine / "experiment.json").write_text("{}")
    before["mine/experiment.json"] = b"{}"
    assert "holds the results of an experiment; `govsim run` never replaces them" in one_line_error(capsys, run + ["--out", mine, "--force"])
    (tmp_path / "link").symlink_to(mine)
    assert one_line_error(capsys, run + ["--out", tmp_path / "link"]).endswith("is a symbolic link; a run folder is written where it can be renamed into place (give the real path)")
    assert snapshot(tmp_path) == before


def test_an_unwritable_out_is_refused_before_the_simulation(tmp_path, capsys, no_simulation):
    lone = tmp_path / "notes.txt"
    lone.write_text("keep")
    assert one_line_error(capsys, ["run", TEACHING_TOWN, "--out", lone / "run"]) == (
        f"error: --out: cannot create {lone / 'run'}: {lone} is a file, not a folder"
    )
    # /proc refuses new folders even to root (file permissions alone would not stop root)
    assert one_line_error(capsys, ["run", TEACHING_TOWN, "--out", "/proc/govsim/run"]).startswith("error: --out: cannot write in /proc (")
    assert one_line_error(capsys, ["compare", TEACHING_TOWN, "--out", "/proc/govsim"]).startswith("error: --out: cannot write in /proc (")


def test_a_run_folder_is_replaced_by_the_same_run_and_by_another_only_with_force(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", str(TEACHING_TOWN), "--days", "3", "--out", str(out), "--quiet"]) == 0
    assert main(["run", str(TEACHING_TOWN), "--days", "3", "--out", str(out), "--quiet"]) == 0  # its numbers again
    first = pd.read_parquet(out / "daily.parquet")
    assert "holds another run (seed 1)" in one_line_error(capsys, ["run", TEACHING_TOWN, "--days", "3", "--seed", "2", "--out", out])
    pd.testing.assert_frame_equal(pd.read_parquet(out / "daily.parquet"), first)
    assert main(["run", str(TEACHING_TOWN), "--days", "3", "--seed", "2", "--out", str(out), "--quiet", "--force"]) == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no temporary folder left beside it


def test_another_run_is_named_when_refused(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", str(TEACHING_TOWN), "--days", "3", "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    error = one_line_error(capsys, ["run", TEACHING_TOWN, "--days", "3", "--seed", "2", "--out", out])
    assert error == f"error: --out: {out} holds another run (seed 1); add --force to replace it, or choose another --out"
    error = one_line_error(capsys, ["run", TEACHING_TOWN, "--days", "4", "--out", out])  # other inputs: another run too
    assert error.startswith(f"error: --out: {out} holds another run (scenario_hash ")


def test_results_save_in_python_refuses_a_folder_it_did_not_write(tmp_path, town_runs):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "data.csv").write_text("1,2")
    with pytest.raises(InputError, match="exists and is not a govsim run folder; it is left as it is"):
        town_runs["hotline"].save(tmp_path / "mine")
    assert (tmp_path / "mine" / "data.csv").read_text() == "1,2"


def test_concurrent_saves_to_one_folder_leave_one_whole_run_and_no_temporary_names(tmp_path, town_runs):
    out, errors = tmp_path / "same", []

    def save(results):
        try:
            for _ in range(5):
                results.save(out)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(town_runs[regime],)) for regime in ("whistle", "hotline", "proactive") * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same"]
    assert Results.load(out).manifest["regime"] in ("whistle", "hotline", "proactive")


# --------------------------------------------------------------------------------------------- names and paths


def test_a_scenario_name_cannot_lead_outside_the_results_folder(tmp_path, capsys, no_simulation):
    evil = write_scenario(tmp_path, "extends: TEACHING_TOWN\nname: ../../../../tmp/x/evil\n")
    assert one_line_error(capsys, ["run", evil]).startswith(f"error: {evil}:2: name: expected a short name of ASCII letters, digits")
    assert one_line_error(capsys, ["compare", evil]).startswith(f"error: {evil}:2: name: expected a short name")
    for name in ("../../../tmp/x/evil", "/etc", "..", ".", "a/../../b"):  # a Scenario built in Python skips the loader
        folder = default_run_folder(name, "hotline", 1, 1.0)
        assert folder.parts[0] == "results" and ".." not in folder.parts and len(folder.parts) == 3, folder


# ------------------------------------------------------------------------------------------ the other --outs


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> Path:
    """The runs of `govsim compare teaching_town --regimes whistle,hotline --runs 2 --days 15` (without its figures)."""
    out = tmp_path_factory.mktemp("compared") / "cmp"
    assert run_experiment(_compare_spec(), out, workers=1, progress=False, echo=lambda _: None).ok
    return out


@pytest.fixture(scope="module")
def one_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one") / "run"
    assert main(["run", str(TEACHING_TOWN), "--days", "5", "--out", str(out), "--quiet"]) == 0
    return out


def test_schema_export_plot_and_report_refuse_bad_targets_before_working(compared, tmp_path, capsys):
    foreign = tmp_path / "mine.txt"
    foreign.write_text("mine")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "holiday.png").write_bytes(b"png")
    cases = {
        ("schema", "--out", folder): f"error: --out: {folder} is a folder; expected the path of the JSON Schema to write (e.g. {folder / 'x.json'})",
        ("schema", "--out", foreign): f"error: --out: {foreign} exists and is not a JSON Schema written by govsim; it is left as it is (choose another path)",
        ("export", compared, "--out", folder): f"error: --out: {folder} is a folder; expected the path of the CSV table to write (e.g. {folder / 'x.csv'})",
        ("export", compared, "--out", foreign): f"error: --out: {foreign} exists and is not a CSV table written by govsim; it is left as it is (choose another path)",
        ("export", compared, "--out", compared / "runs" / "teaching_town__hotline__r000" / "daily.parquet", "--format", "parquet"):
            f"error: --out: {compared / 'runs' / 'teaching_town__hotline__r000' / 'daily.parquet'} exists and is not a Parquet table written by govsim; it is left as it is (choose another path)",
        ("report", compared, "--out", folder): f"error: --out: {folder} is a folder; expected the path of the HTML report to write (e.g. {folder / 'x.html'})",
        ("report", compared, "--out", foreign): f"error: --out: {foreign} exists and is not a HTML report written by govsim; it is left as it is (choose another path)",
        ("plot", compared, "--out", foreign): f"error: --out: {foreign} is a file; expected a folder for the figures",
        ("plot", compared, "--out", folder): f"error: --out: {folder} holds files that are not govsim figures (such as holiday.png); it is left as it is (choose a new or empty folder)",
        ("export", compared, "--out", foreign / "x.csv"): f"error: --out: cannot create {foreign / 'x.csv'}: {foreign} is a file, not a folder",
    }
    before = snapshot(tmp_path), snapshot(compared)
    for argv, expected in cases.items():
        assert one_line_error(capsys, list(argv)) == expected
    assert (snapshot(tmp_path), snapshot(compared)) == before


def test_the_same_commands_replace_their_own_outputs(compared, tmp_path, capsys):
    for argv in (["schema", "--out", tmp_path / "s.json"], ["export", compared, "--out", tmp_path / "d.csv"],
                 ["export", compared, "--out", tmp_path / "d.parquet", "--format", "parquet"], ["report", compared, "--out", tmp_path / "r.html"]):
        assert main([str(a) for a in argv]) == 0
        assert main([str(a) for a in argv]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv", "d.parquet", "r.html", "s.json"]  # no temporary file left
    assert pd.read_csv(tmp_path / "d.csv").columns[:6].tolist() == ["run_id", "scenario", "regime", "replicate", "seed", "scale"]
    # (`govsim plot` over figures it drew before: tests/test_experiment_results.py; here the rule it applies)
    from sim.outputs import check_figures_target

    figures = tmp_path / "figures"
    (figures / "teaching_town").mkdir(parents=True)
    for name in ("fig1_timeseries.png", "fig1_timeseries.svg", "teaching_town/fig7_heatmap_p001.png"):
        (figures / name).write_bytes(b"drawn by govsim")
    check_figures_target(figures)
    (figures / "teaching_town" / "notes.md").write_text("mine")
    with pytest.raises(InputError, match=r"holds files that are not govsim figures \(such as teaching_town/notes.md\)"):
        check_figures_target(figures)


def test_export_of_a_single_run_never_overwrites_its_own_tables(one_run, capsys):
    daily = (one_run / "daily.parquet").read_bytes()
    assert main(["export", str(one_run), "--format", "parquet"]) == 0
    assert capsys.readouterr().out.startswith(f"{one_run / 'daily.tidy.parquet'}  (5 rows")
    assert (one_run / "daily.parquet").read_bytes() == daily
    assert main(["run", str(TEACHING_TOWN), "--days", "5", "--out", str(one_run), "--quiet"]) == 0  # still its run folder


# ---------------------------------------------------------------------------------------------- damaged runs


def damage(run: Path, how: str) -> None:
    if how == "truncated":
        path = run / "daily.parquet"
        path.write_bytes(path.read_bytes()[:100])
    elif how == "deleted":
        (run / "by_zone.parquet").unlink()
    elif how == "manifest":
        (run / "manifest.json").write_text('{"scenario": "teaching_to')
    elif how == "flipped":  # same size, one byte changed
        path = run / "by_category.parquet"
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how, problem", [
    ("truncated", "daily.parquet is 100 bytes, the manifest says "),
    ("deleted", "by_zone.parquet is missing"),
    ("manifest", "its manifest.json is damaged: not the JSON a run writes"),
    ("flipped", "by_category.parquet has changed since it was written: its SHA-256 differs from the manifest's"),
])
def test_a_damaged_run_is_named_by_every_command_and_redone_on_resume(compared, tmp_path, capsys, how, problem):
    out = tmp_path / "cmp"
    subprocess.run(["cp", "-a", str(compared), str(out)], check=True)
    original = snapshot(out / "runs" / "teaching_town__hotline__r001")
    damage(out / "runs" / "teaching_town__hotline__r001", how)
    commands = [["plot", out], ["report", out], ["export", out, "--table", "by_category"], ["export", out, "--table", "by_zone"]]
    for argv in commands[:3] if how == "flipped" else commands:  # a same-size change is found as the file is read
        error = one_line_error(capsys, argv)
        assert "teaching_town__hotline__r001" in error and problem in error, error
        assert error.endswith("rerun the command that made these results to redo them") or error.endswith("to redo it")
    lines = []
    report = run_experiment(_compare_spec(), out, workers=1, progress=False, echo=lines.append)
    assert report.ok and report.done == 1 and report.skipped == 3
    assert lines[1] == "resuming: 3 of 4 runs already stored, 1 to do"
    assert lines[2].startswith("damaged: stored run teaching_town__hotline__r001: ") and problem in lines[2] and lines[2].endswith("; it will be redone")
    redone = snapshot(out / "runs" / "teaching_town__hotline__r001")
    for name in (f"{table}.parquet" for table in TABLES):
        assert redone[name] == original[name], name  # bit for bit the run it was
    assert main(["export", str(out)]) == 0


def _compare_spec():
    from sim.experiment.spec import experiment_from_options

    return experiment_from_options([str(TEACHING_TOWN)], ["whistle", "hotline"], 2, 1, 1.0, 15, {})


def test_a_damaged_experiment_json_is_named_and_rebuilt_on_resume(compared, tmp_path, capsys):
    out = tmp_path / "cmp"
    subprocess.run(["cp", "-a", str(compared), str(out)], check=True)
    (out / "experiment.json").write_text('{"format": 1, "spec": {"na')
    assert one_line_error(capsys, ["report", out]) == (
        f"error: {out / 'experiment.json'}: damaged (not the JSON an experiment writes); rerun the command that made these results to rebuild it"
    )
    lines = []
    report = run_experiment(_compare_spec(), out, workers=1, progress=False, echo=lines.append)
    assert report.ok and report.done == 0 and report.skipped == 4
    assert lines[0].endswith("was damaged; rebuilt from this experiment (every stored run in it matches a run of this experiment)")
    assert json.loads((out / "experiment.json").read_text())["spec"]["replicates"] == 2
    # ... but never adopting runs it cannot show to be its own
    (out / "experiment.json").write_text("[]")
    other = _compare_spec().model_copy(update={"seed": 2})
    with pytest.raises(InputError, match="experiment.json is damaged and .* cannot be shown to be a run of this experiment; nothing was changed"):
        run_experiment(other, out, workers=1, progress=False, echo=lines.append)


def test_two_experiments_never_write_one_folder_at_once(compared, tmp_path):
    from sim.outputs import exclusive

    out = tmp_path / "cmp"
    subprocess.run(["cp", "-a", str(compared), str(out)], check=True)
    before = snapshot(out / "runs")
    with exclusive(out):  # as another `govsim compare --out` into it would, while it runs
        with pytest.raises(InputError, match="another govsim process is writing these results right now; wait for it to finish"):
            run_experiment(_compare_spec(), out, workers=1, progress=False, echo=lambda _: None)
    assert snapshot(out / "runs") == before
    assert run_experiment(_compare_spec(), out, workers=1, progress=False, echo=lambda _: None).skipped == 4  # free again
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(InputError, match="this folder exists and does not hold experiment results"):
        run_experiment(_compare_spec(), mine, workers=1, progress=False, echo=lambda _: None)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]  # not even a lock file was left in it


def test_a_damaged_failure_record_still_counts_as_a_failure(compared, tmp_path):
    from sim.experiment.store import ResultsFolder

    out = tmp_path / "cmp"
    subprocess.run(["cp", "-a", str(compared), str(out)], check=True)
    (out / "failures").mkdir()
    (out / "failures" / "teaching_town__hotline__r009.json").write_text("{not json")
    assert ResultsFolder(out).failed_runs() == [{"run_id": "teaching_town__hotline__r009", "error": "(its failure record is damaged)", "traceback": ""}]


def test_a_stored_seed_too_big_for_int64_is_read_as_text(one_run, tmp_path):
    from sim.experiment.store import load_results

    run = tmp_path / "run"
    subprocess.run(["cp", "-a", str(one_run), str(run)], check=True)
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["seed"] = 2**70  # as an older govsim stored `--seed 2**70`
    (run / "manifest.json").write_text(json.dumps(manifest))
    daily = load_results(run)
    assert daily["seed"].tolist() == [str(2**70)] * 5
    daily.to_parquet(tmp_path / "exported.parquet")  # int64 would overflow here


# ------------------------------------------------------------------------------------------ processes and Pythons


def test_a_compare_killed_with_sigkill_leaves_no_process_behind(tmp_path):
    # 60 runs: far more than the time it takes to see the workers (the kill comes as soon as they are there)
    argv = [sys.executable, "-m", "sim.cli", "compare", str(TEACHING_TOWN), "--runs", "20", "--days", "365", "--workers", "2", "--out", str(tmp_path / "out")]
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 120
    while True:  # the resource tracker, the fork server and two workers
        children = parent.children(recursive=True)
        if len(children) >= 4 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(children) >= 4, [c.cmdline() for c in children]
    process.send_signal(signal.SIGKILL)  # the command alone, not its process group
    process.wait()
    _, alive = psutil.wait_procs(children, timeout=15)
    for survivor in alive:  # clean up before failing
        survivor.kill()
    assert alive == [], [" ".join(p.cmdline())[:100] for p in alive]


def test_the_default_worker_count_works_without_process_cpu_count(monkeypatch):
    """Python 3.12 has no os.process_cpu_count (3.13 added it)."""
    from sim.experiment import executors

    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    assert executors.default_workers() == len(os.sched_getaffinity(0))


def test_requires_python_is_what_ci_tests():
    import tomllib

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    script = (ROOT / "scripts" / "find-python").read_text()
    assert requires == ">=3.12,<3.14"
    assert "OLDEST=3.12" in script and "NEWEST=3.13" in script
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/find-python 3.12" in ci and "scripts/find-python 3.13" in ci
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in ("3.12", "3.13")
