"""Every month one topic (每月一题): fix the busiest problems at the root before residents call.

At each month's start rank the eligible categories by last month's tickets, pick the top `topics_per_month` not
picked in the last `topic_cooldown_months`, and split the month's prevention budget between them: half removes
open problems of the category at `cost_per_problem` each, half buys structural fixes that cut the category's
arrivals after `lag_days` for `cut_months`. What a fix cuts is a production function of the structural spend s per
10,000 residents, with diminishing returns: mean cut = arrival_cut x (1 - exp(-s / cut_spend_scale)), so no money
buys no cut; it is uneven, Beta-distributed around that mean with concentration `cut_spread`: some topics barely
move [DOMAIN §3].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.problems import OPEN

if TYPE_CHECKING:
    from sim.context import Context
    from sim.scenario.schema import ProactiveParams


class MonthlyTopics:
    def __init__(self, ctx: "Context", params: "ProactiveParams"):
        self.ctx, self.params = ctx, params
        self.last_picked = np.full(len(ctx.categories), -10_000)  # month index each category was last picked

    def enter(self) -> None:
        """Nothing to set up: the first topic is picked at the next month's start."""

    def evaluate(self, day: int) -> None:
        ctx, p = self.ctx, self.params
        rng = ctx.rng
        date = ctx.timeline.date(day)
        month_index = date.year * 12 + date.month
        tickets = ctx.month.category_tickets.astype(float)
        eligible = ctx.categories.topic_eligible & (month_index - self.last_picked > p.topic_cooldown_months) & (tickets > 0)
        if p.topics_per_month == 0 or not eligible.any():
            return
        ranked = [k for k in np.argsort(-tickets, kind="stable") if eligible[k]][: p.topics_per_month]
        budget = p.budget_per_10k * ctx.city.population / 10_000
        share = budget / len(ranked)
        problems = ctx.problems.table
        for k in ranked:
            self.last_picked[k] = month_index
            # Half the topic's money removes open problems at the root, half buys structural fixes.
            candidates = np.flatnonzero((problems.state == OPEN) & (problems.category == k))
            n_remove = min(len(candidates), int(0.5 * share // p.cost_per_problem))
            removed = rng.choice(candidates, size=n_remove, replace=False) if n_remove else candidates[:0]
            ctx.remove_prevented(removed)
            concentration = p.cut_spread
            structural_per_10k = 0.5 * share / max(ctx.city.population / 10_000, 1e-9)
            mean_cut = p.arrival_cut * (1.0 - np.exp(-structural_per_10k / p.cut_spend_scale))
            cut = rng.beta(max(mean_cut * concentration, 1e-6), max((1 - mean_cut) * concentration, 1e-6))
            ctx.arrival.add_structural_cut(int(k), float(cut), day + p.lag_days, day + p.lag_days + 30 * p.cut_months)
            ctx.today.prevention_spend += float(n_remove * p.cost_per_problem + 0.5 * share)
            ctx.topics.append((date.isoformat(), ctx.categories.names[k], float(cut), n_remove))
