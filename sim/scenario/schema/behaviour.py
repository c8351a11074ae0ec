"""How residents decide to contact government and react to their experience."""

from __future__ import annotations

from sim.scenario.schema.base import Fraction, Frozen, NonNegative, param

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
