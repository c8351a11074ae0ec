"""The house style of govsim's figures: a fixed colour and marker per regime (Okabe–Ito, colour-blind
safe; `REGIME_COLOURS` is the public regime -> colour mapping, also used by the teaching app), the order regimes
appear in, the text of axis labels (names and units from `sim.metrics.DAILY` and the scenario schema; rates in %)
and matplotlib settings sized for a journal column.
"""

from __future__ import annotations

import re
import textwrap
import types
import typing
import zlib

from pydantic import BaseModel

from sim.metrics import DAILY
from sim.regimes.registry import REGIME_NAMES
from sim.scenario.levers import LEVERS
from sim.scenario.schema import Scenario

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
REGIME_ORDER = REGIME_NAMES  # the registry's order (historical)
# The regimes take these colours and markers in the registry's order; a fourth regime gets the next ones.
REGIME_PALETTE = tuple(OKABE_ITO[name] for name in ("orange", "blue", "bluish_green", "reddish_purple", "sky_blue"))
REGIME_SHAPES = ("o", "s", "D", "v", "P")
# Labels that are not one of the three regimes (timelines like "whistle→hotline→proactive") take these, in a slot
# chosen from the label's checksum. Yellow is left out: it is unreadable as a thin line on white.
FALLBACK_COLOURS = tuple(OKABE_ITO[name] for name in ("vermillion", "reddish_purple", "sky_blue", "black"))
FALLBACK_MARKERS = ("^", "v", "P", "X")


def _slot(label: str) -> int:
    return zlib.crc32(label.encode("utf-8")) % len(FALLBACK_COLOURS)


class _RegimeColours(dict):
    """{regime: colour}; a label it does not hold (a timeline) gets a fixed fallback colour from its checksum."""

    def __missing__(self, label: str) -> str:
        return FALLBACK_COLOURS[_slot(label)]


REGIME_COLOURS: dict[str, str] = _RegimeColours(zip(REGIME_ORDER, REGIME_PALETTE))
REGIME_MARKERS = dict(zip(REGIME_ORDER, REGIME_SHAPES))
# Series that are not told apart by their regime (two scenarios under one regime, say) take the regime's colour
# first, then these: the regimes' other colours come last, so that green still reads as "proactive" where it can.
SERIES_COLOURS = tuple(OKABE_ITO[name] for name in ("vermillion", "reddish_purple", "sky_blue", "black", "orange",
                                                    "bluish_green", "blue"))
SERIES_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")


def ordered_regimes(labels) -> list[str]:
    """The distinct labels: whistle, hotline, proactive first (those present), then the others alphabetically."""
    present = set(labels)
    return [r for r in REGIME_ORDER if r in present] + sorted(present - set(REGIME_ORDER))


def regime_styles(labels) -> dict[str, dict]:
    """Colour and marker for each label, no two unknown labels sharing a fallback slot while slots are free (an
    unknown label keeps its checksum slot unless an earlier label took it). Lines are all solid: dashes turn to
    noise over years of daily data."""
    styles, taken = {}, set()
    for label in ordered_regimes(labels):
        if label in REGIME_ORDER:
            styles[label] = {"color": REGIME_COLOURS[label], "marker": REGIME_MARKERS[label]}
            continue
        slot = _slot(label)
        free = [s for s in range(len(FALLBACK_COLOURS)) if s not in taken]
        if slot in taken and free:
            slot = min(free, key=lambda s: (s - slot) % len(FALLBACK_COLOURS))
        taken.add(slot)
        styles[label] = {"color": FALLBACK_COLOURS[slot], "marker": FALLBACK_MARKERS[slot]}
    return styles


def display_regime(label: str, width: int = 14) -> str:
    """A series label for a tick: broken over lines at its arrows and its ' · ', and long names at underscores."""
    lines = []
    for part in label.replace("→", "→\n").replace(" · ", "\n").split("\n"):
        line = ""
        for piece in re.split(r"(?<=_)", part):
            if line and len(line) + len(piece) > width:
                lines.append(line)
                line = ""
            line += piece
        lines.append(line)
    return "\n".join(lines)


# Readable names for the columns the figures show; other columns fall back to their name with spaces.
NAMES = {
    "contacts": "Contacts",
    "tickets_opened": "Tickets opened",
    "tickets_closed": "Tickets closed",
    "backlog": "Backlog",
    "overdue": "Overdue tickets",
    "response_rate": "Response rate",
    "resolution_rate": "Resolution rate",
    "satisfaction_rate": "Satisfaction rate",
    "fix_share": "Root-fix share of closures",
    "street_load": "Street offices' utilisation",
    "department_load": "Departments' utilisation",
    "street_hours": "Street offices' staff-hours",
    "department_hours": "Departments' staff-hours",
    "whistles": "Whistles blown",
    "cost": "Cost",
    "open_problems": "Open problems",
    "repeat_share": "Tickets about returning problems",
    "mean_trust": "Mean trust",
    "mean_propensity": "Mean propensity to complain",
}
# Units that do not grow with the number of residents simulated: columns in them are never divided by the scale.
SCALE_FREE_UNITS = {"fraction", "days", "day", "date", "name", "0-1", "ratio"}


def name(column: str) -> str:
    return NAMES.get(column, column.replace("_", " ").capitalize())


def unit(column: str) -> str:
    return DAILY[column][0]


def is_share(column: str) -> bool:
    """A rate or share (unit 'fraction'): drawn and labelled in %."""
    return column in DAILY and unit(column) == "fraction"


def shown_unit(column: str) -> str:
    """The unit as axes show it: % for fractions, '0–1' for 0-1 scales, else the data dictionary's."""
    if is_share(column):
        return "%"
    return {"0-1": "0–1 scale"}.get(unit(column), unit(column))


def scales_with_population(column: str) -> bool:
    return column in DAILY and unit(column) not in SCALE_FREE_UNITS


def unit_label(column: str, city_equivalent: bool = False, unit_text: str | None = None) -> str:
    """The column's unit (`shown_unit`, or `unit_text`), with 'city-equivalent' for counts shown divided by the scale."""
    text = unit_text or shown_unit(column)
    if city_equivalent and scales_with_population(column):
        text += ", city-equivalent"
    return text


def axis_label(column: str, city_equivalent: bool = False, unit_text: str | None = None) -> str:
    """'<Name> (<unit>)', for an axis whose panel title does not already name the quantity."""
    return f"{name(column)} ({unit_label(column, city_equivalent, unit_text)})"


def parameter_unit(path: str) -> str | None:
    """The unit of a scenario parameter given by its dotted path (from the schema's descriptions), or None."""
    model: typing.Any = Scenario
    field = None
    for part in path.split("."):
        if isinstance(model, type) and issubclass(model, BaseModel):
            field = model.model_fields.get(part)
            if field is None:
                return None
            model = field.annotation
        else:
            field = None
            model = _element_type(model)
            if model is None:
                return None
        model = _unwrap(model)
    if field is None or not field.description:
        return None
    found = re.search(r"\[([^;\]]+)(;|\])", field.description)
    return found.group(1).strip() if found else None


def _unwrap(annotation):
    """The model inside Optional[...] / Annotated[...]; the annotation itself otherwise."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(models[0]) if len(models) == 1 else annotation
    return annotation


def _element_type(annotation):
    """The value type of a dict or list annotation (a dotted path's key or index segment selects one)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is dict and len(args) == 2:
        return args[1]
    if origin is list and args:
        return args[0]
    return None


LEVER_OF = {path: lever for lever, path in LEVERS.items()}


def parameter_name(path: str) -> str:
    """A parameter in words: its lever's name when it has one (street_staff -> 'Street staff'), else the last
    segment of its dotted path ('Report days')."""
    text = LEVER_OF.get(path, path.rsplit(".", 1)[-1]).replace("_", " ")
    return text[:1].upper() + text[1:]


def parameter_label(path: str, width: int = 36) -> str:
    """'<Parameter name> (<unit>)', the unit from the scenario schema, wrapped to fit under a panel."""
    found = parameter_unit(path)
    return textwrap.fill(f"{parameter_name(path)} ({found})" if found else parameter_name(path), width)


# Sized for print: 7.2 in is a two-column page width, 3.5 in one column; text stays 7-9 pt at that size.
PAGE_WIDTH = 7.2
COLUMN_WIDTH = 3.5
RC = {
    "font.size": 8,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7.5,
    "legend.title_fontsize": 7.5,
    "figure.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.5,
    "lines.linewidth": 1.3,
    "errorbar.capsize": 2,
    "savefig.dpi": 300,
    # SVG text stays text (editable in a paper's figure tool); a fixed salt makes SVG files reproducible.
    "svg.fonttype": "none",
    "svg.hashsalt": "govsim",
}
