"""Where the command line writes: every `--out` is checked before any work is done, and nothing govsim did not
create is ever replaced.

A target that does not exist is created, with its parent folders. One that exists is replaced only when it is what
the same command writes (a govsim run folder, a figures folder, an HTML report, an exported table, the JSON Schema);
anything else (a folder of the user's files, the project folder, a file of another kind) is refused in one line. A
target that cannot be written (a read-only place, a file where a folder would have to be) is refused before the
work starts, not after an hour of simulation.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from sim.inputs import InputError
from sim.results import is_run_folder, read_manifest

FIGURE_FILE = re.compile(r"fig\d+_[^/]*\.(png|svg)")
LOCK_FILE = ".govsim-lock"  # in a results folder while an experiment writes it (see `exclusive`)


def check_writable(target: Path, option: str = "--out", *, inside: bool = False) -> None:
    """Refuse unless `target` can be written: things can be created in the folder it goes in (`inside`: in the folder
    `target` itself), or, where that does not exist yet, in the nearest folder that does. Tried for real, with a
    temporary folder removed at once: permissions alone do not tell (read-only file systems, root)."""
    if inside and target.exists() and not target.is_dir():
        raise InputError(f"{target} is a file; expected a folder (choose another place)", field=option)
    place = Path(os.path.abspath(target if inside else Path(os.path.abspath(target)).parent))
    while not place.exists() and not place.is_symlink():
        place = place.parent
    if not place.is_dir():
        raise InputError(f"cannot create {target}: {place} is a file, not a folder", field=option)
    try:
        probe = tempfile.mkdtemp(prefix=".govsim-write-test-", dir=place)
    except OSError as error:
        raise InputError(f"cannot write in {place} ({error.strerror or error}); choose another place", field=option) from None
    os.rmdir(probe)


def check_file_target(path: Path, what: str, ours: Callable[[Path], bool], option: str = "--out") -> None:
    """A file the command is about to write: not a folder, and if it exists, a file of the same kind."""
    if path.is_dir():
        raise InputError(f"{path} is a folder; expected the path of the {what} to write (e.g. {path / ('x' + _suffix(what))})", field=option)
    if path.exists() and not ours(path):
        raise InputError(f"{path} exists and is not a {what} written by govsim; it is left as it is (choose another path)", field=option)
    check_writable(path, option)


def _suffix(what: str) -> str:
    return {"HTML report": ".html", "JSON Schema": ".json", "CSV table": ".csv", "Parquet table": ".parquet"}.get(what, "")


def check_figures_target(folder: Path, option: str = "--out") -> None:
    """A folder for figures: absent, empty, or holding only figure files govsim drew (figN_*.png/svg)."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file; expected a folder for the figures", field=option)
    if folder.is_dir():
        foreign = [p for p in folder.rglob("*") if p.is_file() and not FIGURE_FILE.fullmatch(p.name)]
        if foreign:
            raise InputError(
                f"{folder} holds files that are not govsim figures (such as {foreign[0].relative_to(folder)}); it is left as it "
                "is (choose a new or empty folder)", field=option,
            )
    check_writable(folder, option, inside=True)


def check_run_target(out: Path, identity: dict, force: bool, option: str = "--out") -> None:
    """Where `govsim run` writes its folder. It may replace a govsim run folder that holds the same run (the same
    scenario content, seed, regime and scale: its numbers again) or, with --force, another run; nothing else."""
    if out.is_symlink():
        raise InputError(f"{out} is a symbolic link; a run folder is written where it can be renamed into place (give the real path)", field=option)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a run folder; it is left as it is (choose another --out)", field=option)
    if out.is_dir() and any(out.iterdir()):
        if (out / "experiment.json").exists():
            raise InputError(f"{out} holds the results of an experiment; `govsim run` never replaces them (choose another --out)", field=option)
        if not is_run_folder(out):
            raise InputError(f"{out} exists and is not a govsim run folder; it is left as it is (choose another --out)", field=option)
        stored = read_manifest(out) or {}
        differs = [key for key, value in identity.items() if stored.get(key) != value]
        if differs and not force:
            there = ", ".join(f"{key} {stored.get(key)}" for key in differs)
            raise InputError(f"{out} holds another run ({there}); add --force to replace it, or choose another --out", field=option)
    check_writable(out, option)  # the run is written beside its folder, then renamed


# -------------------------------------------------------------------------------------- what govsim wrote


def is_schema_file(path: Path) -> bool:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("title") == "govsim scenario"
    except (OSError, ValueError, AttributeError):
        return False


def is_report_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return b"govsim report</title>" in handle.read(1 << 16)
    except OSError:
        return False


def is_exported_table(path: Path, identifiers: tuple[str, ...]) -> bool:
    """A table `govsim export` wrote: its first columns are the identifier columns."""
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
        else:
            with path.open(encoding="utf-8", errors="replace") as handle:
                names = handle.readline().rstrip("\r\n").split(",")
    except (OSError, ValueError):
        return False
    return tuple(names[: len(identifiers)]) == identifiers


def write_text_atomically(path: Path, text: str) -> None:
    """Write a text file under a unique temporary name beside it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


@contextmanager
def exclusive(folder: Path):
    """Hold a results folder for this process alone while it writes runs there: a second experiment into the same
    folder at the same time is refused instead of both writing (and one cleaning up the other's half-written runs).
    An advisory lock (flock) on OUT/.govsim-lock, which the kernel releases if the process dies: never stale."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        yield
        return
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file; expected a folder for the experiment's results (choose another --out)", source=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK_FILE, "a+")
    except OSError as error:
        raise InputError(f"cannot write the results here ({error.strerror or error}); choose another --out", source=str(folder)) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("another govsim process is writing these results right now; wait for it to finish, or choose another --out",
                             source=str(folder)) from None
        yield
    finally:
        handle.close()
