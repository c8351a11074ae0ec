"""The monthly ranking of street offices (接诉即办's 三率 scoring): score, rank, name the bottom, press.

At each month's start every street is scored on last month's three rates of the tickets it first received,
weighted by `score_weights`; streets are ranked and the bottom `named_share` (at least one street) named at the
monthly meeting. A street's pressure for the month depends on its margin over the naming threshold (the best score
that was named): pressure = ranking_pressure / (1 + exp(margin / pressure_width)), so a street far above the line
feels little, one on it half, a named one most [accountability by a threshold: Bevan & Hood 2006]. Districts are
scored on their streets' rated tickets. Before the first ranking every street expects one: half the pressure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.context import Context
    from sim.scenario.schema import HotlineParams


class Ranking:
    def __init__(self, ctx: "Context", params: "HotlineParams"):
        self.ctx, self.params = ctx, params

    def enter(self) -> None:
        self.ctx.standing.street_pressure[:] = 0.5 * self.params.ranking_pressure

    def evaluate(self, day: int) -> None:
        ctx, p = self.ctx, self.params
        month, standing = ctx.month, ctx.standing
        rated = month.street_rated.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            rates = {
                "response": month.street_responded / rated,
                "resolution": month.street_resolved / rated,
                "satisfaction": month.street_satisfied / rated,
            }
        weights = p.score_weights
        total = sum(weights.values())
        score = sum(weights.get(name, 0.0) * values for name, values in rates.items()) / total
        if np.all(np.isnan(score)):
            return  # nothing was rated last month: no ranking
        score = np.where(np.isnan(score), np.nanmedian(score), score)
        standing.street_score[:] = score
        order = np.argsort(-score, kind="stable")
        standing.street_rank[order] = np.arange(1, len(score) + 1)
        n_named = max(int(round(p.named_share * len(score))), 1) if p.named_share > 0 else 0
        named = standing.street_rank > len(score) - n_named
        standing.street_named[:] = named
        threshold = score[named].max() if n_named else score.min() - 1.0
        margin = np.clip((score - threshold) / p.pressure_width, -50.0, 50.0)
        standing.street_pressure[:] = p.ranking_pressure / (1.0 + np.exp(margin))
        districts = ctx.city.street_district
        weight = np.bincount(districts, weights=rated, minlength=len(standing.district_score))
        district_score = np.bincount(districts, weights=score * rated, minlength=len(weight))
        standing.district_score[:] = np.divide(district_score, weight, out=np.full(len(weight), np.nan), where=weight > 0)
        order = np.argsort(-np.nan_to_num(standing.district_score, nan=-1.0), kind="stable")
        standing.district_rank[order] = np.arange(1, len(weight) + 1)
