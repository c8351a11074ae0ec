"""吹哨报到 -- whistle-blowing (piloted 2017-2018).

Problems are found mostly by grid patrols and by residents who walk into the community office; the hotline is a
weak channel. A street fixes what is on its duty list and blows the whistle on the rest: the owning department
must report within a deadline and joins the handling, answering well when whistles are few and perfunctorily when
they pile up (fatigue, in the model core). Streets rate the departments' answers each month; nobody is ranked in
public, so there is no ranking pressure.
"""

from __future__ import annotations

import numpy as np

from sim.metrics import ratio
from sim.regimes.base import Regime


class WhistleRegime(Regime):
    name = "whistle"

    def __init__(self, model):
        super().__init__(model, model.spec.regimes.whistle)

    def channels(self) -> tuple[float, float]:
        return self.params.hotline_reach, self.params.walk_in_share

    def evaluate(self, day: int) -> None:
        """Streets rate the departments they summoned: the share of last month's whistles answered in time."""
        month = self.model.month
        whistles, reported = month["department_whistles"], month["department_reported"]
        self.model.department_score[:] = np.array([ratio(r, w) for r, w in zip(reported, whistles)])
