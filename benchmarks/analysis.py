"""Speed of the analysis tools (sensitivity, calibration): runs per core-hour, and the three goals of the
calibration-and-sensitivity issue on a 2-core machine.

    python benchmarks/analysis.py [--tiny] [--workers N] [--goals morris,sobol,calibration] [--trials N] [--out FILE]

What it measures, each through the same code as `govsim sensitivity` and `govsim calibrate`:
- runs per core-hour: one-year runs of Beijing at 1 % and of the teaching town, one after another in this process
  (the model's own speed, warm-up included: a run simulates its 90 unrecorded days too);
- goal 1: Morris, 20 factors, r = 10 (210 runs, Beijing 1 %, one year, one regime): under 15 minutes;
- goal 2: Sobol, 8 factors, N = 256 (2,560 runs, teaching town, one year, one regime): under 20 minutes;
- goal 3: calibration of 6 parameters, 200 trials × 3 seeds (600 runs of experiments/calibrate_beijing.yaml: the
  2018-2024 timeline at 1 %, with its 24 parameters): under 40 minutes. `--trials N` runs N trials instead and
  projects 200 from them (trials cost alike: every trial runs the same seven years).
Each goal reports its wall time on `--workers` local processes (default: all cores) and the runs per core-hour it
achieved, whose ratio to the model's own speed is the tools' overhead (process pool, storing runs, Optuna).

`--goals` runs only the goals named (the model's speed is always measured). `--tiny` shrinks every size (a few factors, 30-day horizons, a handful of trials) to show that the script works; it
then projects each goal's wall time: the model's time per run scaled to a year, plus the overhead per run it
measured (an upper bound: the fixed cost of starting worker processes is spread over few runs). The calibration
keeps its four-year runs, so its projection is direct. Do not run the full goals on a
shared machine. The record is printed and written as JSON (default benchmarks/out/analysis-<time>.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FACTORS = [  # (dotted path, low, high): behavioural and handling parameters, as in experiments/sensitivity_regimes.yaml
    ("behaviour.contact_scale", 0.7, 1.3), ("behaviour.trust_elasticity", 0.5, 1.5), ("behaviour.trust_learning", 0.1, 0.5),
    ("behaviour.success_boost", 0.3, 0.8), ("behaviour.failure_drop", 0.1, 0.3), ("behaviour.satisfied_if_resolved", 0.93, 0.99),
    ("behaviour.satisfied_if_unresolved", 0.2, 0.45), ("behaviour.symptom_rated_resolved", 0.6, 0.85), ("behaviour.late_penalty", 0.1, 0.4),
    ("behaviour.trust_effect", 0.1, 0.5), ("population.propensity_sigma", 0.7, 1.3), ("handling.fix_with_authority", 0.75, 0.95),
    ("handling.fix_without_authority", 0.15, 0.45), ("handling.return_days", 15, 45), ("handling.pending_call_factor", 0.02, 0.1),
    ("hotline.misroute_rate", 0.03, 0.12), ("city.street_staff_hours_per_10k", 11, 19), ("regimes.hotline.siphon_share", 0.1, 0.5),
    ("regimes.hotline.ranking_pressure", 0.2, 0.8), ("regimes.hotline.effort_shift", 0.2, 0.6),
]


def runs_per_core_hour(scenario: str, scale: float, days: int | None, count: int) -> dict:
    from sim import run

    run(scenario, seed=1, regime="hotline", scale=scale, days=days)  # imports and caches warm
    started = time.perf_counter()
    for seed in range(2, 2 + count):
        run(scenario, seed=seed, regime="hotline", scale=scale, days=days)
    seconds = (time.perf_counter() - started) / count
    return {"scenario": scenario, "scale": scale, "days": days or 365, "seconds_per_run": round(seconds, 3), "runs_per_core_hour": round(3600 / seconds)}


def _analysis_file(folder: Path, name: str, scenario: str, scale: float, days: int | None, factors: list, section: str) -> Path:
    lines = [f"name: {name}", f"scenarios: [{ROOT / 'scenarios' / scenario}]", "regimes: [hotline]", "replicates: 1", "seed: 1", f"scale: {scale}"]
    lines += [f"days: {days}"] if days else []
    lines += ["uncertainties:"] + [f"  {path}: {{low: {low}, high: {high}}}" for path, low, high in factors]
    path = folder / f"{name}.yaml"
    path.write_text("\n".join(lines + [section]) + "\n", encoding="utf-8")
    return path


def sensitivity_goal(folder: Path, name: str, scenario: str, scale: float, days: int | None, factors: list, section: str, workers: int) -> dict:
    from sim.analysis.sensitivity_stages import run_sensitivity

    path = _analysis_file(folder, name, scenario, scale, days, factors, section)
    started = time.perf_counter()
    stage = run_sensitivity(path, folder / name, workers=workers, echo=lambda *_: None, progress=False)[0]
    wall = time.perf_counter() - started
    runs = len(stage.design.unit_points)
    return {"goal": name, "factors": len(factors), "runs": runs, "wall_s": round(wall, 1), "runs_per_core_hour": round(runs * 3600 / (wall * workers))}


def calibration_goal(folder: Path, trials: int, tiny: bool, workers: int) -> dict:
    from sim.analysis.calibration import calibrate

    text = (ROOT / "experiments" / "calibrate_beijing.yaml").read_text(encoding="utf-8")
    text = text.replace("../scenarios/", f"{ROOT}/scenarios/").replace("targets/beijing_public_record.yaml", f"{ROOT}/experiments/targets/beijing_public_record.yaml")
    if tiny:
        text = text.replace("replicates: 3", "replicates: 2")
    path = folder / "calibrate.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    result = calibrate(path, folder / "calibration", trials=trials, workers=workers, echo=lambda *_: None)
    wall = time.perf_counter() - started
    result.close()
    return {"goal": "calibration", "trials": trials, "runs": result.runs_done, "wall_s": round(wall, 1),
            "runs_per_core_hour": round(result.runs_done * 3600 / (wall * workers))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="shrink every size (to check that the script works)")
    parser.add_argument("--workers", type=int, default=os.process_cpu_count() or 1)
    parser.add_argument("--goals", default="morris,sobol,calibration", help="comma-separated goals to run")
    parser.add_argument("--trials", type=int, help="calibration trials to run (default 200; 3 with --tiny); 200 are projected")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    chosen = [g for g in args.goals.split(",") if g]
    unknown = sorted(set(chosen) - {"morris", "sobol", "calibration"})
    if unknown:
        parser.error(f"--goals: expected morris, sobol or calibration, got {', '.join(unknown)}")
    tiny, workers = args.tiny, args.workers
    record = {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "tiny": tiny, "workers": workers,
              "cores": os.process_cpu_count(), "python": platform.python_version(), "machine": platform.machine(), "load_average": os.getloadavg()}
    days = 30 if tiny else None
    record["speed"] = [runs_per_core_hour("beijing", 0.01, days, 2 if tiny else 5),
                       runs_per_core_hour("teaching_town", 1.0, days, 2 if tiny else 10)]
    goals = {"morris": (15, 210), "sobol": (20, 2560), "calibration": (40, 600)}  # minutes, runs at full size
    with tempfile.TemporaryDirectory(prefix="govsim-analysis-bench-") as scratch:
        folder = Path(scratch)
        morris_factors = FACTORS[:4] if tiny else FACTORS[:20]
        sobol_factors = FACTORS[:3] if tiny else FACTORS[:8]
        record["goals"] = []
        if "morris" in chosen:
            record["goals"].append(sensitivity_goal(folder, "morris", "beijing.yaml", 0.01, days, morris_factors, f"sensitivity:\n  outcomes: {{r: resolution_rate}}\n  morris: {{trajectories: {2 if tiny else 10}}}", workers))
        if "sobol" in chosen:
            record["goals"].append(sensitivity_goal(folder, "sobol", "teaching_town.yaml", 1.0, days, sobol_factors, f"sensitivity:\n  outcomes: {{r: resolution_rate}}\n  sobol: {{samples: {4 if tiny else 256}}}", workers))
        if "calibration" in chosen:
            record["goals"].append(calibration_goal(folder, args.trials or (3 if tiny else 200), tiny, workers))
    model_seconds = {"morris": record["speed"][0]["seconds_per_run"], "sobol": record["speed"][1]["seconds_per_run"], "calibration": None}
    for goal in record["goals"]:
        limit_min, full_runs = goals[goal["goal"]]
        goal["goal_minutes"] = limit_min
        per_run = goal["wall_s"] * workers / goal["runs"]  # core-seconds per run, the tools' overhead included
        partial = goal["runs"] < full_runs and not tiny  # fewer calibration trials than the goal's (--trials)
        if tiny and model_seconds[goal["goal"]] is not None:
            # runs here are 30 days (+ 90 warm-up) instead of a year (+ 90): the model's time scales with the days
            # simulated, the overhead (pool start, storing and reading runs) does not
            overhead = max(per_run - model_seconds[goal["goal"]], 0.0)
            goal["overhead_s_per_run"] = round(overhead, 2)
            per_run = model_seconds[goal["goal"]] * (365 + 90) / (30 + 90) + overhead
        goal["projected_minutes_at_full_size"] = round(full_runs * per_run / workers / 60, 1)
        measured = not tiny and not partial
        goal["meets_goal"] = (goal["wall_s"] / 60 if measured else goal["projected_minutes_at_full_size"]) < limit_min
    print(json.dumps(record, indent=2))
    out = args.out or ROOT / "benchmarks" / "out" / f"analysis-{dt.datetime.now():%Y%m%d-%H%M%S}{'-tiny' if tiny else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
