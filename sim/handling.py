"""Staff time spent on queues: each street office and department works through its tickets in priority order
until its staff-hours for the day run out.

`allocate` does this for every handler at once: sort tickets by (handler, priority), take a running sum of the
hours they need, and give each ticket what is left of its handler's hours after the tickets ahead of it.
"""

from __future__ import annotations

import numpy as np


def allocate(handler: np.ndarray, priority: np.ndarray, demand: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Hours each ticket receives today.

    handler: handler index per ticket; priority: lower is served first (ties keep input order);
    demand: hours each ticket still needs; capacity: hours each handler has (indexed by handler).
    """
    n = len(handler)
    if n == 0:
        return np.zeros(0)
    order = np.lexsort((priority, handler))
    h = handler[order]
    need = demand[order].astype(np.float64)
    before = np.cumsum(need) - need
    first = np.empty(n, dtype=bool)
    first[0] = True
    first[1:] = h[1:] != h[:-1]
    group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    used_before = before - before[group_start]
    served = np.empty(n)
    served[order] = np.clip(capacity[h] - used_before, 0.0, need)
    return served
