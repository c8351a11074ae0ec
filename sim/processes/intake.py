"""ODD 7.3 -- intake: the hotline takes phone calls up to its capacity; online and walk-in contacts get through.

Capacity is operators x on-duty share x calls per operator per shift (scaled). Yesterday's callers who are still
waiting go first; on a day when the lines fill, today's callers get through in random order and those beyond
capacity give up (losing trust) or call again tomorrow. Phone calls and abandonments are counted by category,
district and age group (phone-only callers are the ones who wait: the equity breakdowns show who). Operators' time is counted for every phone
call answered and every online contact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.processes.contacts import Contacts, select

if TYPE_CHECKING:
    from sim.context import Context


class Intake:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        hotline = ctx.spec.hotline
        self.capacity = hotline.operators * hotline.on_duty_share * hotline.calls_per_operator * ctx.scale  # calls/day
        self.waiting: Contacts | None = None  # callers who will call again tomorrow

    def step(self, contacts: Contacts, day: int) -> Contacts:
        """The contacts handled today (answered phone calls, then online and walk-in contacts)."""
        ctx = self.ctx
        phone = ~contacts["walk_in"] & ~contacts["online"]
        queue = select(contacts, phone)
        capacity = int(self.capacity)
        waiting = 0 if self.waiting is None else len(self.waiting["caller"])
        if waiting + len(queue["caller"]) > capacity:  # who gets through on a full day is luck, not list order
            queue = select(queue, ctx.rng.permutation(len(queue["caller"])))
        self._count(queue, phone_calls=True)
        if self.waiting is not None:
            queue = {key: np.concatenate([self.waiting[key], queue[key]]) for key in queue}
        answered = select(queue, slice(0, capacity))
        overflow = select(queue, slice(capacity, None))
        self.waiting = None
        if len(overflow["caller"]):
            gives_up = ctx.rng.random(len(overflow["caller"])) < ctx.spec.hotline.abandon_share
            quitters = overflow["caller"][gives_up]
            ctx.residents.lose_trust(quitters[quitters >= 0], day)  # consultation callers are anonymous
            ctx.today.abandoned += int(gives_up.sum())
            self._count(select(overflow, gives_up), abandoned=True)
            self.waiting = select(overflow, ~gives_up)
        handled = {key: np.concatenate([answered[key], contacts[key][~phone]]) for key in contacts}
        hotline_contacts = len(answered["caller"]) + int(np.count_nonzero(contacts["online"]))
        ctx.today.operator_hours += hotline_contacts * ctx.spec.hotline.minutes_per_call / 60.0
        return handled

    def _count(self, contacts: Contacts, **flag: bool) -> None:
        district = self.ctx.city.community_district[contacts["community"]]
        self.ctx.breakdowns.add(contacts["category"], district, contacts["age"], **flag)
