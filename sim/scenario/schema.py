"""The scenario schema: a city, its residents, its complaint categories and its governance regimes as typed,
frozen data.

Every behavioural parameter carries a unit, a default and a source in its description ("assumed" where no
evidence exists); `docs/scenarios.md` is generated from these descriptions (`python scripts/make_scenario_docs.py`)
and the JSON Schema printed by `govsim schema` comes from the same models, so the three never disagree.
Sources cited as [DOMAIN §n] are in `shared/DOMAIN.md`; [report] is the 2022 report on Beijing's social governance.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

REGIMES = ("whistle", "hotline", "proactive")
ZONES = ("core", "central", "subcenter", "plain", "ecological")
AGE_GROUPS = ("young", "middle", "elderly")
URGENCIES = ("emergency", "utility", "ordinary", "complex")

RegimeName = Literal["whistle", "hotline", "proactive"]
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


# --------------------------------------------------------------------------------------------------- the city


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


# ------------------------------------------------------------------------------------------------- residents


class AgeGroup(Frozen):
    """One age group of residents."""

    share: Fraction = Field(description="Share of residents in this group [fraction]")
    propensity: Positive = param(1.0, "multiplier", "Relative propensity to contact the hotline")
    online_share: Fraction = param(
        0.4, "fraction", "Share of contacts made online rather than by phone (elderly: phone only [MECHANISMS])"
    )


def _default_age_groups() -> dict[str, AgeGroup]:
    return {
        "young": AgeGroup(share=0.50, propensity=0.8, online_share=0.5),
        "middle": AgeGroup(share=0.304, propensity=1.2, online_share=0.3),
        "elderly": AgeGroup(share=0.196, propensity=1.0, online_share=0.0),
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
    initial_trust: Fraction = param(0.6, "0-1", "Mean initial trust in government")
    trust_spread: NonNegative = param(0.15, "standard deviation", "Spread of initial trust")


# ------------------------------------------------------------------------------------------------ categories


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


# ----------------------------------------------------------------------------------------- hotline, handling


class TimeLimit(Frozen):
    """How soon the handler must contact the resident and close the ticket, and how long the work takes. A field
    left out of a scenario keeps its urgency class's default (see TimeLimits)."""

    response_days: int = Field(ge=0, description="Days allowed to contact the resident (0 = same day) [days]")
    due_days: int = Field(ge=0, description="Days allowed to close the ticket (0 = same day) [days]")
    lead_days: NonNegative = Field(
        description="Mean elapsed days the work on a ticket takes besides its staff-hours (site visit, coordinating "
        "the parties, materials), Poisson-distributed; handlers pace the work to the limit [days; source: assumed, "
        "with ordinary tickets near the 3-5 days by which hotline cases lead fixes, Xiong et al. 2022 [DOMAIN §3]]",
    )


_DEFAULT_LIMITS = {
    "emergency": {"response_days": 0, "due_days": 0, "lead_days": 0.0},
    "utility": {"response_days": 0, "due_days": 1, "lead_days": 0.3},
    "ordinary": {"response_days": 1, "due_days": 7, "lead_days": 3.0},
    "complex": {"response_days": 1, "due_days": 15, "lead_days": 6.0},
}


def _limit(urgency: str, text: str):
    return Field(default_factory=lambda: TimeLimit(**_DEFAULT_LIMITS[urgency]), description=text)


class TimeLimits(Frozen):
    """Time limits by urgency class [source: unofficial summary: emergency 2 h, utilities 24 h, ordinary 7 d,
    complex 15 d [DOMAIN §2]]. A scenario may give only the classes and fields it changes; the rest keep their
    defaults."""

    emergency: TimeLimit = _limit("emergency", "Emergencies")
    utility: TimeLimit = _limit("utility", "Water, power, gas and heating")
    ordinary: TimeLimit = _limit("ordinary", "Ordinary tickets")
    complex: TimeLimit = _limit("complex", "Complex tickets")

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data):
        if not isinstance(data, dict):
            return data
        return {
            urgency: {**_DEFAULT_LIMITS[urgency], **value} if urgency in _DEFAULT_LIMITS and isinstance(value, dict) else value
            for urgency, value in data.items()
        }


class Hotline(Frozen):
    """The 12345 centre: intake capacity, classification and call-back."""

    operators: NonNegative = param(
        1500, "operators on duty per day", "Operators taking phone calls, at full scale", "1,400-1,700 [DOMAIN §1]"
    )
    calls_per_operator: Positive = param(
        90, "calls per operator per day", "Calls one operator handles in a day", "80-100 per shift [DOMAIN §1]"
    )
    minutes_per_call: Positive = param(5.0, "minutes", "Operator time per call", "4-6 minutes [DOMAIN §1]")
    abandon_share: Fraction = param(
        0.5, "fraction", "Share of callers who give up when the lines are full (the rest call again next day)"
    )
    misroute_rate: Fraction = param(0.07, "fraction", "Share of tickets classified to the wrong body", "5-10 % assumed [MECHANISMS]")
    bounce_days: int = param(2, "days", "Days a misrouted ticket loses before it reaches the right body", ge=0)
    callback_share: Fraction = param(0.95, "fraction", "Share of closed hotline tickets whose caller is reached on call-back")
    time_limits: TimeLimits = Field(default_factory=TimeLimits, description="Response and closure limits by urgency")


class Handling(Frozen):
    """How streets and departments handle tickets and how tickets end."""

    contact_hours: NonNegative = param(0.25, "staff-hours", "Time to contact the resident about a ticket")
    effort_spread: NonNegative = param(0.5, "lognormal sigma", "Spread of the effort a ticket needs")
    fix_with_authority: Fraction = param(
        0.85, "probability", "Chance a handler with authority over the category removes the problem"
    )
    fix_without_authority: Fraction = param(
        0.3, "probability", "Chance a street without authority over the category removes the problem"
    )
    return_days: Positive = param(
        30.0, "days", "Mean delay before a symptom-closed problem returns (geometric)", "assumed [MECHANISMS]"
    )
    pending_call_factor: Fraction = param(
        0.05, "multiplier", "Contact rate of a problem that already has an open ticket, relative to one that has none"
    )
    hour_cost: NonNegative = param(120.0, "yuan per staff-hour", "Cost of one staff-hour (streets, departments, operators, patrols)")


# ------------------------------------------------------------------------------------------------ residents


class Behaviour(Frozen):
    """How residents decide to contact and how they react to their experience."""

    contact_scale: NonNegative = param(
        1.0, "multiplier", "Scales every resident's wish to contact (consultations and complaints alike)"
    )
    trust_elasticity: NonNegative = param(
        1.0, "multiplier per unit trust", "How strongly trust raises the wish to contact: weight = 1 + e (trust - 0.5)"
    )
    trust_learning: Fraction = param(0.3, "fraction", "Step of trust toward the outcome (t <- t + a (outcome - t))")
    trust_diffusion: Fraction = param(
        0.02, "fraction per day", "Daily pull of each resident's trust toward the community mean"
    )
    success_boost: NonNegative = param(
        0.57, "relative change", "Rise in propensity after a satisfying fix", "FixMyStreet, Sjoberg et al. 2017 [DOMAIN §3]"
    )
    failure_drop: Fraction = param(0.2, "relative change", "Fall in propensity after an unresolved ticket (disengagement)")
    threat_share: Fraction = param(
        0.03, "fraction", "Share of calls that threaten to petition higher up (served first)", "assumed; Zhao et al. 2026 [DOMAIN §3]"
    )
    satisfied_if_resolved: Fraction = param(0.97, "probability", "Chance of a 'satisfied' rating when resolved")
    satisfied_if_unresolved: Fraction = param(0.32, "probability", "Chance of a 'satisfied' rating when not resolved")
    symptom_rated_resolved: Fraction = param(
        0.73, "probability", "Chance a resident rates a symptom-only closure as 'resolved'"
    )
    late_penalty: Fraction = param(0.25, "probability", "Drop in the chance of satisfaction when closed after the due date")
    trust_effect: NonNegative = param(0.3, "probability per unit trust", "Rise in the chance of satisfaction per unit of trust above 0.5")


# ---------------------------------------------------------------------------------------------------- regimes


class WhistleParams(Frozen):
    """吹哨报到: streets and grid patrols find problems; streets summon departments for what is beyond them."""

    hotline_reach: Fraction = param(
        0.41, "fraction", "Share of residents' contacts that go to the hotline",
        "0.19 contacts per resident a year before 2019 vs 0.46 in 2019-2021 [MECHANISMS]",
    )
    walk_in_share: Fraction = param(0.15, "fraction", "Share of residents' contacts made by walking into the community office")
    patrol_find_rate: Fraction = param(
        0.02, "probability per open problem per day", "Chance grid patrols find an open problem nobody reported"
    )
    patrol_hours_per_community: NonNegative = param(4.0, "staff-hours per day", "Grid patrol time per community")
    whistle_share: Fraction = param(
        0.8, "fraction", "Share of tickets beyond a street's duties on which it blows the whistle"
    )
    report_days: int = param(3, "days", "Deadline for a summoned department to report (报到)", ge=0)
    fatigue_load: Positive = param(
        4.0, "whistles per day per 100 staff-hours",
        "Whistle load at which a department's answers fall to 1/e of their quality: quality = exp(-load / this)",
        "practitioners' 'sweet spot' [DOMAIN §2]",
    )


class HotlineParams(Frozen):
    """接诉即办: every call dispatched with time limits; streets scored and ranked monthly."""

    siphon_share: Fraction = param(
        0.3, "fraction", "Share of department-owned tickets pushed down to streets (siphon effect)", "assumed; Zhang & Xiong 2024 [DOMAIN §3]"
    )
    whistle_share: Fraction = param(0.3, "fraction", "Share of tickets beyond a street's duties on which it whistles")
    patrol_find_rate: Fraction = param(0.0, "probability per open problem per day", "Grid patrol discovery (off by default)")
    patrol_hours_per_community: NonNegative = param(0.0, "staff-hours per day", "Grid patrol time per community")
    report_days: int = param(3, "days", "Deadline for a summoned department to report", ge=0)
    fatigue_load: Positive = param(4.0, "whistles per day per 100 staff-hours", "See whistle.fatigue_load")
    ranking_pressure: Fraction = param(0.5, "0-1", "Strength of the monthly ranking on street behaviour")
    named_share: Fraction = param(0.1, "fraction", "Bottom share of streets named at the monthly meeting")
    score_weights: dict[Literal["response", "resolution", "satisfaction"], NonNegative] = Field(
        default_factory=lambda: {"response": 0.1, "resolution": 0.45, "satisfaction": 0.45},
        description="Weights of the three rates in a street's monthly score [weights; source: assumed]",
    )
    effort_shift: Fraction = param(
        0.4, "fraction", "Fall in a street's chance of a root fix at full pressure (effort goes to fast closures)"
    )
    manufactured_satisfaction: Fraction = param(
        0.3, "probability", "Extra chance of a 'satisfied' rating for an unresolved ticket at full pressure"
    )
    leverage_share: Fraction = param(
        0.3, "probability", "Chance an unreasonable demand is served at full pressure (a bad rating used as leverage)"
    )


class ProactiveParams(Frozen):
    """未诉先办: the hotline regime plus data-driven prevention."""

    topics_per_month: int = param(1, "topics", "Categories picked each month (每月一题)", "12 topics in 2021 [DOMAIN §2]", ge=0)
    topic_cooldown_months: int = param(6, "months", "Months before a category can be picked again", ge=0)
    budget_per_10k: NonNegative = param(
        20000.0, "yuan per month per 10,000 residents", "Prevention budget"
    )
    cost_per_problem: Positive = param(2000.0, "yuan", "Cost of removing one open problem at its root")
    arrival_cut: Fraction = param(
        0.3, "fraction", "Mean cut in a topic's arrival rate from structural fixes (uneven: Beta-distributed)"
    )
    cut_spread: Positive = param(
        2.0, "Beta concentration", "Lower means more uneven topic effects (some do not work at all)"
    )
    lag_days: int = param(45, "days", "Delay before a structural fix lowers arrivals", "weeks to months [DOMAIN §3]", ge=0)
    cut_months: int = param(12, "months", "How long a structural fix lasts", ge=0)
    anticipation_share: Fraction = param(
        0.3, "fraction", "Share of a season's extra problems fixed ahead of the season"
    )
    anticipation_days: int = param(30, "days", "How early seasonal preparation starts", ge=0)
    coproduction_rate: Fraction = param(
        0.01, "probability per problem per day", "Chance a community with a deliberation hall fixes one of its open collective problems itself"
    )


class Regimes(Frozen):
    """The parameters of each regime (a run uses those of the regime in force; proactive also uses hotline's)."""

    whistle: WhistleParams = Field(default_factory=WhistleParams, description="Whistle-blowing (吹哨报到)")
    hotline: HotlineParams = Field(default_factory=HotlineParams, description="Complaint-response (接诉即办)")
    proactive: ProactiveParams = Field(default_factory=ProactiveParams, description="Proactive governance (未诉先办), on top of hotline")


# --------------------------------------------------------------------------------------------------- timeline


class RegimeSwitch(Frozen):
    """From this date on, the city runs under another regime."""

    date: Date = Field(description="First day under the new regime")
    regime: RegimeName = Field(description="The regime from that day")


class Shock(Frozen):
    """A period in which some categories' problems arise faster (an epidemic wave, a big event)."""

    start: Date = Field(description="First day of the shock")
    end: Date = Field(description="Last day of the shock")
    categories: list[str] = Field(min_length=1, description="Categories whose arrivals it multiplies")
    multiplier: NonNegative = Field(description="Arrival-rate multiplier [ratio]")
    districts: list[str] | None = Field(None, description="Limit to these districts (default: all)")


class Programme(Frozen):
    """A structural programme (an action plan, old-compound renovation) that cuts arrivals where it lands."""

    name: str = Field("", description="What the programme is")
    start: Date = Field(description="First day of the programme")
    end: Date = Field(description="Date by which the full cut is reached (it ramps up linearly)")
    categories: list[str] = Field(min_length=1, description="Categories whose arrivals it cuts")
    arrival_cut: Fraction = Field(description="Cut in the arrival rate once complete [fraction]")
    districts: list[str] | None = Field(None, description="Limit to these districts (default: all)")
    extra_street_staff: NonNegative = Field(0.0, description="Extra street staff-hours from the start, as a fraction [ratio]")


class Timeline(Frozen):
    """Dated events. `govsim run --regime R` holds R throughout and ignores the regime switches (not the rest)."""

    regimes: list[RegimeSwitch] = Field(default_factory=list, description="Regime switches by date")
    shocks: list[Shock] = Field(default_factory=list, description="Periods of faster problem arrival")
    programmes: list[Programme] = Field(default_factory=list, description="Structural programmes")


# --------------------------------------------------------------------------------------------------- scenario


class Scenario(Frozen):
    """A city and how it is governed: everything a run needs besides the seed."""

    name: str = Field(description="Short name used in result folders")
    description: str = Field("", description="One line saying what the scenario shows")
    start: Date = Field(dt.date(2019, 1, 1), description="Date of day 0")
    days: int = Field(365, gt=0, le=32000, description="Simulated days [days] (at most 32,000, about 87 years)")
    warmup_days: int = param(
        90, "days", "Days simulated before day 0 under the regime in force on day 0 and not recorded, so that a run "
        "starts from a city in operation (open problems, queues, rankings, residents' experience) rather than an "
        "empty one; the stock of open problems levels off after about three months", ge=0, le=730,
    )
    regime: RegimeName = Field("hotline", description="Regime at the start (the timeline may switch it)")
    city: City = Field(description="Districts, streets, communities and departments")
    population: Population = Field(default_factory=Population, description="Residents' groups and dispositions")
    categories: dict[str, Category] = Field(min_length=1, description="Complaint categories by name")
    hotline: Hotline = Field(default_factory=Hotline, description="The 12345 centre")
    handling: Handling = Field(default_factory=Handling, description="How tickets are worked and how they end")
    behaviour: Behaviour = Field(default_factory=Behaviour, description="How residents contact and learn")
    regimes: Regimes = Field(default_factory=Regimes, description="Parameters of each regime")
    timeline: Timeline = Field(default_factory=Timeline, description="Regime switches, shocks and programmes by date")
