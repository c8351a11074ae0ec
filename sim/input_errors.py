"""Pydantic's validation errors as the user's mistakes: one line each, naming the file and line where the user wrote
the value (or the section that lacks a required field), the field, and what was expected.

Also where the schema is at a path (`annotation_at`, `model_at`), which the 'did you mean' hints and the changes
that pick list items (`sim.input_changes`) both need.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.inputs import InputError, Located, Path_, dotted

def _plain(annotation: Any) -> Any:
    """Annotated[X, ...] -> X and X | None -> X (a union of several other types stays as it is)."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def annotation_at(model: type[BaseModel], path: Path_) -> Any:
    """The type the schema expects at `path` (ints index lists, strings are fields or mapping keys), or None."""
    current: Any = model
    for part in path:
        current = _plain(current)
        origin = get_origin(current)
        if origin is list:
            current = get_args(current)[0]
        elif origin is dict:
            current = get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        else:
            return None
    return _plain(current)


def model_at(model: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The section (pydantic model) the schema expects at `path`, or None if it expects something else."""
    found = annotation_at(model, path)
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None


def validation_mistakes(error: ValidationError, located: Located, model: type[BaseModel]) -> list[InputError]:
    """Every mistake pydantic found, as InputErrors in file order (a value that fits no member of a union is one
    mistake, not one per member)."""
    groups: dict[tuple, list[dict]] = {}
    for problem in error.errors():
        path = _data_path(problem["loc"], located.data, problem["type"] == "missing")
        groups.setdefault((path, problem["type"] == "missing"), []).append(problem)
    used_notes: set = set()
    mistakes = []
    for (path, _), problems in groups.items():
        if len(problems) == 1:
            text = _expected(problems[0], model, path)
        else:  # a union: "expected a valid boolean, a valid integer or a valid string, got a mapping"
            wanted = list(dict.fromkeys(_expectation(p, model, path).removeprefix("expected ") for p in problems))
            text = f"expected {' or '.join([', '.join(wanted[:-1]), wanted[-1]] if len(wanted) > 1 else wanted)}, got {_got(problems[0])}"
        if problems[0]["type"] == "missing":
            text += _note(located, path, used_notes)
        file, line = located.where(path)
        mistakes.append(InputError(text, source=file, line=line, field=dotted(path)))
    return in_file_order(mistakes)


def in_file_order(mistakes: list[InputError]) -> list[InputError]:
    """Mistakes grouped by file (in the order the files first appear), each file's by line."""
    files = list(dict.fromkeys(m.source for m in mistakes))
    return sorted(mistakes, key=lambda m: (files.index(m.source), m.line or 0))


def _data_path(loc: tuple, data: Any, missing: bool) -> Path_:
    """pydantic's location without the parts that are not places in the data: union members' tags ('int',
    'list[District]') and '[key]' (a mapping's key)."""
    path: list = []
    node = data
    for index, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif not (missing and index == len(loc) - 1):
            continue
        path.append(part)
    return tuple(path)


def _note(located: Located, path: Path_, used: set) -> str:
    for cut in range(len(path), 0, -1):
        note = located.notes.get(path[:cut])
        note = note() if callable(note) else note  # a note may be worded only when an error needs it
        if note and path[:cut] not in used:
            used.add(path[:cut])
            return f" ({note})"
    return ""


def _expected(error: dict, model: type[BaseModel], path: Path_) -> str:
    text = _expectation(error, model, path)
    return text if error["type"] in ("missing", "extra_forbidden") else f"{text}, got {_got(error)}"


def _expectation(error: dict, model: type[BaseModel], path: Path_) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        parent = model_at(model, path[:-1])
        allowed = list(parent.model_fields) if parent else []
        hint = difflib.get_close_matches(str(path[-1]), allowed, n=1)
        return "unknown field" + (f" (did you mean '{hint[0]}'?)" if hint else (f"; expected one of: {', '.join(allowed)}" if allowed else ""))
    bounds = {"greater_than_equal": ("≥", "ge"), "greater_than": (">", "gt"), "less_than_equal": ("≤", "le"), "less_than": ("<", "lt")}
    if kind in bounds:
        sign, key = bounds[kind]
        limit = error["ctx"][key]
        return f"expected a number {sign} {limit:g}" if isinstance(limit, (int, float)) else f"expected a value {sign} {limit}"
    if kind == "model_type":  # a scalar or list where a section of fields belongs
        section = model_at(model, path)
        return "expected a mapping of fields" + (f" ({', '.join(section.model_fields)})" if section else "")
    if kind == "too_short":
        least = error.get("ctx", {}).get("min_length", 1)
        return f"expected at least {least} item{'s' if least != 1 else ''}"
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        return "expected a month and day as MM-DD" if "0[1-9]|1[0-2]" in pattern else f"expected text matching {pattern}"
    text = message.removeprefix("Input should be ").removeprefix("Value error, ")
    return "expected " + text if message.startswith("Input should be") else text


def _got(error: dict) -> str:
    got = error.get("input")
    if isinstance(got, (dict, list)):
        return "a mapping" if isinstance(got, dict) else "a list"
    return repr(got)
