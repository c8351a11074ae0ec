"""Calibration targets: dated public figures a run should reproduce, each with its tolerance, weight and source.

    targets:
      - name: requests_2018
        indicator: contacts              # a daily indicator (sim.metrics.DAILY)
        statistic: yearly_total          # yearly_total, total, mean (a rate: weighted by what it is a rate of), share
        start: 2018-01-01
        end: 2018-12-31
        value: 4000000
        relative_tolerance: 0.15         # or tolerance: (absolute, in the figure's unit)
        bound: equal                     # or at_least / at_most ("30 M+" is at_least)
        weight: 1
        source: "Bastille Post / CCTV, 2024-12-18"

How a run's figure is computed over the target's dates (counts in city-equivalents: divided by the run's scale):
`total` sums the indicator; `yearly_total` divides that sum by the number of years (whole calendar years counted
as such, other periods as days / 365.25); `mean` of a rate weights each day by what the rate is of (resolution and
satisfaction by tickets rated, root fixes by tickets closed), other indicators plainly; `share` is the sum of the
indicator over the sum of `of` (consultations of contacts). A target whose dates fall outside the scenario's
horizon is a one-line error.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.inputs import InputError, raise_validation_error, read_yaml
from sim.metrics import DAILY
from sim.scenario import Scenario

Date = dt.date
WEIGHTED_BY = {"response_rate": "rated", "resolution_rate": "rated", "satisfaction_rate": "rated", "fix_share": "tickets_closed", "repeat_share": "tickets_opened"}
SCALE_FREE = ("fraction", "0-1", "ratio", "days")  # units of indicators that do not grow with the simulated share
COUNTS = [name for name, (unit, _) in DAILY.items() if "/day" in unit]


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: str = Field(description="Short name, unique in the file")
    indicator: str = Field(description="Daily indicator (sim.metrics.DAILY)")
    statistic: Literal["yearly_total", "total", "mean", "share"] = Field(description="How the days of the period are summarised")
    of: str | None = Field(None, description="share: the indicator it is a share of")
    start: Date = Field(strict=False, description="First day of the period")
    end: Date = Field(strict=False, description="Last day of the period")
    value: float = Field(description="The public figure")
    tolerance: float | None = Field(None, gt=0, description="Absolute tolerance, in the figure's unit")
    relative_tolerance: float | None = Field(None, gt=0, description="Tolerance as a fraction of the figure")
    bound: Literal["equal", "at_least", "at_most"] = Field("equal", description="at_least: a figure reported as 'more than'")
    weight: float = Field(1.0, ge=0, description="Weight in the calibration's loss")
    unit: str = Field("", description="Unit of the figure, for tables")
    source: str = Field(min_length=1, description="Where the figure comes from")

    @property
    def allowed(self) -> float:
        return self.tolerance if self.tolerance is not None else self.relative_tolerance * abs(self.value)

    def miss(self, simulated: float) -> float:
        """Signed distance outside the one-sided bound (0 inside it), in the figure's unit."""
        gap = simulated - self.value
        if self.bound == "at_least":
            return min(gap, 0.0)
        if self.bound == "at_most":
            return max(gap, 0.0)
        return gap

    def within(self, simulated: float) -> bool:
        return math.isfinite(simulated) and abs(self.miss(simulated)) <= self.allowed

    def simulated(self, daily: pd.DataFrame, scale: float) -> float:
        """This target's figure on one run's daily table."""
        dates = pd.to_datetime(daily["date"]).dt.date
        days = daily[(dates >= self.start) & (dates <= self.end)]
        if self.statistic == "share":
            total = float(days[self.of].sum())
            return float(days[self.indicator].sum()) / total if total else math.nan
        if self.statistic == "mean":
            weights = WEIGHTED_BY.get(self.indicator)
            if weights is None:
                per = 1.0 if DAILY[self.indicator][0] in SCALE_FREE else scale
                return float(days[self.indicator].mean()) / per
            w = days[weights].astype(float)
            return float((days[self.indicator].fillna(0.0) * w).sum() / w.sum()) if w.sum() else math.nan
        total = float(days[self.indicator].sum()) / scale
        return total / self.years if self.statistic == "yearly_total" else total

    @property
    def years(self) -> float:
        whole = self.start.month == 1 and self.start.day == 1 and self.end.month == 12 and self.end.day == 31
        return float(self.end.year - self.start.year + 1) if whole else ((self.end - self.start).days + 1) / 365.25


class TargetsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    description: str = ""
    targets: list[Target] = Field(min_length=1, description="The targets")


def load_targets(path: str | Path, scenario: Scenario) -> list[Target]:
    """Read and check a targets file against the scenario it calibrates (dates inside its horizon)."""
    located = read_yaml(path, what="targets file")
    try:
        targets = TargetsFile.model_validate(located.data).targets
    except ValidationError as error:
        raise_validation_error(error, located, TargetsFile)
    first = scenario.start
    last = scenario.start + dt.timedelta(days=scenario.days - 1)
    names: set[str] = set()

    def fail(index: int, key: str, problem: str):
        file, line = located.where(("targets", index, key))
        raise InputError(problem, source=file, line=line, field=f"targets[{index}].{key}")

    for index, target in enumerate(targets):
        if target.name in names:
            fail(index, "name", f"the name '{target.name}' is used twice")
        names.add(target.name)
        numeric = [k for k in DAILY if k not in ("day", "date", "regime")]
        if target.indicator not in numeric:
            fail(index, "indicator", f"expected a daily indicator ({', '.join(numeric)}), got '{target.indicator}'")
        if target.statistic == "share" and target.of not in numeric:
            fail(index, "of", f"a share needs `of:` naming the daily indicator it is a share of, got {target.of!r}")
        if target.statistic in ("total", "yearly_total", "share") and target.indicator not in COUNTS:
            fail(index, "statistic", f"'{target.indicator}' is not a count per day, so it has no {target.statistic}; use mean")
        if (target.tolerance is None) == (target.relative_tolerance is None):
            fail(index, "tolerance", "give exactly one of tolerance (absolute) and relative_tolerance")
        if not math.isfinite(target.value):
            fail(index, "value", f"expected a finite number, got {target.value}")
        if target.end < target.start:
            fail(index, "end", f"expected a date on or after start ({target.start}), got {target.end}")
        if target.start < first or target.end > last:
            fail(index, "start" if not first <= target.start <= last else "end",
                 f"{target.start} to {target.end} is outside the horizon of scenario {scenario.name} ({first} to {last})")
    return targets
