"""The scenario's residents: age groups, ownership, propensity and trust, and how they behave."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.schema.base import Fraction, Frozen, NonNegative, Positive, param

class AgeGroup(Frozen):
    """One age group of residents."""

    share: Fraction = Field(description="Share of residents in this group [fraction]")
    propensity: Positive = param(1.0, "multiplier", "Relative propensity to contact the hotline")
    online_share: Fraction = param(
        0.1, "fraction", "Share of contacts made online rather than by phone in `online_reference_year`",
        "about 90 % of contacts by phone in 2020 (Beijing News, 2021); elderly: phone only [MECHANISMS]",
    )
    online_growth: float = param(
        0.0, "fraction per year", "Yearly change of the online share (linear in calendar time, kept within 0-1)"
    )


def _default_age_groups() -> dict[str, AgeGroup]:
    return {
        "young": AgeGroup(share=0.50, propensity=0.8, online_share=0.15, online_growth=0.03),
        "middle": AgeGroup(share=0.304, propensity=1.2, online_share=0.08, online_growth=0.02),
        "elderly": AgeGroup(share=0.196, propensity=1.0, online_share=0.0, online_growth=0.0),
    }


class Population(Frozen):
    """Residents as arrays: age group, home ownership, propensity to complain and trust."""

    age_groups: dict[Literal["young", "middle", "elderly"], AgeGroup] = Field(
        default_factory=_default_age_groups,
        description="Age groups under 40, 40-59 and 60+; shares must add up to 1 "
        "[source: 19.6 % aged 60+, 2020 census [DOMAIN §1]; split below 60 assumed]",
    )
    owner_share: Fraction = param(0.6, "fraction", "Share of residents who own their home")
    owner_report_ratio: Positive = param(
        3.0, "ratio", "How much more often owners report collective (public) problems than renters",
        "O'Brien 2015 [DOMAIN §3]",
    )
    propensity_sigma: NonNegative = param(
        1.0, "lognormal sigma", "Spread of residents' propensity to complain (heavy tail: most callers call once)",
        "76 % of users report only once [DOMAIN §3]",
    )
    propensity_cap: Positive = param(20.0, "multiple of the mean", "Upper bound of a resident's propensity")
    online_reference_year: int = param(
        2020, "year", "Calendar year (its middle, 1 July) at which the age groups' online shares hold", ge=1900, le=2200
    )
    initial_trust: Fraction = param(0.6, "0-1", "Mean initial trust in government")
    trust_spread: NonNegative = param(0.15, "standard deviation", "Spread of initial trust")
