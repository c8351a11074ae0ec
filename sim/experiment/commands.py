"""Command-line commands of sim.experiment (registered by sim.cli).

    govsim compare SCENARIO [SCENARIO ...] [--regimes whistle,hotline,proactive] [--runs N] [--seed N]
                   [--days N] [--scale S] [--set path=value ...] [--out DIR] [--workers N | --dask ADDRESS|local]
                   [--max-runs N] [--ensemble DIR]
    govsim experiment FILE [--out DIR] [--workers N | --dask ADDRESS|local] [--max-runs N] [--dry-run]
    govsim plot RESULTS [--out DIR]
    govsim report RESULTS [--out FILE]
    govsim export RESULTS [--table daily|by_category|...] [--format csv|parquet] [--out FILE]

`compare` and `experiment` run (or resume) the runs, then leave in the results folder the summary (printed too),
the figures and the report. Exit status: 0 when every run is stored, 1 when some failed (they are named, and a
rerun of the same command retries them), 2 for a user mistake (one line, no traceback). Every `--out` is checked
before any work is done (`sim.outputs`): nothing govsim did not write is replaced.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sim.cli import add_run_options, positive_int, seed_option, warn_dead_events
from sim.experiment.plan import MAX_RUNS, TIMELINE, Plan, counts_text, count_runs, iter_tasks, load_scenarios, make_plan
from sim.experiment.store import BREAKDOWNS, IDENTIFIERS, ResultsFolder, load_breakdown, load_results, open_results
from sim.inputs import InputError, dotted, parse_assignment
from sim.outputs import check_figures_target, check_file_target, check_writable, is_exported_table, is_report_file
from sim.regimes.registry import REGIME_NAMES

DRY_RUN_LISTING = 20  # runs listed by --dry-run (the counts cover them all)

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
    parser.add_argument("--max-runs", type=positive_int, default=MAX_RUNS, metavar="N",
                        help=f"allow up to N runs (default {MAX_RUNS:,}: a bigger experiment is refused before anything is built)")


def register(commands) -> dict:
    """Add this package's sub-commands to the argparse `commands` object; return {name: handler}."""
    compare = commands.add_parser("compare", help="run scenarios under several regimes with replicates, and compare them")
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario file(s) or shipped name(s)")
    compare.add_argument("--regimes", type=_regimes, default=list(REGIME_NAMES), metavar="R1,R2,...",
                         help=f"regimes to compare (default {','.join(REGIME_NAMES)}; 'timeline' follows the scenario's own switches)")
    compare.add_argument("--runs", type=positive_int, default=10, help="replicates per regime (default 10); replicate k of every regime shares a seed")
    compare.add_argument("--seed", type=seed_option, default=1, help="master seed the replicates' seeds derive from, 0 to 2**63-1 (default 1)")
    add_run_options(compare)
    _executor_options(compare)
    compare.add_argument("--ensemble", type=Path, metavar="DIR",
                         help="run every parameter set of a calibration's accepted ensemble (OUT/ensemble of govsim calibrate); intervals then include parameter uncertainty")

    experiment = commands.add_parser("experiment", help="run an experiment file (scenarios x regimes x parameters x replicates)")
    experiment.add_argument("file", type=Path, help="experiment file, e.g. experiments/regime_comparison.yaml")
    _executor_options(experiment)
    experiment.add_argument("--dry-run", action="store_true", help=f"check the file, count the runs and list the first {DRY_RUN_LISTING} without running them")

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
    export.add_argument("--out", type=Path, help="file to write (default RESULTS/<table>.<format>, or <table>.tidy.parquet in a single run's folder)")
    return {"compare": cmd_compare, "experiment": cmd_experiment, "plot": cmd_plot, "report": cmd_report, "export": cmd_export}


# --------------------------------------------------------------------------------------------------- handlers


WORKERS_PER_CORE = 4  # more local worker processes than this per core only compete for the cores and the memory


def _check_executor(args: argparse.Namespace) -> None:
    from sim.experiment.executors import default_workers

    if args.workers and args.dask not in (None, "local"):
        raise InputError("the cluster at --dask decides how many workers there are; drop --workers", field="--workers")
    cores = default_workers()
    if args.workers and args.workers > WORKERS_PER_CORE * cores:
        raise InputError(
            f"{args.workers} worker processes on {cores} core{'s' if cores != 1 else ''} would only compete for them (each holds "
            f"a model in memory); expected at most {WORKERS_PER_CORE * cores}", field="--workers",
        )


def cmd_compare(args: argparse.Namespace) -> int:
    from sim.experiment.spec import experiment_from_options

    _check_executor(args)
    overrides = {dotted(path): value for path, value in map(parse_assignment, args.overrides)}
    spec = experiment_from_options(args.scenarios, args.regimes, args.runs, args.seed, args.scale, args.days, overrides, max_runs=args.max_runs)
    if args.ensemble is not None:  # sim.analysis: members x regimes x replicates, pooled intervals
        from sim.analysis.ensemble import compare_with_ensemble

        return compare_with_ensemble(spec, args.ensemble, args.out, workers=args.workers, dask=args.dask)
    if args.out is None:
        suffix = f"-seed{args.seed}" + (f"-scale{args.scale:g}" if args.scale < 1 else "") + (f"-days{args.days}" if args.days else "")
        args.out = Path("results") / f"{spec.name}-{'-'.join(args.regimes)}{suffix}"
    check_writable(args.out, inside=True)
    plan = make_plan(spec, args.max_runs)
    _warn_dead_events(plan)
    return _run_and_summarise(plan, args)


def cmd_experiment(args: argparse.Namespace) -> int:
    from sim.experiment.spec import load_experiment

    _check_executor(args)
    spec = load_experiment(args.file, max_runs=args.max_runs)
    out = args.out or Path("results") / spec.name
    if args.dry_run:
        return _dry_run(spec, out)
    check_writable(out, inside=True)
    plan = make_plan(spec, args.max_runs)
    _warn_dead_events(plan)
    args.out = out
    return _run_and_summarise(plan, args)


def _dry_run(spec, out: Path) -> int:
    """Counts, and the first runs: the design is never built (runs are made one by one as they are listed)."""
    folder, scenarios = ResultsFolder(out), load_scenarios(spec)
    total = count_runs(spec)
    print(f"{spec.name}: {total:,} run{'s' if total != 1 else ''} ({counts_text(spec, len(scenarios))}) -> {out}")
    for number, task in enumerate(iter_tasks(spec, scenarios)):
        if number == DRY_RUN_LISTING:
            print(f"  ... and {total - DRY_RUN_LISTING:,} more")
            break
        state = "stored" if folder.finished(task.run_id) else "to do"
        params = ", ".join(f"{k}={v}" for k, v in task.params.items())
        print(f"  {task.run_id}  seed {task.seed}{'  ' + params if params else ''}  ({state})")
    return 0


def _warn_dead_events(plan: Plan) -> None:
    follows_timeline = TIMELINE in plan.spec.regimes
    for path, scenario in zip(plan.spec.scenarios, plan.scenarios.values()):
        warn_dead_events(scenario, path, switches=follows_timeline, days=plan.spec.days)


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
    check_figures_target(args.out or ResultsFolder(args.results).figures)
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
    open_results(args.results)  # RESULTS holds results, none of them damaged (quick: manifests and sizes)
    check_file_target(args.out or folder.report_html, "HTML report", is_report_file)
    summary = summarise_results(args.results)  # also checks that RESULTS holds results
    if not (folder.figures.is_dir() and any(folder.figures.rglob("*.png"))):
        check_figures_target(folder.figures)
        draw(args.results)
    print(write_report(args.results, summary, args.out))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    open_results(args.results)  # RESULTS holds results, none of them damaged (quick: manifests and sizes)
    out = args.out or _default_export(args.results, args.table, args.format)
    what = "CSV table" if args.format == "csv" else "Parquet table"
    check_file_target(out, what, lambda path: is_exported_table(path, IDENTIFIERS))
    frame = load_results(args.results) if args.table == "daily" else load_breakdown(args.results, args.table)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.{os.getpid()}.tmp")  # written whole, then renamed into place
    try:
        if args.format == "csv":
            frame.to_csv(staging, index=False)
        else:
            frame.to_parquet(staging, index=False)
        os.replace(staging, out)
    finally:
        staging.unlink(missing_ok=True)
    print(f"{out}  ({len(frame):,} rows x {len(frame.columns)} columns)")
    return 0


def _default_export(results: Path, table: str, file_format: str) -> Path:
    """RESULTS/<table>.<format>; in a single run's folder, where <table>.parquet is the run's own table, the tidy
    Parquet export is <table>.tidy.parquet."""
    own_table = file_format == "parquet" and (results / "manifest.json").exists() and not (results / "experiment.json").exists()
    return results / (f"{table}.tidy.parquet" if own_table else f"{table}.{file_format}")
