"""The one place regime names live: the schema, the command line, experiment files, plots and the app read them here.

Each name maps to the function that composes the regime from interventions for a model. To add a regime, write
its function (a few lines: see docs/architecture.md) and add it here; everything else follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from sim.regimes.hotline import hotline
from sim.regimes.proactive import proactive
from sim.regimes.whistle import whistle

if TYPE_CHECKING:
    from sim.context import Context
    from sim.regimes.regime import Regime

# In historical order (Beijing: whistle-blowing 2017-2018, complaint-response from 2019, proactive from 2021).
REGIMES: dict[str, Callable[["Context"], "Regime"]] = {
    "whistle": whistle,
    "hotline": hotline,
    "proactive": proactive,
}
REGIME_NAMES: tuple[str, ...] = tuple(REGIMES)
# Plain English names (figures, reports, the app) and the Chinese terms.
NAMES: dict[str, str] = {"whistle": "whistle-blowing", "hotline": "complaint-response", "proactive": "proactive governance"}
CHINESE: dict[str, str] = {"whistle": "吹哨报到", "hotline": "接诉即办", "proactive": "未诉先办"}
LABELS: dict[str, str] = {name: f"{NAMES[name]} ({CHINESE[name]})" for name in REGIMES}


def make_regime(name: str, ctx: "Context") -> "Regime":
    if name not in REGIMES:
        raise ValueError(f"unknown regime '{name}'; expected one of {', '.join(REGIMES)}")
    return REGIMES[name](ctx)
