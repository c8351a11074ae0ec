"""Rewrite the regression baselines in tests/baselines/ from the current code -- only on purpose.

The baselines pin, bit for bit, what the engine computes for fixed seeds (tests/test_regression.py). An
optimisation must leave them unchanged; a deliberate change of the model's behaviour (a new mechanism, a new
default) updates them with this script, and the commit says why.

    python scripts/update_baselines.py
"""

from __future__ import annotations

import json
from pathlib import Path

from sim import run
from sim.digest import results_digest

BASELINES = Path(__file__).resolve().parents[1] / "tests" / "baselines"
# (file name, scenario, run arguments): small, fast cases that exercise every regime and a timeline.
CASES = {
    "teaching_town_whistle": ("teaching_town", {"seed": 7, "regime": "whistle", "days": 200}),
    "teaching_town_hotline": ("teaching_town", {"seed": 7, "regime": "hotline", "days": 200}),
    "teaching_town_proactive": ("teaching_town", {"seed": 7, "regime": "proactive", "days": 200}),
    "huitian_timeline": ("huitian", {"seed": 3, "scale": 0.01, "days": 800}),
}
HEADLINE = ("contacts", "tickets_opened", "tickets_closed", "resolution_rate", "satisfaction_rate", "open_problems", "mean_trust")


def compute(scenario: str, arguments: dict) -> dict:
    results = run(scenario, **arguments)
    totals = results.totals()
    return {
        "scenario": scenario,
        "arguments": arguments,
        "digests": results_digest(results),
        "totals": {name: totals[name] for name in HEADLINE},
    }


def main() -> None:
    BASELINES.mkdir(parents=True, exist_ok=True)
    for name, (scenario, arguments) in CASES.items():
        path = BASELINES / f"{name}.json"
        path.write_text(json.dumps(compute(scenario, arguments), indent=2) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
