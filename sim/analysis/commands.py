"""Command-line commands of sim.analysis (registered by sim.cli).

    govsim sensitivity FILE [--out DIR] [--stage morris|sobol] [--replicates N] [--days N] [--trajectories N]
                       [--samples N] [--top N] [--workers N | --dask ADDRESS|local]
    govsim calibrate FILE [--out DIR] [--trials N] [--workers N | --dask ADDRESS|local] [--retry-stale SECONDS]
    govsim discover RESULTS --outcome OUTCOME --threshold X [--below] [--peel 0.05] [--min-support 0.05]

Exit status: 0 when done, 1 when runs failed (a rerun retries them), 2 for a user mistake (one line).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli import positive_int


def _executor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=positive_int, help="local worker processes, or the size of --dask local (default: all cores)")
    parser.add_argument("--dask", metavar="ADDRESS", help="run on the Dask scheduler at ADDRESS (tcp://host:8786), or 'local'")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 0.5), got '{text}'") from None
    if not 0 < value < 0.5:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 0.5), got {text}")
    return value


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None


def register(commands) -> dict:
    sensitivity = commands.add_parser("sensitivity", help="Morris screening and Sobol indices (SALib) of the uncertainties of an analysis file")
    sensitivity.add_argument("file", type=Path, help="analysis file with uncertainties: and sensitivity:, e.g. experiments/sensitivity_regimes.yaml")
    sensitivity.add_argument("--out", type=Path, help="results folder (default results/<name>); rerunning into it resumes")
    sensitivity.add_argument("--stage", choices=("morris", "sobol"), help="run only this stage (default: the file's stages in order)")
    sensitivity.add_argument("--replicates", type=positive_int, help="replicates per design point (default: the file's)")
    sensitivity.add_argument("--days", type=positive_int, help="override the horizon (days)")
    sensitivity.add_argument("--trajectories", type=positive_int, help="Morris trajectories r (default: the file's)")
    sensitivity.add_argument("--samples", type=positive_int, help="Sobol base sample N, a power of 2 (default: the file's)")
    sensitivity.add_argument("--top", type=positive_int, help="Sobol on this many top Morris factors (default: the file's)")
    _executor_options(sensitivity)

    calibrate = commands.add_parser("calibrate", help="fit the uncertainties of an analysis file to dated targets with Optuna")
    calibrate.add_argument("file", type=Path, help="analysis file with uncertainties: and calibration:, e.g. experiments/calibrate_beijing.yaml")
    calibrate.add_argument("--out", type=Path, help="folder of the study and its outputs (default results/<name>); rerunning resumes")
    calibrate.add_argument("--trials", type=positive_int, help="trials to complete (default: the file's)")
    calibrate.add_argument("--retry-stale", type=positive_int, default=900, metavar="SECONDS",
                           help="a trial left running this long without news (its process killed) is retried (default 900)")
    _executor_options(calibrate)

    discover = commands.add_parser("discover", help="PRIM scenario discovery: where in the uncertainty space an outcome holds")
    discover.add_argument("results", type=Path, help="results folder whose runs vary parameters (a sensitivity stage, a Latin hypercube)")
    discover.add_argument("--outcome", required=True, help="outcome, e.g. cost_per_root_fix@proactive-hotline (see docs/sensitivity.md)")
    discover.add_argument("--threshold", required=True, type=_number, help="the outcome holds where it is above this value (--below: below it)")
    discover.add_argument("--below", action="store_true", help="the outcome holds where it is below the threshold")
    discover.add_argument("--peel", type=_fraction, default=0.05, help="share of the points peeled off per step (default 0.05)")
    discover.add_argument("--min-support", type=_fraction, default=0.05, help="smallest share of the points a box may hold (default 0.05)")
    return {"sensitivity": cmd_sensitivity, "calibrate": cmd_calibrate, "discover": cmd_discover}


def _check_executor(args) -> None:
    from sim.inputs import InputError

    if args.workers and args.dask not in (None, "local"):
        raise InputError("the cluster at --dask decides how many workers there are; drop --workers", field="--workers")


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from sim.analysis.evaluators import RunsMissing
    from sim.analysis.sensitivity_stages import format_indices, run_sensitivity
    from sim.experiment.spec import read_experiment

    _check_executor(args)
    out = args.out or Path("results") / str(read_experiment(args.file).data.get("name", args.file.stem))
    try:
        stages = run_sensitivity(args.file, out, stage=args.stage, workers=args.workers, dask=args.dask, replicates=args.replicates,
                                 days=args.days, trajectories=args.trajectories, samples=args.samples, top=args.top)
    except RunsMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for stage in stages:
        print(format_indices(stage))
        print(f"\n{stage.method}: {len(stage.design.unit_points)} design points, {stage.runs_done} run(s) done in {stage.wall_time_s:.1f} s -> "
              f"{stage.folder} (indices.csv, indices.parquet, design.csv, outcomes.csv, figures/)")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from sim.analysis.calibration import calibrate
    from sim.analysis.calibration_output import write_outputs
    from sim.experiment.spec import read_experiment

    _check_executor(args)
    out = args.out or Path("results") / str(read_experiment(args.file).data.get("name", args.file.stem))
    calibration = calibrate(args.file, out, trials=args.trials, workers=args.workers, dask=args.dask, retry_stale_s=args.retry_stale)
    try:
        print(write_outputs(calibration))
        return 0 if calibration.complete else 1
    finally:
        calibration.close()


def cmd_discover(args: argparse.Namespace) -> int:
    from sim.analysis.discovery import discover, format_boxes

    found = discover(args.results, args.outcome, args.threshold, below=args.below, peel=args.peel, min_support=args.min_support)
    print(format_boxes(found))
    return 0
