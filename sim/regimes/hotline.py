"""接诉即办 -- complaint-response (from January 2019).

Every call goes through 12345 and is dispatched with time limits to the responsible street or department; the body
that first receives a ticket owns it. Departments push part of their work down to streets (the siphon effect).
Streets contact every caller first and serve threats to petition first. Each month every street is scored on the
three rates and ranked, and the bottom share is named; the pressure that follows shifts street effort from root
fixes toward fast closures and satisfied ratings (see the model core for how pressure enters outcomes).
Responsiveness raises residents' propensity to call, which is how volume grows (induced demand).
"""

from __future__ import annotations

import numpy as np

from sim.regimes.base import Regime


class HotlineRegime(Regime):
    name = "hotline"
    contact_first = True

    def __init__(self, model, params=None):
        super().__init__(model, params or model.spec.regimes.hotline)
        self.siphon_share = self.params.siphon_share
        self.effort_shift = self.params.effort_shift
        self.manufactured_satisfaction = self.params.manufactured_satisfaction
        self.leverage_share = self.params.leverage_share

    def enter(self) -> None:
        # Before the first ranking every street expects one: half the pressure a named street feels.
        self.model.street_pressure[:] = 0.5 * self.params.ranking_pressure

    def priority(self, rows: np.ndarray) -> np.ndarray:
        """Threats to petition first, then whistles (at departments), then the earliest due date."""
        tickets = self.model.tickets.table
        key = tickets.due[rows].astype(np.int64)
        key -= 100_000 * tickets.whistled[rows]
        key -= 1_000_000 * tickets.threat[rows]
        return key

    def evaluate(self, day: int) -> None:
        """Score every street on last month's rates, rank the streets and districts, name the bottom share."""
        model, p = self.model, self.params
        month = model.month
        rated = month["street_rated"].astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            rates = {
                "response": month["street_responded"] / rated,
                "resolution": month["street_resolved"] / rated,
                "satisfaction": month["street_satisfied"] / rated,
            }
        weights = p.score_weights
        total = sum(weights.values())
        score = sum(weights.get(name, 0.0) * values for name, values in rates.items()) / total
        if np.all(np.isnan(score)):
            return  # nothing was rated last month: no ranking
        score = np.where(np.isnan(score), np.nanmedian(score), score)
        model.street_score[:] = score
        order = np.argsort(-score, kind="stable")
        model.street_rank[order] = np.arange(1, len(score) + 1)
        n_named = int(round(p.named_share * len(score)))
        named = model.street_rank > len(score) - n_named
        model.street_named[:] = named
        model.street_pressure[:] = p.ranking_pressure * (0.5 + 0.5 * named)
        districts = model.city.street_district
        weight = np.bincount(districts, weights=rated, minlength=len(model.district_score))
        district_score = np.bincount(districts, weights=score * rated, minlength=len(weight))
        model.district_score[:] = np.divide(district_score, weight, out=np.full(len(weight), np.nan), where=weight > 0)
        order = np.argsort(-np.nan_to_num(model.district_score, nan=-1.0), kind="stable")
        model.district_rank[order] = np.arange(1, len(weight) + 1)
