"""Organisational learning of street offices, departments and the hotline's knowledge base (ODD 7.16)."""

from __future__ import annotations

from sim.scenario.schema.base import Fraction, Frozen, NonNegative, Positive, param


class Learning(Frozen):
    """How handling tickets makes a body better at it, and how unused experience is forgotten.

    Each body's experience K follows K(t+1) = (1 - forgetting) K(t) + q(t), q = tickets it finished that day per
    staff-day of capacity (plus investment under ranking pressure). Its capability is a learning curve,
    c = 1 - (1 - novice_capability) exp(-K / experience_scale): the chance of a root fix is the scenario's fix
    chance times c, and the staff-hours a ticket needs are its effort times 1 + (novice_effort - 1) exp(-K /
    experience_scale) [Argote & Epple 1990, Science 247:920; Darr, Argote & Epple 1995, Mgmt Sci 41:1750].
    """

    frozen: bool = param(
        False, "switch", "Hold every body's experience at its starting value (no learning, no forgetting): the "
        "counterfactual that shows what learning contributes",
    )
    forgetting: Fraction = param(
        0.0015, "fraction per day",
        "Share of experience lost each day (depreciation of organisational knowledge; half-life about 15 months)",
        "assumed; knowledge depreciates within months in Argote et al. 1990 and Darr et al. 1995",
    )
    unrated_weight: Fraction = param(
        0.3, "ratio", "What a ticket nobody rates (a patrol find, a walk-in) teaches its handler, relative to a hotline "
        "ticket whose caller is called back and rates it (learning from performance feedback)", "assumed [Greve 2003]",
    )
    experience_scale: Positive = param(
        400.0, "tickets per staff-day", "Experience at which a novice's shortfall has fallen to 1/e", "assumed; fitted to the public record"
    )
    initial_experience: NonNegative = param(
        1.2, "x experience_scale", "Every body's experience when the run starts (before the warm-up)", "assumed"
    )
    novice_capability: Fraction = param(
        0.6, "ratio", "A novice's chance of a root fix relative to an expert's", "assumed; fitted to the public record"
    )
    novice_effort: Positive = param(
        1.5, "ratio", "Staff-hours a novice needs per ticket relative to an expert", "assumed"
    )
    misroute_floor: Fraction = param(
        0.02, "fraction", "Misrouting rate of a fully learnt hotline knowledge base (from hotline.misroute_rate at none)",
        "assumed",
    )
    answer_ceiling: Fraction = param(
        0.95, "fraction", "Share of the hotline's questions a fully learnt knowledge base answers on the call (from "
        "hotline.answered_on_call at none; a ceiling below that start is read as the start)", "assumed",
    )
    knowledge_scale: Positive = param(
        5000.0, "tickets per operator", "Tickets classified per operator at which the knowledge base has closed 1/e "
        "of the gap to its misrouting floor and to its answering ceiling (it does not forget)", "assumed",
    )
