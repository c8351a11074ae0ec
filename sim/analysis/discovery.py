"""`govsim discover RESULTS --outcome ... --threshold ...`: scenario discovery over stored runs.

RESULTS is any results folder whose runs vary parameters (a sensitivity stage's folder such as OUT/sobol, a Latin
hypercube experiment): its parameter points are the inputs, the outcome (see `outcomes`) is computed per point as
the mean over replicates, and a point is a case of interest where the outcome is above the threshold (below it
with `--below`). PRIM (`prim.py`) then finds the boxes of the input space where cases are common.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.evaluators import read_outcomes
from sim.analysis.outcomes import Outcome, parse_outcome
from sim.analysis.prim import Box, covering
from sim.analysis.uncertainties import label
from sim.experiment.store import open_results
from sim.inputs import InputError


@dataclass
class Discovery:
    outcome: Outcome
    threshold: float
    below: bool
    inputs: pd.DataFrame
    cases: np.ndarray
    boxes: list[Box]
    results: Path


def discover(results: str | Path, outcome_text: str, threshold: float, *, below: bool = False, peel: float = 0.05, min_support: float = 0.05,
             min_density: float = 0.8, boxes: int = 3) -> Discovery:
    results = Path(results)
    runs, swept, record = open_results(results)
    if not swept or not record.get("points"):
        raise InputError("these results do not vary any parameter, so there is no space to search; use a sensitivity stage's folder or a Latin hypercube experiment", source=str(results))
    regimes = list(record["spec"]["regimes"])
    outcome = parse_outcome("outcome", outcome_text, regimes, field="--outcome")
    if not runs:
        raise InputError("no finished runs here", source=str(results))
    values, _ = read_outcomes(results, [outcome])
    inputs = pd.DataFrame(record["points"]).loc[values.index]
    numeric = [c for c in inputs.columns if pd.api.types.is_numeric_dtype(inputs[c]) and not pd.api.types.is_bool_dtype(inputs[c]) and inputs[c].nunique() > 1]
    inputs = inputs[numeric].astype(float)
    y = values[outcome.name].to_numpy(float)
    keep = np.isfinite(y)
    if not keep.any():
        raise InputError(f"the outcome {outcome_text} is undefined at every point", field="--outcome")
    inputs, y = inputs[keep].reset_index(drop=True), y[keep]
    cases = y < threshold if below else y > threshold
    found = covering(inputs, cases, boxes=boxes, peel=peel, min_support=min_support, min_density=min_density) if 0 < cases.sum() < len(cases) else []
    return Discovery(outcome, threshold, below, inputs, cases, found, results)


def format_boxes(found: Discovery) -> str:
    n, k = len(found.cases), int(found.cases.sum())
    sign = "<" if found.below else ">"
    lines = [f"{found.results}: {n} parameter points; the outcome holds ({found.outcome.describe()} {sign} {found.threshold:g}) at {k} of them ({k / n:.0%})"]
    if k == 0 or k == n:
        lines.append("nothing to discover: the outcome holds " + ("nowhere" if k == 0 else "everywhere") + " in the sampled space")
        return "\n".join(lines)
    if not found.boxes:
        lines.append("PRIM found no box denser than the base rate")
    for number, box in enumerate(found.boxes, start=1):
        lines.append(f"\nbox {number}: coverage {box.coverage:.0%} (of all points where it holds), density {box.density:.0%} (of the box's points), "
                     f"{box.points} points ({box.support:.0%} of all)")
        lines.append(f"  {'input':<58}{'low':>11}{'high':>11}   quasi-p")
        for name, (low, high) in box.limits.items():
            span = found.inputs[name]
            low_text = f"{low:>11.4g}" if low > span.min() else f"{'(min)':>11}"
            high_text = f"{high:>11.4g}" if high < span.max() else f"{'(max)':>11}"
            qp = box.qp_values.get(name, float("nan"))
            note = "" if qp <= 0.05 else "  (not significant)"
            lines.append(f"  {label(name)[:57]:<58}{low_text}{high_text}   {qp:.1g}{note}")
    lines.append("\ncoverage: share of the points where the outcome holds that fall in the box; density: share of the box's points where it holds")
    return "\n".join(lines)
