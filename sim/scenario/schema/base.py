"""The scenario schema's building blocks: names of regimes, zones, age groups and urgencies; value types; the
documented parameter (`param`: a field whose description carries its unit and source); the frozen base model.

Every behavioural parameter carries a unit, a default and a source in its description ("assumed" where no
evidence exists); `docs/scenarios.md` is generated from these descriptions (`python scripts/make_docs.py`) and the
JSON Schema printed by `govsim schema` comes from the same models, so the three never disagree. Sources cited as
[DOMAIN §n] are in `shared/DOMAIN.md`; [report] is the 2022 report on Beijing's social governance.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

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
Date = Annotated[dt.date, Field(strict=False)]
MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


def param(default, unit: str, text: str, source: str = "assumed", **limits):
    """A documented parameter: the description reads '<text> [<unit>; source: <source>]'."""
    return Field(default, description=f"{text} [{unit}; source: {source}]", **limits)


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
