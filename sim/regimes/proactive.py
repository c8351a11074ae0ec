"""未诉先办、主动治理 -- proactive governance (from 2021): complaint-response plus prevention.

- Monthly topic (每月一题): at each month's start, rank the categories by last month's tickets, pick the top ones
  not picked recently, and spend the month's prevention budget on them: part removes open problems at their root
  (at a cost per problem), part pays for structural fixes that cut the category's arrival rate after a lag, for
  months. How much a fix cuts is uneven (Beta-distributed around `arrival_cut`): some topics barely move.
- Seasonal anticipation: during a season that raises a category's arrivals (heating, floods), the share
  `anticipation_share` of the extra problems was fixed ahead of the season and never arises; it is paid per problem.
- Co-production: communities with a deliberation hall fix some of their open collective problems themselves.
"""

from __future__ import annotations

import numpy as np

from sim.problems import OPEN
from sim.regimes.hotline import HotlineRegime


class ProactiveRegime(HotlineRegime):
    name = "proactive"

    def __init__(self, model):
        super().__init__(model, model.spec.regimes.hotline)
        self.prevention = model.spec.regimes.proactive
        self.last_picked = np.full(len(model.city.category_names), -10_000)

    def evaluate(self, day: int) -> None:
        super().evaluate(day)
        self._monthly_topics(day)

    def _monthly_topics(self, day: int) -> None:
        model, p = self.model, self.prevention
        rng = model.rng
        date = model.timeline.date(day)
        month_index = date.year * 12 + date.month
        tickets = model.month["category_tickets"].astype(float)
        eligible = model.category_topic_eligible & (month_index - self.last_picked > p.topic_cooldown_months) & (tickets > 0)
        if p.topics_per_month == 0 or not eligible.any():
            return
        ranked = [k for k in np.argsort(-tickets, kind="stable") if eligible[k]][: p.topics_per_month]
        budget = p.budget_per_10k * model.city.population / 10_000
        share = budget / len(ranked)
        problems = model.problems.table
        for k in ranked:
            self.last_picked[k] = month_index
            # Half the topic's money removes open problems at the root, half buys structural fixes.
            candidates = np.flatnonzero((problems.state == OPEN) & (problems.category == k))
            n_remove = min(len(candidates), int(0.5 * share // p.cost_per_problem))
            removed = rng.choice(candidates, size=n_remove, replace=False) if n_remove else candidates[:0]
            model.remove_problems(removed)
            concentration = p.cut_spread
            cut = rng.beta(max(p.arrival_cut * concentration, 1e-6), max((1 - p.arrival_cut) * concentration, 1e-6))
            model.add_structural_cut(int(k), float(cut), day + p.lag_days, day + p.lag_days + 30 * p.cut_months)
            model.record_spend(n_remove * p.cost_per_problem + 0.5 * share)
            model.topics.append((date.isoformat(), model.city.category_names[k], float(cut), n_remove))

    def screen_arrivals(self, category: np.ndarray, day: int, rng: np.random.Generator) -> np.ndarray:
        """Seasonal anticipation: a share of the season's extra problems were fixed before the season."""
        season = self.model.timeline.season(day)
        a = self.prevention.anticipation_share
        keep_probability = np.where(season > 1.0, (1.0 + (season - 1.0) * (1.0 - a)) / np.maximum(season, 1e-12), 1.0)
        keep = rng.random(len(category)) < keep_probability[category]
        self.model.record_spend(np.count_nonzero(~keep) * self.prevention.cost_per_problem)
        return keep

    def prevent(self, day: int, rng: np.random.Generator) -> None:
        """Co-production: residents in communities with a deliberation hall fix open collective problems."""
        rate = self.prevention.coproduction_rate
        problems = self.model.problems.table
        if rate <= 0 or problems.n == 0:
            return
        eligible = np.flatnonzero(
            (problems.state == OPEN) & problems.collective & (problems.pending == 0) & self.model.city.community_hall[problems.community]
        )
        self.model.remove_problems(eligible[rng.random(len(eligible)) < rate])
