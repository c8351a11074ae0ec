"""ODD 7.19 -- places: street offices and communities differ in what they can do and in how their residents report.

Built once at the model's start from the seed's own places stream (`sim.streams.places_stream`), so two regimes
run with one seed face the same places (common random numbers), and replicates differ in their draws:
- capability of street office s: `LogNormal(-σ²/2, σ) x zone_capability[zone]`, rescaled so that its mean over
  residents is 1 (places differ; the city's calibrated totals stay). It multiplies the street's chance of a root fix
  (clipped to [0, 1]) and divides the effort hours its tickets need (`^capability_effort_elasticity`);
- travel: a street's area is its district's `area_km2` / its streets; lead days before work can start on a
  ticket of its communities are multiplied by `(area / median street area)^travel_elasticity`, capped both ways
  at `max_travel_factor` (the median over all the city's streets, so it does not depend on the scale);
- old compounds: community c has a share `o_c ~ Beta(m_z κ, (1 - m_z) κ)` of its housing in old compounds (m_z by
  zone). A category k with `old_compound_effect` e_k arises e_k times as often there: within a district problems
  of k are placed in proportion to `pop_c (1 + o_c (e_k - 1))`, and districts' rates of k are reweighted the same
  way with the city total kept. A root fix of such a category in c is `1 - q_ck (1 - 1/old_compound_difficulty)`
  times as likely, q_ck the share of k's problems in c that sit in old compounds;
- neighbourhood reporting: `r_c ~ LogNormal(-σ_r²/2, σ_r)` multiplies the residents' propensity (with the
  district's `reporting`; the population rescales propensity to mean 1).
"""

from __future__ import annotations

import math

import numpy as np

from sim.sampling import in_proportion
from sim.scenario.schema import ZONES
from sim.streams import places_stream


def _lognormal_mean_one(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    return rng.lognormal(-sigma * sigma / 2.0, sigma, n) if sigma > 0 else np.ones(n)


class Places:
    def __init__(self, spec, city, category_names: list[str], seed: int):
        p, rng = spec.places, places_stream(seed)
        districts = spec.city.districts
        self.city = city
        street_zone = city.district_zone[city.street_district]
        zone_capability = np.array([p.zone_capability.get(z, 1.0) for z in ZONES])
        raw = _lognormal_mean_one(rng, p.capability_spread, city.n_streets) * zone_capability[street_zone]
        residents = np.bincount(city.community_street, city.community_population, city.n_streets).astype(np.float64)
        mean = float(np.dot(raw, residents) / residents.sum()) if residents.sum() else 1.0
        self.capability = raw / mean  # the residents' mean capability is 1: places differ, the city stays calibrated
        self.effort_scale = np.array([c ** -p.capability_effort_elasticity for c in self.capability.tolist()])

        # travel: street area against the median street of the whole city (every street, sampled or not)
        area = [d.area_km2 / d.streets if d.area_km2 else math.nan for d in districts]
        known = [a for a, d in zip(area, districts) if not math.isnan(a) for _ in range(d.streets)]
        median = float(np.median(known)) if known else math.nan
        cap = p.max_travel_factor
        district_travel = [
            1.0 if math.isnan(a) else min(max((a / median) ** p.travel_elasticity, 1.0 / cap), cap) for a in area
        ]
        self.street_area = np.array(area)[city.street_district]
        self.street_travel = np.array(district_travel)[city.street_district]

        # old compounds
        community_zone = city.district_zone[city.community_district]
        mean = np.array([p.old_compound_share.get(z, 0.0) for z in ZONES])[community_zone]
        inner = np.clip(mean, 1e-6, 1 - 1e-6)
        kappa = p.old_compound_concentration
        draw = rng.beta(inner * kappa, (1.0 - inner) * kappa)
        self.old_share = np.where((mean > 0) & (mean < 1), draw, mean)

        # neighbourhood reporting
        self.reporting = _lognormal_mean_one(rng, p.reporting_spread, len(city.community_street))

        self.effect = np.array([p.old_compound_effect.get(name, 1.0) for name in category_names])
        self.difficulty = p.old_compound_difficulty
        self._placement = {int(k): self._weighted(float(self.effect[k])) for k in np.flatnonzero(self.effect != 1.0)}

    @classmethod
    def alike(cls, n_streets: int, n_communities: int) -> "Places":
        """Places that do not differ (every factor 1): for hand-made contexts in tests."""
        places = cls.__new__(cls)
        places.capability, places.effort_scale = np.ones(n_streets), np.ones(n_streets)
        places.street_area, places.street_travel = np.full(n_streets, np.nan), np.ones(n_streets)
        places.old_share, places.reporting = np.zeros(n_communities), np.ones(n_communities)
        places.effect, places.difficulty, places._placement = np.ones(0), 1.0, {}
        return places

    def _weighted(self, effect: float):
        """For a category with old-compound effect `effect`: the communities' prefix sums of placement weight,
        each district's range in them, the district's rate factor and the old-compound share of its problems."""
        city = self.city
        pop = city.community_population.astype(np.float64)
        weight = pop * (1.0 + self.old_share * (effect - 1.0))
        before = np.concatenate(([0.0], np.cumsum(weight)))
        districts = np.arange(len(city.district_names))
        first = np.searchsorted(city.community_district, districts)
        last = np.searchsorted(city.community_district, districts, side="right")
        w_d, pop_d = before[last] - before[first], np.bincount(city.community_district, pop, len(districts))
        city_ratio = before[-1] / pop.sum() if pop.sum() else 1.0
        factor = np.where(pop_d > 0, w_d / np.maximum(pop_d, 1e-12) / city_ratio, 1.0)
        in_old = np.where(weight > 0, pop * self.old_share * effect / np.maximum(weight, 1e-12), 0.0)
        return before, (before[first], before[last]), factor, in_old

    # ---- arrival

    def arrival_factor(self, n_districts: int, n_categories: int) -> np.ndarray:
        """(D, K) multiplier of each district's arrival rate (old compounds move problems between districts)."""
        factor = np.ones((n_districts, n_categories))
        for k, (_, _, district_factor, _) in self._placement.items():
            factor[:, k] = district_factor
        return factor

    def place(self, community: np.ndarray, district: np.ndarray, category: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Communities of new problems: those placed by residents, moved toward old compounds where the category
        arises more there (the same uniform `u` that placed them, so no extra draws)."""
        for k, (before, (lo, hi), _, _) in self._placement.items():
            mine = category == k
            if mine.any():
                d = district[mine]
                community = community.copy()
                community[mine] = in_proportion(before, lo[d] + u[mine] * (hi[d] - lo[d]))
        return community

    # ---- handling

    def fix_factor(self, handler: np.ndarray, category: np.ndarray, community: np.ndarray, handlers) -> np.ndarray:
        """Multiplier of the chance of a root fix: the street office's capability (departments: 1) times the
        old-compound difficulty of the category in the community."""
        at_street = handlers.is_street(handler)
        factor = np.where(at_street, self.capability[np.where(at_street, handlers.street(handler), 0)], 1.0)
        if self._placement:
            in_old = np.zeros(len(handler))
            for k, (_, _, _, share) in self._placement.items():
                mine = category == k
                in_old[mine] = share[community[mine]]
            factor = factor * (1.0 - in_old * (1.0 - 1.0 / self.difficulty))
        return factor

    def effort_factor(self, handler: np.ndarray, handlers) -> np.ndarray:
        """Multiplier of the effort hours a ticket needs: 1 / capability^elasticity at streets, 1 at departments."""
        at_street = handlers.is_street(handler)
        return np.where(at_street, self.effort_scale[np.where(at_street, handlers.street(handler), 0)], 1.0)

    def lead_factor(self, street: np.ndarray) -> np.ndarray:
        """Multiplier of the lead days of tickets about problems in `street`'s communities (travel)."""
        return self.street_travel[street]
