"""The governance regimes, each a composition of interventions (`regime.py`); their names live in `registry.py`."""

from sim.regimes.registry import LABELS, NAMES, REGIME_NAMES, REGIMES, make_regime

__all__ = ["LABELS", "NAMES", "REGIME_NAMES", "REGIMES", "make_regime"]
