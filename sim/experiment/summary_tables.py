"""The summary of an experiment as tables of text: what `govsim compare` and `govsim experiment` print, and what
the report shows.

Layout: the first of regime, scenario and parameter point that varies goes across the columns (the regimes side by
side; with one regime, the scenarios; with one scenario too, the parameter points). Every combination of the others
is a block: its medians, its paired differences between the columns, and its rates by district zone (and, in the
report, by district). When regimes are the columns and there are several scenarios, the paired differences between
scenarios follow, per regime. More blocks than `max_blocks`, or more columns than MAX_COLUMNS (a sweep), print as one
compact table with one row per scenario, parameter point and regime that was run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from sim.scenario.levers import LEVERS
from sim.summary import HEADLINE, format_value

if TYPE_CHECKING:
    from sim.experiment.summary import Summary

COMPACT = ("satisfaction_rate", "resolution_rate", "fix_share", "median_days_to_close", "cost", "mean_trust")
AREA_RATES = ("resolution_rate", "satisfaction_rate", "fix_share", "unreported_share")  # equity by area (ODD 7.19)
AREA_NAMES = {"zone": "district zone", "district": "district"}
PRINTED_BLOCKS = 3  # more scenario x parameter-point blocks than this print as one compact table
MAX_COLUMNS = 6
LEVER_OF = {path: lever for lever, path in LEVERS.items()}
MEDIANS = "median (10–90 % range) across replicates"
DIFFERENCES = "paired differences (replicate k minus replicate k, same seed): mean [95 % t-interval]"


# --------------------------------------------------------------------------------------------------- cells


def _millions(value: float, kind: str) -> bool:
    return kind in ("count", "money") and not math.isnan(value) and abs(value) >= 1e6


def band_text(row) -> str:
    """'median (p10–p90)', in the median's unit."""
    kind = row["kind"]
    if row["n"] == 0:
        return "-"
    big = _millions(row["median"], kind)
    middle = format_value(row["median"], kind, big)
    if row["n"] == 1:
        return middle

    def bare(value: float) -> str:
        return format_value(value, kind, big).removesuffix("%").removesuffix(" M")

    return f"{middle} ({bare(row['p10'])}–{bare(row['p90'])})"


def difference_text(row) -> str:
    """'mean [low, high]' with signs; rates in percentage points, big counts and money in millions."""
    kind, mean = row["kind"], row["mean_difference"]
    if row["n"] == 0 or math.isnan(mean):
        return "-"
    big = _millions(mean, kind)

    def signed(value: float) -> str:
        if kind == "rate":
            return f"{value * 100:+.1f}"
        if kind == "days":
            return f"{value:+.1f}"
        if kind == "mean":
            return f"{value:+.3f}"
        return f"{value / 1e6:+,.2f}" if big else f"{value:+,.0f}"

    unit = " pp" if kind == "rate" else " M" if big else ""
    if math.isnan(row["ci_low"]):
        return signed(mean) + unit
    return f"{signed(mean)}{unit} [{signed(row['ci_low'])}, {signed(row['ci_high'])}]"


def value_text(value) -> str:
    """A parameter value as tables print it: four significant digits (a Latin hypercube's 13.5382... is 13.54)."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def short_name(path: str) -> str:
    """A parameter by its lever's name (street_staff) or, without one, the last segment of its dotted path."""
    return LEVER_OF.get(path, path.rsplit(".", 1)[-1])


def point_text(values: dict) -> str:
    """'street_staff = 10, ranking_pressure = 0.2'."""
    return ", ".join(f"{short_name(path)} = {value_text(value)}" for path, value in values.items())


@dataclass
class Table:
    """A titled table of text cells, printed by the CLI and rendered in HTML by the report."""

    title: str
    header: list[str]
    rows: list[list[str]]

    def text(self) -> list[str]:
        widths = [max(len(r[i]) for r in [self.header, *self.rows]) for i in range(len(self.header))]
        lines = [self.title]
        for row in [self.header, ["-" * w for w in widths], *self.rows]:
            lines.append("  ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]).rstrip())
        return lines


# -------------------------------------------------------------------------------------------------- layout


def _at(frame: pd.DataFrame, key: dict) -> pd.DataFrame:
    """The rows holding every value of `key` ({column: value})."""
    for column, value in key.items():
        frame = frame[frame[column] == value]
    return frame


def _keys(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """The distinct combinations of `columns` in first-seen order, as dicts."""
    if not columns:
        return [{}]
    return [dict(zip(columns, values)) for values in frame[columns].drop_duplicates().itertuples(index=False)]


@dataclass
class Layout:
    across: str  # 'regime', 'scenario' or 'point'
    across_columns: list[str]
    block_columns: list[str]


def layout(summary: "Summary") -> Layout:
    frame, swept = summary.per_regime, summary.swept
    columns = {"regime": ["regime"], "scenario": ["scenario"], "point": swept}
    varying = [d for d, cols in columns.items() if cols and len(frame[cols].drop_duplicates()) > 1]
    across = varying[0] if varying else "regime"
    return Layout(across, columns[across], [c for d in ("scenario", "point", "regime") if d != across for c in columns[d]])


def _level_label(level: dict, across: str) -> str:
    return point_text(level) if across == "point" else str(next(iter(level.values())))


def _block_title(key: dict, swept: list[str]) -> str:
    parts = [str(key["scenario"])] if "scenario" in key else []
    point = {k: v for k, v in key.items() if k in swept}
    parts += [point_text(point)] if point else []
    parts += [f"regime {key['regime']}"] if "regime" in key else []
    return " · ".join(parts)


def _scale_note(summary: "Summary") -> str:
    scaled = [s for s in summary.scales if s < 1]
    return f"; counts and money simulated (scale {scaled[0]:g})" if scaled else ""


def _pairs(differences: pd.DataFrame, summary: "Summary", across: str) -> list[tuple[str, pd.DataFrame]]:
    """The pairs compared along `across`, in order: (column header 'B − A', their rows)."""
    compared = summary.swept if across == "point" else [across]
    rows = differences[differences["compared"].isin(compared)]
    pairs = []
    for (name, a, b), pair in rows.groupby(["compared", "a", "b"], sort=False):
        if across != "point":
            pairs.append((f"{b} − {a}", pair))
            continue
        others = [c for c in summary.swept if c != name]
        for context, at in (pair.groupby(others, sort=False) if others else [((), pair)]):
            context = dict(zip(others, context if isinstance(context, tuple) else (context,)))
            where = f" at {point_text(context)}" if context else ""
            pairs.append((f"{short_name(name)} {value_text(b)} − {value_text(a)}{where}", at))
    return pairs


def _columns_table(title: str, first: str, rows: list, label, columns: list[tuple[str, dict]]) -> Table:
    """A table with one row per key of `rows` (shown by `label`) and one column per (header, {row key: text})."""
    body = [[label(key), *(cells.get(key, "-") for _, cells in columns)] for key in rows]
    return Table(title, [first, *(header for header, _ in columns)], body)


# --------------------------------------------------------------------------------------------------- tables


def summary_tables(summary: "Summary", max_blocks: int = PRINTED_BLOCKS, areas=("zone",),
                   points_across: bool = False) -> list[Table]:
    """The tables of the summary (see the module's docstring); `areas`: the breakdowns shown by area. Parameter
    points go across the columns only with `points_across` (the report: a terminal is too narrow for them)."""
    if summary.totals.empty:
        return []
    shape = layout(summary)
    blocks = _keys(summary.per_regime, shape.block_columns)
    levels = _keys(summary.per_regime, shape.across_columns)
    if len(blocks) > max_blocks or len(levels) > MAX_COLUMNS or (shape.across == "point" and not points_across):
        return [_compact(summary)]
    tables = []
    for key in blocks:
        tables += _block(summary, shape, key, areas)
    if shape.across == "regime" and summary.per_regime["scenario"].nunique() > 1:
        tables += _scenario_differences(summary)
    return tables


def _block(summary: "Summary", shape: Layout, key: dict, areas) -> list[Table]:
    title = _block_title(key, summary.swept)
    title = f"{title}: " if title else ""
    medians = _at(summary.per_regime, key)
    levels = _keys(medians, shape.across_columns)
    indicators = list(dict.fromkeys(medians["indicator"]))
    by_level = [(_level_label(level, shape.across), {r["indicator"]: band_text(r) for _, r in _at(medians, level).iterrows()})
                for level in levels]
    tables = [_columns_table(f"{title}{MEDIANS}{_scale_note(summary)}", "indicator", indicators,
                             lambda k: HEADLINE[k][0], by_level)]
    pairs = _pairs(_at(summary.differences, key), summary, shape.across)
    if pairs:
        columns = [(header, {r["indicator"]: difference_text(r) for _, r in rows.iterrows()}) for header, rows in pairs]
        tables.append(_columns_table(f"{title}{DIFFERENCES}; rates in percentage points{_scale_note(summary)}",
                                     "indicator", indicators, lambda k: HEADLINE[k][0], columns))
    for area_type in areas:
        tables += _area_tables(summary, shape, key, area_type)
    return tables


def _area_tables(summary: "Summary", shape: Layout, key: dict, area_type: str) -> list[Table]:
    """Per rate of AREA_RATES: one row per area, its median per column and the paired differences between them."""
    if summary.per_area.empty:
        return []
    medians = _at(summary.per_area[summary.per_area["area_type"] == area_type], key)
    differences = _at(summary.area_differences[summary.area_differences["area_type"] == area_type], key)
    if medians.empty:
        return []
    areas = list(dict.fromkeys(medians["area"]))
    zone_of = dict(zip(medians["area"], medians["zone"]))
    label = (lambda a: a) if area_type == "zone" else (lambda a: f"{a} ({zone_of[a]})")
    title = _block_title(key, summary.swept)
    tables = []
    for rate in AREA_RATES:
        at = medians[medians["indicator"] == rate]
        columns = [(_level_label(level, shape.across), {r["area"]: band_text(r) for _, r in _at(at, level).iterrows()})
                   for level in _keys(at, shape.across_columns)]
        for header, rows in _pairs(differences[differences["indicator"] == rate], summary, shape.across):
            columns.append((header, {r["area"]: difference_text(r) for _, r in rows.iterrows()}))
        what = f"{HEADLINE[rate][0]} by {AREA_NAMES[area_type]}: median (10–90 % range); paired differences, mean [95 % t-interval] in pp"
        tables.append(_columns_table(f"{title} · {what}" if title else what, AREA_NAMES[area_type], areas, label, columns))
    return tables


def _scenario_differences(summary: "Summary") -> list[Table]:
    """Regimes across, several scenarios: the paired differences between scenarios, one column per regime and pair."""
    differences = summary.differences[summary.differences["compared"] == "scenario"]
    tables = []
    for point in _keys(differences, summary.swept):
        at = _at(differences, point)
        indicators = list(dict.fromkeys(at["indicator"]))
        columns = []
        for regime in dict.fromkeys(at["regime"]):
            for header, rows in _pairs(at[at["regime"] == regime], summary, "scenario"):
                columns.append((f"{regime}: {header}", {r["indicator"]: difference_text(r) for _, r in rows.iterrows()}))
        where = f"{point_text(point)}: " if point else ""
        tables.append(_columns_table(f"{where}between scenarios, {DIFFERENCES}; rates in percentage points{_scale_note(summary)}",
                                     "indicator", indicators, lambda k: HEADLINE[k][0], columns))
    return tables


def _compact(summary: "Summary") -> Table:
    """Medians of a few indicators, one row per scenario, parameter point and regime that was run."""
    groups = ["scenario", *summary.swept, "regime"]
    keys = [k for k in COMPACT if k in HEADLINE]
    table = summary.per_regime[summary.per_regime["indicator"].isin(keys)]
    rows = []
    for key in _keys(table, groups):
        medians = dict(zip(_at(table, key)["indicator"], _at(table, key)["median"]))
        rows.append([value_text(key[g]) for g in groups] + [format_value(medians.get(k, math.nan), HEADLINE[k][1]) for k in keys])
    header = ["scenario", *map(short_name, summary.swept), "regime", *(k.replace("_", " ") for k in keys)]
    return Table(
        f"medians across replicates{_scale_note(summary)} (ranges and paired differences: summary.csv, differences.csv)",
        header, rows,
    )
