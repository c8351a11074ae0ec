"""Uncertain inputs of an experiment (`uncertainties:`), declared apart from the policy choices it varies.

EMA Workbench's distinction: a *lever* is a choice a government makes (street staff, ranking pressure), an
*uncertainty* is an assumption the modeller cannot pin down (how much a satisfying fix raises the wish to complain
again). An experiment file lists its uncertainties by lever name or dotted scenario path, each with bounds and a
distribution:

    uncertainties:
      behaviour.success_boost: {low: 0.3, high: 0.8}                               # uniform (the default)
      regimes.whistle.report_days: {distribution: integer, low: 1, high: 7}        # whole numbers 1..7
      handling.fix_with_authority: {distribution: normal, mean: 0.85, sd: 0.05, low: 0.7, high: 0.95}
      propensity: {distribution: lognormal, median: 1.0, sigma: 0.2, low: 0.6, high: 1.6}
      street_staff: {distribution: triangular, low: 10, mode: 15, high: 20}

Every distribution is bounded (normal and lognormal are truncated to [low, high]), because Morris and Sobol sample
the unit hypercube: a unit value u becomes the factor's u-quantile (`value_at`). `govsim sensitivity` and
`govsim calibrate` sample them; a plain `govsim experiment` does not (it varies `parameters`, the levers).
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal, get_args, get_origin

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from sim.inputs import parse_path
from sim.scenario import Scenario
from sim.scenario.levers import LEVERS

Distribution = Literal["uniform", "integer", "normal", "lognormal", "triangular"]
SHAPE_FIELDS = {"normal": ("mean", "sd"), "lognormal": ("median", "sigma"), "triangular": ("mode",)}


class Uncertainty(BaseModel):
    """One uncertain input: its bounds and the distribution it is drawn from inside them."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    distribution: Distribution = Field("uniform", description="uniform, integer (whole numbers low..high), normal or lognormal (truncated to [low, high]), triangular")
    low: float = Field(description="Lowest value")
    high: float = Field(description="Highest value")
    mean: float | None = Field(None, description="normal: mean before truncation")
    sd: float | None = Field(None, description="normal: standard deviation before truncation (> 0)")
    median: float | None = Field(None, description="lognormal: median before truncation (> 0)")
    sigma: float | None = Field(None, description="lognormal: standard deviation of the logarithm (> 0)")
    mode: float | None = Field(None, description="triangular: the most likely value, in [low, high]")

    def value_at(self, u: float) -> float | int:
        """The factor's value at the unit-hypercube coordinate u in [0, 1] (its u-quantile)."""
        from scipy import stats  # here, not at import: experiment files load without it

        u = min(max(float(u), 0.0), 1.0)
        low, high = self.low, self.high
        if self.distribution == "integer":  # each whole number low..high gets an equal share of [0, 1]
            return int(min(low + math.floor(u * (high - low + 1)), high))
        if self.distribution == "uniform":
            return float(low + u * (high - low))
        if self.distribution == "triangular":
            c = (self.mode - low) / (high - low)
            return float(stats.triang.ppf(u, c, loc=low, scale=high - low))
        if self.distribution == "normal":
            a, b = (low - self.mean) / self.sd, (high - self.mean) / self.sd
            return float(np.clip(stats.truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd), low, high))
        mu = math.log(self.median)  # lognormal, truncated: the quantile of log(value) inside [log low, log high]
        a, b = stats.norm.cdf((math.log(low) - mu) / self.sigma), stats.norm.cdf((math.log(high) - mu) / self.sigma)
        return float(np.clip(math.exp(mu + self.sigma * stats.norm.ppf(a + u * (b - a))), low, high))


def check_uncertainties(uncertainties: dict[str, Uncertainty], scenario: Scenario, fail) -> None:
    """Bounds, shapes and fields: `fail(path, problem)` with the first problem found, as a one-line error."""
    for name, factor in uncertainties.items():
        place = ("uncertainties", name)
        for key in ("low", "high", *SHAPE_FIELDS.get(factor.distribution, ())):
            value = getattr(factor, key)
            if value is None:
                fail(place, f"a {factor.distribution} uncertainty needs `{key}`")
            if not math.isfinite(value):
                fail(place + (key,), f"expected a finite number, got {value}")
        for other, keys in SHAPE_FIELDS.items():
            for key in keys:
                if other != factor.distribution and getattr(factor, key) is not None and key not in SHAPE_FIELDS.get(factor.distribution, ()):
                    fail(place + (key,), f"`{key}` belongs to a {other} distribution, not to a {factor.distribution} one")
        if not factor.high > factor.low:
            fail(place + ("high",), f"empty range: expected a number > low ({factor.low:g}), got {factor.high:g}")
        if factor.distribution == "integer" and (factor.low != int(factor.low) or factor.high != int(factor.high)):
            fail(place, "an integer uncertainty needs whole-number low and high")
        if factor.distribution == "normal" and not factor.sd > 0:
            fail(place + ("sd",), f"expected a number > 0, got {factor.sd:g}")
        if factor.distribution == "lognormal":
            for key in ("median", "sigma", "low"):
                if not getattr(factor, key) > 0:
                    fail(place + (key,), f"a lognormal uncertainty needs {key} > 0, got {getattr(factor, key):g}")
        if factor.distribution == "triangular" and not factor.low <= factor.mode <= factor.high:
            fail(place + ("mode",), f"expected a number in [low, high] = [{factor.low:g}, {factor.high:g}], got {factor.mode:g}")
        _check_field(name, factor, scenario, place, fail)


def _check_field(name: str, factor: Uncertainty, scenario: Scenario, place: tuple, fail) -> None:
    """The path must name a numeric field of the scenario, and whole-number fields need an integer uncertainty."""
    try:
        current = current_value(scenario, name)
    except KeyError:
        return  # an unknown field: trying the bounds on the scenario reports it with the project's wording
    if isinstance(current, bool) or not isinstance(current, (int, float, type(None))):
        kinds = {bool: "true/false", str: "text", list: "a list", dict: "a section of fields"}
        kind = kinds.get(type(current), type(current).__name__)
        shown = f" ({current!r})" if isinstance(current, (bool, str)) else ""
        fail(place, f"an uncertainty needs a numeric field; this one holds {kind}{shown}")
    if isinstance(current, int) and factor.distribution != "integer":
        fail(place, "this field takes whole numbers: give it `distribution: integer`")


def current_value(scenario: Scenario, path: str) -> Any:
    """The scenario's value at a dotted path (KeyError when there is none)."""
    node: Any = scenario.model_dump(mode="python")
    for part in parse_path(path):
        if isinstance(node, dict) and (part in node or str(part) in node):
            node = node[part] if part in node else node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            raise KeyError(path)
    return node


def bound_points(uncertainties: dict[str, Uncertainty]) -> list[dict[str, Any]]:
    """Each factor at its low and at its high end (the others absent): what loading tries on every scenario."""
    points = []
    for name, factor in uncertainties.items():
        for u in (0.0, 1.0):
            points.append({name: factor.value_at(u)})
    return points


def unit(path: str) -> str:
    """The unit in the schema description of a scenario field ('[unit; source: ...]'), or '' if it has none."""
    field = _schema_field(parse_path(path))
    found = re.search(r"\[([^;\]]+)[;\]]", (field.description or "") if field else "")
    return found.group(1).strip() if found else ""


def _schema_field(parts: tuple):
    """The pydantic field a path ends on, following dict keys and list items (None if there is none)."""
    current: Any = Scenario
    field = None
    for part in parts:
        while get_origin(current) not in (None, list, dict):  # X | None, Annotated[X, ...]: look inside
            current = next(a for a in get_args(current) if a is not type(None))
        if get_origin(current) in (list, dict):  # this part is a key or an index
            current, field = get_args(current)[-1], None
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = field.annotation
    return field


_LEVER_NAMES = {path: lever for lever, path in LEVERS.items()}


def short_name(path: str) -> str:
    """A factor's name on a figure: its lever name if it has one, else the last two parts of its path."""
    if path in _LEVER_NAMES:
        return _LEVER_NAMES[path]
    parts = path.split(".")
    return ".".join(parts[-2:]) if len(parts) > 1 else path


def label(path: str) -> str:
    """'short name [unit]' for tables and figures."""
    text = unit(path)
    return f"{short_name(path)} [{text}]" if text else short_name(path)
