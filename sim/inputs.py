"""Reading what users write: YAML files with line numbers, dotted-path overrides, and one-line errors.

Scenario files and experiment files share this: they are read with YAML's safe loader only (nothing in a file is
ever executed) and bounded before anything is expanded (see `MAX_VALUES`), every value remembers the file and line
it came from, and any mistake becomes an `InputError` whose message is a single line naming the file, the line, the
field and what was expected.
"""

from __future__ import annotations

import codecs
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

Path_ = tuple[str | int, ...]
# libyaml's safe loader when available (several times faster); both construct plain data only.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


# Bounds on what a file may make govsim build, checked on the parser's event stream before anything is composed or
# expanded: a YAML alias repeats its anchor's whole subtree, so a few lines of nested aliases (an "alias bomb") can
# stand for billions of values. Real scenario and experiment files are far below these (beijing.yaml: ~1,000 values).
MAX_FILE_BYTES = 16 * 2**20
MAX_VALUES = 200_000  # scalars, lists and mappings, counting each alias as the subtree it repeats
MAX_DEPTH = 50  # lists and mappings nested inside each other


class _Loader(_SAFE_LOADER):
    """The safe loader, except that an impossible date (2019-02-30) stays text, so that validation reports it with
    its field and line instead of the YAML library failing without either."""


def _timestamp_or_text(loader, node):
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


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
    return decode_text(raw, name, what)


def decode_text(raw: bytes, name: str, what: str = "file") -> str:
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"the {what} starts with a {codec.upper()} byte-order mark but is not {codec.upper()} text", source=name) from None
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise InputError(f"not a text file (it contains NUL bytes; UTF-16 text needs a byte-order mark); expected UTF-8 text", source=name, line=line)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the {what} as UTF-8", source=name, line=line) from None


def load_yaml_text(text: str, name: str, field: str | None = None, lines: bool = True) -> tuple[yaml.Node | None, Any]:
    """Safe-load one YAML document, bounded (see MAX_VALUES, MAX_DEPTH): its composed node (for line numbers) and its
    data. Any problem is a one-line InputError naming `name` (a file, or an option such as --set) and the line (if
    `lines`: an option's value has none)."""
    try:
        _check_bounds(text, name, field)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        if line is None and isinstance(getattr(error, "position", None), int):  # a ReaderError: a forbidden character
            line = text[: error.position].count("\n") + 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(f"not valid YAML: {problem}", source=name, line=line if lines else None, field=field) from None
    except InputError as error:
        if lines:
            raise
        raise InputError(error.problem, source=name, field=field) from None
    return root, data


def _check_bounds(text: str, name: str, field: str | None) -> None:
    """Count the values the document stands for (each alias as the size of what it repeats) and its nesting, on the
    parser's events, and refuse it past the bounds: nothing is composed or expanded before this passes."""
    loader = _Loader(text)
    try:
        values = 0
        anchored: dict[str, int] = {}  # anchor -> number of values under it
        open_: list[tuple[str | None, int]] = []  # collections being read: (anchor, values before it)
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                if any(anchor == event.anchor for anchor, _ in open_):
                    raise InputError(f"the alias *{event.anchor} refers to a list or mapping that contains it (a structure without end)",
                                     source=name, line=event.start_mark.line + 1, field=field)
                values += anchored.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                values += 1
                if event.anchor:
                    anchored[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                open_.append((event.anchor, values))
                values += 1
                if len(open_) > MAX_DEPTH:
                    raise InputError(f"lists and mappings nested more than {MAX_DEPTH} deep; this is not a govsim input",
                                     source=name, line=event.start_mark.line + 1, field=field)
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, before = open_.pop()
                if anchor:
                    anchored[anchor] = values - before
            if values > MAX_VALUES:
                raise InputError(
                    f"stands for more than {MAX_VALUES:,} values (counting what its aliases repeat); refused before "
                    "expanding it: this is not a govsim input", source=name, line=event.start_mark.line + 1, field=field,
                )
    finally:
        loader.dispose()


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
