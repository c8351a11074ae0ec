"""Dated reforms of rules and ownership: duties extended to street offices, staff moved down, ownership rules."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.schema.base import Date, Fraction, Frozen, NonNegative


class Reform(Frozen):
    """A change of the rules on one date (ODD 7.17). Each part is optional; a reform does what it lists.

    Beijing's reforms: street offices empowered with duty lists (街道赋权, from 2019), staff moved down from
    departments to streets (下沉), and the 2021 Regulation on Handling Complaints Upon Receipt, which fixed who owns
    complaints that belonged to nobody [DOMAIN §2].
    """

    name: str = Field("", description="What the reform is")
    date: Date = Field(description="The day it takes effect")
    street_duties: list[str] = Field(
        default_factory=list, description="Categories added to the street offices' duty lists (they gain authority and stop whistling on them)"
    )
    staff_to_streets: Fraction = Field(
        0.0, description="Share of the departments' staff-hours moved to the street offices, in proportion to their staff [fraction]"
    )
    unsolvable_cut: Fraction = Field(
        0.0, description="Relative cut in every category's share of tickets that cannot be solved (ownership rules) [fraction]"
    )
    operators: NonNegative | None = Field(
        None, description="From this date the hotline has this many operators (hotline.operators before) [operators, at full scale]"
    )
    categories: list[str] | None = Field(None, description="Limit the unsolvable cut to these categories (default: all)")
