"""Shared fixtures: the shipped scenarios, and runs of the teaching town reused across tests (fixed seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import run

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
TEACHING_TOWN = SCENARIOS / "teaching_town.yaml"


@pytest.fixture(scope="session")
def town_runs():
    """One year of the teaching town under each regime, seed 7 (common random numbers)."""
    return {regime: run(TEACHING_TOWN, seed=7, regime=regime) for regime in ("whistle", "hotline", "proactive")}


def write_scenario(folder: Path, text: str, name: str = "scenario.yaml") -> Path:
    """A scenario file in `folder` that may extend the teaching town by its absolute path."""
    path = folder / name
    path.write_text(text.replace("TEACHING_TOWN", str(TEACHING_TOWN)), encoding="utf-8")
    return path
