"""ODD 7.3 -- intake: the hotline takes phone calls up to its capacity; online and walk-in contacts get through.

Capacity is operators x calls per operator per day (scaled). Yesterday's callers who are still waiting go first;
callers beyond capacity give up (losing trust) or call again tomorrow. Operators' time is counted for every phone
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
        self.capacity = hotline.operators * hotline.calls_per_operator * ctx.scale  # phone calls per day
        self.waiting: Contacts | None = None  # callers who will call again tomorrow

    def step(self, contacts: Contacts, day: int) -> Contacts:
        """The contacts handled today (answered phone calls, then online and walk-in contacts)."""
        ctx = self.ctx
        phone = ~contacts["walk_in"] & ~contacts["online"]
        queue = select(contacts, phone)
        if self.waiting is not None:
            queue = {key: np.concatenate([self.waiting[key], queue[key]]) for key in queue}
        capacity = int(self.capacity)
        answered = select(queue, slice(0, capacity))
        overflow = select(queue, slice(capacity, None))
        self.waiting = None
        if len(overflow["caller"]):
            gives_up = ctx.rng.random(len(overflow["caller"])) < ctx.spec.hotline.abandon_share
            quitters = overflow["caller"][gives_up]
            ctx.residents.lose_trust(quitters[quitters >= 0], day)  # consultation callers are anonymous
            ctx.today.abandoned += int(gives_up.sum())
            self.waiting = select(overflow, ~gives_up)
        handled = {key: np.concatenate([answered[key], contacts[key][~phone]]) for key in contacts}
        hotline_contacts = len(answered["caller"]) + int(np.count_nonzero(contacts["online"]))
        ctx.today.operator_hours += hotline_contacts * ctx.spec.hotline.minutes_per_call / 60.0
        return handled
