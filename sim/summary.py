"""The headline indicators of a run, as the readable table `govsim run` prints.

At `--scale S < 1` the stored tables hold the simulated counts; the table adds a column of city-equivalent figures
(counts, money and stocks divided by S), labelled as such. Rates, days and means are the same at any scale.
"""

from __future__ import annotations

import math

from sim.results import Results

# key -> (label, kind); kinds: count and money scale with S, rate/days/mean do not.
HEADLINE: dict[str, tuple[str, str]] = {
    "contacts": ("contacts (calls, online, walk-ins)", "count"),
    "consultations": ("  of which consultations", "count"),
    "abandoned": ("calls abandoned (lines full)", "count"),
    "tickets_opened": ("tickets opened", "count"),
    "tickets_closed": ("tickets closed", "count"),
    "backlog": ("backlog at the end", "count"),
    "overdue": ("  of which overdue", "count"),
    "response_rate": ("response rate", "rate"),
    "resolution_rate": ("resolution rate (as residents say)", "rate"),
    "satisfaction_rate": ("satisfaction rate", "rate"),
    "fix_share": ("root fixes among closed tickets", "rate"),
    "median_days_to_close": ("median days to close", "days"),
    "p90_days_to_close": ("days to close, 90th percentile", "days"),
    "street_load": ("street offices: staff-hours used", "rate"),
    "department_load": ("departments: staff-hours used", "rate"),
    "whistles": ("whistles blown", "count"),
    "prevention_spend": ("prevention spend (yuan)", "money"),
    "cost": ("total cost (yuan)", "money"),
    "open_problems": ("open problems at the end", "count"),
    "repeat_share": ("tickets about returning problems", "rate"),
    "mean_trust": ("mean trust at the end (0-1)", "mean"),
    "mean_propensity": ("mean propensity to complain at the end (1 = untouched)", "mean"),
    "unreported_share": ("problems that expired without a ticket (share of ended)", "rate"),
    "zone_resolution_gap": ("equity: resolution, best zone - worst zone", "rate"),
    "zone_fix_gap": ("equity: root fixes, best zone - worst zone", "rate"),
    "zone_days_gap": ("equity: median days to close, slowest zone - fastest", "days"),
    "zone_unreported_ratio": ("equity: unreported share, highest zone / lowest", "mean"),
    "age_resolution_gap": ("equity: resolution, best age group - worst", "rate"),
    "elderly_abandon_ratio": ("equity: contacts lost to full lines, elderly / young", "mean"),
}


def format_value(value: float, kind: str, millions: bool = False) -> str:
    """A headline value as tables print it; `millions` writes counts and money in millions (e.g. 27.52 M)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "days":
        return f"{value:.1f}"
    if kind == "mean":
        return f"{value:.3f}"
    return f"{value / 1e6:,.2f} M" if millions else f"{value:,.0f}"


def summary_rows(results: Results) -> list[tuple[str, str, str | None]]:
    """(label, simulated value, city-equivalent value or None) for each headline indicator."""
    totals, scale = results.totals(), results.scale
    rows = []
    for key, (label, kind) in HEADLINE.items():
        value = totals[key]
        equivalent = format_value(value / scale, kind) if scale < 1 and kind in ("count", "money") else None
        rows.append((label, format_value(value, kind), equivalent))
    return rows


def format_summary(results: Results) -> str:
    m = results.manifest
    title = (
        f"{m['scenario']} · regime {m['regime']} · seed {m['seed']} · {m['days']} days from {m['start']} · "
        f"scale {m['scale']:g} ({m['residents_simulated']:,} of {m['residents_city']:,} residents simulated)"
    )
    rows = summary_rows(results)
    scaled = results.scale < 1
    header = ("indicator", "simulated" if scaled else "value") + (("city-equivalent (÷ scale)",) if scaled else ())
    body = [(label, value) + ((equivalent or "",) if scaled else ()) for label, value, equivalent in rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [title, ""]
    for row in [header, *body]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[i]) for i, cell in enumerate(row[1:], start=1)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(3, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
