"""Sampling helpers of the engine: Poisson events of many processes at once, positions in cumulative sums, and exact
weighted sampling of one element inside a contiguous range, with weights that change over time (`BlockSampler`).

Residents are stored sorted by community, so "a resident of community c, chosen in proportion to propensity" is
"an index in [start_c, end_c) chosen in proportion to w". The sampler keeps the weights in blocks of `BLOCK`
elements, the block sums and their prefix sums; a draw finds its block by binary search and its element by a
cumulative sum over one block. Cost per draw is O(log(N / BLOCK) + BLOCK), cost per weight change O(1), and the
prefix is rebuilt in O(N / BLOCK) only on days when weights changed -- nothing is proportional to the population
per day.
"""

from __future__ import annotations

import numpy as np

BLOCK = 32


class BlockSampler:
    def __init__(self, n: int):
        """Room for `n` weights, all zero. `self.weights` is the live view to read and write: after filling it,
        call `resync()`; after changing weights[i] later, call `changed(i, old, new)`."""
        self._n_blocks = max(-(-n // BLOCK), 1)
        self._blocks = np.zeros((self._n_blocks, BLOCK), dtype=np.float32)
        self.weights = self._blocks.reshape(-1)[:n]
        self._prefix_store = np.zeros(self._n_blocks + 1)  # the prefix sums' array, rewritten in place
        self.resync()

    def changed(self, index: np.ndarray, old: np.ndarray, new: np.ndarray) -> None:
        np.add.at(self.block_sums, index // BLOCK, new.astype(np.float64) - old.astype(np.float64))
        self._prefix = None

    def resync(self) -> None:
        """Recompute block sums exactly (clears floating-point drift from many small updates)."""
        self.block_sums = self._blocks.sum(axis=1, dtype=np.float64)
        self._prefix: np.ndarray | None = None

    def prefix(self) -> np.ndarray:
        """Total weight before each block, (blocks + 1,); rebuilt in place (no new array at city scale each day)."""
        if self._prefix is None:
            np.cumsum(self.block_sums, out=self._prefix_store[1:])
            self._prefix = self._prefix_store
        return self._prefix

    def mass_before(self, index: np.ndarray) -> np.ndarray:
        """Total weight of elements [0, index) for each index."""
        index = np.asarray(index, dtype=np.int64)
        block = np.minimum(index // BLOCK, self._n_blocks - 1)
        partial = np.where(np.arange(BLOCK) < (index - block * BLOCK)[:, None], self._blocks[block], 0.0).sum(axis=1)
        return self.prefix()[block] + partial

    def draw(self, lo: np.ndarray, hi: np.ndarray, lo_mass: np.ndarray, hi_mass: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One index per row in [lo, hi), in proportion to weight.

        `lo_mass` / `hi_mass` are the total weight before lo and before hi (callers may keep these per group; small
        rounding differences only move a draw that lands on a group's edge to the nearest element inside it).
        """
        prefix = self.prefix()
        target = lo_mass + rng.random(len(lo)) * (hi_mass - lo_mass)
        block = np.minimum(np.searchsorted(prefix, target, side="right") - 1, self._n_blocks - 1)  # >= 0: target >= 0
        residual = (target - prefix[block]).astype(np.float32)
        inside = np.cumsum(self._blocks[block], axis=1) <= residual[:, None]
        return np.minimum(np.maximum(block * BLOCK + inside.sum(axis=1), lo), hi - 1)



def in_proportion(cumulative: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Index i with cumulative[i] <= target < cumulative[i + 1], for each target (cumulative starts at 0)."""
    return np.minimum(np.searchsorted(cumulative, targets, side="right") - 1, len(cumulative) - 2)


def poisson_events(rng: np.random.Generator, rates: np.ndarray) -> np.ndarray:
    """Indices of the events of independent Poisson processes with the given rates, one index per event.

    Draws the total once and spreads it over the processes in proportion to their rates (the same law as one
    Poisson draw per process, at the cost of a cumulative sum instead of a draw per process).
    """
    if len(rates) == 0:
        return np.empty(0, dtype=np.int64)
    cumulative = np.cumsum(rates, dtype=np.float64)
    total = float(cumulative[-1])
    if total <= 0:
        return np.empty(0, dtype=np.int64)
    events = np.searchsorted(cumulative, rng.random(rng.poisson(total)) * total, side="right")
    return np.minimum(events, len(rates) - 1)
