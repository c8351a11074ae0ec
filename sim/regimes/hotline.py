"""接诉即办 -- complaint-response (from January 2019), as a composition of interventions.

Every call goes through 12345 and is dispatched with time limits to the responsible street or department; the body
that first receives a ticket owns it. Departments push part of their work down to streets (the siphon effect).
Streets contact every caller first and serve threats to petition first. Each month every street is scored on the
three rates and ranked, and the bottom share is named; pressed streets shift effort from root fixes toward fast
closures and satisfied ratings (`sim/processes/street_response.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.interventions.channels import Channels
from sim.interventions.patrols import Patrols
from sim.interventions.ranking import Ranking
from sim.interventions.routing import Routing
from sim.interventions.whistling import Whistling
from sim.interventions.work_order import TimeLimitsFirst
from sim.processes.street_response import PressureResponse
from sim.regimes.regime import Regime

if TYPE_CHECKING:
    from sim.context import Context


def hotline(ctx: "Context") -> Regime:
    p = ctx.spec.regimes.hotline
    return Regime(
        name="hotline",
        channels=Channels(publicity=ctx.spec.behaviour.publicity_hotline, walk_in_share=0.0),
        discovery=Patrols(ctx, p.patrol_find_rate, p.patrol_hours_per_community),
        routing=Routing(ctx, p.siphon_share, p.siphon_load_mid, p.siphon_load_width),
        escalation=Whistling(ctx, p.whistle_share, p.report_days, p.fatigue_load),
        work_order=TimeLimitsFirst(ctx),
        pressure=PressureResponse(
            p.effort_shift, p.manufactured_satisfaction, p.leverage_share, p.gaming_share, p.capability_investment
        ),
        monthly=(Ranking(ctx, p),),
    )
