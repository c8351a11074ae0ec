"""The three governance regimes, each a strategy object with the interface in `base.py`."""

from sim.regimes.base import Regime
from sim.regimes.hotline import HotlineRegime
from sim.regimes.proactive import ProactiveRegime
from sim.regimes.whistle import WhistleRegime

REGIME_CLASSES: dict[str, type[Regime]] = {
    "whistle": WhistleRegime,
    "hotline": HotlineRegime,
    "proactive": ProactiveRegime,
}


def make_regime(name: str, model) -> Regime:
    if name not in REGIME_CLASSES:
        raise ValueError(f"unknown regime '{name}'; expected one of {', '.join(REGIME_CLASSES)}")
    return REGIME_CLASSES[name](model)


__all__ = ["REGIME_CLASSES", "Regime", "make_regime"]
