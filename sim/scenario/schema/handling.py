"""The 12345 centre (capacity, classification, time limits) and how tickets are handled and end."""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.schema.base import Fraction, Frozen, NonNegative, Positive, param

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
        1500, "operators", "Operators on the hotline's payroll, at full scale (see on_duty_share)", "1,400-1,700 [DOMAIN §1]"
    )
    calls_per_operator: Positive = param(
        90, "calls per operator per day", "Calls one operator on duty handles in a day", "80-100 per shift [DOMAIN §1]"
    )
    on_duty_share: Fraction = param(
        0.43, "fraction", "Share of the operators at a seat on a given day (shifts, rest days): phone capacity per day "
        "= operators x on_duty_share x calls_per_operator (scaled)", "600-700 operators on duty at the peak of 1,700+ (Bastille Post, 2024-12-18, in "
        "shared/data/beijing_public_record.csv); 600-750 seats [DOMAIN §1]",
    )
    minutes_per_call: Positive = param(5.0, "minutes", "Operator time per call", "4-6 minutes [DOMAIN §1]")
    abandon_share: Fraction = param(
        0.5, "fraction", "Share of callers who give up when the lines are full (the rest call again next day)"
    )
    misroute_rate: Fraction = param(0.07, "fraction", "Share of tickets classified to the wrong body", "5-10 % assumed [MECHANISMS]")
    bounce_days: int = param(2, "days", "Days a misrouted ticket loses before it reaches the right body", ge=0)
    answered_on_call: Fraction = param(
        0.8, "fraction", "Share of the questions (consultations) reaching the hotline that a new knowledge base lets "
        "the operator answer on the call; the rest are forwarded to the department that owns the category "
        "(rises toward learning.answer_ceiling as the knowledge base learns)", "assumed",
    )
    forward_hours: NonNegative = param(
        0.5, "staff-hours", "Department staff-hours spent answering one forwarded question (taken from the day's "
        "hours before tickets)", "assumed",
    )
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
    gone_rated_resolved: Fraction = param(
        0.5, "probability", "Chance a caller whose problem went away while the ticket waited (it expired or ended by "
        "itself) calls the ticket resolved; before this parameter such tickets all counted as resolved, so that "
        "resolution rose under overload", "assumed: no published figure; residents rate the handler, not the problem",
    )
    staffing_response: NonNegative = param(
        0.3, "fraction per month", "How fast a body's staff follow its load: each month staff-hours change by this x "
        "(queued work / target_queue_days - 1); 0 keeps the scenario's staff throughout", "assumed",
    )
    target_queue_days: Positive = param(
        3.0, "days of queued work", "Queued work (staff-hours of open tickets / daily staff-hours) that staffing aims at", "assumed"
    )
    max_staffing: Positive = param(
        2.5, "x the scenario's staff", "Most a body's staff can grow to (staffing never falls below the scenario's)", "assumed"
    )
    pending_call_factor: Fraction = param(
        0.05, "multiplier", "Contact rate of a problem that already has an open ticket, relative to one that has none"
    )
    hour_cost: NonNegative = param(120.0, "yuan per staff-hour", "Cost of one staff-hour (streets, departments, operators, patrols)")
