"""The parameters of each governance regime."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.schema.base import Fraction, Frozen, NonNegative, Positive, param

class WhistleParams(Frozen):
    """吹哨报到: streets and grid patrols find problems; streets summon departments for what is beyond them."""

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
        0.3, "fraction", "Most of the department-owned tickets that an overloaded department pushes down to streets "
        "(siphon effect): the share pushed is this times a logistic of the department's queue (siphon_load_mid, "
        "siphon_load_width)", "assumed; Zhang & Xiong 2024 [DOMAIN §3]"
    )
    siphon_load_mid: NonNegative = param(
        2.0, "days of queued work", "Department queue (staff-hours of open tickets / daily staff-hours) at which it pushes half of siphon_share down"
    )
    siphon_load_width: Positive = param(
        1.0, "days of queued work", "Width of the logistic: how sharply the siphon turns on as a department's queue grows"
    )
    whistle_share: Fraction = param(0.3, "fraction", "Share of tickets beyond a street's duties on which it whistles")
    patrol_find_rate: Fraction = param(0.0, "probability per open problem per day", "Grid patrol discovery (off by default)")
    patrol_hours_per_community: NonNegative = param(0.0, "staff-hours per day", "Grid patrol time per community")
    report_days: int = param(3, "days", "Deadline for a summoned department to report", ge=0)
    fatigue_load: Positive = param(4.0, "whistles per day per 100 staff-hours", "See whistle.fatigue_load")
    ranking_pressure: Fraction = param(0.5, "0-1", "Strength of the monthly ranking on street behaviour")
    named_share: Fraction = param(
        0.1, "fraction", "Bottom share of streets named at the monthly meeting (at least one street when above 0)"
    )
    pressure_width: Positive = param(
        0.02, "score points (0-1)", "How a street's pressure falls with its margin over the naming threshold: pressure "
        "= ranking_pressure / (1 + exp(margin / this)); a street on the threshold feels half", "assumed [Bevan & Hood 2006]",
    )
    gaming_share: Fraction = param(
        0.5, "fraction", "Share of a pressed street's response that is gaming (quick closures, manufactured "
        "satisfaction: now) rather than building capability (more root fixes: later); the repeat-complaint share "
        "tells them apart", "assumed [Bevan & Hood 2006; Kelman & Friedman 2009; Gao 2015]",
    )
    capability_investment: NonNegative = param(
        0.5, "tickets per staff-day per unit pressure", "Experience a street at full pressure adds each day by "
        "investing in capability (training, standing procedures), times 1 - gaming_share (see learning)", "assumed",
    )
    score_weights: dict[Literal["response", "resolution", "satisfaction"], NonNegative] = Field(
        default_factory=lambda: {"response": 0.1, "resolution": 0.45, "satisfaction": 0.45},
        description="Weights of the three rates in a street's monthly score [weights; source: assumed]",
    )
    effort_shift: Fraction = param(
        0.4, "fraction", "Fall in a street's chance of a root fix at full pressure if all its response were gaming "
        "(effort goes to fast closures; times gaming_share)"
    )
    manufactured_satisfaction: Fraction = param(
        0.3, "probability", "Extra chance of a favourable rating at full pressure if all its response were gaming "
        "(times gaming_share): 'satisfied' for an unresolved ticket, 'resolved' for a symptom closure or a problem "
        "that went away (streets talking callers round before the call-back)"
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
        0.3, "fraction", "Most a topic's structural fixes can cut its arrival rate: the mean cut is this times "
        "1 - exp(-spend / cut_spend_scale), uneven around it (Beta-distributed); no money, no cut"
    )
    cut_spend_scale: Positive = param(
        5000.0, "yuan per 10,000 residents", "Structural spend on one topic at which its mean cut reaches 63 % of "
        "arrival_cut (a production function with diminishing returns)", "assumed",
    )
    cut_spread: Positive = param(
        2.0, "Beta concentration", "Lower means more uneven topic effects (some do not work at all)"
    )
    lag_days: int = param(45, "days", "Delay before a structural fix lowers arrivals", "weeks to months [DOMAIN §3]", ge=0)
    cut_months: int = param(12, "months", "How long a structural fix lasts", ge=0)
    anticipation_share: Fraction = param(
        0.3, "fraction", "Share of a season's extra problems fixed ahead of the season"
    )
    coproduction_rate: Fraction = param(
        0.01, "probability per problem per day", "Chance a community with a deliberation hall fixes one of its open collective problems itself"
    )


class Regimes(Frozen):
    """The parameters of each regime (a run uses those of the regime in force; proactive also uses hotline's)."""

    whistle: WhistleParams = Field(default_factory=WhistleParams, description="Whistle-blowing (吹哨报到)")
    hotline: HotlineParams = Field(default_factory=HotlineParams, description="Complaint-response (接诉即办)")
    proactive: ProactiveParams = Field(default_factory=ProactiveParams, description="Proactive governance (未诉先办), on top of hotline")
