"""PRIM, the Patient Rule Induction Method [Friedman & Fisher 1999], as scenario discovery uses it [Bryant &
Lempert 2010; Kwakkel & Jaxa-Rozen 2016]: find boxes (a range on some inputs) inside which a case of interest is
common.

- Peeling: starting from the box that holds every point, remove repeatedly the slice (a share `peel` of the box's
  points at the low or high end of one input; for an input with few distinct values, the points at its end value)
  whose removal raises the share of cases in the box most per point removed (EMA Workbench's "lenient 1"
  objective: a coarse slice must earn its size), until the box would hold fewer than `min_support` of all
  points. Each step is a point of the peeling trajectory, which trades coverage (the share of all cases that fall
  in the box) for density (the share of the box's points that are cases).
- Choosing: the box on the trajectory with the highest coverage among those whose density reaches
  `min_density`; if none does, the densest one.
- Pasting: then widen each side again, a slice at a time, as long as that raises the density.
- Covering: the points in the box are set aside and the search repeats on the rest for the next box, while a box
  is denser than the rest's base rate.

Each restricted input gets a quasi-p-value (one-sided binomial test: is the box denser than the same box without
this restriction?), as EMA Workbench reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

FEW_VALUES = 12  # an input with at most this many distinct values is peeled value by value


@dataclass
class Box:
    limits: dict[str, tuple[float, float]]  # input -> (low, high), inclusive, for the restricted inputs only
    coverage: float
    density: float
    support: float  # share of all points in the box
    points: int
    cases: int
    qp_values: dict[str, float] = field(default_factory=dict)
    trajectory: pd.DataFrame = field(default_factory=pd.DataFrame)


def _inside(x: pd.DataFrame, bounds: dict[str, tuple[float, float]]) -> np.ndarray:
    mask = np.ones(len(x), dtype=bool)
    for name, (low, high) in bounds.items():
        mask &= (x[name].to_numpy() >= low) & (x[name].to_numpy() <= high)
    return mask


def _candidates(x: pd.DataFrame, mask: np.ndarray, bounds: dict, peel: float):
    """(name, new bounds) for every one-slice peel of the box."""
    for name in x.columns:
        values = x[name].to_numpy()[mask]
        if len(values) == 0:
            continue
        distinct = np.unique(values)
        if len(distinct) < 2:
            continue
        low, high = bounds[name]
        if len(np.unique(x[name])) <= FEW_VALUES:
            yield name, (distinct[1], high)
            yield name, (low, distinct[-2])
        else:
            yield name, (float(np.quantile(values, peel, method="higher")), high)
            yield name, (low, float(np.quantile(values, 1 - peel, method="lower")))


def _peel(x: pd.DataFrame, y: np.ndarray, active: np.ndarray, peel: float, min_points: int) -> list[tuple[dict, np.ndarray]]:
    bounds = {name: (float(x[name][active].min()), float(x[name][active].max())) for name in x.columns}
    mask = active.copy()
    steps = [(dict(bounds), mask.copy())]
    while True:
        best = None
        n_box, density_box = int(mask.sum()), float(y[mask].mean())
        for name, new in _candidates(x, mask, bounds, peel):
            trial = mask & (x[name].to_numpy() >= new[0]) & (x[name].to_numpy() <= new[1])
            n = int(trial.sum())
            if n < min_points or n == n_box:
                continue
            # gain in density per point peeled off ("lenient" objective): a coarse peel of a discrete input must
            # earn its size, so the box is not cut by a quarter because that helps a little
            score = (float(y[trial].mean()) - density_box) / (n_box - n)
            if best is None or score > best[0] or (score == best[0] and n > best[3]):
                best = (score, name, new, n, trial)
        if best is None:
            return steps
        _, name, new, _, mask = best
        bounds = {**bounds, name: (float(new[0]), float(new[1]))}
        steps.append((dict(bounds), mask.copy()))


def _paste(x: pd.DataFrame, y: np.ndarray, active: np.ndarray, bounds: dict, peel: float) -> tuple[dict, np.ndarray]:
    mask = active & _inside(x, bounds)
    while True:
        density = float(y[mask].mean()) if mask.any() else 0.0
        best = None
        for name in x.columns:
            column = x[name].to_numpy()
            others = active & _inside(x, {k: v for k, v in bounds.items() if k != name})
            low, high = bounds[name]
            below, above = np.sort(column[others & (column < low)]), np.sort(column[others & (column > high)])
            step = max(1, int(round(peel * mask.sum())))
            for new in ([(below[-min(step, len(below))], high)] if len(below) else []) + ([(low, above[min(step, len(above)) - 1])] if len(above) else []):
                trial = others & (column >= new[0]) & (column <= new[1])
                d = float(y[trial].mean())
                if d > density and (best is None or d > best[0]):
                    best = (d, name, new, trial)
        if best is None:
            return bounds, mask
        _, name, new, mask = best
        bounds = {**bounds, name: (float(new[0]), float(new[1]))}


def find_box(x: pd.DataFrame, y: np.ndarray, active: np.ndarray, *, peel: float = 0.05, min_support: float = 0.05, min_density: float = 0.8,
             total_cases: float | None = None) -> Box:
    """One box among the `active` points; coverage is over `total_cases` (default: the active points' cases)."""
    y = np.asarray(y, dtype=float)
    total_cases = total_cases or float(y[active].sum()) or 1.0
    steps = _peel(x, y, active, peel, max(1, int(np.ceil(min_support * len(x)))))
    rows = [{"step": i, "coverage": float(y[m].sum()) / total_cases, "density": float(y[m].mean()), "support": float(m.sum()) / len(x),
             "restricted": sum(1 for k, v in b.items() if v != steps[0][0][k])} for i, (b, m) in enumerate(steps)]
    trajectory = pd.DataFrame(rows)
    dense = trajectory[trajectory["density"] >= min_density]
    chosen = int(dense.sort_values(["coverage", "step"], ascending=[False, True]).iloc[0]["step"]) if len(dense) else int(trajectory["density"].idxmax())
    bounds, mask = _paste(x, y, active, steps[chosen][0], peel)
    full = steps[0][0]
    limits = {k: v for k, v in bounds.items() if v != full[k]}
    cases, points = int(y[mask].sum()), int(mask.sum())
    qp = {}
    for name in limits:
        relaxed = active & _inside(x, {k: v for k, v in bounds.items() if k != name})
        p0 = float(y[relaxed].mean())
        qp[name] = float(stats.binom.sf(cases - 1, points, p0)) if 0 < p0 < 1 else float("nan")
    return Box(limits, cases / total_cases, cases / points if points else float("nan"), points / len(x), points, cases, qp, trajectory)


def covering(x: pd.DataFrame, y: np.ndarray, *, boxes: int = 3, **options) -> list[Box]:
    """Up to `boxes` boxes, each found among the points the earlier boxes left out."""
    y = np.asarray(y, dtype=float)
    active = np.ones(len(x), dtype=bool)
    found = []
    for _ in range(boxes):
        if y[active].sum() == 0:
            break
        base = float(y[active].mean())
        box = find_box(x, y, active, total_cases=float(y.sum()), **options)
        if not box.limits or not box.density > base:
            break
        found.append(box)
        active &= ~_inside(x, box.limits)
    return found
