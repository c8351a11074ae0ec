"""The `govsim` command line.

    govsim run SCENARIO [--regime R] [--seed N] [--days N] [--scale S] [--set path=value ...] [--out DIR]
    govsim validate FILE [FILE ...]
    govsim schema

A user mistake (a bad scenario, a bad option) prints one line starting with 'error:' and exits with status 2;
never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from sim.inputs import InputError
from sim.scenario import REGIMES, json_schema, load_scenario


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
    run.add_argument("--seed", type=int, default=1, help="random seed (default 1); the same seed gives the same numbers")
    add_run_options(run)
    run.add_argument("--out", type=Path, help="results folder (default results/<scenario>/<regime(s)>-seed<seed>[-scale<S>])")
    run.add_argument("--quiet", action="store_true", help="print only the results folder")

    validate = commands.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("files", nargs="+", type=Path)

    schema = commands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.add_argument("--out", type=Path, help="write it to this file instead of printing it")
    parser.module_handlers = _register_modules(commands)
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    from sim.simulate import run
    from sim.summary import format_summary

    scenario = load_scenario(args.scenario, args.overrides)
    results = run(scenario, seed=args.seed, regime=args.regime, scale=args.scale, days=args.days)
    out = args.out or default_run_folder(scenario.name, results.manifest["regime"], args.seed, args.scale)
    results.save(out)
    if not args.quiet:
        print(format_summary(results))
        print(f"\nresults: {out}  (wall time {results.manifest['wall_time_s']:.2f} s)")
    else:
        print(out)
    return 0


def default_run_folder(scenario: str, regime: str, seed: int, scale: float) -> Path:
    suffix = f"-scale{scale:g}" if scale < 1 else ""
    return Path("results") / scenario / f"{regime.replace('→', '-')}-seed{seed}{suffix}"


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
    return 2 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
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
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `govsim experiment X --dry-run | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
