"""Seasonal anticipation: problems of a season (heating, floods) handled ahead of it.

During a season that multiplies a category's arrivals by m > 1, the share `anticipation_share` of the extra
problems was fixed before the season and never arises: each arrival is kept with probability
(1 + (m - 1)(1 - a)) / m. Each prevented problem costs `cost_per_problem`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.context import Context
    from sim.scenario.schema import ProactiveParams


class SeasonalAnticipation:
    def __init__(self, ctx: "Context", params: "ProactiveParams"):
        self.ctx, self.params = ctx, params

    def keep(self, category: np.ndarray, day: int) -> np.ndarray:
        """Which of today's new problems (by category) still arise."""
        season = self.ctx.timeline.season(day)
        a = self.params.anticipation_share
        keep_probability = np.where(season > 1.0, (1.0 + (season - 1.0) * (1.0 - a)) / np.maximum(season, 1e-12), 1.0)
        keep = self.ctx.rng.random(len(category)) < keep_probability[category]
        self.ctx.today.prevention_spend += float(np.count_nonzero(~keep) * self.params.cost_per_problem)
        return keep
