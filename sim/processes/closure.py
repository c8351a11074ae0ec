"""ODD 7.5 -- closure: how a finished ticket ends, and what happens to its problem.

A ticket ends as a fix (the problem is removed at the root), a symptom closure (the caller is answered; the
problem sleeps and comes back after a geometric delay), unsolvable (out of remit or unreasonable: dropped), served
(an unreasonable demand met under pressure) or already gone (the problem went away while the ticket waited). The
chance of a fix depends on whether the handler has authority over the category, on a whistled department's
fatigue, on the pressure on a street (`street_response`) and on the handler's capability, which grows with
practice (`learning`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.tickets import ALREADY_GONE, FIX, HOTLINE, SERVED, SYMPTOM, UNSOLVABLE

if TYPE_CHECKING:
    from sim.context import Context


@dataclass
class ClosedTickets:
    """The tickets closed today: their columns, how each ended, and the uniforms the call-back uses (drawn with
    the closure's in one block, an order of draws the regression baselines pin)."""

    columns: dict[str, np.ndarray]
    outcome: np.ndarray
    rating_draws: np.ndarray  # (3, n): resolved after a symptom closure, satisfied, reached on call-back

    def __len__(self) -> int:
        return len(self.outcome)


class Closure:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx

    def step(self, rows: np.ndarray, day: int) -> ClosedTickets | None:
        ctx = self.ctx
        closed = ctx.tickets.close(rows)
        n = len(rows)
        if n == 0:
            return None
        rng, handling, handlers, categories = ctx.rng, ctx.spec.handling, ctx.handlers, ctx.categories
        u = rng.random((7, n))
        category, handler, receiver = closed["category"], closed["handler"], closed["receiver"]
        problems = ctx.problems
        problem_rows = problems.rows_of(closed["problem"])
        exists = problem_rows >= 0
        np.add.at(problems.table.pending, problem_rows[exists], -1)

        at_street = handlers.is_street(handler)
        authority = ~at_street | categories.street_duty[category]
        p_fix = np.where(authority, handling.fix_with_authority, handling.fix_without_authority)
        quality = ctx.standing.department_quality(ctx.regime.escalation.fatigue_load)
        p_fix = p_fix * np.where(closed["whistled"] & ~at_street, quality[handlers.department(handler)], 1.0)
        p_fix = p_fix * ctx.street_response.fix_factor(handler) * ctx.learning.capability(handler)
        p_fix = np.clip(p_fix * ctx.places.fix_factor(handler, category, closed["community"], handlers), 0.0, 1.0)
        unsolvable = u[0] < categories.unsolvable[category]
        served = unsolvable & (closed["channel"] == HOTLINE) & (u[1] < ctx.street_response.leverage(receiver))
        fixed = ~unsolvable & (u[2] < p_fix)
        outcome = np.where(fixed, FIX, SYMPTOM)
        outcome = np.where(unsolvable, np.where(served, SERVED, UNSOLVABLE), outcome)
        outcome = np.where(exists, outcome, ALREADY_GONE)

        ends = exists & ((outcome == FIX) | (outcome == UNSOLVABLE) | (outcome == SERVED))
        problems.remove(problem_rows[ends])
        sleeps = exists & (outcome == SYMPTOM)
        wakes = day + rng.geometric(1.0 / max(handling.return_days, 1.0), int(sleeps.sum()))
        problems.sleep(problem_rows[sleeps], wakes)
        return ClosedTickets(closed, outcome, u[3:6])
