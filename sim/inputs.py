"""Reading what users write: YAML files with line numbers, dotted-path overrides, and one-line errors.

Scenario files and experiment files share this: they are read with YAML's safe loader only (nothing in a file is
ever executed) and bounded before anything is expanded (see `sim.safe_yaml`), every value remembers the file and line
it came from, and any mistake becomes an `InputError` whose message is a single line naming the file, the line, the
field and what was expected.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from sim.safe_yaml import MAX_FILE_BYTES, Loader, TextProblem, check_bounds, decode_text

Path_ = tuple[str | int, ...]


class InputError(Exception):
    """A user mistake in an input file or option; `str(error)` is the one line to show."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None, field: str | None = None):
        self.source, self.line, self.field, self.problem = source, line, field, message
        where = ""
        if source:
            where = f"{source}:{line}: " if line else f"{source}: "
        super().__init__(f"{where}{field + ': ' if field else ''}{message}")


@dataclass
class Located:
    """Data read from YAML plus, for every path inside it, the (file, line) it came from."""

    data: Any
    origins: dict[Path_, tuple[str, int | None]]

    def where(self, path: Path_) -> tuple[str | None, int | None]:
        """File and line of the longest prefix of `path` that a file gave (a missing field points at its parent)."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.origins:
                return self.origins[path[:cut]]
        return None, None


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_text(path: str | Path, *, what: str = "file", limit: int = MAX_FILE_BYTES) -> str:
    """A text file's contents: UTF-8 (or UTF-16/32 with a byte-order mark, as YAML allows), at most `limit` bytes.

    Anything else (another encoding, a binary file, an unreadable or missing file) is a one-line InputError.
    """
    path = Path(path)
    name = str(path)
    if path.is_dir():
        raise InputError(f"expected a {what}, got a folder", source=name)
    if not path.exists():
        raise InputError(f"{what} not found", source=name)
    if not path.is_file():  # a device or a pipe: reading could block or never end
        raise InputError(f"expected a {what}, got something that is not a regular file", source=name)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as error:
        raise InputError(f"cannot read the {what}: {error.strerror or error}", source=name) from None
    if len(raw) > limit:
        raise InputError(f"the {what} is larger than {limit // 2**20} MiB; this is not a govsim input", source=name)
    try:
        return decode_text(raw, what)
    except TextProblem as problem:
        raise InputError(problem.message, source=name, line=problem.line) from None


def load_yaml_text(text: str, name: str, field: str | None = None, lines: bool = True) -> tuple[yaml.Node | None, Any]:
    """Safe-load one YAML document, bounded (see `sim.safe_yaml`): its composed node (for line numbers) and its
    data. Any problem is a one-line InputError naming `name` (a file, or an option such as --set) and the line (if
    `lines`: an option's value has none)."""
    try:
        check_bounds(text)
        loader = Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except TextProblem as problem:
        raise InputError(problem.message, source=name, line=problem.line if lines else None, field=field) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        if line is None and isinstance(getattr(error, "position", None), int):  # a ReaderError: a forbidden character
            line = text[: error.position].count("\n") + 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(f"not valid YAML: {problem}", source=name, line=line if lines else None, field=field) from None
    return root, data


def read_yaml(path: str | Path, *, what: str = "file") -> Located:
    """Safe-load a YAML mapping and record the line of every key and list item."""
    name = str(path)
    root, data = load_yaml_text(read_text(path, what=what), name)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(f"expected a mapping of fields at the top level, got {type(data).__name__}", source=name, line=1)
    origins: dict[Path_, tuple[str, int | None]] = {}
    if root is not None:
        _record_lines(root, (), origins, name)
    return Located(data, origins)


def _record_lines(node: yaml.Node, path: Path_, origins: dict, name: str) -> None:
    origins.setdefault(path, (name, node.start_mark.line + 1))
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = yaml.safe_load(yaml.serialize(key_node)) if not isinstance(key_node, yaml.ScalarNode) else key_node.value
            if key in seen:
                raise InputError(f"duplicate key '{key}'", source=name, line=key_node.start_mark.line + 1, field=dotted(path + (key,)))
            seen.add(key)
            origins[path + (key,)] = (name, key_node.start_mark.line + 1)
            _record_lines(value_node, path + (key,), origins, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), origins, name)


def deep_merge(base: Any, override: Any) -> Any:
    """Mappings merge key by key; anything else in `override` (lists included) replaces what `base` had."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return override


def parse_path(text: str) -> Path_:
    """'a.b[2].c' or 'a.b.2.c' -> ('a', 'b', 2, 'c')."""
    parts: list[str | int] = []
    for piece in text.replace("[", ".").replace("]", "").split("."):
        if piece == "":
            raise InputError(f"'{text}' is not a dotted field path (e.g. hotline.operators or city.districts[0].population)", source="--set")
        parts.append(int(piece) if piece.isdigit() else piece)
    return tuple(parts)


def parse_assignment(text: str) -> tuple[Path_, Any]:
    """'path=value' with the value read as YAML (so 3 is a number, true a boolean, [a, b] a list)."""
    if "=" not in text:
        raise InputError(f"'{text}' should look like path=value", source="--set")
    key, _, raw = text.partition("=")
    value = load_yaml_text(raw, "--set", field=key.strip(), lines=False)[1] if raw.strip() else ""
    return parse_path(key.strip()), value


def set_path(data: dict, path: Path_, value: Any, *, source: str = "--set") -> None:
    """Set `value` at `path` inside nested dicts and lists, creating missing mappings on the way."""
    node: Any = data
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, list):
            if not isinstance(part, int) or not 0 <= part < len(node):
                raise InputError(f"there is no item {part} here (the list has {len(node)})", source=source, field=dotted(path[: depth + 1]))
        elif isinstance(node, dict):
            if isinstance(part, int):
                part = str(part)
            if not last and part not in node:
                node[part] = {}
        else:
            raise InputError("cannot set a field inside a single value", source=source, field=dotted(path[:depth]))
        if last:
            node[part] = value
        else:
            node = node[part]


# ------------------------------------------------------------------------------------------ validation errors


def _model_at(model: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The pydantic model class reached by following `path` from `model` (for 'did you mean' hints)."""
    current: Any = model
    for part in path:
        if isinstance(part, int) or (isinstance(part, str) and current is None):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        elif isinstance(part, str):
            continue  # a key of a dict-valued field
        current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """list[X] / dict[K, X] / X | None -> X (the model inside a container, if any)."""
    for _ in range(3):
        origin = get_origin(annotation)
        if origin is None:
            return annotation
        candidates = [a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        if candidates:
            return candidates[0]
        inner = [a for a in get_args(annotation) if get_origin(a) in (list, dict)]
        if not inner:
            return annotation
        annotation = inner[0]
    return annotation


def _expected(error: dict, model: type[BaseModel], path: Path_) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        parent = _model_at(model, path[:-1])
        allowed = list(parent.model_fields) if parent else []
        hint = difflib.get_close_matches(str(path[-1]), allowed, n=1)
        return "unknown field" + (f" (did you mean '{hint[0]}'?)" if hint else (f"; expected one of: {', '.join(allowed)}" if allowed else ""))
    bounds = {"greater_than_equal": ("≥", "ge"), "greater_than": (">", "gt"), "less_than_equal": ("≤", "le"), "less_than": ("<", "lt")}
    if kind in bounds:
        sign, key = bounds[kind]
        limit = error["ctx"][key]
        text = f"expected a number {sign} {limit:g}" if isinstance(limit, (int, float)) else f"expected a value {sign} {limit}"
    elif kind == "model_type":  # a scalar or list where a section of fields belongs
        section = _model_at(model, path)
        fields = f" ({', '.join(section.model_fields)})" if section else ""
        text = f"expected a mapping of fields{fields}"
    elif kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        text = "expected a month and day as MM-DD" if "0[1-9]|1[0-2]" in pattern else f"expected text matching {pattern}"
    else:
        text = message.removeprefix("Input should be ").removeprefix("Value error, ")
        text = "expected " + text if message.startswith("Input should be") else text
    got = error.get("input")
    if isinstance(got, (dict, list)):
        got_text = "a mapping" if isinstance(got, dict) else "a list"
    else:
        got_text = repr(got)
    return f"{text}, got {got_text}"


def raise_validation_error(error: ValidationError, located: Located, model: type[BaseModel]) -> None:
    """Turn the first pydantic error into a one-line InputError pointing at the file and line."""
    problems = error.errors()
    first = problems[0]
    loc = tuple(part for part in first["loc"] if part != "[key]")
    file, line = located.where(loc)
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    raise InputError(_expected(first, model, loc) + more, source=file, line=line, field=dotted(loc)) from None
