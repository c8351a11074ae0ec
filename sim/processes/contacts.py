"""ODD 7.2 -- residents contact government: about the open problems that affect them, or to ask a question.

An open problem in community c draws contacts at rate `affected x report_rate_k x w_c x reach` (fewer once it
has an open ticket), where `w_c` is the community's contact weight (propensity and trust) and `reach` the share of
residents' contacts that reach a channel under the regime (the hotline's reach and walk-ins to the community
office). Consultations arrive per category in proportion to the residents' contact weight. The caller of a
complaint is a resident of the community drawn in proportion to propensity, trust and (for collective problems)
home ownership; an individual problem keeps its one resident. Each contact is made by phone, online or walking in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.problems import OPEN
from sim.sampling import in_proportion, poisson_events
from sim.tickets import NOBODY

if TYPE_CHECKING:
    from sim.context import Context

Contacts = dict[str, np.ndarray]  # columns: community, category, problem (-1: consultation), caller, age, walk_in, online


def select(contacts: Contacts, which) -> Contacts:
    return {key: value[which] for key, value in contacts.items()}


class Contacting:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx

    def step(self, day: int) -> Contacts:
        """Today's contacts: who, from which community, about which problem (-1: a consultation), by which channel."""
        ctx = self.ctx
        rng, residents, categories = ctx.rng, ctx.residents, ctx.categories
        hotline_share, walk_in_share = ctx.regime.channels.hotline_share, ctx.regime.channels.walk_in_share
        reach = hotline_share + walk_in_share
        weight = residents.contact_weight() * ctx.spec.behaviour.contact_scale
        table = ctx.problems.table
        rate = table.affected * categories.report_rate[table.category] * weight[table.community] * reach
        rate = rate * np.where(table.pending > 0, ctx.spec.handling.pending_call_factor, 1.0) * (table.state == OPEN)
        rows = poisson_events(rng, rate)
        n_calls = len(rows)
        # Consultations: a Poisson number per category, each from a community in proportion to its residents'
        # contact weight.
        wish_before = np.concatenate(([0.0], np.cumsum(ctx.city.community_population * weight)))
        consult_category = poisson_events(rng, categories.consult_rate * hotline_share * wish_before[-1])
        consult_community = in_proportion(wish_before, rng.random(len(consult_category)) * wish_before[-1])

        # Complaint callers are residents (they learn from the outcome); consultation callers only an age group.
        caller = table.resident[rows].copy()
        unknown = caller < 0
        caller[unknown] = residents.draw(table.community[rows][unknown], table.collective[rows][unknown], day, rng)
        individual = ~table.collective[rows]
        table.resident[rows[individual]] = caller[individual]
        caller[individual] = table.resident[rows[individual]]  # one owner even if drawn twice today
        n_consults = len(consult_category)
        age = np.concatenate([residents.age[caller], residents.draw_age(consult_community, rng)])
        walk_in = np.zeros(n_calls + n_consults, bool)
        if walk_in_share > 0:
            walk_in[:n_calls] = rng.random(n_calls) < walk_in_share / reach
        contacts = {
            "community": np.concatenate([table.community[rows], consult_community]).astype(np.int64),
            "category": np.concatenate([table.category[rows], consult_category]).astype(np.int64),
            "problem": np.concatenate([table.id[rows], np.full(n_consults, -1)]),
            "caller": np.concatenate([caller, np.full(n_consults, NOBODY)]),
            "age": age,
            "walk_in": walk_in,
            "online": ~walk_in & residents.channel_online(age, rng),
        }
        ctx.today.contacts += n_calls + n_consults
        ctx.today.consultations += n_consults
        district = ctx.city.community_district[contacts["community"]]
        ctx.breakdowns.add(contacts["category"], district, age.astype(np.int64), contacts=True, consultations=contacts["problem"] < 0)
        return contacts
