"""ODD 7.13 and 7.14 -- what a community remembers of its residents' outcomes: expectations of service, the
satisfied share of recent outcomes (word of mouth), and trust learnt from neighbours (vicarious learning).

Per community c (arrays over communities; nothing loops over residents):
- expectation E_c of service quality adapts to each outcome u its residents experience (u = 1 resolved, 0 not,
  minus the late penalty if closed late): E <- E + (1 - (1 - lambda)^n)(mean u - E) for n outcomes in a day
  [adaptive expectations, Van Ryzin 2004; James 2009]; call-back compares the outcome with it (disconfirmation);
- satisfied and unsatisfied outcomes are counted in an exponential window of mean age `outcome_memory_days`; their
  satisfied share weights word of mouth in awareness (`processes/adoption.py`);
- vicarious trust: each outcome is heard by `vicarious_reach` neighbours who learn from it as the caller does
  (`trust_learning`), and each problem left open is bad news of weight `open_problem_weight` a day; bad news weighs
  `negativity_bias` times more [Olsen 2015]. The community mean moves by f+ (1 - m) - f- m with
  f+ = reach x a x good / pop and f- = reach x a x bias x bad / pop (together at most 1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.problems import OPEN

if TYPE_CHECKING:
    from sim.context import Context

MAX_OUTCOMES = 4096  # outcomes in one community on one day beyond which an expectation simply jumps to their mean


class Neighbourhood:
    def __init__(self, ctx: "Context"):
        self.ctx = ctx
        b = ctx.spec.behaviour
        n = len(ctx.city.community_population)
        self.population = np.asarray(ctx.city.community_population, dtype=np.float64)
        self.expectation = np.full(n, b.initial_expectation)
        # satisfied (row 0) and unsatisfied (row 1) outcomes, in the window and today: one array each, so that the
        # day's bookkeeping is one operation per step for both
        self.window = np.zeros((2, n))
        self._today = np.zeros((2, n))
        self.good, self.bad = self.window
        self._good_today, self._bad_today = self._today
        self._keep = 1.0 - 1.0 / max(b.outcome_memory_days, 1.0)
        # (1 - lambda) ** n by repeated multiplication (the same rounding on every machine)
        self._stay = np.ones(MAX_OUTCOMES + 1)
        self._stay[1:] = np.cumprod(np.full(MAX_OUTCOMES, 1.0 - b.expectation_learning))
        # share of a community's residents who learn from one outcome of a neighbour's (the parameters are fixed for a run)
        self._heard = np.divide(b.vicarious_reach * b.trust_learning, self.population, out=np.zeros(n), where=self.population > 0)

    def satisfied_share(self) -> np.ndarray:
        """(C,) satisfied share of the community's recent outcomes (one neutral pseudo-outcome: 0.5 with none)."""
        return (self.good + 0.5) / (self.good + self.bad + 1.0)

    def record(self, communities: np.ndarray, quality: np.ndarray, satisfied: np.ndarray) -> None:
        """Outcomes experienced today by residents of `communities`: service quality (0-1) and satisfaction."""
        if len(communities) == 0:
            return
        n_c = len(self.expectation)
        count = np.bincount(communities, minlength=n_c)
        total = np.bincount(communities, weights=quality, minlength=n_c)
        mean = total / np.maximum(count, 1)  # 0 where no outcome (no total)
        step = 1.0 - self._stay[np.minimum(count, MAX_OUTCOMES)]  # 0 where no outcome: that expectation stays as it is
        self.expectation += step * (mean - self.expectation)
        good = np.bincount(communities, weights=satisfied.astype(np.float64), minlength=n_c)
        self._good_today += good
        self._bad_today += count - good

    def step(self, day: int) -> None:
        """End of day: neighbours learn from today's outcomes and the problems left open; the window moves on."""
        ctx, b = self.ctx, self.ctx.spec.behaviour
        residents = ctx.residents
        table = ctx.problems.table
        n_c = len(self.expectation)
        # counted as weights: no gather of the open rows' communities (the counts are the same whole numbers)
        open_problems = np.bincount(table.community, weights=table.state == OPEN, minlength=n_c)
        bad_news = self._bad_today + b.open_problem_weight * open_problems
        f_good = self._heard * self._good_today
        f_bad = self._heard * b.negativity_bias * bad_news
        total = f_good + f_bad
        over = total > 1.0
        if over.any():
            f_good[over] /= total[over]
            f_bad[over] /= total[over]
        mean = residents.mean_trust()
        residents.shift_trust(f_good * (1.0 - mean) - f_bad * mean)
        self.window *= self._keep
        self.window += self._today
        self._today[:] = 0.0

    def mean_expectation(self) -> float:
        total = self.population.sum()
        return float((self.expectation * self.population).sum() / total) if total else float("nan")
