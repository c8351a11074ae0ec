"""How residents decide to contact government and react to their experience."""

from __future__ import annotations

from sim.scenario.schema.base import Fraction, Frozen, NonNegative, Positive, param

class Behaviour(Frozen):
    """How residents decide to contact and how they react to their experience."""

    contact_scale: NonNegative = param(
        1.05, "multiplier", "Scales every resident's wish to contact (consultations and complaints alike)",
        "calibrated: ≈ 10 M requests in 2019 (30 M+ over 2019-2021) [report]",
    )
    trust_elasticity: NonNegative = param(
        1.0, "multiplier per unit trust", "How strongly trust raises the wish to contact: weight = 1 + e (trust - 0.5)"
    )
    trust_learning: Fraction = param(0.3, "fraction", "Step of trust toward the outcome (t <- t + a (outcome - t))")
    trust_diffusion: Fraction = param(
        0.02, "fraction per day", "Daily pull of each resident's trust toward the community mean"
    )
    success_boost: NonNegative = param(
        0.57, "relative change per unit of memory",
        "Rise in propensity per unit of success memory (one satisfying fix adds one unit): p = p0 (1 + boost m)",
        "FixMyStreet, Sjoberg et al. 2017 [DOMAIN §3]",
    )
    failure_drop: Fraction = param(
        0.2, "relative change", "Fall in propensity at one unit of failure memory (an unresolved ticket): p = p0 (1 - drop |m|)"
    )
    memory_decay: Fraction = param(
        0.005, "fraction per day", "Daily fading of a resident's success (or failure) memory toward 0 (half-life ~140 days)"
    )
    memory_cap: NonNegative = param(
        2.0, "units", "Largest success memory: induced demand is bounded at p0 (1 + boost x cap)"
    )
    consultation_scale: NonNegative = param(
        1.32, "multiplier", "Scales consultations (questions answered on the call), a process of their own",
        "calibrated: 58.5 % of contacts in 2019-2021 (Beijing Youth Daily, Dec 2021)",
    )
    initial_awareness: Fraction = param(
        0.35, "fraction", "Share of each community's residents aware of 12345 on the first simulated day",
        "assumed: ≈ 4 M requests a year before 2019 against ≈ 10 M after (Bastille Post / CCTV, Dec 2024)",
    )
    publicity_hotline: NonNegative = param(
        0.008, "fraction of the unaware per day",
        "Bass innovation rate p (media, publicity) under complaint-response and proactive governance", "assumed; Bass 1969",
    )
    publicity_whistle: NonNegative = param(
        0.0001, "fraction of the unaware per day", "Bass innovation rate p under whistle-blowing (little publicity)",
        "assumed; Bass 1969",
    )
    word_of_mouth: NonNegative = param(
        0.001, "per day", "Bass imitation rate q, weighted by the community's satisfied share of recent outcomes",
        "assumed; Bass 1969",
    )
    outcome_memory_days: Positive = param(
        90.0, "days", "Mean age of the outcomes a community remembers (word of mouth, exponential window)"
    )
    disconfirmation_weight: NonNegative = param(
        0.15, "probability per unit", "Rise in the chance of satisfaction per unit of outcome above expectation",
        "Van Ryzin 2004; James 2009 (magnitude assumed)",
    )
    initial_expectation: Fraction = param(0.85, "0-1", "Communities' expected service quality at the start")
    expectation_learning: Fraction = param(
        0.05, "fraction per outcome", "Step of a community's expectation toward each outcome its residents experience",
        "assumed; adaptive expectations, Van Ryzin 2004",
    )
    negativity_bias: Positive = param(
        2.0, "ratio", "How much more a bad outcome moves trust than a good one (own and neighbours')",
        "Olsen 2015 (magnitude assumed)",
    )
    vicarious_reach: NonNegative = param(
        10.0, "residents per outcome", "Neighbours who hear of each outcome and learn from it as the caller does"
    )
    open_problem_weight: NonNegative = param(
        0.002, "outcomes per open problem per day", "Bad news from each problem left open in the community, as a share of a bad outcome heard"
    )
    threat_share: Fraction = param(
        0.03, "fraction", "Share of calls that threaten to petition higher up (served first)", "assumed; Zhao et al. 2026 [DOMAIN §3]"
    )
    satisfied_if_resolved: Fraction = param(0.97, "probability", "Chance of a 'satisfied' rating when resolved")
    satisfied_if_unresolved: Fraction = param(
        0.42, "probability", "Chance of a 'satisfied' rating when not resolved, at an outcome as expected",
        "calibrated: satisfaction 90 % in 2019-2021 [report]",
    )
    symptom_rated_resolved: Fraction = param(
        0.73, "probability", "Chance a resident rates a symptom-only closure as 'resolved'"
    )
    late_penalty: Fraction = param(0.25, "probability", "Drop in the chance of satisfaction when closed after the due date")
    trust_effect: NonNegative = param(0.3, "probability per unit trust", "Rise in the chance of satisfaction per unit of trust above 0.5")
