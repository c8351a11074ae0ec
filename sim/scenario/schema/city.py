"""The scenario's city: districts, departments and the layout of streets and communities."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.schema.base import Fraction, Frozen, NonNegative, Positive, Zone, param

class District(Frozen):
    """One district: its residents, its zone and how many street offices and communities it has."""

    name: str = Field(description="District name, unique in the scenario")
    zone: Zone = Field(description="Functional zone (core, central, subcenter, plain, ecological) [report]")
    population: int = Field(gt=0, description="Resident population [persons; source: 2020 census for Beijing]")
    streets: int = Field(gt=0, description="Number of street offices and townships (街道/乡镇) [count]")
    communities_per_street: int = param(
        20, "communities", "Residential communities per street office", "≈7,000 communities / 343 streets [DOMAIN §1]",
        gt=0,
    )
    reporting: Positive = param(
        1.0, "multiplier", "How readily its residents report, relative to the city (the city's mean stays as calibrated)",
        "assumed; reporting is unequal between neighbourhoods, Kontokosta et al. 2017 [DOMAIN §3]",
    )
    area_km2: Positive | None = param(
        None, "km²", "Land area (optional; sets its streets' travel, see places.travel_elasticity)",
        "Beijing Statistical Yearbook, district areas",
    )
    street_staff_hours_per_10k: NonNegative | None = param(
        None, "staff-hours per day per 10,000 residents", "Street-office staff time here, if not the city's"
    )


class Department(Frozen):
    """A city department, utility or platform that owns problem categories and has enforcement power."""

    name: str = Field(description="Department name, unique in the scenario")
    staff_hours: NonNegative = Field(description="Staff-hours per day spent on tickets, at full scale [hours/day]")


class City(Frozen):
    """The places and bodies of the governance network."""

    districts: list[District] | None = Field(None, description="The districts, listed inline (or use districts_csv)")
    districts_csv: str | None = Field(
        None,
        description="CSV file (relative to the scenario file) with columns name, zone, population, streets and "
        "optionally communities_per_street; used instead of `districts`",
    )
    departments: list[Department] = Field(min_length=1, description="City departments that own categories")
    street_staff_hours_per_10k: NonNegative = param(
        12.0, "staff-hours per day per 10,000 residents", "Street-office staff time available for tickets"
    )
    community_size_spread: NonNegative = param(
        0.3, "lognormal sigma", "Spread of community sizes inside a street"
    )
    deliberation_hall_share: Fraction = param(
        0.43, "share of communities", "Communities with a deliberation hall (议事厅)",
        "3,000+ halls set up in 2021 of ~7,000 communities [DOMAIN §1]",
    )
    layout_seed: int = param(
        1, "integer", "Seed of the city layout (community sizes, halls); fixed so replicates share one city"
    )
