"""Command-line commands of sim.experiment (registered by sim.cli).

    govsim compare SCENARIO [SCENARIO ...] [--regimes whistle,hotline,proactive] [--runs N] [--seed N]
                   [--days N] [--scale S] [--set path=value ...] [--out DIR] [--workers N | --dask ADDRESS|local]
                   [--ensemble DIR]
    govsim experiment FILE [--out DIR] [--workers N | --dask ADDRESS|local] [--dry-run]
    govsim plot RESULTS [--out DIR]
    govsim report RESULTS [--out FILE]
    govsim export RESULTS [--table daily|by_category|...] [--format csv|parquet] [--out FILE]

`compare` and `experiment` run (or resume) the runs, then leave in the results folder the summary (printed too),
the figures and the report. Exit status: 0 when every run is stored, 1 when some failed (they are named, and a
rerun of the same command retries them), 2 for a user mistake (one line, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli import add_run_options, positive_int
from sim.experiment.plan import TIMELINE, Plan, make_plan
from sim.experiment.store import BREAKDOWNS, ResultsFolder, load_breakdown, load_results, open_results
from sim.inputs import InputError, dotted, parse_assignment
from sim.regimes.registry import REGIME_NAMES

CHOICES = (*REGIME_NAMES, TIMELINE)


def _regimes(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    wrong = [name for name in names if name not in CHOICES]
    if wrong or not names:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(CHOICES)}, got '{text}'")
    if len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"a regime is listed twice in '{text}'")
    return names


def _executor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, help="results folder (rerunning into it resumes: finished runs are kept)")
    parser.add_argument("--workers", type=positive_int, help="local worker processes, or the size of --dask local (default: all cores)")
    parser.add_argument("--dask", metavar="ADDRESS", help="run on the Dask scheduler at ADDRESS (tcp://host:8786), or 'local' to start a local Dask cluster")


def register(commands) -> dict:
    """Add this package's sub-commands to the argparse `commands` object; return {name: handler}."""
    compare = commands.add_parser("compare", help="run scenarios under several regimes with replicates, and compare them")
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario file(s) or shipped name(s)")
    compare.add_argument("--regimes", type=_regimes, default=list(REGIME_NAMES), metavar="R1,R2,...",
                         help=f"regimes to compare (default {','.join(REGIME_NAMES)}; 'timeline' follows the scenario's own switches)")
    compare.add_argument("--runs", type=positive_int, default=10, help="replicates per regime (default 10); replicate k of every regime shares a seed")
    compare.add_argument("--seed", type=int, default=1, help="master seed the replicates' seeds derive from (default 1)")
    add_run_options(compare)
    _executor_options(compare)
    compare.add_argument("--ensemble", type=Path, metavar="DIR",
                         help="run every parameter set of a calibration's accepted ensemble (OUT/ensemble of govsim calibrate); intervals then include parameter uncertainty")

    experiment = commands.add_parser("experiment", help="run an experiment file (scenarios x regimes x parameters x replicates)")
    experiment.add_argument("file", type=Path, help="experiment file, e.g. experiments/regime_comparison.yaml")
    _executor_options(experiment)
    experiment.add_argument("--dry-run", action="store_true", help="check the file and list the runs without running them")

    plot = commands.add_parser("plot", help="draw the comparison figures of stored results (no model is run)")
    plot.add_argument("results", type=Path, help="results folder of compare/experiment (or of one run)")
    plot.add_argument("--out", type=Path, help="figures folder (default RESULTS/figures)")

    report = commands.add_parser("report", help="write a self-contained HTML report of stored results (no model is run)")
    report.add_argument("results", type=Path, help="results folder of compare/experiment (or of one run)")
    report.add_argument("--out", type=Path, help="HTML file (default RESULTS/report.html)")

    export = commands.add_parser("export", help="write the tidy table of stored results as CSV or Parquet (for R, spreadsheets)")
    export.add_argument("results", type=Path, help="results folder of compare/experiment (or of one run)")
    export.add_argument("--table", choices=("daily", *BREAKDOWNS), default="daily", help="which table (default daily: one row per run x day)")
    export.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)")
    export.add_argument("--out", type=Path, help="file to write (default RESULTS/<table>.<format>)")
    return {"compare": cmd_compare, "experiment": cmd_experiment, "plot": cmd_plot, "report": cmd_report, "export": cmd_export}


# --------------------------------------------------------------------------------------------------- handlers


def _check_executor(args: argparse.Namespace) -> None:
    if args.workers and args.dask not in (None, "local"):
        raise InputError("the cluster at --dask decides how many workers there are; drop --workers", field="--workers")


def cmd_compare(args: argparse.Namespace) -> int:
    from sim.experiment.spec import experiment_from_options

    _check_executor(args)
    overrides = {dotted(path): value for path, value in map(parse_assignment, args.overrides)}
    spec = experiment_from_options(args.scenarios, args.regimes, args.runs, args.seed, args.scale, args.days, overrides)
    if args.ensemble is not None:  # sim.analysis: members x regimes x replicates, pooled intervals
        from sim.analysis.ensemble import compare_with_ensemble

        return compare_with_ensemble(spec, args.ensemble, args.out, workers=args.workers, dask=args.dask)
    plan = make_plan(spec)
    if args.out is None:
        suffix = f"-seed{args.seed}" + (f"-scale{args.scale:g}" if args.scale < 1 else "") + (f"-days{args.days}" if args.days else "")
        args.out = Path("results") / f"{spec.name}-{'-'.join(args.regimes)}{suffix}"
    return _run_and_summarise(plan, args)


def cmd_experiment(args: argparse.Namespace) -> int:
    from sim.experiment.spec import load_experiment

    _check_executor(args)
    plan = make_plan(load_experiment(args.file))
    out = args.out or Path("results") / plan.spec.name
    if args.dry_run:
        folder = ResultsFolder(out)
        print(f"{plan.spec.name}: {plan.counts()} -> {out}")
        for task in plan.tasks:
            state = "stored" if folder.finished(task.run_id) else "to do"
            params = ", ".join(f"{k}={v}" for k, v in task.params.items())
            print(f"  {task.run_id}  seed {task.seed}{'  ' + params if params else ''}  ({state})")
        return 0
    args.out = out
    return _run_and_summarise(plan, args)


def _run_and_summarise(plan: Plan, args: argparse.Namespace) -> int:
    from sim.experiment.figures import draw
    from sim.experiment.report import write_report
    from sim.experiment.runner import run_experiment
    from sim.experiment.summary import format_summary, summarise_results, write_summary

    outcome = run_experiment(plan, args.out, workers=args.workers, dask=args.dask)
    summary = summarise_results(args.out)
    print()
    print(format_summary(summary))
    write_summary(args.out, summary)
    figures = draw(args.out)
    report = write_report(args.out, summary)
    folder = ResultsFolder(args.out)
    print(
        f"\nresults: {folder.root}  ({outcome.done} run(s) done in {outcome.wall_time_s:.1f} s, {outcome.skipped} already stored; "
        f"summary.csv, differences.csv, {len(figures)} figure files in figures/, {report.name})"
    )
    if outcome.failed:
        names = "; ".join(f"{run_id} ({error})" for run_id, error in outcome.failed.items())
        print(
            f"error: {len(outcome.failed)} of {outcome.total} runs failed: {names}. Details in {folder.failures}/; "
            "rerun the same command to retry them",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    from sim.experiment.figures import draw

    runs, _, _ = open_results(args.results)
    if not runs:
        raise InputError("no finished runs to plot", source=str(args.results))
    paths = draw(args.results, args.out)
    print(f"{len(paths)} figure files in {args.out or ResultsFolder(args.results).figures}")
    for path in paths:
        print(f"  {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from sim.experiment.figures import draw
    from sim.experiment.report import write_report
    from sim.experiment.summary import summarise_results

    folder = ResultsFolder(args.results)
    summary = summarise_results(args.results)  # also checks that RESULTS holds results
    if not (folder.figures.is_dir() and any(folder.figures.rglob("*.png"))):
        draw(args.results)
    print(write_report(args.results, summary, args.out))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    frame = load_results(args.results) if args.table == "daily" else load_breakdown(args.results, args.table)
    out = args.out or args.results / f"{args.table}.{args.format}"
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "csv":
        frame.to_csv(out, index=False)
    else:
        frame.to_parquet(out, index=False)
    print(f"{out}  ({len(frame):,} rows x {len(frame.columns)} columns)")
    return 0
