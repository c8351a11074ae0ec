"""The summary of an experiment by district zone and by district: each run's breakdown tables (`by_zone`,
`by_district`) turned into one row per run and area, then medians across replicates and paired differences, as for
the city-wide summary.

A run's rate in an area is computed from the area's counts (resolved ÷ rated, ...), never averaged from other
rates, so that a zone's rate weighs its districts by their tickets.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.experiment.stats import all_paired_differences, summarise
from sim.experiment.store import IDENTIFIERS, load_breakdown
from sim.summary import HEADLINE

AREA_TABLES = {"zone": "by_zone", "district": "by_district"}
COUNTS = ("contacts", "tickets_opened")
RATES = {  # rate -> (numerator, denominator): the breakdowns' counts
    "response_rate": ("responded", "rated"),
    "resolution_rate": ("resolved", "rated"),
    "satisfaction_rate": ("satisfied", "rated"),
    "fix_share": ("fixed", "tickets_closed"),
    "unreported_share": ("unreported", "problems_ended"),
}
AREA_INDICATORS = (*COUNTS, *RATES)
AREA_COLUMNS = ["area_type", "area", "zone"]


def area_totals(path: str | Path, swept: list[str]) -> pd.DataFrame:
    """One row per run and area (every zone and every district of the run's city): the identifier columns,
    area_type ('zone' or 'district'), area, zone, the counts of AREA_INDICATORS and the rates from the counts."""
    frames = []
    for area_type, table in AREA_TABLES.items():
        frame = load_breakdown(path, table)
        if frame.empty or area_type not in frame.columns:
            continue
        ids = [c for c in (*IDENTIFIERS, *swept) if c in frame.columns]
        needed = {column for pair in RATES.values() for column in pair} | set(COUNTS)
        counts = frame[ids + [area_type] + (["zone"] if area_type != "zone" else []) + sorted(needed)].copy()
        counts.insert(len(ids), "area_type", area_type)
        counts = counts.rename(columns={area_type: "area"})
        if area_type == "zone":
            counts.insert(len(ids) + 2, "zone", counts["area"])
        for rate, (numerator, denominator) in RATES.items():
            base = counts[denominator].astype(float)
            counts[rate] = counts[numerator].astype(float) / base.where(base > 0)
        frames.append(counts[ids + AREA_COLUMNS + list(AREA_INDICATORS)])
    if not frames:
        return pd.DataFrame(columns=[*IDENTIFIERS, *swept, *AREA_COLUMNS, *AREA_INDICATORS])
    return pd.concat(frames, ignore_index=True)


def summarise_areas(totals: pd.DataFrame, swept: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(medians and ranges per area, scenario, point and regime; paired differences per area), each with the
    label and kind of every indicator, like summary.csv and differences.csv."""
    context = ["scenario", *swept, "regime"]
    indicators = list(AREA_INDICATORS)
    if totals.empty:
        return (pd.DataFrame(columns=[*AREA_COLUMNS, *context, "indicator", "label", "kind"]),
                pd.DataFrame(columns=["compared", *AREA_COLUMNS, *context, "a", "b", "indicator", "label", "kind"]))
    per_area = summarise(totals, [*AREA_COLUMNS, *context], indicators)
    differences = all_paired_differences(totals, context, indicators, swept, extra=AREA_COLUMNS)
    return labelled(per_area), labelled(differences)


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the label and kind of its indicator (from `sim.summary.HEADLINE`) after the indicator column."""
    at = frame.columns.get_loc("indicator") + 1
    frame.insert(at, "label", [HEADLINE[k][0].strip() for k in frame["indicator"]])
    frame.insert(at + 1, "kind", [HEADLINE[k][1] for k in frame["indicator"]])
    return frame
