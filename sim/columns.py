"""A growable table of numpy columns (a struct of arrays): how govsim holds problems and tickets.

Rows are appended in chunks (capacity doubles when full) and dropped by compaction, so memory follows the number
of live rows and every operation is an array operation over a column.
"""

from __future__ import annotations

import numpy as np


class Columns:
    """Named numpy columns of equal length; `table.name` is a view of the live rows of column `name`."""

    def __init__(self, schema: dict[str, np.dtype | type], capacity: int = 1024):
        self._schema = {name: np.dtype(dtype) for name, dtype in schema.items()}
        clashes = sorted(set(self._schema) & (set(dir(type(self))) | {"n", "_data", "_schema"}))
        if clashes:
            raise ValueError(f"column names that are also the table's own attributes: {clashes}")
        self._data = {name: np.empty(capacity, dtype) for name, dtype in self._schema.items()}
        self.n = 0
        self._point_views()

    def _point_views(self) -> None:
        """Make `table.name` the view of column `name`'s live rows. Views are plain instance attributes, refreshed
        whenever rows are added or dropped: the model reads columns about a hundred times a day, and a plain
        attribute costs a fraction of a `__getattr__` call."""
        n = self.n
        for name, column in self._data.items():
            self.__dict__[name] = column[:n]

    def __getstate__(self) -> dict:
        # Pickle the columns once, not the views as well (a view unpickles as a copy, no longer the column's rows).
        return {key: value for key, value in self.__dict__.items() if key not in self._schema}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._point_views()

    def __len__(self) -> int:
        return self.n

    @property
    def nbytes(self) -> int:
        return sum(column.nbytes for column in self._data.values())

    def append(self, **values) -> np.ndarray:
        """Append rows given as equal-length arrays (or scalars) for every column; return the new row indices."""
        missing = set(self._schema) - set(values)
        if missing:
            raise KeyError(f"missing columns: {sorted(missing)}")
        size = max((n for n in map(_rows, values.values()) if n is not None), default=1)
        self._reserve(self.n + size)
        start, stop = self.n, self.n + size
        for name, value in values.items():
            self._data[name][start:stop] = value
        self.n = stop
        self._point_views()
        return np.arange(start, stop)

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the rows where `mask` is true, preserving their order."""
        rows = np.flatnonzero(mask)  # once for all columns: gathering by index beats masking each column
        for column in self._data.values():
            column[: len(rows)] = column[rows]
        self.n = len(rows)
        self._point_views()

    def _reserve(self, size: int) -> None:
        capacity = len(next(iter(self._data.values())))
        if size <= capacity:
            return
        new_capacity = max(size, 2 * capacity)
        for name, column in self._data.items():
            grown = np.empty(new_capacity, column.dtype)
            grown[: self.n] = column[: self.n]
            self._data[name] = grown


def _rows(value) -> int | None:
    """How many rows a column's value gives: its size if it is an array (or a list), None if a scalar (broadcast)."""
    if isinstance(value, np.ndarray):  # the common case, without np.ndim's and np.size's conversions
        return value.size if value.ndim else None
    if isinstance(value, (int, float, np.generic)):  # a plain scalar (bools are ints)
        return None
    return np.size(value) if np.ndim(value) else None
