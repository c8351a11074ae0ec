"""Applying what a scenario file or an option writes onto the data it changes, keeping where each value came from.

One rule for a file that `extends:` another, for `--set path=value` and for an experiment's `overrides:`: a
mapping merges key by key onto what is there; a list or a single value replaces it. A key may be a dotted path
(`city.districts[6].population`), and the items of a list may be changed one by one without copying the list:
by name (`districts: {Yanqing: {...}}` or `city.districts[Yanqing]`) or every item whose field has a value
(`city.districts[zone=ecological]`, which also picks the entries of a mapping such as `categories[owner=street]`).
Each value's (file, line) follows it to every place it lands, so an error names the line the user wrote, and
every mistake is reported at once.
"""

from __future__ import annotations

import difflib
from functools import partial
from pathlib import Path
from typing import Any, get_origin

from pydantic import BaseModel

from sim.input_errors import annotation_at, model_at
from sim.inputs import InputError, Located, Path_, Select, dotted, parse_path, path_part

_MISSING = object()
_NOUNS = {"categories": "category", "regimes": "regime switch", "age_groups": "age group"}


def merge_file(base: Located, file: Located, model: type[BaseModel] | None = None, mistakes: list | None = None) -> Located:
    """`file` (as read, keys possibly dotted paths) applied onto `base` (its parent, or Located({}, {})).

    `base` is changed in place and returned; `model` is the schema the data follows (it tells which lists have
    named items and which fields their items have). A change that cannot apply is skipped and its mistake added
    to `mistakes`, or, without that list, raised with every other one as one InputError."""
    changes = _Changes(base, model, file.origins)
    if () in file.origins:
        base.origins[()] = file.origins[()]
    changes.merge_into(base.data, (), file.data, (), file.where(()))
    if mistakes is None:
        changes.raise_mistakes()
    else:
        mistakes += changes.mistakes
    return base


def set_path(data: dict, path: Path_, value: Any, *, source: str = "--set", model: type[BaseModel] | None = None,
             origins: dict | None = None, notes: dict | None = None) -> list[Path_]:
    """Set `value` at `path` (a mapping merges onto a mapping, anything else replaces), creating missing mappings
    on the way; returns the places changed (a selector may pick several). `origins` and `notes` (those of a
    Located holding `data`), if given, are kept up to date."""
    changes = _Changes(Located(data, {} if origins is None else origins, {} if notes is None else notes), model, {})
    done = changes.assign(data, (), tuple(path), value, None, (source, None))
    changes.raise_mistakes()
    return done


def resolve_path(data: Any, path: Path_, model: type[BaseModel] | None = None) -> list[Path_]:
    """The places `path` reaches in `data`, with list indices for names and selectors (nothing is changed; a part
    that reaches nothing gives no place)."""
    changes = _Changes(Located(data, {}), model, {})
    places: list[Path_] = []
    layer = [((), data)]
    for depth, part in enumerate(path):
        following = []
        for at, node in layer:
            if not isinstance(node, (dict, list)):
                places.append(at + tuple(path[depth:]))
                continue
            for key in changes.targets(node, at, part, (None, None)):
                present = isinstance(node, list) or key in node
                following.append((at + (key,), node[key] if present else None))
        layer = following
    return places + [at for at, _ in layer]


class _Changes:
    """Changes applied onto `target` (data and origins); `raw` holds the origins of what is being applied."""

    def __init__(self, target: Located, model: type[BaseModel] | None, raw: dict):
        self.target, self.model, self.raw = target, model, raw
        self.mistakes: list[InputError] = []

    def raise_mistakes(self) -> None:
        if self.mistakes:
            raise InputError.of(self.mistakes)

    def fail(self, origin: tuple, field: str, problem: str) -> list:
        self.mistakes.append(InputError(problem, source=origin[0], line=origin[1], field=field))
        return []

    # ------------------------------------------------------------------------------------------------ applying

    def merge_into(self, node: Any, at: Path_, value: dict, raw: Path_ | None, origin: tuple) -> None:
        """Merge the mapping `value`, written at `raw` in the user's data, onto the mapping or list `node` at `at`."""
        for key, sub in value.items():
            sub_raw = None if raw is None else raw + (key,)
            sub_origin = self.raw.get(sub_raw, origin)
            parts = self.key_parts(node, at, key, sub_origin)
            if parts:
                self.assign(node, at, parts, sub, sub_raw, sub_origin)

    def key_parts(self, node: Any, at: Path_, key: Any, origin: tuple) -> Path_ | None:
        """What a key of the user's mapping means here: a field, a dotted path, or a list item's name or selector."""
        if isinstance(node, dict) and key in node:
            return (key,)
        if isinstance(node, list) and any(isinstance(item, dict) and item.get("name") == key for item in node):
            return (key,)  # a name as written, even one with dots in it
        if isinstance(key, str) and ("." in key or "[" in key):
            try:
                return parse_path(key)
            except InputError as error:
                return self.fail(origin, f"{dotted(at)}.{key}" if at else key, error.problem)
        if isinstance(key, str) and (isinstance(node, list) or "=" in key):
            return (path_part(key),)  # a name, an index or 'zone=ecological' as a key of a mapping over a list
        return (key,)

    def assign(self, node: Any, at: Path_, parts: Path_, value: Any, raw: Path_ | None, origin: tuple) -> list[Path_]:
        """Apply `value` at `parts` below `node` (which sits at `at`); returns the places changed."""
        part, rest = parts[0], parts[1:]
        done: list[Path_] = []
        for key in self.targets(node, at, part, origin):
            path = at + (key,)
            present = isinstance(node, list) or key in node
            if rest:
                if not present:
                    node[key] = [] if self.is_list(path) else {}
                    self.target.origins[path] = origin
                done += self.assign(node[key], path, rest, value, raw, origin)
                continue
            if not present and isinstance(value, dict) and node and isinstance(node, dict):
                self.target.notes[path] = partial(_new_entry_note, key, list(node))  # worded only if needed
            node[key] = self.put(node[key] if present else _MISSING, path, value, raw, origin)
            done.append(path)
        return done

    def put(self, old: Any, path: Path_, value: Any, raw: Path_ | None, origin: tuple) -> Any:
        """The value at `path` once `value` is applied onto `old`."""
        if isinstance(value, dict):
            if not isinstance(old, (dict, list)):
                self.forget(path, old)
                old = [] if old in (_MISSING, None) and self.is_list(path) else {}
            self.target.origins[path] = origin
            self.merge_into(old, path, value, raw, origin)
            return old
        self.note_replaced_list(path, old, value)
        self.forget(path, old)
        self.target.origins[path] = origin
        if raw is not None:
            self.copy_origins(value, path, raw)
        return _copied(value)

    def copy_origins(self, value: Any, path: Path_, raw: Path_) -> None:
        """The lines of a list's items (and of their fields) follow the list to `path`."""
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            if raw + (key,) in self.raw:
                self.target.origins[path + (key,)] = self.raw[raw + (key,)]
            self.copy_origins(item, path + (key,), raw + (key,))

    def forget(self, path: Path_, old: Any) -> None:
        """Drop the origins and notes of what was under `path` (its old contents are gone)."""
        if isinstance(old, (dict, list)):
            for table in (self.target.origins, self.target.notes):
                for stale in [p for p in table if len(p) > len(path) and p[: len(path)] == path]:
                    del table[stale]

    def note_replaced_list(self, path: Path_, old: Any, new: Any) -> None:
        """A list that replaces a list of named items and names one of them was probably meant to change it."""
        if not (isinstance(old, list) and isinstance(new, list) and path):
            return
        old_names = [item.get("name") for item in old if isinstance(item, dict)]
        reused = [item.get("name") for item in new if isinstance(item, dict) and item.get("name") in old_names]
        if reused:
            file = self.target.where(path)[0]
            given = f" from {Path(file).name}" if file and file != "--set" else ""
            self.target.notes[path] = (
                f"this list replaces all {len(old)} {self.plural(path)}{given}; to change '{reused[0]}' alone, "
                f"write {path[-1]}: {{{reused[0]}: {{field: value}}}}"
            )

    # ---------------------------------------------------------------------------------------------- selecting

    def targets(self, node: Any, at: Path_, part: Any, origin: tuple) -> list:
        """The keys or indices of `node` that `part` picks (reporting a mistake when it picks none)."""
        if isinstance(part, Select) and isinstance(node, (dict, list)):
            return self.select(node, at, part, origin)
        if isinstance(node, dict):
            return [str(part) if isinstance(part, int) else part]
        if isinstance(node, list):
            if isinstance(part, int):
                if 0 <= part < len(node):
                    return [part]
                return self.fail(origin, dotted(at + (part,)), f"there is no item {part} here (the list has {len(node)})")
            return self.by_name(node, at, part, origin)
        return self.fail(origin, dotted(at), "cannot set a field inside a single value")

    def by_name(self, node: list, at: Path_, name: Any, origin: tuple) -> list:
        noun, plural, shown = self.noun(at), self.plural(at), f"{dotted(at)}[{name}]"
        item_model = model_at(self.model, at + (0,)) if self.model else None
        if (item_model is not None and "name" not in item_model.model_fields) or (node and not any(isinstance(i, dict) and "name" in i for i in node)):
            fields = list(item_model.model_fields) if item_model else []
            example = f"[{fields[0]}=...]" if fields else "[field=value]"
            return self.fail(origin, shown, f"the {plural} have no name: pick one by its place ([0]) or by a field ({example})")
        names = [item.get("name") if isinstance(item, dict) else None for item in node]
        matches = [index for index, item_name in enumerate(names) if item_name == name]
        if len(matches) == 1:
            return matches
        if matches:
            return self.fail(origin, shown, f"{len(matches)} {plural} are named '{name}' (items {', '.join(map(str, matches))}); "
                                            f"pick one by its place, e.g. {dotted(at + (matches[0],))}")
        known = [str(n) for n in names if n is not None]
        close = difflib.get_close_matches(str(name), known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else (
            f"; the names are {', '.join(known[:20])}" if known else f" (there are no {plural} to change; to give them, write a list)")
        return self.fail(origin, shown, f"no {noun} named '{name}'{hint}")

    def select(self, node: dict | list, at: Path_, part: Select, origin: tuple) -> list:
        noun, plural, shown = self.noun(at), self.plural(at), dotted(at + (part,))
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        item_model = model_at(self.model, at + ("*" if isinstance(node, dict) else 0,)) if self.model else None
        if item_model is not None:
            fields = list(item_model.model_fields)
        else:
            fields = list(dict.fromkeys(f for key in keys if isinstance(node[key], dict) for f in node[key]))
        if part.field not in fields:
            close = difflib.get_close_matches(part.field, fields, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else (f"; their fields are {', '.join(fields)}" if fields else "")
            return self.fail(origin, shown, f"the {plural} have no field '{part.field}'{hint}")
        default = item_model.model_fields[part.field].get_default(call_default_factory=True) if item_model else _MISSING
        values = {key: node[key].get(part.field, default) if isinstance(node[key], dict) else _MISSING for key in keys}
        matches = [key for key, value in values.items() if value is not _MISSING and part.matches(value)]
        if matches:
            return matches
        present = list(dict.fromkeys(str(v) for v in values.values() if v is not _MISSING and v is not None))
        close = difflib.get_close_matches(part.value, present, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else (f"; values here: {', '.join(present[:20])}" if present else "")
        return self.fail(origin, shown, f"no {noun} has {part.field} = {part.value}{hint}")

    def plural(self, at: Path_) -> str:
        """'districts', 'age groups': what the items of the list or mapping at `at` are called."""
        last = at[-1] if at and isinstance(at[-1], str) else ""
        return last.replace("_", " ") if last else "items"

    def noun(self, at: Path_) -> str:
        last = at[-1] if at and isinstance(at[-1], str) else ""
        return _NOUNS.get(last, last[:-1].replace("_", " ") if last.endswith("s") else (last.replace("_", " ") or "item"))

    def is_list(self, path: Path_) -> bool:
        return self.model is not None and get_origin(annotation_at(self.model, path)) is list


def _new_entry_note(key: Any, others: list) -> str:
    close = difflib.get_close_matches(str(key), [str(k) for k in others], n=1)
    return f"'{key}' is new here; did you mean '{close[0]}'?" if close else ""


def _copied(value: Any) -> Any:
    """A fresh copy of plain data, so that a value placed in several items is not one shared object."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value
