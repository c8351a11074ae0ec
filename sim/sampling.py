"""Exact weighted sampling of one element inside a contiguous range, with weights that change over time.

Residents are stored sorted by community, so "a resident of community c, chosen in proportion to propensity" is
"an index in [start_c, end_c) chosen in proportion to w". The sampler keeps block sums of w (blocks of `BLOCK`
elements) and their prefix sums; a draw finds its block by binary search and its element by a cumulative sum over
one block. Cost per draw is O(log(N / BLOCK) + BLOCK), cost per weight change O(1), and the prefix is rebuilt in
O(N / BLOCK) only on days when weights changed -- nothing is proportional to the population per day.
"""

from __future__ import annotations

import numpy as np

BLOCK = 64


class BlockSampler:
    def __init__(self, weights: np.ndarray):
        """`weights` is held by reference: after changing weights[i], call `changed(i, old, new)`."""
        self.weights = weights
        n = len(weights)
        self._n_blocks = -(-n // BLOCK)
        padded = np.zeros(self._n_blocks * BLOCK, dtype=np.float64)
        padded[:n] = weights
        self.block_sums = padded.reshape(-1, BLOCK).sum(axis=1)
        self._prefix: np.ndarray | None = None

    def changed(self, index: np.ndarray, old: np.ndarray, new: np.ndarray) -> None:
        np.add.at(self.block_sums, index // BLOCK, new.astype(np.float64) - old.astype(np.float64))
        self._prefix = None

    def resync(self) -> None:
        """Recompute block sums exactly (clears floating-point drift from many small updates)."""
        self.__init__(self.weights)

    def prefix(self) -> np.ndarray:
        if self._prefix is None:
            self._prefix = np.concatenate(([0.0], np.cumsum(self.block_sums)))
        return self._prefix

    def mass_before(self, index: np.ndarray) -> np.ndarray:
        """Total weight of elements [0, index) for each index."""
        index = np.asarray(index, dtype=np.int64)
        block = np.minimum(index // BLOCK, self._n_blocks - 1)
        rows, start = self._rows(block)
        partial = np.where(np.arange(BLOCK) < (index - start)[:, None], rows, 0.0).sum(axis=1)
        return self.prefix()[block] + partial

    def draw(self, lo: np.ndarray, hi: np.ndarray, lo_mass: np.ndarray, hi_mass: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One index per row in [lo, hi), in proportion to weight; `lo_mass` / `hi_mass` = mass_before(lo / hi)."""
        prefix = self.prefix()
        target = lo_mass + rng.random(len(lo)) * (hi_mass - lo_mass)
        block = np.clip(np.searchsorted(prefix, target, side="right") - 1, 0, self._n_blocks - 1)
        rows, start = self._rows(block)
        inside = prefix[block][:, None] + np.cumsum(rows, axis=1) <= target[:, None]
        return np.clip(start + inside.sum(axis=1), lo, hi - 1)

    def _rows(self, block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The weights of each given block as a (len(block), BLOCK) array (zeros past the end), and block starts."""
        start = block * BLOCK
        columns = start[:, None] + np.arange(BLOCK)
        n = len(self.weights)
        rows = np.where(columns < n, self.weights[np.minimum(columns, n - 1)], 0.0)
        return rows, start
