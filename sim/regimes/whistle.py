"""吹哨报到 -- whistle-blowing (piloted 2017-2018), as a composition of interventions.

Problems are found mostly by grid patrols and by residents who walk into the community office; the hotline is a
weak channel. A street fixes what is on its duty list and blows the whistle on the rest: the owning department
must report within a deadline and joins the handling, answering well when whistles are few and perfunctorily when
they pile up. Streets rate the departments' answers each month; nobody is ranked in public, so there is no
ranking pressure. Queues are first come, first served.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.interventions.channels import Channels
from sim.interventions.department_rating import DepartmentRating
from sim.interventions.patrols import Patrols
from sim.interventions.routing import Routing
from sim.interventions.whistling import Whistling
from sim.interventions.work_order import FirstComeFirstServed
from sim.regimes.regime import Regime

if TYPE_CHECKING:
    from sim.context import Context


def whistle(ctx: "Context") -> Regime:
    p = ctx.spec.regimes.whistle
    return Regime(
        name="whistle",
        channels=Channels(publicity=ctx.spec.behaviour.publicity_whistle, walk_in_share=p.walk_in_share),
        discovery=Patrols(ctx, p.patrol_find_rate, p.patrol_hours_per_community),
        routing=Routing(ctx, siphon_share=0.0),
        escalation=Whistling(ctx, p.whistle_share, p.report_days, p.fatigue_load),
        work_order=FirstComeFirstServed(ctx),
        monthly=(DepartmentRating(ctx),),
    )
