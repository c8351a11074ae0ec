"""ODD 7.1 -- problems age and arise.

Problems past their life go away and dormant ones whose delay is over come back open (`ProblemStock.age`). Then
new problems arise by district and category, `N[d, k] ~ Poisson(pop_d x rate_k x season x shocks x programmes)`,
from the world stream of the day (common random numbers), are placed in communities in proportion to residents,
drawn collective or individual with their size and life, and pass the regime's screens (seasonal anticipation)
and the structural cuts that monthly topics bought: what does not pass was prevented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.sampling import in_proportion, poisson_events
from sim.streams import world_stream

if TYPE_CHECKING:
    from sim.context import Context


class Arrival:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        city = ctx.city
        # Communities are numbered district by district, so a district's residents are one range of this cumsum.
        self.population_before = np.concatenate(([0], np.cumsum(city.community_population)))
        districts = np.arange(len(city.district_names))
        first = np.searchsorted(city.community_district, districts)
        last = np.searchsorted(city.community_district, districts, side="right")
        self.district_range = (self.population_before[first], self.population_before[last])
        district_population = self.district_range[1] - self.district_range[0]
        self.base_rate = district_population[:, None] * ctx.categories.problem_rate[None, :]  # (D, K) per day
        self.base_rate = self.base_rate * ctx.places.arrival_factor(*self.base_rate.shape)  # old compounds
        self.structural_cuts: list[tuple[int, float, int, int]] = []  # (category, cut, from day, until day)

    def add_structural_cut(self, category: int, cut: float, start: int, end: int) -> None:
        """A structural fix: the category's arrivals fall by `cut` from day `start` until day `end`."""
        self.structural_cuts.append((category, cut, start, end))

    def step(self, day: int) -> None:
        ctx = self.ctx
        ctx.problems.age(day)
        categories = ctx.categories
        world = world_stream(ctx.seed, day)
        k_count = len(categories)
        cells = poisson_events(world, (self.base_rate * ctx.timeline.arrival_factor(day)).ravel())
        district, category = cells // k_count, cells % k_count
        n = len(cells)
        lo, hi = self.district_range[0][district], self.district_range[1][district]
        u = world.random(n)
        community = ctx.places.place(in_proportion(self.population_before, lo + u * (hi - lo)), district, category, u)
        collective = world.random(n) < categories.collective[category]
        size = world.geometric(1.0 / categories.affected[category])
        affected = np.where(collective, size, 1).astype(np.float32)
        expires = day + world.geometric(1.0 / categories.lifetime[category])
        keep = ctx.regime.screen_arrivals(category, day)
        cut = self._structural_keep(day)
        if cut is not None:
            keep &= ctx.rng.random(n) < cut[category]
        ctx.problems.add(community[keep], category[keep], affected[keep], collective[keep], expires[keep])
        ctx.today.new_problems += int(keep.sum())
        ctx.today.prevented_problems += int(n - keep.sum())

    def _structural_keep(self, day: int) -> np.ndarray | None:
        """Share of each category's arrivals that the structural fixes in force let through (None: no fix)."""
        active = [(k, cut) for k, cut, start, end in self.structural_cuts if start <= day < end]
        if not active:
            return None
        keep = np.ones(len(self.ctx.categories))
        for k, cut in active:
            keep[k] *= 1.0 - cut
        return keep
