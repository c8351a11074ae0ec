"""The results of one run as tidy tables, and their folder on disk.

A run folder holds `daily.parquet` (one row per day, the columns of `metrics.DAILY`), the run's breakdowns
(`by_category`, `by_district`, `by_zone`, `by_age_group`: one row per group, counts and rates), the histogram of days
to close, the monthly topics a proactive regime picked, the resolved scenario (`scenario.yaml`) and
`manifest.json`. A folder is written under a temporary name and renamed when complete, so a folder that exists is
a whole run; the manifest records the size and SHA-256 of every file beside it (`files`), so that a run damaged
later (a truncated or deleted table, an edited file) is detected (`check_run_folder`) rather than read as if whole.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.analyzers.equity import equity_indices
from sim.inputs import InputError
from sim.metrics import quantile_from_histogram

_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when available: several times faster
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # (the only way to read it)
TABLES = ("daily", "by_category", "by_district", "by_zone", "by_age_group", "days_to_close", "topics")
RUN_FILES = frozenset({*(f"{name}.parquet" for name in TABLES), "scenario.yaml", "manifest.json"})
# What govsim's reading commands may add to a run folder (plot, report, summary, export); it goes with the run.
RUN_EXTRAS = frozenset({"figures", "report.html", "summary.csv", "differences.csv", *(f"{name}.csv" for name in TABLES),
                        *(f"{name}.tidy.parquet" for name in TABLES)})
MANIFEST_KEYS = ("scenario", "regime", "seed", "scale", "days")


@dataclass
class Results:
    daily: pd.DataFrame
    by_category: pd.DataFrame
    by_district: pd.DataFrame
    by_zone: pd.DataFrame
    by_age_group: pd.DataFrame
    days_to_close: pd.DataFrame
    topics: pd.DataFrame
    manifest: dict
    scenario: dict = field(default_factory=dict)

    @property
    def scale(self) -> float:
        return float(self.manifest.get("scale", 1.0))

    def save(self, folder: str | Path, *, replace: bool = False) -> Path:
        """Write the run folder atomically (a partial folder never appears under the final name) and return it.

        A folder already there is replaced only if it is a govsim run folder (or `replace` is true: the caller owns
        the place, as an experiment owns its runs/); anything else is refused, never deleted. Every temporary name
        is unique, so two processes saving to one folder at once cannot trip over each other: the last one wins.
        """
        folder = Path(folder)
        if folder.is_symlink():
            raise InputError("is a symbolic link; a run folder is written where it can be renamed into place (give the real path)", source=str(folder))
        if not (replace or _replaceable(folder)):  # checked again on what is actually moved aside (another may save too)
            raise InputError(_NOT_A_RUN, source=str(folder))
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".new", dir=folder.parent))
        try:
            os.chmod(staging, 0o777 & ~_UMASK)  # mkdtemp's folders are private; a run folder is like any other
            for name in TABLES:
                getattr(self, name).to_parquet(staging / f"{name}.parquet", index=False)
            (staging / "scenario.yaml").write_text(
                yaml.dump(self.scenario, Dumper=_SAFE_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            files = {path.name: _fingerprint(path) for path in sorted(staging.iterdir())}
            manifest = {**self.manifest, "files": files}
            (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            _move_into_place(staging, folder, replace)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> "Results":
        """Read a run folder; a damaged or unfinished one is an InputError naming what is wrong."""
        folder = Path(folder)
        problem = check_run_folder(folder)
        if problem:
            raise InputError(f"damaged run: {problem}; rerun the command that made it to redo it", source=str(folder))
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        tables = {}
        for name in TABLES:
            problem, tables[name] = read_table(folder, name, manifest)
            if problem:
                raise InputError(f"damaged run: {problem}; rerun the command that made it to redo it", source=str(folder))
        scenario_path = folder / "scenario.yaml"
        scenario = yaml.safe_load(scenario_path.read_text(encoding="utf-8")) if scenario_path.is_file() else {}
        manifest.pop("files", None)
        return cls(**tables, manifest=manifest, scenario=scenario)

    def totals(self) -> dict[str, float]:
        """Headline indicators over the whole run (rates from summed counts, stocks at the last day)."""
        daily, groups = self.daily, self.by_category
        rated = groups["rated"].sum()
        last = daily.iloc[-1] if len(daily) else pd.Series(dtype=float)
        opened = daily["tickets_opened"].sum()
        histogram = self.days_to_close["tickets"].to_numpy()

        def share(numerator):
            return float(numerator / rated) if rated else float("nan")

        return {
            "contacts": float(daily["contacts"].sum()),
            "consultations": float(daily["consultations"].sum()),
            "abandoned": float(daily["abandoned"].sum()),
            "tickets_opened": float(opened),
            "tickets_closed": float(daily["tickets_closed"].sum()),
            "backlog": float(last.get("backlog", np.nan)),
            "overdue": float(last.get("overdue", np.nan)),
            "response_rate": share(groups["responded"].sum()),
            "resolution_rate": share(groups["resolved"].sum()),
            "satisfaction_rate": share(groups["satisfied"].sum()),
            "fix_share": float(groups["fixed"].sum() / max(groups["tickets_closed"].sum(), 1)),
            "median_days_to_close": quantile_from_histogram(histogram),
            "p90_days_to_close": quantile_from_histogram(histogram, 0.9),
            "street_load": float(daily["street_load"].mean()),
            "department_load": float(daily["department_load"].mean()),
            "whistles": float(daily["whistles"].sum()),
            "prevention_spend": float(daily["prevention_spend"].sum()),
            "cost": float(daily["cost"].sum()),
            "open_problems": float(last.get("open_problems", np.nan)),
            "repeat_share": float((daily["repeat_share"].fillna(0) * daily["tickets_opened"]).sum() / opened) if opened else float("nan"),
            "mean_trust": float(last.get("mean_trust", np.nan)),
            "mean_propensity": float(last.get("mean_propensity", np.nan)),
            "unreported_share": _count_ratio(groups, "unreported", "problems_ended"),
            **equity_indices(self.by_zone, self.by_age_group),
        }


def _count_ratio(frame: pd.DataFrame, numerator: str, denominator: str) -> float:
    if numerator not in frame or not frame[denominator].sum():
        return float("nan")
    return float(frame[numerator].sum() / frame[denominator].sum())


# ------------------------------------------------------------------------------------------------ run folders


_NOT_A_RUN = "exists and is not a govsim run folder; it is left as it is (choose another folder)"


def _fingerprint(path: Path) -> dict:
    return {"bytes": path.stat().st_size, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def _replaceable(folder: Path) -> bool:
    """Nothing there, an empty folder, or a run folder (one listing: another save may swap it meanwhile)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return True
    except NotADirectoryError:
        return False
    return not names or _run_files(names)


def _run_files(names: list[str]) -> bool:
    return "manifest.json" in names and all(name in RUN_FILES or name in RUN_EXTRAS for name in names)


def _move_into_place(staging: Path, folder: Path, replace: bool) -> None:
    """Rename `staging` to `folder`; an older `folder` is first moved aside under a unique name, then deleted (if it
    is a run folder, or `replace`: otherwise it is put back and refused)."""
    for _ in range(10):  # another process may put its own folder there in between: then replace that one
        try:
            os.rename(staging, folder)  # atomic; also replaces an empty folder
            return
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        retired = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
        try:
            os.replace(folder, retired)
        except FileNotFoundError:  # someone else moved it away first
            retired.rmdir()
            continue
        if not (replace or is_run_folder(retired)):
            os.rename(retired, folder)
            raise InputError(_NOT_A_RUN, source=str(folder))
        shutil.rmtree(retired, ignore_errors=True)
    raise OSError(errno.EBUSY, f"{folder} keeps being replaced by another process")


def is_run_folder(path: str | Path) -> bool:
    """Whether `path` is a folder `Results.save` wrote: a manifest.json and nothing but a run's files (and what
    govsim's commands add to it)."""
    try:
        return _run_files(os.listdir(path))
    except OSError:  # missing, or not a folder
        return False


def read_manifest(folder: str | Path) -> dict | None:
    """A run folder's manifest, or None when it is missing or damaged."""
    try:
        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and all(key in manifest for key in MANIFEST_KEYS) else None


def read_table(folder: Path, table: str, manifest: dict) -> tuple[str | None, pd.DataFrame | None]:
    """(None, the table) of a stored run, or (what is wrong, None): its bytes are checked against the manifest's
    SHA-256 as they are read (nearly free), so a file changed in place, same size, is caught too."""
    name = f"{table}.parquet"
    try:
        data = (folder / name).read_bytes()
    except OSError as error:
        return f"{name} cannot be read: {error.strerror or error}", None
    record = (manifest.get("files") or {}).get(name)
    if isinstance(record, dict) and hashlib.sha256(data).hexdigest() != record.get("sha256"):
        return f"{name} has changed since it was written: its SHA-256 differs from the manifest's", None
    try:
        return None, pd.read_parquet(io.BytesIO(data))
    except (OSError, ValueError) as error:  # pyarrow's errors are both
        return f"{name} is not a readable Parquet file: {str(error).splitlines()[0]}", None


def check_run_folder(folder: str | Path, *, checksums: bool = False) -> str | None:
    """What is wrong with a stored run, in a few words, or None when it is whole.

    Sizes are always compared with the manifest's record; `checksums` also compares every file's SHA-256 (what a
    resumed experiment does before trusting a stored run). Runs stored before the record existed are checked for
    their files and the Parquet end marker only.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return "the run folder is missing"
    path = folder / "manifest.json"
    if not path.is_file():
        return "it has no manifest.json: it was not finished"
    manifest = read_manifest(folder)
    if manifest is None:
        return "its manifest.json is damaged: not the JSON a run writes"
    recorded = manifest.get("files")
    if not isinstance(recorded, dict):  # before the record: every table present and ending as Parquet files do
        for name in (f"{table}.parquet" for table in TABLES):
            file = folder / name
            if not file.is_file():
                return f"{name} is missing"
            with file.open("rb") as handle:
                handle.seek(max(file.stat().st_size - 4, 0))
                if handle.read() != b"PAR1":
                    return f"{name} is cut short: not a whole Parquet file"
        return None
    for name, record in sorted(recorded.items()):
        file = folder / name
        if not file.is_file():
            return f"{name} is missing"
        size = file.stat().st_size
        if size != record.get("bytes"):
            return f"{name} is {size:,} bytes, the manifest says {record.get('bytes'):,}" if isinstance(record.get("bytes"), int) else f"{name}: the manifest's record of it is damaged"
        if checksums and hashlib.sha256(file.read_bytes()).hexdigest() != record.get("sha256"):
            return f"{name} has changed since it was written: its SHA-256 differs from the manifest's"
    missing = [f"{table}.parquet" for table in TABLES if f"{table}.parquet" not in recorded]
    return f"the manifest does not record {missing[0]}" if missing else None
