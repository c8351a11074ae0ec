"""What a sensitivity analysis or a scenario discovery measures on runs: an outcome, written as one short text.

    resolution_rate                     a run total (`Results.totals()`), when the experiment has one regime
    resolution_rate@hotline             the same, on the hotline regime's runs
    backlog:mean@hotline                a daily indicator (`sim.metrics.DAILY`) summarised over the run: mean, sum,
                                        last, min or max
    cost_per_root_fix@proactive-hotline a paired regime difference: replicate k of proactive minus replicate k of
                                        hotline, the two runs sharing replicate k's seed (common random numbers)

An outcome's value at a parameter point is the mean over the point's replicates (of the paired differences, for a
difference). Derived totals: `cost_per_root_fix` (total cost / tickets fixed at the root).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.inputs import InputError
from sim.metrics import DAILY
from sim.results import Results
from sim.summary import HEADLINE

STATISTICS = ("mean", "sum", "last", "min", "max")
DERIVED = {"cost_per_root_fix": ("total cost per ticket fixed at the root (yuan)", "money")}
NON_NUMERIC = ("day", "date", "regime")
_FORM = re.compile(r"^(?P<indicator>[a-z][a-z0-9_]*)(?::(?P<statistic>[a-z]+))?(?:@(?P<regime>[a-z]+)(?:-(?P<minus>[a-z]+))?)?$")


@dataclass(frozen=True)
class Outcome:
    name: str
    indicator: str
    statistic: str | None  # None: a run total
    regime: str | None
    minus: str | None  # a paired difference: regime minus this one

    @property
    def text(self) -> str:
        where = f"@{self.regime}" + (f"-{self.minus}" if self.minus else "") if self.regime else ""
        return f"{self.indicator}{':' + self.statistic if self.statistic else ''}{where}"

    @property
    def kind(self) -> str:
        """count, money, rate, days or mean (how values read; counts and money are simulated at scale < 1)."""
        if self.indicator in DERIVED:
            return DERIVED[self.indicator][1]
        if self.indicator in HEADLINE and self.statistic is None:
            return HEADLINE[self.indicator][1]
        return "rate" if DAILY.get(self.indicator, ("",))[0] == "fraction" else "count"

    def describe(self) -> str:
        """'resolution rate (as residents say), hotline − whistle' for figures and tables."""
        if self.indicator in DERIVED:
            what = DERIVED[self.indicator][0]
        elif self.indicator in HEADLINE and not self.statistic:
            what = HEADLINE[self.indicator][0].strip()
        elif self.indicator in DAILY:
            what = f"{self.statistic} of daily {self.indicator.replace('_', ' ')} [{DAILY[self.indicator][0]}]"
        else:  # an outcome of a function evaluator
            what = self.name
        if self.minus:
            return f"{what}, {self.regime} − {self.minus}"
        return f"{what}, {self.regime}" if self.regime else what


def parse_outcome(name: str, text: str, regimes: list[str], *, source: str | None = None, line: int | None = None, field: str | None = None) -> Outcome:
    """An outcome from its text, checked against the experiment's regimes (one-line errors)."""

    def fail(problem: str):
        raise InputError(problem, source=source, line=line, field=field or name)

    match = _FORM.match(str(text).strip()) if isinstance(text, str) else None
    if not match:
        fail(f"expected an outcome like resolution_rate@hotline-whistle (indicator[:statistic][@regime[-regime]]), got {text!r}")
    indicator, statistic, regime, minus = match.group("indicator", "statistic", "regime", "minus")
    totals = set(HEADLINE) | set(DERIVED)
    daily = [k for k in DAILY if k not in NON_NUMERIC]
    if statistic is None and indicator not in totals:
        hint = f"; a daily indicator needs a statistic, e.g. {indicator}:mean" if indicator in daily else ""
        fail(f"'{indicator}' is not a run total ({', '.join(sorted(totals))}){hint}")
    if statistic is not None:
        if statistic not in STATISTICS:
            fail(f"expected a statistic among {', '.join(STATISTICS)}, got '{statistic}'")
        if indicator not in daily:
            fail(f"'{indicator}' is not a daily indicator ({', '.join(daily)})")
    for used in (regime, minus):
        if used is not None and used not in regimes:
            fail(f"regime '{used}' is not run by this experiment (regimes: {', '.join(regimes)})")
    if regime is None and len(regimes) > 1:
        fail(f"this experiment runs several regimes ({', '.join(regimes)}): say which, e.g. {text}@{regimes[0]}, or a difference {text}@{regimes[-1]}-{regimes[0]}")
    if minus is not None and minus == regime:
        fail(f"a paired difference needs two different regimes, got {regime}-{minus}")
    return Outcome(name, indicator, statistic, regime or (regimes[0] if len(regimes) == 1 else None), minus)


def run_value(results: Results, outcome: Outcome) -> float:
    """The outcome's indicator on one run (before differencing)."""
    if outcome.statistic is not None:
        column = results.daily[outcome.indicator].astype(float)
        if outcome.statistic == "last":
            return float(column.iloc[-1]) if len(column) else math.nan
        return float(getattr(column, outcome.statistic)())
    if outcome.indicator == "cost_per_root_fix":
        fixed = float(results.by_category["fixed"].sum())
        return float(results.daily["cost"].sum()) / fixed if fixed else math.nan
    return float(results.totals()[outcome.indicator])


def point_outcomes(runs: list[tuple[dict, Results]], outcomes: list[Outcome]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per parameter point, each outcome's mean over replicates; and the tidy per-replicate values behind them.

    `runs` are (identifiers with point, regime, replicate and seed; Results). A paired difference takes the two
    regimes' runs of the same point and replicate, and refuses a pair whose seeds differ.
    """
    cache: dict[tuple, float] = {}
    index: dict[tuple, tuple[dict, Results]] = {(ids["point"], ids["regime"], ids["replicate"]): (ids, r) for ids, r in runs}
    rows = []
    for outcome in outcomes:
        for (point, regime, replicate), (ids, results) in sorted(index.items(), key=lambda item: (item[0][0], item[0][2])):
            if regime != outcome.regime:
                continue
            value = _cached(cache, outcome, ids, results)
            seed = ids["seed"]
            if outcome.minus:
                other = index.get((point, outcome.minus, replicate))
                if other is None:
                    continue  # that run has not been stored (failed): the pair is left out
                if other[0]["seed"] != seed:
                    raise AssertionError(f"runs {ids['run_id']} and {other[0]['run_id']} are paired but their seeds differ ({seed}, {other[0]['seed']})")
                value -= _cached(cache, outcome, other[0], other[1])
            rows.append({"point": point, "replicate": replicate, "seed": seed, "outcome": outcome.name, "value": value})
    tidy = pd.DataFrame(rows, columns=["point", "replicate", "seed", "outcome", "value"])
    means = tidy.groupby(["point", "outcome"], sort=True)["value"].mean().unstack("outcome") if len(tidy) else pd.DataFrame()
    return means.reindex(columns=[o.name for o in outcomes]), tidy


def _cached(cache: dict, outcome: Outcome, ids: dict, results: Results) -> float:
    key = (ids["run_id"], outcome.indicator, outcome.statistic)
    if key not in cache:
        cache[key] = run_value(results, outcome)
    return cache[key]


def undefined(values: pd.DataFrame) -> dict[str, int]:
    """Outcome name -> number of points where it is not a finite number."""
    return {name: int((~np.isfinite(values[name].to_numpy(float))).sum()) for name in values.columns if (~np.isfinite(values[name].to_numpy(float))).any()}
