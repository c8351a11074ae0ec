"""ODD 7.12 -- consultations: questions answered on the call, a process of their own.

Consultations do not come from problems and do not grow with complaint success. Per category k and day, their
number is Poisson with mean consult_rate_k x consultation_scale x contact_scale x coverage_k x sum_c pop_c a_c:
residents aware of 12345 (a_c, `processes/adoption.py`) ask at a fixed rate per resident. Each comes from a
community in proportion to pop_c a_c; the caller is anonymous, only an age group is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.sampling import in_proportion, poisson_events

if TYPE_CHECKING:
    from sim.context import Context


def consultations(ctx: "Context", day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Today's consultations: (community, category, age group) per consultation."""
    b, rng = ctx.spec.behaviour, ctx.rng
    aware = ctx.city.community_population * ctx.adoption.awareness
    before = np.concatenate(([0.0], np.cumsum(aware)))
    rate = ctx.categories.consult_rate * ctx.timeline.coverage(day) * (b.consultation_scale * b.contact_scale * before[-1])
    category = poisson_events(rng, rate)
    community = in_proportion(before, rng.random(len(category)) * before[-1])
    return community, category, ctx.residents.draw_age(community, rng)
