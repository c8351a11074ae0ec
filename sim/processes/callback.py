"""ODD 7.6 -- call-back and learning: the hotline calls residents back and records the three rates; callers learn.

A resident calls the ticket resolved if its problem was fixed or the demand was served, and sometimes after a
symptom closure or when the problem went away by itself while the ticket waited (`gone_rated_resolved`);
satisfaction follows resolution, trust, lateness, manufactured satisfaction and the outcome against what the
caller's community expected (disconfirmation, ODD 7.13). Only
hotline tickets whose caller is reached are rated; the rates count for the street that first received the ticket
(the month's ledger, which the ranking reads). Callers then update trust and success memory (`Residents.learn`),
and their communities their expectations and their memory of outcomes (`Neighbourhood.record`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.processes.closure import ClosedTickets
from sim.tickets import ALREADY_GONE, FIX, HOTLINE, NOT_YET, SERVED, SYMPTOM

if TYPE_CHECKING:
    from sim.context import Context


class Callback:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx

    def step(self, batch: ClosedTickets | None, day: int) -> None:
        if batch is None:
            return
        ctx = self.ctx
        behaviour, handlers = ctx.spec.behaviour, ctx.handlers
        closed, outcome = batch.columns, batch.outcome
        draw_resolved, draw_satisfied, draw_reached = batch.rating_draws
        n = len(batch)
        has_caller = closed["caller"] >= 0
        caller = np.maximum(closed["caller"], 0)
        trust = ctx.residents.effective_trust(caller, closed["community"], day)
        # A gaming street also talks callers into calling an unfixed problem resolved (manufactured ratings).
        persuaded = ctx.street_response.manufactured_satisfaction(closed["receiver"])
        resolved = (outcome == FIX) | (outcome == SERVED)
        resolved |= (outcome == SYMPTOM) & (draw_resolved < behaviour.symptom_rated_resolved + persuaded)
        resolved |= (outcome == ALREADY_GONE) & (draw_resolved < ctx.spec.handling.gone_rated_resolved + persuaded)
        late = day > closed["due"]
        quality = np.clip(resolved - behaviour.late_penalty * late, 0.0, 1.0)  # the outcome as the resident sees it
        disconfirmation = quality - ctx.neighbourhood.expectation[closed["community"]]
        p_satisfied = (
            np.where(resolved, behaviour.satisfied_if_resolved, behaviour.satisfied_if_unresolved)
            + behaviour.disconfirmation_weight * disconfirmation
            + behaviour.trust_effect * (trust - 0.5)
            - behaviour.late_penalty * late
            + persuaded * ~resolved
        )
        satisfied = draw_satisfied < p_satisfied
        rated = has_caller & (closed["channel"] == HOTLINE) & (draw_reached < ctx.spec.hotline.callback_share)
        responded = (closed["contacted"] != NOT_YET) & (closed["contacted"] <= closed["response_due"])
        ctx.residents.learn(closed["caller"][has_caller], satisfied[has_caller], resolved[has_caller], day)
        ctx.neighbourhood.record(closed["community"][has_caller].astype(np.int64, copy=False), quality[has_caller], satisfied[has_caller])

        duration = day - closed["opened"]
        today = ctx.today
        today.tickets_closed += n
        today.rated += int(rated.sum())
        today.responded += int((rated & responded).sum())
        today.resolved += int((rated & resolved).sum())
        today.satisfied += int((rated & satisfied).sum())
        today.fixed += int((outcome == FIX).sum())
        ordered = np.sort(duration)
        today.median_days_to_close = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2.0
        groups = (closed["category"], closed["district"], closed["age"])
        ctx.breakdowns.add(
            *groups, tickets_closed=True, rated=rated, responded=rated & responded, resolved=rated & resolved,
            satisfied=rated & satisfied, fixed=outcome == FIX,
        )
        ctx.breakdowns.add_durations(*groups, duration)

        receiver, month = closed["receiver"], ctx.month
        scored = rated & handlers.is_street(receiver)
        street, n_streets = handlers.street(receiver), handlers.n_streets
        month.street_rated += np.bincount(street[scored], minlength=n_streets)
        month.street_responded += np.bincount(street[scored & responded], minlength=n_streets)
        month.street_resolved += np.bincount(street[scored & resolved], minlength=n_streets)
        month.street_satisfied += np.bincount(street[scored & satisfied], minlength=n_streets)
        reported = closed["whistled"] & responded & ~handlers.is_street(closed["handler"])
        month.department_reported += np.bincount(handlers.department(closed["handler"])[reported], minlength=handlers.n_departments)
