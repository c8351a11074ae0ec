"""ODD 7.16 -- organisational learning: street offices, departments and the hotline get better with practice.

Every body that works a ticket queue keeps an experience stock K (per handler), K(t+1) = (1 - forgetting) K(t) +
q(t), where q is the tickets it finished that day per staff-day of its capacity, plus what a pressed street invests
in capability (the share of its response to ranking pressure that is not gaming, `regimes.hotline`). Organisations
learn from performance feedback [Greve 2003]: a hotline ticket is called back and rated, so it teaches its handler
fully; a ticket from a patrol or a walk-in, which nobody rates, teaches `unrated_weight` of that. Capability
follows a learning curve, c = 1 - (1 - novice_capability) exp(-K / experience_scale): closure multiplies a root
fix's chance by c, dispatch multiplies a ticket's staff-hours by 1 + (novice_effort - 1) exp(-K / scale)
[Argote & Epple 1990; Darr, Argote & Epple 1995]. A body that handles more learns more: complaint-response, which
sends every call to a handler, makes the street offices better at solving problems; a quiet body forgets.

The hotline's knowledge base learns from every ticket it classifies and does not forget: as tickets classified per
operator accumulate, its misrouting rate falls from `hotline.misroute_rate` toward `learning.misroute_floor`, and the
share of questions its operators answer on the call rises from `hotline.answered_on_call` toward
`learning.answer_ceiling` (the rest are forwarded to a department, `dispatch`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.context import Context

STAFF_DAY = 8.0  # staff-hours in one staff-day


class Learning:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        self.params = p = ctx.spec.learning
        self.experience = np.full(ctx.handlers.n, p.initial_experience * p.experience_scale)  # (H,) K
        self.classified = 0.0  # tickets the hotline has classified, per operator (scaled)
        self._operators = max(ctx.spec.hotline.operators * ctx.scale, 1e-9)
        self._shortfall_today: np.ndarray | None = None  # exp(-K / K0), kept until experience next changes

    def _shortfall(self) -> np.ndarray:
        if self._shortfall_today is None:
            self._shortfall_today = np.exp(-self.experience / self.params.experience_scale)
        return self._shortfall_today

    def capability(self, handler: np.ndarray) -> np.ndarray:
        """Multiplier (novice_capability..1) on each handler's chance of a root fix."""
        return 1.0 - (1.0 - self.params.novice_capability) * self._shortfall()[handler]

    def effort_factor(self, handler: np.ndarray) -> np.ndarray:
        """Multiplier (1..novice_effort) on the staff-hours a new ticket needs from each handler."""
        return 1.0 + (self.params.novice_effort - 1.0) * self._shortfall()[handler]

    def misroute_rate(self) -> float:
        """Today's chance that the hotline sends a ticket to the wrong body."""
        start, floor = self.ctx.spec.hotline.misroute_rate, min(self.params.misroute_floor, self.ctx.spec.hotline.misroute_rate)
        return floor + (start - floor) * self._knowledge_gap()

    def _knowledge_gap(self) -> float:
        """Share of the knowledge base's possible improvement not yet learnt (1 when new, toward 0)."""
        return float(np.exp(-self.classified / self.params.knowledge_scale))

    def answer_share(self) -> float:
        """Today's chance that the hotline answers a question on the call instead of forwarding it."""
        start = self.ctx.spec.hotline.answered_on_call
        ceiling = max(self.params.answer_ceiling, start)
        return ceiling - (ceiling - start) * self._knowledge_gap()

    def classify(self, n_hotline_tickets: int) -> None:
        self.classified += n_hotline_tickets / self._operators

    def step(self, finished_handler: np.ndarray, rated_channel: np.ndarray, capacity: np.ndarray) -> None:
        """The day's practice: tickets finished per staff-day of capacity (unrated ones weighted down), plus
        investment under pressure."""
        if self.params.frozen:
            return
        ctx = self.ctx
        handlers = ctx.handlers
        weight = np.where(rated_channel, 1.0, self.params.unrated_weight)
        done = np.bincount(finished_handler, weights=weight, minlength=handlers.n)
        practice = done * STAFF_DAY / np.maximum(capacity, STAFF_DAY)
        practice[: handlers.n_streets] += ctx.street_response.investment()
        self.experience *= 1.0 - self.params.forgetting
        self.experience += practice
        self._shortfall_today = None
