"""Running experiments: identical results whatever the executor, nothing lost or redone when killed, failures
recorded while the other runs go on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from sim.cli import main
from sim.experiment.plan import replicate_seed
from sim.experiment.runner import run_experiment
from sim.inputs import InputError
from sim.results import TABLES
from tests.conftest import ROOT, TEACHING_TOWN

VOLATILE = {"wall_time_s", "created_utc"}  # the only manifest fields allowed to differ between identical runs


def experiment_file(folder: Path, *, regimes="[whistle, hotline]", replicates=2, days=60, name="small") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nscenarios: [{TEACHING_TOWN}]\nregimes: {regimes}\nreplicates: {replicates}\nseed: 11\ndays: {days}\n",
        encoding="utf-8",
    )
    return path


def stored_runs(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "runs").iterdir() if not p.name.startswith("."))


def assert_identical(left: Path, right: Path) -> None:
    """Every run of `left` is in `right` with the same tables, bit for bit, and the same manifest."""
    assert stored_runs(left) == stored_runs(right)
    for run_id in stored_runs(left):
        for table in TABLES:
            pd.testing.assert_frame_equal(
                pd.read_parquet(left / "runs" / run_id / f"{table}.parquet"), pd.read_parquet(right / "runs" / run_id / f"{table}.parquet"),
                check_exact=True,
            )
        manifests = [json.loads((out / "runs" / run_id / "manifest.json").read_text()) for out in (left, right)]
        assert [{k: v for k, v in m.items() if k not in VOLATILE} for m in manifests] == [
            {k: v for k, v in manifests[0].items() if k not in VOLATILE}
        ] * 2


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("one")
    report = run_experiment(experiment_file(folder), folder / "out", workers=1, progress=False, echo=lambda _: None)
    assert report.ok and report.done == 4
    return folder / "out"


def test_one_and_two_workers_give_identical_results(one_worker, tmp_path):
    report = run_experiment(experiment_file(tmp_path), tmp_path / "out", workers=2, progress=False, echo=lambda _: None)
    assert report.ok and report.done == 4
    assert_identical(one_worker, tmp_path / "out")
    manifest = json.loads((one_worker / "runs" / "teaching_town__hotline__r001" / "manifest.json").read_text())
    assert manifest["seed"] == replicate_seed(11, 1) and manifest["replicate"] == 1 and manifest["regime"] == "hotline"
    assert manifest["experiment"] == "small" and manifest["run_id"] == "teaching_town__hotline__r001"


def test_a_dask_local_cluster_gives_identical_results(one_worker, tmp_path):
    lines = []
    report = run_experiment(experiment_file(tmp_path), tmp_path / "out", dask="local", workers=2, progress=False, echo=lines.append)
    assert report.ok and report.done == 4
    assert "a local Dask cluster of 2 worker processes" in lines[0]
    assert_identical(one_worker, tmp_path / "out")


def test_a_bad_dask_address_is_a_one_line_error(tmp_path, capsys):
    # (An unreachable scheduler gives the same line after a 10 s connection timeout.)
    assert main(["experiment", str(experiment_file(tmp_path)), "--out", str(tmp_path / "out"), "--dask", "nonsense://host:1"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: --dask: cannot reach a Dask scheduler at 'nonsense://host:1': unknown address scheme 'nonsense'")
    assert error.count("\n") == 1


def test_a_failed_run_is_recorded_the_others_go_on_and_a_rerun_retries_it(tmp_path, capsys, monkeypatch):
    """A run that raises (here: a patched model run, on an in-process Dask cluster so that the patch applies)."""
    from distributed import LocalCluster

    import sim.experiment.executors as executors

    real_run = executors.run

    def failing_run(**arguments):
        if arguments["regime"] == "hotline" and arguments["seed"] == replicate_seed(11, 1):
            raise ValueError("the model broke")
        return real_run(**arguments)

    monkeypatch.setattr(executors, "run", failing_run)
    path, out = experiment_file(tmp_path), tmp_path / "out"
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        status = main(["experiment", str(path), "--out", str(out), "--dask", cluster.scheduler_address])
    printed = capsys.readouterr()
    assert status == 1
    assert "error: 1 of 4 runs failed: teaching_town__hotline__r001 (ValueError: the model broke)" in printed.err
    assert stored_runs(out) == ["teaching_town__hotline__r000", "teaching_town__whistle__r000", "teaching_town__whistle__r001"]
    failure = json.loads((out / "failures" / "teaching_town__hotline__r001.json").read_text())
    assert failure["error"] == "ValueError: the model broke" and "raise ValueError" in failure["traceback"]
    assert failure["arguments"]["seed"] == replicate_seed(11, 1) and failure["arguments"]["regime"] == "hotline"
    assert "missing: 1 failed run(s) are left out: teaching_town__hotline__r001" in printed.out

    monkeypatch.setattr(executors, "run", real_run)
    lines = []
    assert run_experiment(path, out, workers=1, progress=False, echo=lines.append).ok
    assert lines[1] == "resuming: 3 of 4 runs already stored, 1 to do"
    assert len(stored_runs(out)) == 4 and not list((out / "failures").iterdir())


def test_results_of_another_experiment_are_never_mixed_in(one_worker, tmp_path):
    other = experiment_file(tmp_path, regimes="[whistle, proactive]")
    with pytest.raises(InputError, match=r"these results were made by a different experiment \(regimes: \['whistle', 'hotline'\] there, \['whistle', 'proactive'\] now\)"):
        run_experiment(other, one_worker, workers=1, progress=False, echo=lambda _: None)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    with pytest.raises(InputError, match="this folder exists and does not hold experiment results"):
        run_experiment(other, tmp_path / "notes", workers=1, progress=False, echo=lambda _: None)


def test_more_replicates_later_reuse_the_stored_ones(tmp_path):
    out = tmp_path / "out"
    assert run_experiment(experiment_file(tmp_path, replicates=1), out, workers=1, progress=False, echo=lambda _: None).ok
    stamps = {run_id: (out / "runs" / run_id / "manifest.json").stat().st_mtime_ns for run_id in stored_runs(out)}
    lines = []
    assert run_experiment(experiment_file(tmp_path, replicates=2), out, workers=1, progress=False, echo=lines.append).ok
    assert lines[1] == "resuming: 2 of 4 runs already stored, 2 to do"
    assert {run_id: (out / "runs" / run_id / "manifest.json").stat().st_mtime_ns for run_id in stamps} == stamps
    assert len(stored_runs(out)) == 4


# ------------------------------------------------------------------------------------------- killed experiments

KILL_REGIMES, KILL_REPLICATES, KILL_DAYS = "[whistle, hotline, proactive]", 4, 200  # 12 runs of about 0.3 s


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("uninterrupted")
    path = experiment_file(folder, regimes=KILL_REGIMES, replicates=KILL_REPLICATES, days=KILL_DAYS, name="long")
    assert run_experiment(path, folder / "out", workers=2, progress=False, echo=lambda _: None).ok
    return folder / "out"


def start(path: Path, out: Path, command: str = "cli") -> subprocess.Popen:
    """The experiment in a process of its own (and session, to kill it with its workers): the command line, or the
    Python API (which skips the figures and report: quicker, and other tests cover them)."""
    if command == "cli":
        argv = [sys.executable, "-m", "sim.cli", "experiment", str(path), "--out", str(out), "--workers", "2"]
    else:
        code = f"import sys, sim; sys.exit(0 if sim.run_experiment({str(path)!r}, {str(out)!r}, workers=2).ok else 1)"
        argv = [sys.executable, "-c", code]
    return subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for_runs(out: Path, count: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ((out / "runs").is_dir() and len(stored_runs(out)) >= count):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the experiment stored no runs in time"
        time.sleep(0.01)


def test_a_killed_experiment_rerun_does_only_the_rest(uninterrupted, tmp_path):
    path = experiment_file(tmp_path, regimes=KILL_REGIMES, replicates=KILL_REPLICATES, days=KILL_DAYS, name="long")
    out = tmp_path / "out"
    process = start(path, out)
    wait_for_runs(out, 2, process)
    os.killpg(process.pid, signal.SIGKILL)  # the whole experiment: the command, the fork server and its workers
    process.communicate()
    before = {run_id: (out / "runs" / run_id / "manifest.json").stat().st_mtime_ns for run_id in stored_runs(out)}
    assert 2 <= len(before) < 12

    lines = []  # the same command again (in this process: quicker)
    assert run_experiment(path, out, workers=2, progress=False, echo=lines.append).ok
    assert lines[1] == f"resuming: {len(before)} of 12 runs already stored, {12 - len(before)} to do"
    assert {run_id: (out / "runs" / run_id / "manifest.json").stat().st_mtime_ns for run_id in before} == before  # not redone
    assert not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]  # no half-written run left behind
    assert_identical(uninterrupted, out)


def test_a_killed_worker_process_costs_only_its_run(uninterrupted, tmp_path):
    path = experiment_file(tmp_path, regimes=KILL_REGIMES, replicates=KILL_REPLICATES, days=KILL_DAYS, name="long")
    out = tmp_path / "out"
    process = start(path, out, command="python")
    wait_for_runs(out, 1, process)
    # The workers are the fork server's children: grandchildren of the command's process.
    forkservers = [p for p in psutil.Process(process.pid).children() if "forkserver" in " ".join(p.cmdline())]
    workers = [child for server in forkservers for child in server.children()]
    assert workers, "no worker process found"
    workers[0].kill()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert "a worker process died (killed, or out of memory?); retrying" in stderr
    assert not (out / "failures").exists()
    assert_identical(uninterrupted, out)
