"""Levers: short names for the scenario parameters a class or a sweep most often turns.

`GovernanceModel(street_staff=20)` is `GovernanceModel(overrides={"city.street_staff_hours_per_10k": 20})`; the
browser app's sliders and experiment grids use these names. Any other parameter is reachable by its dotted path.
"""

LEVERS: dict[str, str] = {
    "street_staff": "city.street_staff_hours_per_10k",
    "ranking_pressure": "regimes.hotline.ranking_pressure",
    "siphon_share": "regimes.hotline.siphon_share",
    "propensity": "behaviour.contact_scale",
    "prevention_budget": "regimes.proactive.budget_per_10k",
    "whistle_deadline": "regimes.whistle.report_days",
    "hotline_reach": "behaviour.initial_awareness",
}


def lever_overrides(levers: dict) -> dict[str, object]:
    """Dotted-path overrides for the given lever values (None means: keep the scenario's value)."""
    unknown = set(levers) - set(LEVERS)
    if unknown:
        raise TypeError(f"unknown parameter(s) {sorted(unknown)}; levers are {', '.join(LEVERS)} (or pass overrides={{path: value}})")
    return {LEVERS[name]: value for name, value in levers.items() if value is not None}
