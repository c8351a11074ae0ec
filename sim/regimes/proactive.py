"""未诉先办、主动治理 -- proactive governance (from 2021): complaint-response's interventions plus prevention.

Everything complaint-response does (with its parameters, regimes.hotline), and: every month one topic (每月一题),
seasonal anticipation and co-production in communities with a deliberation hall (regimes.proactive).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sim.interventions.coproduction import Coproduction
from sim.interventions.monthly_topics import MonthlyTopics
from sim.interventions.seasonal_anticipation import SeasonalAnticipation
from sim.regimes.hotline import hotline
from sim.regimes.regime import Regime

if TYPE_CHECKING:
    from sim.context import Context


def proactive(ctx: "Context") -> Regime:
    p = ctx.spec.regimes.proactive
    response = hotline(ctx)
    return replace(
        response,
        name="proactive",
        monthly=response.monthly + (MonthlyTopics(ctx, p),),
        arrival_screens=(SeasonalAnticipation(ctx, p),),
        daily_prevention=(Coproduction(ctx, p),),
    )
