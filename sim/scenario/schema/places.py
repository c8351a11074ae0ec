"""The scenario's `places` section (ODD 7.19, places and equity): how street offices differ in what they can do,
how far they travel, where the old compounds are and how unevenly neighbourhoods report.

Every default is a modest, documented assumption whose mean keeps the city's calibrated totals near where they
were; `docs/equity.md` says which of them make the gaps between zones and how large those gaps come out.
"""

from __future__ import annotations

from pydantic import Field

from sim.scenario.schema.base import Fraction, Frozen, NonNegative, Positive, param

_ZONE_CAPABILITY = {"core": 1.05, "central": 1.0, "subcenter": 1.0, "plain": 0.95, "ecological": 0.9}
_OLD_SHARE = {"core": 0.45, "central": 0.3, "subcenter": 0.2, "plain": 0.15, "ecological": 0.1}


def _zone_map(values: dict[str, float], text: str):
    return Field(default_factory=lambda: dict(values), description=text)


class Places(Frozen):
    """Places differ in what they can do: capability, travel, old compounds, neighbourhood reporting."""

    capability_spread: NonNegative = param(
        0.25, "lognormal sigma", "Spread across street offices of their capability (rescaled with the zone factors so "
        "that the residents' mean capability is 1): it multiplies a street's chance of a root fix and divides the effort hours it needs (see "
        "capability_effort_elasticity)",
    )
    zone_capability: dict[str, Positive] = _zone_map(
        _ZONE_CAPABILITY, "Capability of a zone's street offices relative to the other zones (keys: core, "
        "central, subcenter, plain, ecological; a zone left out keeps 1; the city's mean is rescaled to 1) [multiplier; source: assumed: townships of the "
        "ecological-conservation zone have fewer specialised staff and a longer duty list (118 against 98 duties) "
        "[DOMAIN §1]]",
    )
    capability_effort_elasticity: NonNegative = param(
        0.5, "elasticity", "Effort hours a ticket needs at a street = effort / capability^this (0: capability only "
        "changes the chance of a root fix)",
    )
    travel_elasticity: NonNegative = param(
        0.2, "elasticity", "Lead days before a ticket's work can start grow as (street area / median street "
        "area)^this; a street's area is its district's area_km2 / its streets (districts without area_km2: 1)",
    )
    max_travel_factor: Positive = param(3.0, "multiplier", "Cap on the travel factor of lead days, both ways", ge=1.0)
    old_compound_share: dict[str, Fraction] = _zone_map(
        _OLD_SHARE, "Mean share of a zone's communities' housing in old compounds (老旧小区), drawn per community "
        "from a Beta of this mean [share; source: assumed: old compounds concentrate in the core (2021 renovation "
        "programme: 558 compounds [DOMAIN §4])]",
    )
    old_compound_concentration: Positive = param(
        4.0, "Beta a + b", "Concentration of the Beta of old-compound shares (smaller: more uneven communities)",
    )
    old_compound_effect: dict[str, Positive] = Field(
        default_factory=dict, description="Problems of a category arising in old compounds, relative to elsewhere, "
        "by category name (a category left out: 1); the city's total of each category stays as calibrated, only "
        "where it arises moves [multiplier; source: assumed]",
    )
    old_compound_difficulty: float = param(
        1.5, "divisor", "A root fix of a category listed in old_compound_effect is this many times less likely in "
        "an old compound", ge=1.0,
    )
    reporting_spread: NonNegative = param(
        0.43, "lognormal sigma", "Spread across communities of how readily residents report (times the district's "
        "`reporting`); 0.43 puts the 90th percentile community 3x the 10th", "some neighbourhoods report the same "
        "problem 3x faster than others [Kontokosta et al. 2017; O'Brien 2015; Liu et al. 2022; DOMAIN §3]",
    )
