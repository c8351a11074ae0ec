"""Global sensitivity analysis through SALib: Morris elementary effects (screening) and Sobol indices (variance
decomposition, Saltelli's sampling), on any outcome, paired regime differences included.

The design lives on the unit hypercube: SALib samples it, and each coordinate u becomes the factor's u-quantile
(`Uncertainty.value_at`), so a uniform factor spans its range and a normal or lognormal one its truncated
distribution. The evaluator (the model, or a toy function) computes the outcomes at the design points; SALib then
analyses them:

- Morris (`SALib.analyze.morris`): per factor, μ* (mean absolute elementary effect: its overall influence, in the
  outcome's unit per step of Δ = p / (2 (p - 1)) of its quantile range), σ (spread of the effects: interactions or
  non-linearity) and μ*'s bootstrap confidence interval.
- Sobol (`SALib.analyze.sobol`): S1 (share of the outcome's variance the factor explains alone) and ST (including
  all its interactions), with bootstrap confidence intervals. A factor with ST ≈ 0 can be fixed anywhere in its
  range.

Tidy tables: one row per outcome and factor (`indices.csv`, `indices.parquet`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analysis
from SALib.analyze import sobol as sobol_analysis
from SALib.sample import morris as morris_sampling
from SALib.sample import sobol as sobol_sampling

from sim.analysis.outcomes import Outcome, undefined
from sim.analysis.uncertainties import Uncertainty, label, unit
from sim.inputs import InputError


@dataclass
class Design:
    """A design: the factors, its unit-hypercube points and the parameter values at them."""

    method: str
    factors: dict[str, Uncertainty]
    unit_points: np.ndarray
    settings: dict = field(default_factory=dict)

    @property
    def problem(self) -> dict:
        names = list(self.factors)
        return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}

    def points(self) -> list[dict]:
        names = list(self.factors)
        return [{name: self.factors[name].value_at(u) for name, u in zip(names, row)} for row in self.unit_points]

    def table(self) -> pd.DataFrame:
        """One row per point: its unit coordinates (u:<factor>) and its values (<factor>)."""
        values = pd.DataFrame(self.points())
        units = pd.DataFrame(self.unit_points, columns=[f"u:{name}" for name in self.factors])
        return pd.concat([values, units], axis=1).rename_axis("point").reset_index()


def morris_design(factors: dict[str, Uncertainty], trajectories: int, levels: int, seed: int) -> Design:
    unit_points = morris_sampling.sample(_problem(factors), N=trajectories, num_levels=levels, seed=seed)
    return Design("morris", factors, unit_points, {"trajectories": trajectories, "levels": levels, "seed": seed})


def sobol_design(factors: dict[str, Uncertainty], samples: int, seed: int) -> Design:
    unit_points = sobol_sampling.sample(_problem(factors), samples, calc_second_order=False, scramble=True, seed=seed)
    return Design("sobol", factors, unit_points, {"samples": samples, "seed": seed})


def _problem(factors: dict) -> dict:
    return {"num_vars": len(factors), "names": list(factors), "bounds": [[0.0, 1.0]] * len(factors)}


def analyse(design: Design, values: pd.DataFrame, outcomes: list[Outcome], *, bootstrap: int = 1000, confidence: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """The tidy indices table of the outcomes computed at the design's points."""
    missing = undefined(values)
    if missing:
        name, count = next(iter(missing.items()))
        raise InputError(f"outcome '{name}' is undefined (not a number) at {count} of {len(values)} design points, e.g. a rate with nothing rated; choose another outcome or a longer horizon", field=f"sensitivity.outcomes.{name}")
    frames = []
    for outcome in outcomes:
        y = values[outcome.name].to_numpy(float)
        if design.method == "morris":
            result = morris_analysis.analyze(design.problem, design.unit_points, y, num_resamples=bootstrap, conf_level=confidence,
                                             num_levels=design.settings["levels"], seed=seed)
            frame = pd.DataFrame({key: np.asarray(result[key], float) for key in ("mu", "mu_star", "sigma", "mu_star_conf")})
        else:
            result = sobol_analysis.analyze(design.problem, y, calc_second_order=False, num_resamples=bootstrap, conf_level=confidence, seed=seed)
            frame = pd.DataFrame({key: np.asarray(result[key], float) for key in ("S1", "S1_conf", "ST", "ST_conf")})
        frame.insert(0, "outcome", outcome.name)
        frame.insert(1, "outcome_label", outcome.describe())
        frame.insert(2, "factor", list(design.factors))
        frame.insert(3, "label", [label(name) for name in design.factors])
        frame.insert(4, "unit", [unit(name) for name in design.factors])
        frame["outcome_std"] = float(np.std(y, ddof=1)) if len(y) > 1 else np.nan
        frame["confidence"] = confidence
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def run_design(design: Design, evaluator, outcomes: list[Outcome], **analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evaluate the design's points with `evaluator` and analyse them: (indices, per-point outcomes)."""
    values = evaluator(design.points(), outcomes)
    return analyse(design, values, outcomes, **analysis), values


def top_factors(morris_indices: pd.DataFrame, count: int) -> list[str]:
    """The `count` most influential factors: μ* relative to the largest μ* of the same outcome, best over outcomes.

    Every factor that leads some outcome scores 1, so with many outcomes several tie at the top: ties are broken by
    the mean relative μ* over all outcomes (the factor that matters more broadly first), then by the file's order.
    """
    table = morris_indices.copy()
    largest = table.groupby("outcome")["mu_star"].transform("max").replace(0, np.nan)
    table["relative"] = (table["mu_star"] / largest).fillna(0.0)
    scores = table.groupby("factor", sort=False)["relative"].agg(["max", "mean"])
    ranking = scores.sort_values(["max", "mean"], ascending=False, kind="stable")
    return list(ranking.index[:count])
