"""Loading a scenario: YAML (safe load only), `extends:` chains, `--set` overrides, district CSVs, validation into
frozen typed objects, and the cross-field checks a schema alone cannot express.

Every refusal is an `InputError` naming the file, the line, the field and what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from sim.input_changes import merge_file, set_path
from sim.input_errors import in_file_order, validation_mistakes
from sim.inputs import InputError, Located, dotted, parse_assignment, parse_path, read_text, read_yaml
from sim.scenario.schema import District, Scenario

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
_INT_COLUMNS = ("population", "streets", "communities_per_street")
# A scenario's name names its results folder (results/<name>/...), so it must be one plain path component.
SCENARIO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")  # ASCII: run ids and folders keep it as it is


def find_scenario(name: str | Path) -> Path:
    """A path as given, or a bare name looked up in ./scenarios and in the scenarios shipped with govsim."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    for folder in (Path("scenarios"), SCENARIO_DIR):
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return path


def load_scenario(source: str | Path | Scenario, overrides: Iterable[str] | dict[str, Any] | None = None) -> Scenario:
    """Read, merge, override and validate a scenario.

    `overrides` are 'path=value' strings (as on the command line) or a {path: value} mapping; a path may pick list
    items by name or by a field (`city.districts[zone=ecological].streets`). Every mistake found at one stage
    (changes, schema, cross-field checks) is reported at once, one line each.
    """
    mistakes: list[InputError] = []  # changes that could not apply are skipped, so the schema can check the rest
    if isinstance(source, Scenario):
        if not overrides:
            return source
        located = Located(source.model_dump(mode="python"), {})
    else:
        located = _read_with_extends(find_scenario(source), (), mistakes)
    for path, value in _assignments(overrides):
        try:
            set_path(located.data, path, value, model=Scenario, origins=located.origins, notes=located.notes)
        except InputError as error:
            mistakes += error.mistakes
    _inline_district_csv(located)
    try:
        scenario = Scenario.model_validate(located.data)
    except ValidationError as error:
        raise InputError.of(in_file_order(mistakes + validation_mistakes(error, located, Scenario))) from None
    if mistakes:
        raise InputError.of(in_file_order(mistakes))
    for path, problem in check_references(scenario):
        file, line = located.where(path)
        mistakes.append(InputError(problem, source=file, line=line, field=dotted(path)))
    if mistakes:
        raise InputError.of(mistakes)
    return scenario


def _assignments(overrides) -> list[tuple[tuple, Any]]:
    if not overrides:
        return []
    if isinstance(overrides, dict):
        return [(parse_path(key), value) for key, value in overrides.items()]
    return [parse_assignment(text) for text in overrides]


def _read_with_extends(path: Path, chain: tuple[Path, ...], mistakes: list) -> Located:
    """The file applied onto its parent (or onto nothing), with a district CSV it names read in (so that a child
    can change the CSV's districts by name)."""
    located = read_yaml(path, what="scenario file")
    parent = located.data.pop("extends", None)
    if parent is None:
        return _inline_district_csv(merge_file(Located({}, {}), located, Scenario, mistakes))
    file, line = located.where(("extends",))
    if not isinstance(parent, str):
        raise InputError(f"expected the path of another scenario file, got {parent!r}", source=file, line=line, field="extends")
    base_path = (path.parent / parent).resolve()
    if base_path in chain or base_path == path.resolve():
        raise InputError(f"'{parent}' extends itself in a loop", source=file, line=line, field="extends")
    if not base_path.is_file():
        raise InputError(f"file not found: {path.parent / parent}", source=file, line=line, field="extends")
    base = _read_with_extends(base_path, chain + (path.resolve(),), mistakes)
    return _inline_district_csv(merge_file(base, located, Scenario, mistakes))


def _inline_district_csv(located: Located) -> Located:
    """Replace `city.districts_csv` by the districts it lists; one file may not give both (a child's CSV replaces
    its parent's districts, as a child's list would)."""
    city = located.data.get("city")
    if not isinstance(city, dict) or not city.get("districts_csv"):
        return located
    file, line = located.where(("city", "districts_csv"))
    if city.get("districts") and located.where(("city", "districts"))[0] == file:
        raise InputError("give either districts or districts_csv, not both", source=file, line=line, field="city.districts_csv")
    for stale in [p for p in located.origins if p[:2] == ("city", "districts")]:
        del located.origins[stale]
    located.origins[("city", "districts")] = (file, line)
    relative = city.pop("districts_csv")
    csv_path = Path(file).parent / str(relative) if file and file != "--set" else Path(str(relative))
    if not csv_path.is_file():
        raise InputError(f"file not found: {csv_path}", source=file, line=line, field="city.districts_csv")
    rows = list(csv.DictReader(io.StringIO(read_text(csv_path, what="districts CSV file"), newline="")))
    districts = []
    allowed = set(District.model_fields)
    for index, row in enumerate(rows):
        row_line = index + 2  # the header is line 1 (a quoted field over several lines shifts this: rare in such files)
        if None in row:  # more cells than the header has columns
            raise InputError(f"{len(row) - 1 + len(row[None])} cells, but the header names {len(row) - 1} columns", source=str(csv_path), line=row_line)
        unknown = set(row) - allowed
        if unknown:
            raise InputError(f"unknown column(s) {sorted(unknown)}; expected {sorted(allowed)}", source=str(csv_path), line=1)
        record: dict[str, Any] = {}
        for key, value in row.items():
            record[key] = int(value) if key in _INT_COLUMNS and value.strip().lstrip("-").isdigit() else value
            located.origins[("city", "districts", index, key)] = (str(csv_path), row_line)
        located.origins[("city", "districts", index)] = (str(csv_path), row_line)
        districts.append(record)
    city["districts"] = districts
    return located


def check_references(s: Scenario) -> list[tuple[tuple, str]]:
    """Cross-field consistency: names that must exist, shares that must add up, dates that must be real."""
    problems: list[tuple[tuple, str]] = []
    if not SCENARIO_NAME.fullmatch(s.name):
        problems.append((("name",), "expected a short name of ASCII letters, digits, '_', '.' and '-', starting with a letter or digit "
                                    f"(it names the results folder), got {s.name!r}"))
    if not s.city.districts:
        problems.append((("city", "districts"), "required: list the districts (or give districts_csv)"))
        return problems
    district_names = [d.name for d in s.city.districts]
    department_names = [d.name for d in s.city.departments]
    for label, names, path in (("district", district_names, "districts"), ("department", department_names, "departments")):
        for index, name in enumerate(names):
            if names.index(name) != index:
                problems.append((("city", path, index, "name"), f"duplicate {label} name '{name}'"))
    share_total = sum(group.share for group in s.population.age_groups.values())
    if abs(share_total - 1.0) > 1e-6:
        problems.append((("population", "age_groups"), f"shares add up to {share_total:.4g}, expected 1"))
    if set(s.population.age_groups) != {"young", "middle", "elderly"}:
        problems.append((("population", "age_groups"), "expected the three groups young, middle and elderly"))
    for name, category in s.categories.items():
        path = ("categories", name)
        if category.owner != "street" and category.owner not in department_names:
            problems.append((path + ("owner",), f"expected 'street' or a department name ({', '.join(department_names)}), got '{category.owner}'"))
        if category.owner == "street" and not category.street_duty:
            problems.append((path + ("street_duty",), "a category owned by 'street' must be on the streets' duty list (true)"))
        for index, season in enumerate(category.season):
            for key in ("start", "end"):
                month, day = (int(x) for x in getattr(season, key).split("-"))
                try:
                    dt.date(2001, month, day)
                except ValueError:
                    problems.append((path + ("season", index, key), f"expected a real calendar day MM-DD, got '{getattr(season, key)}'"))
    problems += _check_places(s)
    if sum(s.regimes.hotline.score_weights.values()) <= 0:
        problems.append((("regimes", "hotline", "score_weights"), "expected at least one positive weight"))
    switch_dates = [switch.date for switch in s.timeline.regimes]
    for index, date in enumerate(switch_dates):
        if switch_dates.index(date) != index:
            problems.append((("timeline", "regimes", index, "date"), f"two regime switches on {date} (items {switch_dates.index(date)} and {index}); keep one"))
    for kind in ("shocks", "programmes"):
        for index, event in enumerate(getattr(s.timeline, kind)):
            path = ("timeline", kind, index)
            if event.end < event.start:
                problems.append((path + ("end",), f"expected a date on or after start ({event.start}), got {event.end}"))
            for item, name in enumerate(event.categories):
                if name not in s.categories:
                    problems.append((path + ("categories", item), f"expected a category name ({', '.join(s.categories)}), got '{name}'"))
            for item, name in enumerate(event.districts or []):
                if name not in district_names:
                    problems.append((path + ("districts", item), f"expected a district name, got '{name}'"))
    for index, reform in enumerate(s.timeline.reforms):
        for field in ("street_duties", "categories"):
            for item, name in enumerate(getattr(reform, field) or []):
                if name not in s.categories:
                    problems.append((("timeline", "reforms", index, field, item), f"expected a category name ({', '.join(s.categories)}), got '{name}'"))
    for index, merger in enumerate(s.timeline.mergers):
        for item, name in enumerate(merger.categories or []):
            if name not in s.categories:
                problems.append((("timeline", "mergers", index, "categories", item), f"expected a category name ({', '.join(s.categories)}), got '{name}'"))
    return problems


def _check_places(s: Scenario) -> list[tuple[tuple, str]]:
    """The places section names categories and zones that exist."""
    from sim.scenario.schema.base import ZONES

    problems = []
    for name in s.places.old_compound_effect:
        if name not in s.categories:
            problems.append((("places", "old_compound_effect", name), f"expected a category name ({', '.join(s.categories)}), got '{name}'"))
    for field in ("zone_capability", "old_compound_share"):
        for zone in getattr(s.places, field):
            if zone not in ZONES:
                problems.append((("places", field, zone), f"expected a zone ({', '.join(ZONES)}), got '{zone}'"))
    return problems


def dead_events(s: Scenario, days: int | None = None, switches: bool = True) -> list[tuple[tuple, str]]:
    """Timeline events that cannot change a run of `days` days (default: the scenario's), as (path, what is wrong).

    They are warned about, not refused: `--days` legitimately cuts a long timeline short for a quick run. The days a
    run simulates are its warm-up (unrecorded, under the regime of day 0) and its horizon; `switches=False` for a run
    held under one regime, which ignores the switches anyway.
    """
    first = s.start - dt.timedelta(days=s.warmup_days)
    last = s.start + dt.timedelta(days=(days or s.days) - 1)
    after = f"after the last simulated day ({last}); it has no effect"
    dead: list[tuple[tuple, str]] = []
    for index, shock in enumerate(s.timeline.shocks):
        if shock.start > last:
            dead.append((("timeline", "shocks", index), f"starts on {shock.start}, {after}"))
        elif shock.end < first:
            dead.append((("timeline", "shocks", index), f"ends on {shock.end}, before the first simulated day ({first}, warm-up included); it has no effect"))
    for index, programme in enumerate(s.timeline.programmes):
        if programme.start > last:
            dead.append((("timeline", "programmes", index), f"starts on {programme.start}, {after}"))
    for index, merger in enumerate(s.timeline.mergers):
        if merger.date > last:
            dead.append((("timeline", "mergers", index), f"merges on {merger.date}, {after}"))
    if switches:
        before_start = [(switch.date, index) for index, switch in enumerate(s.timeline.regimes) if switch.date <= s.start]
        for date, index in sorted(before_start)[:-1]:
            dead.append((("timeline", "regimes", index), f"the switch on {date} is overtaken by a later one before the start ({s.start}); it has no effect"))
        for index, switch in enumerate(s.timeline.regimes):
            if switch.date > last:
                dead.append((("timeline", "regimes", index), f"switches on {switch.date}, {after}"))
    return dead


def scenario_hash(scenario: Scenario) -> str:
    """Content hash of the resolved scenario (after extends, overrides and CSVs): same hash, same inputs."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def json_schema() -> dict:
    """JSON Schema of scenario files (for editors), including the loader-level `extends` key."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "govsim scenario"
    schema["properties"] = {
        "extends": {
            "type": "string",
            "description": "Path of a scenario this one starts from (relative to this file); mappings merge, lists replace, "
            "and a mapping in place of a list changes its items by name (see docs/scenarios.md)",
        },
        **schema["properties"],
    }
    return schema
