"""ODD 7.10 -- awareness of 12345 spreads by Bass diffusion, and merged hotlines bring their demand.

Per community c, the aware share a_c grows each day by da = (p + q w_c a_c)(1 - a_c) [Bass 1969]: p is the regime's
publicity (its channels: complaint-response publicised the hotline far more than whistle-blowing), q word of mouth,
weighted by w_c, the satisfied share of the community's recent outcomes (`sim/neighbourhood.py`), so that a hotline
that serves badly spreads slowly. The hotline takes the contacts of aware residents (`processes/contacts.py`). A
merger of other hotlines into 12345 (timeline.mergers) brings their demand from its date: `timeline.coverage`
multiplies the arrival of the problems 12345 handles in their categories (the merged lines' problems now come to
it) and the consultations in them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.context import Context


class Adoption:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        n = len(ctx.city.community_population)
        self.awareness = np.full(n, ctx.spec.behaviour.initial_awareness)
        self.population = np.asarray(ctx.city.community_population, dtype=np.float64)

    def step(self, day: int) -> None:
        """End of day: the unaware learn of the hotline from the media and from satisfied neighbours."""
        ctx = self.ctx
        p = ctx.regime.channels.publicity
        q = ctx.spec.behaviour.word_of_mouth
        a = self.awareness
        rate = np.minimum(p + q * ctx.neighbourhood.satisfied_share() * a, 1.0)
        self.awareness = np.minimum(a + rate * (1.0 - a), 1.0)

    def mean(self) -> float:
        total = self.population.sum()
        return float((self.awareness * self.population).sum() / total) if total else float("nan")
