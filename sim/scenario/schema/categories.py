"""The scenario's complaint categories: arrival rates, owners, duties, seasons."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.schema.base import Fraction, Frozen, MonthDay, NonNegative, Positive, Urgency, param

class Season(Frozen):
    """A recurring part of the year that changes a category's arrival rate (e.g. the heating season)."""

    start: MonthDay = Field(description="First day of the season, MM-DD")
    end: MonthDay = Field(description="Last day of the season, MM-DD (may wrap past new year)")
    multiplier: NonNegative = Field(description="Arrival-rate multiplier during the season [ratio]")


class Category(Frozen):
    """A complaint category: how often its problems arise, who owns it, and how hard it is."""

    label: str = Field("", description="Human-readable label (e.g. the Chinese name)")
    owner: str = Field(description="Name of the department that owns the category, or 'street'")
    street_duty: bool = Field(
        description="Whether streets may solve it alone (it is on their list of duties: 98 for streets, 118 for "
        "townships [DOMAIN §1])"
    )
    territorial_share: Fraction = param(
        0.5, "fraction", "Share of its tickets dispatched to the street by default (the rest to the owner)"
    )
    problems_per_1k: NonNegative = Field(
        description="New latent problems per 1,000 residents per year (calibrated to the report's category mix)"
        " [problems/1,000 residents/year]"
    )
    consultations_per_1k: NonNegative = Field(
        description="Consultations answered on the call per 1,000 residents per year, at the hotline's full reach "
        "[contacts/1,000 residents/year; source: 58.5 % of contacts [DOMAIN §1]]"
    )
    collective_share: Fraction = param(
        0.3, "fraction", "Share of problems that affect many residents (noise, heating) rather than one (a dispute)"
    )
    affected_mean: Positive = param(
        10.0, "residents", "Mean number of residents a collective problem affects (geometric distribution)"
    )
    report_rate: NonNegative = param(
        0.02, "probability per affected resident per day",
        "Chance an affected resident with average propensity and neutral trust contacts about an open problem",
    )
    lifetime_days: Positive = param(
        60.0, "days", "Mean life of a problem nobody fixes before it goes away by itself (geometric)"
    )
    unsolvable_share: Fraction = param(
        0.08, "fraction", "Share of tickets that are out of remit or unreasonable and cannot be solved"
    )
    urgency: Urgency = Field("ordinary", description="Time-limit class of its tickets")
    effort_hours: Positive = param(3.0, "staff-hours", "Mean staff time to handle one ticket")
    topic_eligible: bool = Field(
        True, description="Whether the monthly topic (每月一题) may pick this category"
    )
    season: list[Season] = Field(default_factory=list, description="Seasons that raise or lower its arrival rate")
