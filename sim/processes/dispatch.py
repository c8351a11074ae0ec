"""ODD 7.4 (first part) -- dispatch: complaints and patrol finds become tickets and go to the body that handles them.

The regime's routing picks a street office or a department for each ticket; the hotline misroutes some (fewer as its
knowledge base learns, `learning`), which lose days bouncing back, and forwards the questions its knowledge base
cannot answer on the call to the department that owns them (hours off that department's day); the regime's
whistling hands street tickets beyond the streets' duties to the owning department, with its own reporting deadline.
Each ticket gets its time limits (by urgency), the staff-hours it needs (lognormal around its category's mean; a
pressed street needs less, see `street_response`, and a novice more, see `learning`), its lead time before the work
can be done, and whether its caller threatened to petition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.processes.contacts import Contacts
from sim.tickets import HOTLINE, NOBODY, PATROL, WALK_IN

if TYPE_CHECKING:
    from sim.context import Context


class Dispatch:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx

    def from_contacts(self, contacts: Contacts, day: int) -> None:
        """Tickets for today's handled complaints (a caller who waited may find the problem already gone)."""
        complaint = contacts["problem"] >= 0
        rows = self.ctx.problems.rows_of(contacts["problem"][complaint])
        alive = rows >= 0
        channel = np.where(contacts["walk_in"][complaint], WALK_IN, HOTLINE)[alive]
        self.open(rows[alive], contacts["caller"][complaint][alive], channel, day)
        self.forward_questions(contacts)

    def forward_questions(self, contacts: Contacts) -> None:
        """The hotline's questions its knowledge base cannot answer on the call go to the owning department, which
        spends `hotline.forward_hours` on each today (walk-in questions are answered at the community office).

        Questions are not followed one by one, so the forwarded share is counted as an expectation, not drawn: the
        knowledge base then changes departments' hours and nothing else, and every later draw stays as it was."""
        ctx = self.ctx
        question = (contacts["problem"] < 0) & ~contacts["walk_in"]
        departments = ctx.handlers.of_department(ctx.categories.owner[contacts["category"][question]])
        forwarded_share = 1.0 - ctx.learning.answer_share()
        forwarded = np.bincount(departments, minlength=ctx.handlers.n) * forwarded_share
        ctx.work.forwarded_hours = forwarded * ctx.spec.hotline.forward_hours
        ctx.today.hotline_questions += len(departments)
        ctx.today.forwarded_questions += float(forwarded.sum())

    def from_patrols(self, day: int) -> None:
        """Tickets for the problems the regime's patrols found today."""
        ctx = self.ctx
        rows = ctx.regime.discovery.find(day)
        self.open(rows, np.full(len(rows), NOBODY), np.full(len(rows), PATROL), day)
        ctx.today.patrol_hours += ctx.regime.discovery.hours()

    def open(self, rows: np.ndarray, caller: np.ndarray, channel: np.ndarray, day: int) -> None:
        """Open one ticket per problem row, from `caller` (NOBODY for patrol finds) through `channel`."""
        n = len(rows)
        if n == 0:
            return
        ctx = self.ctx
        rng, city, spec, handlers, categories, regime = ctx.rng, ctx.city, ctx.spec, ctx.handlers, ctx.categories, ctx.regime
        problems = ctx.problems.table
        np.add.at(problems.pending, rows, 1)
        problems.ticketed[rows] = True
        community = problems.community[rows]
        category = problems.category[rows]
        street = city.community_street[community]
        handler = regime.routing.route(category, street, channel)
        misrouted = (channel == HOTLINE) & (rng.random(n) < ctx.learning.misroute_rate())
        ctx.learning.classify(int(np.count_nonzero(channel == HOTLINE)))
        ready = day + misrouted * spec.hotline.bounce_days
        whistled = handlers.is_street(handler) & regime.escalation.escalate(category)
        owner = categories.owner[category]
        handler = np.where(whistled, handlers.of_department(owner), handler)
        response_due = ready + np.where(whistled, regime.escalation.report_days, categories.response_days[category])
        spread = spec.handling.effort_spread
        effort = categories.effort[category] * rng.lognormal(-spread**2 / 2, spread, n)
        effort *= ctx.street_response.effort_factor(handler) * ctx.learning.effort_factor(handler)
        effort *= ctx.places.effort_factor(handler, handlers)
        whistles = np.bincount(owner[whistled], minlength=len(city.department_names))
        ctx.standing.add_whistles(whistles, city.department_staff_hours)
        ctx.month.department_whistles += whistles
        ctx.month.category_tickets += np.bincount(category, minlength=len(categories))
        threat = (channel == HOTLINE) & (rng.random(n) < spec.behaviour.threat_share)
        age = np.where(caller >= 0, ctx.residents.age[np.maximum(caller, 0)], -1)
        repeat = problems.returns[rows] > 0
        district = city.community_district[community]
        ctx.tickets.open(
            problem=problems.id[rows], caller=caller, community=community, street=street, district=district,
            category=category, age=age, channel=channel, threat=threat, repeat=repeat, handler=handler,
            receiver=handler, whistled=whistled, misrouted=misrouted, opened=day, ready=ready,
            work_from=ready + rng.poisson(categories.lead_days[category] * ctx.places.lead_factor(street)), response_due=response_due,
            due=ready + categories.due_days[category], contact_left=spec.handling.contact_hours, effort_left=effort,
        )
        ctx.today.tickets_opened += n
        ctx.today.repeats += int(np.count_nonzero(repeat))
        ctx.today.whistles += int(whistled.sum())
        ctx.breakdowns.add(category, district, age, tickets_opened=True)
