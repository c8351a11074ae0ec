"""govsim's performance benchmark: speed and memory from the classroom town to all of Beijing, against a naive
one-agent-per-resident Mesa model (benchmarks/naive_model.py).

    python benchmarks/run.py [--quick] [--repeats 3] [--source DIR] [--out FILE]      (or: make bench)

Every measurement runs in a fresh process: for time, the process imports everything, makes one warm-up run, then
`--repeats` timed runs, and reports their median; for memory, another process makes a single run and reports its
peak resident set size (RSS) and the model's own share of it (peak RSS minus RSS after the imports).

What it measures (targets from the performance issue; see docs/performance.md):
- teaching town, one simulated year (target < 0.5 s);
- the scaling curve: Beijing at 10 k, 100 k, 1 M, 5 M and 21.9 M residents, one year each (21.9 M: < 60 s, < 4 GB);
- the naive model at 1 M residents, seconds per simulated day and memory, against govsim at 1 M (targets: >= 100x
  faster per simulated day, >= 10x less model memory);
- that one seed gives the same daily table with 1 and 2 threads (OMP/OpenBLAS/MKL thread counts).
Seconds per simulated year are a run's wall time over the days it simulated, its unrecorded warm-up included, times
365 (a default run of one year simulates 455 days; complaints per year count the recorded year).
`--quick` leaves out the 5 M and 21.9 M points. `--source DIR` measures another checkout of govsim (e.g. a git
worktree of an older commit) instead of the installed one, for before/after comparisons.
The table is printed and written as JSON (default benchmarks/out/bench-<time>.json) to compare runs over time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BEIJING_RESIDENTS = 21_893_095
CURVE = (10_000, 100_000, 1_000_000, 5_000_000, BEIJING_RESIDENTS)
NAIVE_RESIDENTS = 1_000_000


# ------------------------------------------------------------------------------------------ child processes


def _rss_mb() -> float:
    """Current resident set size of this process (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # Linux reports kilobytes


def child_govsim(spec: dict) -> dict:
    """Time `repeats` runs after a warm-up; or, with repeats == 0, one run whose peak memory is the model's own."""
    import hashlib

    import pandas as pd

    from sim import run

    base = _rss_mb()

    def once():
        started = time.perf_counter()
        results = run(spec["scenario"], seed=1, scale=spec["scale"], days=spec.get("days"))
        return time.perf_counter() - started, results

    first, results = once()  # the warm-up, or the one measured run
    seconds = [once()[0] for _ in range(spec["repeats"])] or [first]
    totals = results.totals()
    digest = hashlib.sha256(pd.util.hash_pandas_object(results.daily.drop(columns=["date"]), index=False).values.tobytes()).hexdigest()
    return {
        "seconds": seconds,
        "days": int(results.manifest["days"]),
        "warmup_days": int(results.manifest.get("warmup_days", 0)),
        "residents": int(results.manifest["residents_simulated"]),
        "contacts": totals["contacts"],
        "complaints": totals["contacts"] - totals["consultations"],
        "tickets": totals["tickets_opened"],
        "rss_base_mb": base,
        "rss_peak_mb": _peak_rss_mb(),
        "daily_digest": digest,
    }


def child_naive(spec: dict) -> dict:
    sys.path.insert(0, str(HERE))
    from naive_model import NaiveCity

    base = _rss_mb()
    model = NaiveCity(spec["residents"], rng=1)
    model.step()  # warm-up
    seconds = []
    for _ in range(spec["repeats"]):
        started = time.perf_counter()
        model.step()
        seconds.append(time.perf_counter() - started)
    return {"seconds_per_day": seconds, "residents": spec["residents"], "rss_base_mb": base, "rss_peak_mb": _peak_rss_mb()}


def measure(kind: str, spec: dict, source: Path | None, env: dict | None = None) -> dict:
    """Run one measurement in a fresh interpreter and return what it reports."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(spec)]
    environment = {**os.environ, **(env or {})}
    if source is not None:
        environment["PYTHONPATH"] = f"{source}{os.pathsep}{environment.get('PYTHONPATH', '')}"
    done = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=source or HERE.parent)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed ({kind} {spec}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------ the table


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    import mesa
    import numpy

    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory_gb, 1), "python": platform.python_version(),
        "numpy": numpy.__version__, "mesa": mesa.__version__, "platform": platform.platform(),
    }


def git_commit(source: Path | None) -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=source or HERE.parent)
    return done.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description="govsim performance benchmark")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SPEC"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="leave out the 5 M and 21.9 M points")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per point after one warm-up (default 3)")
    parser.add_argument("--source", type=Path, help="measure this checkout of govsim instead of the installed one")
    parser.add_argument("--out", type=Path, help="JSON file to write (default benchmarks/out/bench-<time>.json)")
    args = parser.parse_args()
    if args.child:
        kind, spec = args.child
        print(json.dumps((child_govsim if kind == "govsim" else child_naive)(json.loads(spec))))
        return

    source = args.source.resolve() if args.source else None
    rows = []

    def govsim_point(label, scenario, scale):
        started = time.perf_counter()
        result = measure("govsim", {"scenario": scenario, "scale": scale, "repeats": args.repeats}, source)
        memory = measure("govsim", {"scenario": scenario, "scale": scale, "repeats": 0}, source)  # one run, fresh process
        median = statistics.median(result["seconds"])
        per_year = median * 365 / (result["days"] + result["warmup_days"])  # every simulated day costs alike
        row = {
            "case": label, "residents": result["residents"], "complaints_per_year": result["complaints"] * 365 / result["days"],
            "contacts_per_year": result["contacts"] * 365 / result["days"], "seconds_per_year": per_year,
            "seconds_runs": result["seconds"], "rss_peak_mb": memory["rss_peak_mb"],
            "model_mb": memory["rss_peak_mb"] - memory["rss_base_mb"], "daily_digest": result["daily_digest"],
        }
        rows.append(row)
        print(f"  {label:<28} {per_year:8.2f} s/year  {row['rss_peak_mb']:8.0f} MB peak   ({time.perf_counter() - started:.0f} s)", flush=True)
        return row

    print(f"govsim benchmark ({args.repeats} timed runs after a warm-up, medians)")
    govsim_point("teaching town", "teaching_town", 1.0)
    curve = [n for n in CURVE if not (args.quick and n > 1_000_000)]
    at_million = None
    for residents in curve:
        row = govsim_point(f"beijing {residents:,}", "beijing", min(residents / BEIJING_RESIDENTS, 1.0))
        if residents == NAIVE_RESIDENTS:
            at_million = row

    started = time.perf_counter()
    naive = measure("naive", {"residents": NAIVE_RESIDENTS, "repeats": args.repeats}, source)
    naive_day = statistics.median(naive["seconds_per_day"])
    naive_row = {
        "case": "naive Mesa 1,000,000", "residents": naive["residents"], "seconds_per_day": naive_day,
        "seconds_per_year": naive_day * 365, "rss_peak_mb": naive["rss_peak_mb"], "model_mb": naive["rss_peak_mb"] - naive["rss_base_mb"],
    }
    print(f"  {'naive Mesa 1,000,000':<28} {naive_day * 365:8.0f} s/year  {naive_row['rss_peak_mb']:8.0f} MB peak   ({time.perf_counter() - started:.0f} s)")
    govsim_day = at_million["seconds_per_year"] / 365
    ratios = {
        "speed_per_simulated_day": naive_day / govsim_day,
        "model_memory": naive_row["model_mb"] / max(at_million["model_mb"], 1e-9),
        "peak_memory": naive_row["rss_peak_mb"] / at_million["rss_peak_mb"],
    }

    thread_digests = {}
    for threads in ("1", "2"):
        env = {name: threads for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
        result = measure("govsim", {"scenario": "beijing", "scale": NAIVE_RESIDENTS / BEIJING_RESIDENTS, "repeats": 1, "days": 120}, source, env)
        thread_digests[threads] = result["daily_digest"]

    print()
    header = f"{'case':<28}{'residents':>12}{'complaints/yr':>15}{'s / sim. year':>15}{'peak RSS MB':>13}{'model MB':>10}"
    print(header)
    print("-" * len(header))
    for row in [*rows, naive_row]:
        complaints = f"{row['complaints_per_year']:,.0f}" if "complaints_per_year" in row else "-"
        print(f"{row['case']:<28}{row['residents']:>12,}{complaints:>15}{row['seconds_per_year']:>15.2f}{row['rss_peak_mb']:>13.0f}{row['model_mb']:>10.0f}")
    print(
        f"\nat 1 M residents govsim is {ratios['speed_per_simulated_day']:,.0f}x faster per simulated day than the naive model "
        f"and needs {ratios['model_memory']:,.1f}x less model memory ({ratios['peak_memory']:.1f}x less peak RSS)"
    )
    identical = thread_digests["1"] == thread_digests["2"]
    print(f"same daily table with 1 and 2 threads: {'yes' if identical else 'NO'}")

    report = {
        "created_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "git_commit": git_commit(source),
        "source": str(source) if source else "installed", "repeats": args.repeats, "machine": machine(), "rows": [*rows, naive_row],
        "ratios_at_1M": ratios, "threads_identical": identical,
    }
    out = args.out or HERE / "out" / f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
