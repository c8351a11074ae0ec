"""Residents as columns of numpy arrays, sorted by community: age group, home ownership, propensity to complain,
success memory and trust in government (ODD 2; submodels 7.2 contacts, 7.6 learning, 7.7 trust, 7.11 induced demand).

Nothing here loops over residents. Who contacts the hotline is drawn in proportion to propensity (exactly, with
`BlockSampler`) and then thinned by a bounded factor for trust and, for collective problems, home ownership.
Trust spreads inside a community: each resident's trust relaxes toward the community mean at rate `trust_diffusion`
per day. That pull keeps the community total unchanged, so the model tracks the total exactly and applies the pull
to an individual lazily, in closed form, when they next act: t = m + (t_stored - m)(1 - k)^(days since last act).

Induced demand is a bounded memory of success: p = p0 (1 + boost m) for m >= 0, p0 (1 - drop |m|) for m < 0, with
m in [-1, memory_cap] raised by one after a satisfying fix, lowered by one after an unresolved ticket, and fading
by (1 - memory_decay) a day (lazily, in closed form). The sampler holds a bound on each resident's propensity (its
value when last brought up to date, or p0 while the memory is negative); `acceptance` is the current value over the
bound, so thinning the drawn callers by it makes the draws exact. `forget` brings everyone up to date now and then.
"""

from __future__ import annotations

import numpy as np

from sim.sampling import BlockSampler
from sim.scenario.schema import AGE_GROUPS, Behaviour, Population


CHUNK = 1 << 20  # residents drawn per batch at start-up (the batches' sizes are part of a seed's random path)
PIECE = 1 << 16  # residents per step of the start-up's arithmetic, so that its temporaries stay small at city scale
MAX_DAYS = np.iinfo(np.int16).max  # days are stored as int16 per resident (the schema caps runs at 32,000 days plus a warm-up of at most 730)


def _pieces(start: int, stop: int, edges: np.ndarray | None = None) -> list[tuple[int, int]]:
    """[start, stop) as consecutive (lo, hi) pieces of about PIECE residents; with `edges` (ascending positions),
    cut only at edges, so that a community never straddles two pieces."""
    targets = np.arange(start + PIECE, stop, PIECE)
    if edges is None:
        cuts = targets
    else:
        inside = edges[(edges > start) & (edges < stop)]
        at = np.searchsorted(inside, targets, side="right") - 1  # the last edge at or before each target
        cuts = np.unique(inside[at[at >= 0]])
    bounds = [start, *cuts.tolist(), stop]
    return list(zip(bounds[:-1], bounds[1:]))


def _row_sums(table: np.ndarray) -> np.ndarray:
    """Row sums of a table with few columns (the age groups), added column by column from the left: the order in
    which numpy's sum(axis=1) adds short rows, so the same numbers, at a seventh of its cost (it runs daily)."""
    total = table[:, 0].copy()
    for column in range(1, table.shape[1]):
        total += table[:, column]
    return total


class Residents:
    def __init__(
        self, community_population: np.ndarray, spec: Population, behaviour: Behaviour, rng: np.random.Generator,
        community_reporting: np.ndarray | None = None, first_day: int = 0,
    ):
        """`community_reporting` multiplies the propensity of each community's residents (relative; the city's
        mean propensity is 1 after it); `first_day` is the first day simulated (negative with a warm-up)."""
        self.behaviour = behaviour
        self.size = np.asarray(community_population, dtype=np.int64)
        self._divisor = np.maximum(self.size, 1)  # for means per resident (an empty community's totals are 0)
        self._empty = np.flatnonzero(self.size == 0)
        self.offsets = np.concatenate(([0], np.cumsum(self.size)))
        n = int(self.offsets[-1])
        self.n = n
        groups = [spec.age_groups[name] for name in AGE_GROUPS]
        self.online_share = np.array([g.online_share for g in groups])
        self.online_growth = np.array([g.online_growth for g in groups])
        ratio, share = spec.owner_report_ratio, spec.owner_share
        self.owner_factor = np.array([1.0, ratio]) / (ratio * share + (1.0 - share))  # mean 1 over residents
        self.propensity_cap = np.float32(spec.propensity_cap)
        # decay[d] = (1 - trust_diffusion) ** d, by repeated multiplication: it rounds the same on every machine (a
        # vectorised power may not), so a seed gives the same run everywhere.
        self._decay = np.ones(MAX_DAYS + 1)
        self._decay[1:] = np.cumprod(np.full(MAX_DAYS, 1.0 - behaviour.trust_diffusion))
        self._fade = np.ones(MAX_DAYS + 1)  # (1 - memory_decay) ** d, the same way
        self._fade[1:] = np.cumprod(np.full(MAX_DAYS, 1.0 - behaviour.memory_decay))

        cumulative_shares = np.cumsum([g.share for g in groups])[:-1]
        age_propensity = np.array([g.propensity for g in groups], dtype=np.float32)
        sigma = spec.propensity_sigma
        self.age = np.empty(n, dtype=np.int8)
        self.owner = np.empty(n, dtype=bool)
        self.trust = np.empty(n, dtype=np.float32)
        self.sampler = BlockSampler(n)
        self.propensity = self.sampler.weights  # a view: the sampler and the residents share one array
        for start in range(0, n, CHUNK):
            stop = min(start + CHUNK, n)
            size = stop - start
            # One draw of each attribute for the whole batch; what is computed from the draws, piece by piece (the
            # same numbers element by element, with temporaries the size of a piece).
            uniform = rng.random(size)
            for lo, hi in _pieces(start, stop):
                self.age[lo:hi] = np.searchsorted(cumulative_shares, uniform[lo - start:hi - start], side="right")
            del uniform
            self.owner[start:stop] = rng.random(size, dtype=np.float32) < share
            spread = rng.lognormal(-sigma * sigma / 2, sigma, size)
            for lo, hi in _pieces(start, stop):
                self.propensity[lo:hi] = spread[lo - start:hi - start] * age_propensity[self.age[lo:hi]]
                if community_reporting is not None:
                    self.propensity[lo:hi] *= community_reporting[self.community_of(np.arange(lo, hi))]
            del spread
            trust = rng.normal(spec.initial_trust, spec.trust_spread, size)
            self.trust[start:stop] = np.clip(trust, 0, 1, out=trust)
            del trust
        if n:
            self.propensity /= np.float32(max(float(self.propensity.mean(dtype=np.float64)), 1e-12))
            np.minimum(self.propensity, self.propensity_cap, out=self.propensity)
        self.sampler.resync()
        self.base = self.propensity.copy()  # p0: propensity without memory
        self.memory = np.zeros(n, dtype=np.float32)  # success memory m (negative: failures)
        self.memory_day = np.full(n, first_day, dtype=np.int16)  # day m was last brought up to date
        # Running totals per community (and age group): kept exact to float64 rounding by adding every change, so
        # they never need a pass over all residents again.
        self.propensity_by_age = np.zeros((len(self.size), len(groups)))
        self.trust_sum = np.zeros(len(self.size))
        self.count_by_age = np.zeros((len(self.size), len(groups)))
        # By batches of draws as above, each cut at community edges into pieces: every (community, age group) cell
        # of a batch is summed within one piece, from zero, in resident order -- the same sums as batch by batch.
        pieces = [piece for start in range(0, n, CHUNK) for piece in _pieces(start, min(start + CHUNK, n), self.offsets)]
        for start, stop in pieces:
            community = self.community_of(np.arange(start, stop))
            cell = community * len(groups) + self.age[start:stop]
            flat = np.bincount(cell, weights=self.propensity[start:stop], minlength=self.propensity_by_age.size)
            self.propensity_by_age += flat.reshape(self.propensity_by_age.shape)
            self.trust_sum += np.bincount(community, weights=self.trust[start:stop], minlength=len(self.size))
            self.count_by_age += np.bincount(cell, minlength=self.count_by_age.size).reshape(self.count_by_age.shape)
        # Who asks a question (consultations, ODD 7.12): residents of a community by age group x age propensity.
        self.consult_weight_by_age = self.count_by_age * age_propensity.astype(np.float64)
        self.synced = np.full(n, first_day, dtype=np.int16)  # day of each resident's last act (lazy trust diffusion)
        # the acceptance bound of `draw`: the largest trust weight, times the ownership factor for collective problems
        self._top_weight = self.trust_weight(np.float32(1.0))
        self._top_owner_factor = self.owner_factor.max()
        self._mass: np.ndarray | None = None
        self._mean_trust: np.ndarray | None = None

    # ------------------------------------------------------------------------------------------- aggregates

    def community_mass(self) -> np.ndarray:
        """Cumulative propensity before each community's first resident, (C + 1,)."""
        if self._mass is None:
            self._mass = np.concatenate(([0.0], np.cumsum(_row_sums(self.propensity_by_age))))
        return self._mass

    def mean_trust(self) -> np.ndarray:
        """Per community (0.5 where nobody lives)."""
        if self._mean_trust is None:
            self._mean_trust = self.trust_sum / self._divisor
            self._mean_trust[self._empty] = 0.5
        return self._mean_trust

    def mean_propensity(self) -> np.ndarray:
        """Per community (0 where nobody lives)."""
        return np.diff(self.community_mass()) / self._divisor

    def trust_weight(self, trust: np.ndarray) -> np.ndarray:
        """How trust scales the wish to contact: 1 at neutral trust 0.5."""
        return np.maximum(1.0 + self.behaviour.trust_elasticity * (trust - 0.5), 0.05)

    def contact_weight(self) -> np.ndarray:
        """Per community: mean propensity times the trust weight of mean trust (the mean-field contact intensity)."""
        return self.mean_propensity() * self.trust_weight(self.mean_trust())

    def community_of(self, ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.offsets, ids, side="right") - 1

    def _community_of_sorted(self, ids: np.ndarray) -> np.ndarray:
        """`community_of` for ascending ids: one search per community instead of one per resident."""
        counts = np.diff(np.searchsorted(ids, self.offsets))
        return np.repeat(np.arange(len(self.size)), counts)

    def effective_trust(self, ids: np.ndarray, communities: np.ndarray, day: int) -> np.ndarray:
        mean = self.mean_trust()[communities]
        return mean + (self.trust[ids] - mean) * self._decay[day - self.synced[ids].astype(np.int64)]

    # ------------------------------------------------------------------------------------------------ draws

    def draw(self, communities: np.ndarray, collective: np.ndarray, day: int, rng: np.random.Generator) -> np.ndarray:
        """One resident per row, from that row's community, weighted by propensity x trust weight (x ownership
        factor where `collective`)."""
        chosen = np.empty(len(communities), dtype=np.int64)
        if len(communities) == 0:
            return chosen
        if len(self._empty) and np.any(self.size[communities] == 0):
            raise ValueError("cannot draw a resident from an empty community")
        mass = self.community_mass()
        bound = self._top_weight * np.where(collective, self._top_owner_factor, 1.0)
        todo = np.arange(len(communities))
        while todo.size:
            # Small batches propose several candidates per draw, so that few rounds of rejection are needed.
            tries = 4 if len(todo) < 256 else 1
            rows = np.repeat(todo, tries)
            c = communities[rows]
            candidate = self.sampler.draw(self.offsets[c], self.offsets[c + 1], mass[c], mass[c + 1], rng)
            weight = self.trust_weight(self.effective_trust(candidate, c, day))
            weight = weight * np.where(collective[rows], self.owner_factor[self.owner[candidate].astype(np.int8)], 1.0)
            accepted = (rng.random(len(rows)) * bound[rows] < weight).reshape(-1, tries)
            first = accepted.argmax(axis=1)
            done = accepted[np.arange(len(todo)), first]
            chosen[todo[done]] = candidate.reshape(-1, tries)[np.arange(len(todo)), first][done]
            todo = todo[~done]
        return chosen

    def draw_age(self, communities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Age group of an anonymous caller (a consultation) from each community, in proportion to the group's
        residents x the group's propensity (not to their complaint experience: consultations are their own process).
        """
        weights = self.consult_weight_by_age[communities]
        cumulative = np.cumsum(weights, axis=1)
        target = rng.random(len(communities)) * cumulative[:, -1]
        return (cumulative[:, :-1] <= target[:, None]).sum(axis=1).astype(np.int8)

    def online_shares(self, years: float) -> np.ndarray:
        """(G,) online share of each age group `years` after the reference year's middle (linear, within 0-1)."""
        return np.clip(self.online_share + self.online_growth * years, 0.0, 1.0)

    def channel_online(self, age: np.ndarray, rng: np.random.Generator, years: float = 0.0) -> np.ndarray:
        """Whether each contact is made online (by age group and calendar time: the elderly phone)."""
        return rng.random(len(age)) < self.online_shares(years)[age]

    # --------------------------------------------------------------------------------------------- learning

    def learn(self, ids: np.ndarray, satisfied: np.ndarray, resolved: np.ndarray, day: int) -> None:
        """Callers update trust toward their outcome (a bad one weighs `negativity_bias` times more) and their success
        memory: +1 after a satisfying fix, -1 after an unresolved ticket. A resident with several outcomes on one day
        learns from the last one.
        """
        if len(ids) == 0:
            return
        # np.unique(ids[::-1], return_index=True) written out (its checks cost more than the sort on a day's callers):
        # a stable sort keeps each resident's last outcome first in their run.
        reversed_ids = ids[::-1]
        order = reversed_ids.argsort(kind="stable")
        ordered = reversed_ids[order]
        head = np.empty(len(ordered), dtype=bool)
        head[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=head[1:])
        ids, first = ordered[head], order[head]
        satisfied, resolved = satisfied[::-1][first], resolved[::-1][first]
        b = self.behaviour
        communities = self.community_of(ids)
        before = self.effective_trust(ids, communities, day)
        step = np.minimum(b.trust_learning * np.where(satisfied, 1.0, b.negativity_bias), 1.0).astype(np.float32)
        after = before + step * (satisfied.astype(np.float32) - before)
        np.add.at(self.trust_sum, communities, (after - before).astype(np.float64))
        self._mean_trust = None
        self.trust[ids] = after
        self.synced[ids] = day
        change = np.where(satisfied & resolved, 1.0, np.where(resolved, 0.0, -1.0)).astype(np.float32)
        memory = np.clip(self.memory_now(ids, day) + change, np.float32(-1.0), np.float32(b.memory_cap))
        self._store_memory(ids, communities, memory, day)

    def memory_now(self, ids: np.ndarray, day: int) -> np.ndarray:
        return self.memory[ids] * self._fade[day - self.memory_day[ids].astype(np.int64)].astype(np.float32)

    def _factor(self, memory: np.ndarray) -> np.ndarray:
        b = self.behaviour
        return np.where(memory >= 0, 1.0 + b.success_boost * memory, 1.0 + b.failure_drop * memory).astype(np.float32)

    def _store_memory(self, ids: np.ndarray, communities: np.ndarray, memory: np.ndarray, day: int) -> None:
        """Set memory (as of `day`) and the sampler's bound: p0 (1 + boost m) while m >= 0, p0 while m < 0."""
        self.memory[ids] = memory
        self.memory_day[ids] = day
        old = self.propensity[ids]
        new = np.minimum(self.base[ids] * self._factor(np.maximum(memory, 0)), self.propensity_cap)
        self.propensity[ids] = new
        self.sampler.changed(ids, old, new)
        # A flat index takes numpy's fast path for add.at (same additions in the same order as a (row, column) index).
        cells = communities * self.propensity_by_age.shape[1] + self.age[ids]
        np.add.at(self.propensity_by_age.reshape(-1), cells, new.astype(np.float64) - old.astype(np.float64))
        self._mass = None

    def current_propensity(self, ids: np.ndarray, day: int) -> np.ndarray:
        factor = self._factor(self.memory_now(ids, day))
        return np.clip(self.base[ids] * factor, np.float32(1e-3), self.propensity_cap)

    def acceptance(self, ids: np.ndarray, day: int) -> np.ndarray:
        """Current propensity over the sampler's bound (<= 1): thin drawn callers by it for exact draws."""
        bound = self.propensity[ids]
        return np.divide(self.current_propensity(ids, day), bound, out=np.ones(len(ids), np.float32), where=bound > 0)

    def forget(self, day: int) -> None:
        """Bring every resident with a memory up to date (faded memories near 0 become 0), so that the sampler's
        bounds and the community totals stay close to the current propensities."""
        ids = np.flatnonzero(self.memory != 0)  # a boolean mask first: about twice as fast as nonzero on floats
        # Piece by piece, in order: the same additions to the totals in the same order, a fraction of the
        # temporaries (about 45 bytes per resident with a memory).
        for lo in range(0, len(ids), PIECE):
            piece = ids[lo:lo + PIECE]
            memory = self.memory_now(piece, day)
            memory[np.abs(memory) < 1e-3] = 0.0
            self._store_memory(piece, self._community_of_sorted(piece), memory, day)

    def shift_trust(self, shift: np.ndarray) -> None:
        """Move each community's mean trust by `shift` (C,) (vicarious learning); individuals follow by diffusion."""
        self.trust_sum += shift * self.size
        self._mean_trust = None

    def lose_trust(self, ids: np.ndarray, day: int) -> None:
        """Callers who gave up waiting: trust moves toward 0; propensity stays."""
        self.learn(ids, np.zeros(len(ids), bool), np.ones(len(ids), bool), day)

    # ---------------------------------------------------------------------------------------------- summary

    def mean_trust_overall(self) -> float:
        return float(self.trust_sum.sum() / self.n) if self.n else float("nan")

    def mean_propensity_overall(self) -> float:
        return float(self.community_mass()[-1] / self.n) if self.n else float("nan")

    @property
    def nbytes(self) -> int:
        arrays = (self.age, self.owner, self.propensity, self.trust, self.synced, self.base, self.memory, self.memory_day)
        return sum(a.nbytes for a in arrays)
