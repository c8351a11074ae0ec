"""Series: the runs a figure draws as one line or one mark — those sharing a scenario, a parameter point and a
regime. Whatever varies among them is compared on the same axes: regimes, scenarios, parameter points, or several
at once.

A series is named by what varies ('hotline'; 'beijing_ecological_staff'; 'street staff = 10 · hotline') and styled
so that what a reader compares most often is told apart by colour: regimes keep their fixed colours, and the
scenarios or points under each regime are told apart by line style and filled or open markers; with one regime,
each series has a colour of its own (the regime's first). Dot plots put the series of one regime side by side in
the regime's slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sim.plots.data import parameter_columns, value_label
from sim.plots.style import REGIME_COLOURS, SERIES_COLOURS, SERIES_MARKERS, parameter_name, regime_styles

SERIES = "series"
# (line style, filled marker) of the scenarios or points compared under one regime colour.
VARIANTS = (("-", True), ("--", False), (":", True), ("-.", False))
MAX_SERIES = 8  # more than this on one set of axes is unreadable: figures 1 and 3-6 are then left out of a sweep


@dataclass
class Series:
    """The series of a frame, in drawing order: {label: style} with color, marker, linestyle, filled, group (the
    dot-plot slot) and group_label; `dimensions` are the columns that tell them apart."""

    styles: dict[str, dict] = field(default_factory=dict)
    dimensions: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return list(self.styles)

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(style["group_label"] for style in self.styles.values()))

    def noun(self) -> str:
        """What one series is, for titles: 'regime', 'scenario', 'point' or 'series'."""
        if self.dimensions == ["regime"]:
            return "regime"
        if self.dimensions == ["scenario"]:
            return "scenario"
        return "point" if self.dimensions and all("." in d for d in self.dimensions) else "series"


def varying(frame: pd.DataFrame, exclude=()) -> list[str]:
    """The columns that tell series apart: scenario and the parameter columns that vary (those not in `exclude`,
    which a figure puts on an axis), then regime — always there when it varies or when nothing else does."""
    columns = [c for c in ("scenario", *parameter_columns(frame)) if c in frame.columns and c not in exclude
               and frame[c].nunique(dropna=False) > 1]
    if "regime" in frame.columns and (frame["regime"].nunique() > 1 or not columns):
        columns.append("regime")
    return columns


def part_label(column: str, value) -> str:
    if column in ("scenario", "regime"):
        return str(value)
    return f"{parameter_name(column).lower()} = {value_label(value)}"


def with_series(frame: pd.DataFrame, exclude=()) -> tuple[pd.DataFrame, Series]:
    """The frame with a 'series' column naming each row's series, and the series' styles (see the module)."""
    dimensions = varying(frame, exclude)
    if frame.empty or not dimensions:
        return frame.assign(**{SERIES: pd.Series(dtype=object)}), Series({}, dimensions)
    keys = frame[dimensions].drop_duplicates()
    regimes = regime_styles(keys["regime"]) if "regime" in keys.columns else {}
    order = {r: i for i, r in enumerate(regimes)}
    first_seen = {c: {v: i for i, v in enumerate(dict.fromkeys(frame[c]))} for c in dimensions if c == "scenario"}

    def sort_key(row) -> tuple:
        parts = [order.get(row["regime"], 0)] if "regime" in dimensions else []
        for c in dimensions:
            if c == "scenario":
                parts.append(first_seen[c][row[c]])
            elif c != "regime":
                parts.append(row[c])
        return tuple(parts)

    rows = sorted((row for _, row in keys.iterrows()), key=sort_key)
    labels = [" · ".join(part_label(c, row[c]) for c in dimensions) for row in rows]
    others = [c for c in dimensions if c != "regime"]
    variants = list(dict.fromkeys(tuple(row[c] for c in others) for row in rows))
    by_regime = "regime" in dimensions and len(variants) <= len(VARIANTS)
    colours = _colours(frame)
    styles = {}
    for i, (row, label) in enumerate(zip(rows, labels)):
        if by_regime:
            regime = row["regime"]
            linestyle, filled = VARIANTS[variants.index(tuple(row[c] for c in others))]
            style = {"color": regimes[regime]["color"], "marker": regimes[regime]["marker"], "linestyle": linestyle,
                     "filled": filled, "group_label": regime if others else label}
        else:
            style = {"color": colours[i % len(colours)], "marker": SERIES_MARKERS[i % len(SERIES_MARKERS)],
                     "linestyle": "-", "filled": True, "group_label": label}
        styles[label] = style
    groups = list(dict.fromkeys(style["group_label"] for style in styles.values()))
    for style in styles.values():
        style["group"] = groups.index(style["group_label"])
    label_of = {tuple(row[c] for c in dimensions): label for row, label in zip(rows, labels)}
    series = [label_of[key] for key in frame[dimensions].itertuples(index=False, name=None)]
    return frame.assign(**{SERIES: series}), Series(styles, dimensions)


def _colours(frame: pd.DataFrame) -> list[str]:
    """Series colours when regimes do not tell them apart: the (single) regime's colour first, then the others."""
    regimes = list(dict.fromkeys(frame["regime"])) if "regime" in frame.columns else []
    first = [REGIME_COLOURS[regimes[0]]] if len(regimes) == 1 else []
    return first + [c for c in SERIES_COLOURS if c not in first]
