"""The staged search that found the fitted values of the 2018-2024 timeline (docs/calibration.md, "The fit").

`govsim calibrate experiments/calibrate_beijing.yaml` searches all 24 parameters against all ten targets at once,
three seeds at 1 % per trial (about 55 minutes for 200 trials). This script is the cheaper search that was run
instead to find the values now in scenarios/beijing.yaml and beijing_2018_2024.yaml: the same parameters, ranges,
targets and loss (read from that file), but one seed at 0.3 % per trial and one stage at a time:

- `volume`: the parameters that set how much reaches the hotline (contact wish, awareness and its spread,
  consultations, induced demand, the merged hotlines' shares) against the six volume, consultation and channel
  targets, every other parameter held at the start point;
- `rates`: the parameters of fixing, rating, learning, accountability, staffing and the 2021 regulation against
  the four resolution and satisfaction targets;
- `all`: every parameter against every target.

Each stage starts from a point (the scenario's values, or `--start` a stage's output) and evaluates it first, so a
stage never ends worse than it began. The sampler is Optuna's multivariate TPE on a fixed seed: a rerun of the
same chain on the same code repeats its trials. The chain behind the shipped values:

    python scripts/staged_search.py volume --trials 120
    python scripts/staged_search.py rates --trials 140 --start results/staged_search/volume.json
    python scripts/staged_search.py volume --trials 60 --start results/staged_search/rates-from-volume.json

Each stage writes results/staged_search/<stage>[-from-<start>].json: the best point, its loss and its figures.
`--evaluate FILE` instead scores a point (or, without FILE, the scenario's values) at `--scale` with `--seeds`.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

import optuna

from sim import load_scenario, run
from sim.analysis.analysis_file import load_analysis
from sim.analysis.calibration import loss, suggest
from sim.analysis.targets import load_targets
from sim.experiment.plan import replicate_seed
from sim.scenario.levers import LEVERS

ROOT = Path(__file__).resolve().parents[1]
ANALYSIS = ROOT / "experiments" / "calibrate_beijing.yaml"
OUT = ROOT / "results" / "staged_search"

VOLUME_TARGETS = {"requests_2018", "requests_2019_2021", "consultations_2019_2021", "requests_2023", "requests_2024", "phone_share_2020"}
VOLUME_PARAMETERS = {
    "behaviour.contact_scale", "behaviour.initial_awareness", "behaviour.publicity_hotline", "behaviour.word_of_mouth", "behaviour.consultation_scale",
    "behaviour.success_boost", "timeline.mergers[0].share", "timeline.mergers[1].share", "timeline.mergers[2].share",
}


def scenario_values(scenario, names) -> dict[str, float]:
    """The scenario's current value of each fitted parameter (lever names and dotted paths with list indices)."""
    values = {}
    for name in names:
        node = scenario
        for part in LEVERS.get(name, name).split("."):
            key, index = re.fullmatch(r"([a-z_]+)(?:\[(\d+)\])?", part).groups()
            node = node[key] if isinstance(node, dict) else getattr(node, key)
            if index is not None:
                node = node[int(index)]
        values[name] = float(node)
    return values


def evaluate(spec, targets, point: dict, scale: float, seeds: list[int]) -> tuple[float, dict[str, float]]:
    figures = {t.name: [] for t in targets}
    for seed in seeds:
        results = run(spec.scenarios[0], seed=seed, scale=scale, overrides=point)
        for target in targets:
            figures[target.name].append(target.simulated(results.daily, results.scale))
    means = {name: sum(v) / len(v) for name, v in figures.items()}
    return loss(targets, means), means


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", nargs="?", choices=["volume", "rates", "all"])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--start", type=Path, help="a stage's output to start from (default: the scenario's values)")
    parser.add_argument("--scale", type=float, default=0.003)
    parser.add_argument("--seeds", type=int, nargs="+", help="default: 11 for a search, the calibration file's three seeds for --evaluate")
    parser.add_argument("--evaluate", nargs="?", const="scenario", metavar="FILE", help="score a point instead of searching")
    args = parser.parse_args(argv)

    spec, _, target_paths = load_analysis(ANALYSIS, "calibration")
    scenario = load_scenario(spec.scenarios[0])
    targets = [t for p in target_paths for t in load_targets(p, scenario)]
    start = scenario_values(scenario, spec.uncertainties)
    if args.start:
        start.update(json.loads(args.start.read_text())["point"])

    if args.evaluate:
        point = start if args.evaluate == "scenario" else {**start, **json.loads(Path(args.evaluate).read_text())["point"]}
        seeds = args.seeds or [replicate_seed(spec.seed, r) for r in range(spec.replicates)]
        value, means = evaluate(spec, targets, point, args.scale, seeds)
        print(f"loss {value:.2f} at scale {args.scale:g}, seeds {seeds}")
        for target in targets:
            mark = "ok" if target.within(means[target.name]) else "miss"
            print(f"  {target.name:26s} {means[target.name]:>14.4g}  target {target.value:<12g} ±{target.allowed:<10.4g} {mark}")
        return 0
    if args.stage is None:
        parser.error("give a stage (volume, rates or all), or --evaluate")

    if args.stage == "volume":
        free, scored = VOLUME_PARAMETERS, [t for t in targets if t.name in VOLUME_TARGETS]
    elif args.stage == "rates":
        free, scored = set(spec.uncertainties) - VOLUME_PARAMETERS, [t for t in targets if t.name not in VOLUME_TARGETS]
    else:
        free, scored = set(spec.uncertainties), targets
    seeds = args.seeds or [11]
    factors = {name: f for name, f in spec.uncertainties.items() if name in free}
    assert len(factors) == len(free), f"unknown parameters: {sorted(free - set(factors))}"

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=1, n_startup_trials=16, multivariate=True)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    # The start point is the first trial, clipped into the ranges.
    study.enqueue_trial({n: min(max(start[n], f.low), f.high) for n, f in factors.items()})
    best = (math.inf, None, None)
    for number in range(args.trials):
        trial = study.ask()
        point = {**start, **suggest(trial, factors)}
        value, means = evaluate(spec, scored, point, args.scale, seeds)
        study.tell(trial, value if math.isfinite(value) else 1e9)
        if value < best[0]:
            best = (value, point, means)
            print(f"trial {number}: loss {value:.2f}", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    name = args.stage + (f"-from-{args.start.stem}" if args.start else "")
    record = {"stage": args.stage, "trials": args.trials, "scale": args.scale, "seeds": seeds,
              "loss": best[0], "point": best[1], "figures": best[2]}
    (OUT / f"{name}.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"best loss {best[0]:.2f} -> {OUT / name}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
