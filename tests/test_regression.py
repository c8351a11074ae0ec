"""The engine computes today exactly what it computed when the baselines were written (fixed seeds).

A faster code path must give the same numbers bit for bit. If a change is meant to alter the model's behaviour,
regenerate the baselines on purpose with `python scripts/update_baselines.py` and say why in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from update_baselines import CASES, compute  # noqa: E402

BASELINES = ROOT / "tests" / "baselines"


@pytest.mark.parametrize("name", list(CASES))
def test_same_numbers_as_the_baseline(name):
    stored = json.loads((BASELINES / f"{name}.json").read_text())
    scenario, arguments = CASES[name]
    assert stored["arguments"] == arguments, "the case changed: update the baselines on purpose"
    now = compute(scenario, arguments)
    changed = {k: (stored["totals"][k], now["totals"][k]) for k in stored["totals"] if stored["totals"][k] != now["totals"][k]}
    assert now["digests"] == stored["digests"], f"tables differ from the baseline; headline changes (was, now): {changed}"
