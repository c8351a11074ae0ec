"""Calibrate a scenario's arrival rates to the report's category mix and volume (step 1 of docs/calibration.md).

The behavioural parameters that set volume and the three rates are fitted by `govsim calibrate` (step 2, with
Optuna, to the dated public record); this script keeps the structural step: 22 rates, each with its own target in
the report's category table, solved by a damped fixed-point iteration rather than a black-box optimiser.

For each category, `problems_per_1k` is tuned until its complaints (contacts that are not consultations) match the
target, and `consultations_per_1k` until its consultations do. Targets: 10 million contacts a year for 21.89 million
residents (the report's "more than 30 million" items over 2019-2021), split by the report's category table and the
consultation shares in scenarios/data/beijing_categories.csv. The run is one year under the scenario's regime.

    python scripts/calibrate.py scenarios/beijing.yaml --scale 0.02 --iterations 4 [--write]

Departments' `staff_hours` are then sized so that each runs at `--department-load` of its capacity (the work its
tickets need per day, measured in the calibrated run, over that load).

`--write` rewrites those fields in place in the scenario file (comments and layout are kept).
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import numpy as np

from sim import GovernanceModel, load_scenario, run

CONTACTS_PER_YEAR = 10_000_000
RESIDENTS = 21_893_095
TARGETS = Path(__file__).resolve().parents[1] / "scenarios" / "data" / "beijing_categories.csv"


def targets() -> dict[str, tuple[float, float]]:
    rows = list(csv.DictReader(TARGETS.open(encoding="utf-8")))
    total = sum(float(r["items_10k_2019_2021"]) for r in rows)
    per_1k = CONTACTS_PER_YEAR / RESIDENTS * 1000
    out = {}
    for r in rows:
        contacts = float(r["items_10k_2019_2021"]) / total * per_1k
        share = float(r["consultation_share"])
        out[r["category"]] = (contacts * (1 - share), contacts * share)
    return out


def _overrides(values: dict) -> dict:
    overrides = {}
    for name, (problems, consultations) in values.items():
        overrides[f"categories.{name}.problems_per_1k"] = round(problems, 3)
        overrides[f"categories.{name}.consultations_per_1k"] = round(consultations, 3)
    return overrides


def measure(path: str, values: dict, scale: float, seed: int):
    results = run(path, seed=seed, scale=scale, overrides=_overrides(values))
    residents = results.manifest["residents_simulated"] / 1000 * results.manifest["days"] / 365
    table = results.by_category.set_index("category")
    measured = {
        name: ((table.at[name, "contacts"] - table.at[name, "consultations"]) / residents, table.at[name, "consultations"] / residents)
        for name in values
    }
    return measured, results


def department_demand(path: str, values: dict, scale: float, seed: int) -> dict[str, float]:
    """Staff-hours per day (at full scale) that each department's tickets need."""
    model = GovernanceModel(path, rng=seed, scale=scale, overrides=_overrides(values))
    used = np.zeros(model.handlers.n)
    for _ in range(model.spec.days):
        model.step()
        used += model.work.used
    table = model.tickets.table
    left = np.bincount(table.handler, weights=table.contact_left + table.effort_left, minlength=len(used))
    demand = (used + left) / model.spec.days / scale
    first = model.city.n_streets
    return {name: float(demand[first + g]) for g, name in enumerate(model.city.department_names)}


def write(path: Path, values: dict, staff: dict[str, float]) -> None:
    text = path.read_text(encoding="utf-8")
    for name, hours in staff.items():
        text = re.sub(rf"(name: {name}, staff_hours: )[0-9.]+", rf"\g<1>{hours:.0f}", text)
    for name, (problems, consultations) in values.items():
        block = re.search(rf"(?m)^  {name}:\n(?:(?:    .*|\s*)\n)+", text)
        if block is None:
            raise SystemExit(f"{path}: category '{name}' not found")
        new = re.sub(r"problems_per_1k: [0-9.]+", f"problems_per_1k: {problems:.2f}", block.group(0))
        new = re.sub(r"consultations_per_1k: [0-9.]+", f"consultations_per_1k: {consultations:.2f}", new)
        text = text[: block.start()] + new + text[block.end():]
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--iterations", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--department-load", type=float, default=0.8)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    goal = targets()
    values = {name: (c.problems_per_1k, c.consultations_per_1k) for name, c in scenario.categories.items()}
    for iteration in range(args.iterations):
        measured, results = measure(args.scenario, values, args.scale, args.seed)
        error = sum(abs(measured[k][0] - goal[k][0]) for k in values) / sum(goal[k][0] for k in values)
        print(f"iteration {iteration + 1}: mean absolute complaint error {error:.1%}")
        values = {
            k: (values[k][0] * (goal[k][0] / max(measured[k][0], 1e-9)) ** 0.8, values[k][1] * goal[k][1] / max(measured[k][1], 1e-9))
            for k in values
        }
    measured, results = measure(args.scenario, values, args.scale, args.seed)
    print(f"\n{'category':<24}{'complaints/1k':>14}{'target':>9}{'consult/1k':>12}{'target':>9}{'problems_per_1k':>17}{'consultations_per_1k':>22}")
    for k in values:
        print(f"{k:<24}{measured[k][0]:>14.1f}{goal[k][0]:>9.1f}{measured[k][1]:>12.1f}{goal[k][1]:>9.1f}{values[k][0]:>17.2f}{values[k][1]:>22.2f}")
    totals = results.totals()
    print("\n" + ", ".join(f"{k} {totals[k]:.3f}" for k in ("resolution_rate", "satisfaction_rate", "fix_share", "street_load", "department_load")))
    demand = department_demand(args.scenario, values, args.scale, args.seed)
    staff = {name: hours / args.department_load for name, hours in demand.items()}
    print("\ndepartment staff-hours per day at full scale (needed / sized at the target load):")
    for name, hours in demand.items():
        print(f"  {name:<34}{hours:>9.0f}{staff[name]:>9.0f}")
    if args.write:
        write(Path(args.scenario), values, staff)
        print(f"wrote {args.scenario}")


if __name__ == "__main__":
    main()
