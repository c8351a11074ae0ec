"""The scenario schema's building blocks: names of regimes, zones, age groups and urgencies; value types; the
documented parameter (`param`: a field whose description carries its unit and source); the frozen base model.

Every behavioural parameter carries a unit, a default and a source in its description ("assumed" where no
evidence exists); `docs/scenarios.md` is generated from these descriptions (`python scripts/make_docs.py`) and the
JSON Schema printed by `govsim schema` comes from the same models, so the three never disagree. Sources cited as
[DOMAIN §n] are in `shared/DOMAIN.md`; [report] is the 2022 report on Beijing's social governance.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from sim.regimes.registry import REGIME_NAMES

REGIMES = REGIME_NAMES
ZONES = ("core", "central", "subcenter", "plain", "ecological")
AGE_GROUPS = ("young", "middle", "elderly")
URGENCIES = ("emergency", "utility", "ordinary", "complex")

RegimeName = Literal[REGIME_NAMES]  # type: ignore[valid-type]
Zone = Literal["core", "central", "subcenter", "plain", "ecological"]
Urgency = Literal["emergency", "utility", "ordinary", "complex"]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]


def _real_date(value):
    """A date written as text must be a real calendar day in ISO form (2019-02-30 and 2019-2-3 are refused)."""
    if isinstance(value, str):
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        raise ValueError("expected a real calendar date as YYYY-MM-DD")
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date without a time of day (YYYY-MM-DD)")
    if not isinstance(value, dt.date):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


Date = Annotated[dt.date, BeforeValidator(_real_date), Field(strict=False)]
MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


def param(default, unit: str, text: str, source: str = "assumed", **limits):
    """A documented parameter: the description reads '<text> [<unit>; source: <source>]'."""
    return Field(default, description=f"{text} [{unit}; source: {source}]", **limits)


class Frozen(BaseModel):
    # No infinities or NaN anywhere: no field of a scenario means anything at .inf (staff_hours: .inf would cost
    # NaN hours and "0 yuan"), and a NaN passes no comparison, so it would slip past every bound.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)
