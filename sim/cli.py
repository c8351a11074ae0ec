"""The `govsim` command line.

    govsim run SCENARIO [--regime R] [--seed N] [--days N] [--scale S] [--set path=value ...] [--out DIR [--force]]
    govsim validate FILE [FILE ...]
    govsim schema [--out FILE]

A user mistake (a bad scenario, a bad option) prints one line starting with 'error:' and exits with status 2;
never a traceback. `--out` targets are checked before any work is done (see `sim.outputs`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import sys
from pathlib import Path

from sim.inputs import InputError, dotted
from sim.scenario import REGIMES, json_schema, load_scenario
from sim.scenario.loading import dead_events

MAX_SEED = 2**63 - 1  # seeds are stored in int64 columns


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1], got '{text}'") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1], got {text}")
    return value


def positive_int(text: str) -> int:
    """An option that must be a whole number >= 1 (days, runs, workers)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def seed_option(text: str) -> int:
    """A seed option: a whole number 0 .. 2**63 - 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to {MAX_SEED} (2**63 - 1), got '{text}'") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to {MAX_SEED} (2**63 - 1), got {value}")
    return value


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that runs a scenario."""
    parser.add_argument("--days", type=positive_int, help="override the scenario's horizon (days)")
    parser.add_argument("--scale", type=_scale, default=1.0, help="simulate this fraction of residents, capacities scaled alike (default 1)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="change one scenario field, e.g. --set hotline.operators=2 (repeatable)")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other user mistake."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="govsim", description="Simulate how a megacity governs itself through its citizens' complaints.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    run = commands.add_parser("run", help="run one scenario under one regime and print the headline indicators")
    run.add_argument("scenario", help="scenario file (or the name of a shipped scenario, e.g. teaching_town)")
    run.add_argument("--regime", choices=REGIMES, help="run under this regime throughout (default: the scenario's regime and timeline)")
    run.add_argument("--seed", type=seed_option, default=1, help="random seed, 0 to 2**63-1 (default 1); the same seed gives the same numbers")
    add_run_options(run)
    run.add_argument("--out", type=Path, help="results folder (default results/<scenario>/<regime(s)>-seed<seed>[-scale<S>]); "
                     "a govsim run folder there is replaced only if it holds the same run, anything else is refused")
    run.add_argument("--force", action="store_true", help="replace a govsim run folder at --out that holds another run (never anything else)")
    run.add_argument("--quiet", action="store_true", help="print only the results folder")

    validate = commands.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("files", nargs="+", type=Path)

    schema = commands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.add_argument("--out", type=Path, help="write it to this file instead of printing it")
    parser.module_handlers = _register_modules(commands)
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    from sim.outputs import check_run_target
    from sim.scenario import scenario_hash
    from sim.simulate import run
    from sim.summary import format_summary

    scenario = load_scenario(args.scenario, args.overrides)
    try:
        spec = load_scenario(scenario, {"days": args.days}) if args.days else scenario  # as the model will run it
    except InputError as error:
        raise InputError(error.problem, field="--days") from None
    warn_dead_events(spec, args.scenario, switches=args.regime is None)
    regime = args.regime or regime_label(spec)
    out = args.out or default_run_folder(scenario.name, regime, args.seed, args.scale)
    identity = {"scenario_hash": scenario_hash(spec), "seed": args.seed, "scale": args.scale, "regime": regime}
    check_run_target(out, identity, args.force)  # before the run: an hour of simulation is not lost to a bad --out
    results = run(scenario, seed=args.seed, regime=args.regime, scale=args.scale, days=args.days)
    check_run_target(out, {**identity, "regime": results.manifest["regime"]}, args.force)  # it may have appeared since
    results.save(out, replace=True)  # checked just above (with --force, another run folder may be replaced)
    if not args.quiet:
        print(format_summary(results))
        print(f"\nresults: {out}  (wall time {results.manifest['wall_time_s']:.2f} s)")
    else:
        print(out)
    return 0


def regime_label(spec) -> str:
    """The regimes a run that follows the timeline will use, as the manifest names them ('whistle→hotline')."""
    switches = sorted(spec.timeline.regimes, key=lambda switch: switch.date)
    initial = ([s.regime for s in switches if s.date <= spec.start] or [spec.regime])[-1]
    last = spec.start + dt.timedelta(days=spec.days - 1)
    return "→".join(dict.fromkeys([initial] + [s.regime for s in switches if spec.start < s.date <= last]))


def warn_dead_events(spec, source, switches: bool = True, days: int | None = None) -> None:
    """One line on stderr for each timeline event that cannot change the run (see `dead_events`)."""
    for path, problem in dead_events(spec, days, switches):
        print(f"warning: {source}: {dotted(path)}: {problem}", file=sys.stderr)


def default_run_folder(scenario: str, regime: str, seed: int, scale: float) -> Path:
    """results/<scenario>/<regime>-seed<seed>[-scale<S>]; the scenario's name is checked to be one plain folder name
    when it is loaded, and made so here again for a Scenario built in Python."""
    from sim.experiment.plan import safe_name

    suffix = f"-scale{scale:g}" if scale < 1 else ""
    return Path("results") / (safe_name(scenario).lstrip("._-") or "unnamed") / f"{regime.replace('→', '-')}-seed{seed}{suffix}"


def print_error(error: InputError) -> None:
    """Every mistake on its own line, each starting with 'error:'."""
    for line in str(error).splitlines():
        print(f"error: {line}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            scenario = load_scenario(path)
        except InputError as error:
            print_error(error)
            failed += 1
            continue
        residents = sum(d.population for d in scenario.city.districts)
        streets = sum(d.streets for d in scenario.city.districts)
        print(
            f"ok: {path} ({scenario.name}: {len(scenario.city.districts)} districts, {streets} streets, "
            f"{len(scenario.city.departments)} departments, {len(scenario.categories)} categories, {residents:,} residents)"
        )
        warn_dead_events(scenario, path)
    return 2 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from sim.outputs import check_file_target, is_schema_file, write_text_atomically

    if args.out:
        check_file_target(args.out, "JSON Schema", is_schema_file)
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False)
    if args.out:
        write_text_atomically(args.out, text + "\n")
        print(f"wrote {args.out}")
    else:
        print(text)
    return 0


COMMANDS = {"run": cmd_run, "validate": cmd_validate, "schema": cmd_schema}

# Modules that add their own commands: each has `register(commands) -> {name: handler}`, where `commands` is the
# argparse sub-parsers object. Imported when the parser is built.
COMMAND_MODULES = ("sim.experiment.commands", "sim.viz.commands", "sim.analysis.commands")


def _register_modules(commands) -> dict:
    handlers = {}
    for name in COMMAND_MODULES:
        handlers.update(importlib.import_module(name).register(commands))
    return handlers


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {**COMMANDS, **getattr(parser, "module_handlers", {})}
    try:
        return handlers[args.command](args)
    except InputError as error:
        print_error(error)
        return 2
    except MemoryError as error:  # most often a city typed ten times too big (population: 100000000000)
        detail = str(error).splitlines()[0] if str(error) else "the allocation failed"
        print(f"error: not enough memory for this ({detail}); is the city, or --scale, bigger than meant?", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `govsim experiment X --dry-run | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
