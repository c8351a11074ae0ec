"""The results folder of an experiment, and the tidy tables read back from it.

    OUT/experiment.json        the resolved spec, the scenarios' hashes, the parameter points and every run
    OUT/runs/<run_id>/         one run folder each (`Results.save`: written under a temporary name, then renamed)
    OUT/failures/<run_id>.json the error, traceback and arguments of a run that failed (removed once it succeeds)
    OUT/summary.csv, OUT/differences.csv, OUT/figures/, OUT/report.html

A run folder that exists was a whole run when it was written; it is trusted only while it still is (its files have
the sizes and SHA-256 its manifest records, and the manifest matches its run), so resuming is: check the stored
runs, skip the whole ones, do the others (a damaged run is named and redone). Reading commands name a damaged run
instead of reading it. `load_results` turns the stored runs into one tidy frame (one row per run x day);
`load_breakdown` does the same for a breakdown table (one row per run x group). A single `govsim run` folder reads as
a one-run experiment.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiment.plan import Plan, RunTask
from sim.inputs import InputError
from sim.outputs import LOCK_FILE, write_text_atomically
from sim.results import Results, check_run_folder, read_manifest, read_table

IDENTIFIERS = ("run_id", "scenario", "regime", "replicate", "seed", "scale")
BREAKDOWNS = ("by_category", "by_district", "by_zone", "by_age_group", "days_to_close", "topics")
FORMAT = 1


def write_json_atomically(path: Path, data: Any) -> None:
    write_text_atomically(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


class ResultsFolder:
    """OUT: where an experiment's runs, failures, summary, figures and report live."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.runs = self.root / "runs"
        self.failures = self.root / "failures"
        self.figures = self.root / "figures"
        self.experiment_json = self.root / "experiment.json"
        self.summary_csv = self.root / "summary.csv"
        self.differences_csv = self.root / "differences.csv"
        self.report_html = self.root / "report.html"

    # ------------------------------------------------------------------------------------------------ writing

    def check_ours(self) -> None:
        """Refuse a file, or a folder holding anything but experiment results, before anything is written there."""
        if self.root.exists() and not self.root.is_dir():
            raise InputError("is a file; expected a folder for the experiment's results (choose another --out)", source=str(self.root))
        if self.root.is_dir() and not self.experiment_json.exists() and any(entry.name != LOCK_FILE for entry in self.root.iterdir()):
            raise InputError("this folder exists and does not hold experiment results (no experiment.json); choose another --out", source=str(self.root))

    def prepare(self, plan: Plan, echo=print) -> None:
        """Create the folder, or check that it holds this same experiment (to resume it); record the plan."""
        record = {"format": FORMAT, **plan.record()}
        self.check_ours()
        if self.experiment_json.exists():
            old = self._read_record_or_none()
            if old is None:
                self._adopt_runs(plan)
                echo(f"{self.experiment_json} was damaged; rebuilt from this experiment (every stored run in it matches a run of this experiment)")
            else:
                self._check_same_experiment(old, record)
        try:
            self.runs.mkdir(parents=True, exist_ok=True)
            for leftover in self.runs.glob(".*"):  # staging folders of runs that were being written when killed
                shutil.rmtree(leftover, ignore_errors=True)
            record["package_version"] = metadata.version("govsim")
            record["updated_utc"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            write_json_atomically(self.experiment_json, record)
        except OSError as error:
            raise InputError(f"cannot write the results here ({error.strerror or error}); choose another --out", source=str(self.root)) from None

    def _read_record_or_none(self) -> dict | None:
        record = _read_json(self.experiment_json)
        return record if isinstance(record, dict) and isinstance(record.get("spec"), dict) and isinstance(record.get("runs"), list) else None

    def _adopt_runs(self, plan: Plan) -> None:
        """experiment.json is damaged: the stored runs may be kept only if each is provably a run of this plan."""
        tasks = {task.run_id: task for task in plan.tasks}
        for entry in sorted(self.runs.iterdir()) if self.runs.is_dir() else []:
            if entry.name.startswith("."):
                continue
            manifest = read_manifest(entry)
            task = tasks.get(entry.name)
            if manifest is None or task is None or manifest.get("task_digest") != task.digest():
                raise InputError(
                    f"experiment.json is damaged and {entry} cannot be shown to be a run of this experiment; nothing was "
                    "changed (choose another --out)", source=str(self.root),
                )

    def _check_same_experiment(self, old: dict, new: dict) -> None:
        """Resuming needs the same runs with the same inputs; only the number of replicates may change."""
        where = str(self.experiment_json)
        advice = "rerun with the original experiment, or choose another --out"
        old_spec, new_spec = dict(old.get("spec", {})), dict(new["spec"])
        for key in ("replicates", "description", "scenarios"):  # scenarios are compared by name and content below
            old_spec.pop(key, None), new_spec.pop(key, None)
        for key in sorted(set(old_spec) | set(new_spec)):
            if old_spec.get(key) != new_spec.get(key):
                raise InputError(
                    f"these results were made by a different experiment ({key}: {old_spec.get(key)!r} there, {new_spec.get(key)!r} now); {advice}",
                    source=where,
                )
        old_hashes, new_hashes = old.get("scenario_hashes", {}), new["scenario_hashes"]
        if set(old_hashes) != set(new_hashes):
            raise InputError(f"these results are for scenario(s) {', '.join(old_hashes)}, not {', '.join(new_hashes)}; {advice}", source=where)
        for name, digest in new_hashes.items():
            if old_hashes[name] != digest:
                raise InputError(f"scenario '{name}' has changed since these results were made (hash {old_hashes[name]} then, {digest} now); {advice}", source=where)

    def finished(self, run_id: str) -> bool:
        """Whether the run is stored and looks whole (sizes only: `check_stored` also compares checksums)."""
        return check_run_folder(self.runs / run_id) is None

    def write_run(self, task: RunTask, results: Results) -> Path:
        results.manifest.update(
            run_id=task.run_id, experiment=task.experiment, requested_regime=task.regime, point=task.point,
            params=task.params, replicate=task.replicate, task_digest=task.digest(),
        )
        folder = results.save(self.runs / task.run_id, replace=True)  # runs/ is ours: a damaged run is replaced
        (self.failures / f"{task.run_id}.json").unlink(missing_ok=True)
        return folder

    def write_failure(self, task: RunTask, error: str, traceback: str) -> None:
        write_json_atomically(self.failures / f"{task.run_id}.json", {
            "run_id": task.run_id, "error": error, "traceback": traceback, "arguments": task.describe(),
            "failed_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        })

    # ------------------------------------------------------------------------------------------------ reading

    def read_record(self) -> dict:
        """experiment.json; a damaged one is an InputError (a rerun of the experiment rebuilds it)."""
        record = self._read_record_or_none()
        if record is None:
            raise InputError(
                "damaged (not the JSON an experiment writes); rerun the command that made these results to rebuild it",
                source=str(self.experiment_json),
            )
        return record

    def failed_runs(self) -> list[dict]:
        """The failure records; a damaged one still counts, named by its file."""
        records = [(path, _read_json(path)) for path in sorted(self.failures.glob("*.json"))]
        return [{"error": "", "traceback": "", **r} if isinstance(r, dict) and "run_id" in r
                else {"run_id": path.stem, "error": "(its failure record is damaged)", "traceback": ""} for path, r in records]


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass
class StoredRun:
    """A finished run found in a results folder: its identifiers and its folder."""

    run_id: str
    folder: Path
    identifiers: dict[str, Any]
    manifest: dict


def open_results(path: str | Path) -> tuple[list[StoredRun], list[str], dict]:
    """The finished runs under `path` (in result order), the swept parameter names, and the experiment record.

    `path` is an experiment results folder, or a single run folder written by `govsim run`. A damaged run is an
    InputError that names it (and says how to redo it), never a table read half.
    """
    path = Path(path)
    folder = ResultsFolder(path)
    if folder.experiment_json.exists():
        record = folder.read_record()
        swept = list(record.get("swept", []))
        runs, damaged = [], []
        for entry in record["runs"]:
            run_folder = folder.runs / str(entry.get("run_id")) if isinstance(entry, dict) else None
            if run_folder is None or not run_folder.exists():
                continue  # not run yet, or failed: the summary names those
            problem = check_run_folder(run_folder)
            if problem:
                damaged.append(f"{run_folder.name} ({problem})")
            else:
                runs.append(_stored(run_folder, swept))
        if damaged:
            more = f" and {len(damaged) - 3} more" if len(damaged) > 3 else ""
            raise InputError(
                f"{len(damaged)} stored run(s) are damaged: {'; '.join(damaged[:3])}{more}; rerun the command that made "
                "these results to redo them", source=str(path),
            )
        return runs, swept, record
    if (path / "manifest.json").exists():
        problem = check_run_folder(path)
        if problem:
            raise InputError(f"this run is damaged: {problem}; run it again", source=str(path))
        run = _stored(path, [])
        return [run], [], {"spec": {"name": run.identifiers["scenario"], "regimes": [run.identifiers["regime"]]}, "runs": []}
    raise InputError("not a govsim results folder (no experiment.json or manifest.json)", source=str(path))


def _stored(folder: Path, swept: list[str]) -> StoredRun:
    manifest = read_manifest(folder) or {}  # checked by the caller
    params = manifest.get("params", {})
    identifiers = {
        "run_id": manifest.get("run_id", folder.name), "scenario": manifest["scenario"], "regime": manifest["regime"],
        "replicate": int(manifest.get("replicate", 0)), "seed": int(manifest["seed"]), "scale": float(manifest["scale"]),
        **{name: params.get(name) for name in swept},
    }
    return StoredRun(identifiers["run_id"], folder, identifiers, manifest)


def _with_identifiers(table: pd.DataFrame, run: StoredRun) -> pd.DataFrame:
    ids = pd.DataFrame({key: [value] * len(table) for key, value in run.identifiers.items()})
    # A seed that does not fit int64 (written by an older govsim, which did not refuse it) is kept as text.
    seed_type = "int64" if -(2**63) <= run.identifiers["seed"] < 2**63 else "str"
    ids = ids.astype({"replicate": "int64", "seed": seed_type, "scale": "float64"})
    return pd.concat([ids, table.reset_index(drop=True)], axis=1)


def _read_table(run: StoredRun, table: str) -> pd.DataFrame:
    problem, frame = read_table(run.folder, table, run.manifest)
    if problem:
        raise InputError(f"stored run {run.run_id} is damaged: {problem}; rerun the command that made these results to redo it", source=str(run.folder))
    return frame


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(frames, ignore_index=True)
    if frame["seed"].dtype == object:  # some seeds kept as text (see _with_identifiers): all of them, then
        frame["seed"] = frame["seed"].astype(str)
    return frame


def load_results(path: str | Path) -> pd.DataFrame:
    """The daily indicators of every finished run as one tidy frame: one row per run x day.

    Columns: run_id, scenario, regime (the run's regime, or its timeline such as 'whistle→hotline→proactive'),
    replicate, seed, scale, one column per varied parameter (named by its dotted path), then day, date,
    regime_in_force (the regime on that day) and every daily indicator (see `sim.metrics.DAILY`).
    Take it to seaborn as is, to R with `.to_parquet(...)`, or to a spreadsheet with `.to_csv(...)`.
    """
    runs, swept, _ = open_results(path)
    frames = []
    for run in runs:
        daily = _read_table(run, "daily").rename(columns={"regime": "regime_in_force"})
        daily["date"] = pd.to_datetime(daily["date"])
        order = ["day", "date", "regime_in_force"]
        frames.append(_with_identifiers(daily[order + [c for c in daily.columns if c not in order]], run))
    return _concat(frames, [*IDENTIFIERS, *swept])


def load_breakdown(path: str | Path, table: str) -> pd.DataFrame:
    """A breakdown table of every finished run (by_category, by_district, by_zone, by_age_group, days_to_close or
    topics) as one tidy frame: the identifier columns of `load_results`, then that table's columns."""
    if table not in BREAKDOWNS:
        raise InputError(f"expected one of {', '.join(BREAKDOWNS)}, got '{table}'", field="table")
    runs, swept, _ = open_results(path)
    frames = [_with_identifiers(_read_table(run, table), run) for run in runs]
    return _concat(frames, [*IDENTIFIERS, *swept])


def load_runs(path: str | Path) -> tuple[list[tuple[StoredRun, Results]], list[str], dict]:
    """Every finished run's `Results` (for per-run totals), the swept parameter names and the experiment record."""
    runs, swept, record = open_results(path)
    return [(run, Results.load(run.folder)) for run in runs], swept, record

