"""Regenerate the documentation pages that are derived from code, so they cannot drift from it:

- docs/scenarios.md: every scenario field with its type, unit, default and source (from sim/scenario/schema/);
- docs/data_dictionary.md: every column of the results tables with its unit and meaning (from sim/metrics.py).

    python scripts/make_docs.py          (or: make docs)

tests/test_docs.py fails when a page is out of date.
"""

from __future__ import annotations

import re
import sys
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from sim.metrics import DAILY, GROUP_COUNTS
from sim.scenario import schema

DOCS = Path(__file__).resolve().parents[1] / "docs"

SCENARIO_INTRO = """# Scenario files: the reference

*Generated from `sim/scenario/schema/` by `scripts/make_docs.py`; do not edit by hand (the prose is in the
script).*

A scenario is a YAML file describing a city and how it is governed. `govsim validate FILE` checks one and
`govsim schema` prints its JSON Schema (point your editor's YAML extension at it for completion and checking).
Units are in brackets after each field's description, with the source of the default: a figure from
`shared/DOMAIN.md` [DOMAIN §n], the seed report [report], a named study, or "assumed".

## Changing part of a scenario

A scenario may start from another with `extends: other.yaml` (a path relative to the file) and give only what
differs. One rule holds for such a file, for `--set path=value` on the command line (the value is read as YAML)
and for an experiment's `overrides:` and parameters:

- **A mapping merges** key by key onto what is there: `hotline: {operators: 60}` changes the operators and keeps
  the rest of the parent's hotline; `categories: {housing: {problems_per_1k: 19.4}}` changes one field of one
  category and keeps its other fields and the other categories (an id the parent lacks adds a category, which then
  needs every required field). A mapping given to `--set` merges too.
- **A list or a single value replaces** what is there: `districts: [...]` gives the whole list of districts.
- **A key may be a dotted path**, in a file as on the command line: `city.districts[6].population: 400000` in a
  file is `--set city.districts[6].population=400000`, and `hotline.operators: 60` is `hotline: {operators: 60}`.
- **List items change by name**, without copying the list: a mapping in place of the list, keyed by name, merges
  each entry onto the item of that name. As a path, the name goes in brackets.

  ```yaml
  city:
    districts:
      Yanqing: {street_staff_hours_per_10k: 18}    # or: city.districts[Yanqing].street_staff_hours_per_10k: 18
    departments:
      utilities: {staff_hours: 2000}
  ```

- **Items change by the value of a field**: `[field=value]` picks every item whose field has that value (an item
  that leaves the field out counts with its default), and what follows applies to each of them.
  `scenarios/beijing_ecological_staff.yaml` gives the five ecological-conservation districts 50 % more street staff:

  ```yaml
  city:
    districts[zone=ecological]:
      street_staff_hours_per_10k: 19.5
  ```

  The same on the command line: `--set 'city.districts[zone=ecological].street_staff_hours_per_10k=19.5'` (quote
  it for the shell); in an experiment file, the same path as a key under `overrides:` or as a grid or range name.
  Inside a mapping over the list the key may be written `zone=ecological`.
  A selector also picks the entries of a mapping: `categories[owner=street].effort_hours: 2`. Values compare as
  YAML reads them (`[streets=18]` is a number, `[start=2020-01-20]` a date).

Lists with names: `city.districts` and `city.departments` (by `name`) and `timeline.programmes` (by `name`; two
programmes with one name must be picked by place). Shocks, regime switches and seasons have no name: pick them by
place (`timeline.shocks[1].multiplier`) or by a field (`timeline.shocks[start=2020-01-20].multiplier`). To add or
remove list items, give the whole list.

A change that cannot apply is an error, never a silent no-op: a name no item has (with the closest name), a name
two items share, a selector that picks nothing (with the values there are), a field the items do not have, an index
past the end (an experiment tries its overrides on every scenario it names, so a selector must pick something in
each). Keys apply in the order written. Write a path key in block style, on its own line: inside `{...}`
brackets and commas are YAML syntax, and a key that starts with `[` needs quotes. Between brackets a name may hold
dots and spaces (`timeline.programmes[owners' committees in 94.8 % of compounds (from 14.9 %)].arrival_cut`).

Every mistake is reported at once, one line each, as `file:line: field: what was expected`, naming the file and
line where you wrote the value (a list that replaces a parent's list of named items says how to change one item
instead); after 20 lines a count gives the rest. `govsim validate` lists them file by file.
"""


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is type(None):
        return "null"
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType")):
        return " or ".join(_type_name(a) for a in args)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping {_type_name(args[0])} → {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return getattr(annotation, "__name__", str(annotation))


def _default(field) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel):
            if any(f.is_required() for f in type(value).model_fields.values()):
                return ", ".join(f"{a}={b}" for a, b in value.model_dump().items())
            return "(defaults of its fields)"
        return f"`{value}`" if value not in ([], {}) else "empty"
    if field.default is PydanticUndefined or field.default is None:
        return "none"
    return f"`{field.default}`"


def _models() -> list[type[BaseModel]]:
    """Every model reachable from Scenario, in the order a reader meets them."""
    seen: list[type[BaseModel]] = []

    def visit(model):
        if model in seen:
            return
        seen.append(model)
        for field in model.model_fields.values():
            for inner in _inner_models(field.annotation):
                visit(inner)

    visit(schema.Scenario)
    return seen


def _inner_models(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _inner_models(arg)


def scenario_reference() -> str:
    lines = [SCENARIO_INTRO]
    for model in _models():
        lines.append(f"\n## {model.__name__}\n")
        doc = (model.__doc__ or "").strip()
        if doc and not doc.startswith("!!!"):
            lines.append(re.sub(r"\s+", " ", doc) + "\n")
        lines.append("| field | type | default | description |")
        lines.append("|---|---|---|---|")
        for name, field in model.model_fields.items():
            description = (field.description or "").replace("|", "\\|")
            lines.append(f"| `{name}` | {_type_name(field.annotation)} | {_default(field)} | {description} |")
    return "\n".join(lines) + "\n"


def data_dictionary() -> str:
    lines = [
        "# Data dictionary: the results of a run",
        "",
        "*Generated from `sim/metrics.py` by `scripts/make_docs.py`; do not edit by hand.*",
        "",
        "A run folder (written by `govsim run`, or `Results.save`) holds these Parquet tables, `manifest.json` (scenario",
        "name and content hash, regime, seed, scale, days, warm-up days, the backlog the warm-up left on day 0, package",
        "version, wall time) and `scenario.yaml` (the scenario as resolved: after `extends:`, `--set` and district",
        "CSVs). At `--scale S < 1` every count is a simulated count (divide by S for the city-equivalent); rates, days",
        "and means need no correction. The tables start on day 0, after the unrecorded warm-up (`warmup_days`), so",
        "`backlog` on day d = `backlog_at_start` + tickets opened - tickets closed on days 0..d.",
        "",
        "## daily.parquet: one row per simulated day",
        "",
        "| column | unit | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{name}` | {unit} | {meaning} |" for name, (unit, meaning) in DAILY.items()]
    lines += [
        "",
        "## by_category, by_district, by_zone, by_age_group: one row per group over the whole run",
        "",
        "Each has its group column (`category` with `label` and `owner`; `district` with `zone` and `population`;",
        "`zone`; `age_group`: young under 40, middle 40-59, elderly 60+), then:",
        "",
        "| column | unit | meaning |",
        "|---|---|---|",
    ]
    counts = {
        "contacts": "contacts made by residents of the group (consultations included)",
        "consultations": "contacts answered on the call",
        "phone_calls": "contacts made by phone (the hotline's lines; callers who wait and call again count once)",
        "abandoned": "phone calls that gave up because the lines were full",
        "tickets_opened": "tickets opened",
        "tickets_closed": "tickets closed",
        "rated": "closed tickets the hotline called back",
        "responded": "rated tickets whose resident was contacted within the time limit",
        "resolved": "rated tickets the resident called resolved",
        "satisfied": "rated tickets whose resident was satisfied",
        "fixed": "closed tickets that removed their problem at the root",
        "problems_ended": "problems that ended (fixed, dropped, prevented or expired; by category and district, not age)",
        "unreported": "problems that expired without ever producing a ticket (by category and district, not age)",
    }
    assert set(counts) == set(GROUP_COUNTS)
    lines += [f"| `{name}` | count | {counts[name]} |" for name in GROUP_COUNTS]
    lines += [
        "| `response_rate` | fraction | responded / rated |",
        "| `resolution_rate` | fraction | resolved / rated |",
        "| `satisfaction_rate` | fraction | satisfied / rated |",
        "| `fix_share` | fraction | fixed / tickets_closed |",
        "| `abandon_share` | fraction | abandoned / contacts: the group's contacts lost to full lines |",
        "| `unreported_share` | fraction | unreported / problems_ended |",
        "| `street_hours_used`, `street_hours_available` | staff-hours | street offices' hours spent and available over the run (district and zone tables) |",
        "| `street_load` | fraction | street_hours_used / street_hours_available (district and zone tables) |",
        "| `median_days_to_close` | days | median of (closing day - opening day) over the group's closed tickets |",
        "",
        "Patrol tickets have no caller, so they count in `by_category`, `by_district` and `by_zone` but not in",
        "`by_age_group`.",
        "",
        "## days_to_close.parquet",
        "",
        "| column | unit | meaning |",
        "|---|---|---|",
        "| `days` | days | days from opening to closure (the last bin, 120, holds 120 and more) |",
        "| `tickets` | count | closed tickets that took that long |",
        "",
        "## topics.parquet (proactive regime)",
        "",
        "| column | unit | meaning |",
        "|---|---|---|",
        "| `date` | date | first day of the month the topic was picked |",
        "| `category` | name | the category picked (每月一题) |",
        "| `arrival_cut` | fraction | cut in the category's arrival rate its structural fixes bought (after `lag_days`) |",
        "| `problems_removed` | count | open problems removed at the root that month |",
    ]
    return "\n".join(lines) + "\n"


PAGES = {"scenarios.md": scenario_reference, "data_dictionary.md": data_dictionary}


def main() -> None:
    check = "--check" in sys.argv
    stale = []
    for name, make in PAGES.items():
        path = DOCS / name
        text = make()
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        raise SystemExit(f"out of date: {', '.join(stale)} (run: python scripts/make_docs.py)")


if __name__ == "__main__":
    main()
