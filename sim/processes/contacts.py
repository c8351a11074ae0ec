"""ODD 7.2 -- residents contact government: about the open problems that affect them, or to ask a question.

An open problem in community c draws contacts at rate `affected x report_rate_k x w_c x (a_c + walk_in)` (fewer
once it has an open ticket), where `w_c` is the community's contact weight (propensity and trust), `a_c` its
residents' awareness of 12345 (ODD 7.10; merged hotlines bring their problems through arrival), and `walk_in` the
regime's contacts at the community office. Consultations are their own process (`consultations.py`). The
caller of a complaint is a resident of the community drawn in proportion to propensity, trust and (for collective
problems) home ownership, and kept with the current-over-bound ratio of their propensity (induced demand fades
between acts; ODD 7.11); an individual problem keeps its one resident. Each contact is made by phone, online (by
age group and calendar year) or walking in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from sim.problems import OPEN
from sim.processes.consultations import consultations
from sim.sampling import poisson_events
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
        walk_in_share = ctx.regime.channels.walk_in_share
        weight = residents.contact_weight() * ctx.spec.behaviour.contact_scale
        table = ctx.problems.table
        awareness = ctx.adoption.awareness
        # in place, in the order of the formula (the same numbers, fewer temporaries: this runs over every problem)
        rate = table.affected * categories.report_rate[table.category]
        rate *= weight[table.community]
        rate *= awareness[table.community] + walk_in_share
        rate *= np.where(table.pending > 0, ctx.spec.handling.pending_call_factor, 1.0)
        rate *= table.state == OPEN
        rows = poisson_events(rng, rate)
        walk_in_chance = walk_in_share / np.maximum(awareness[table.community[rows]] + walk_in_share, 1e-12)

        # Complaint callers are residents (they learn from the outcome); consultation callers only an age group.
        caller = table.resident[rows].copy()
        unknown = np.flatnonzero(caller < 0)
        caller[unknown] = residents.draw(table.community[rows][unknown], table.collective[rows][unknown], day, rng)
        kept = np.ones(len(rows), bool)
        kept[unknown] = rng.random(len(unknown)) < residents.acceptance(caller[unknown], day)
        rows, caller, walk_in_chance = rows[kept], caller[kept], walk_in_chance[kept]
        n_calls = len(rows)
        individual = ~table.collective[rows]
        table.resident[rows[individual]] = caller[individual]
        caller[individual] = table.resident[rows[individual]]  # one owner even if drawn twice today
        consult_community, consult_category, consult_age = consultations(ctx, day)
        n_consults = len(consult_category)
        age = np.concatenate([residents.age[caller], consult_age])
        walk_in = np.zeros(n_calls + n_consults, bool)
        if walk_in_share > 0:
            walk_in[:n_calls] = rng.random(n_calls) < walk_in_chance
        years = (ctx.timeline.date(day) - dt.date(ctx.spec.population.online_reference_year, 7, 1)).days / 365.25
        contacts = {
            "community": np.concatenate([table.community[rows], consult_community]).astype(np.int64, copy=False),
            "category": np.concatenate([table.category[rows], consult_category]).astype(np.int64, copy=False),
            "problem": np.concatenate([table.id[rows], np.full(n_consults, -1)]),
            "caller": np.concatenate([caller, np.full(n_consults, NOBODY)]),
            "age": age,
            "walk_in": walk_in,
            "online": ~walk_in & residents.channel_online(age, rng, years),
        }
        ctx.today.hotline_contacts += int(np.count_nonzero(~walk_in))
        ctx.today.phone_contacts += int(np.count_nonzero(~walk_in & ~contacts["online"]))
        ctx.today.contacts += n_calls + n_consults
        ctx.today.consultations += n_consults
        district = ctx.city.community_district[contacts["community"]]
        ctx.breakdowns.add(contacts["category"], district, age, contacts=True, consultations=contacts["problem"] < 0)
        return contacts
