"""Reading what users write: YAML files with line numbers, dotted paths, and errors of one line per mistake.

Scenario files and experiment files share this: they are read with YAML's safe loader only (nothing in a file is
ever executed) and bounded before anything is expanded (see `sim.safe_yaml`), every value remembers the file and line it came from, and mistakes become an `InputError` whose
message has one line per mistake naming the file, the line, the field and what was expected. How a file's or an
option's changes apply (dotted paths, list items by name or by field) is in `sim.input_changes`; how pydantic's
errors become those lines is in `sim.input_errors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.safe_yaml import MAX_FILE_BYTES, Loader, TextProblem, check_bounds, decode_text

Path_ = tuple  # of str (a field or a mapping key), int (a list index) and Select (list items by a field)


class InputError(Exception):
    """A user mistake in an input file or option; `str(error)` is the line to show.

    One error may carry several mistakes (`InputError.of`): then `str(error)` has one line per mistake, the first
    `SHOWN` of them and a count of the rest, and `field`, `problem`, `source` and `line` are the first mistake's.
    """

    SHOWN = 20

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None, field: str | None = None):
        self.source, self.line, self.field, self.problem = source, line, field, message
        self.mistakes: list[InputError] = [self]
        super().__init__(self.text)

    @property
    def text(self) -> str:
        """This mistake alone, as one line: 'file:line: field: problem'."""
        where = ""
        if self.source:
            where = f"{self.source}:{self.line}: " if self.line else f"{self.source}: "
        return f"{where}{self.field + ': ' if self.field else ''}{self.problem}"

    @classmethod
    def of(cls, mistakes: list[InputError]) -> InputError:
        """One error for several mistakes, in the order given (repeated lines dropped)."""
        unique = list({m.text: m for m in mistakes}.values())
        if len(unique) == 1:
            return unique[0]
        first = unique[0]
        error = cls(first.problem, source=first.source, line=first.line, field=first.field)
        error.mistakes = unique
        return error

    def lines(self) -> list[str]:
        shown = [m.text for m in self.mistakes[: self.SHOWN]]
        rest = len(self.mistakes) - len(shown)
        return shown + ([f"... and {rest} more mistake{'s' if rest > 1 else ''} (fix these first)"] if rest else [])

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass
class Located:
    """Data read from YAML plus, for every path inside it, the (file, line) it came from.

    `notes` holds hints for paths a user changed in a way that often hides a mistake (a list that replaced a
    parent's list, a new mapping entry whose name is close to an existing one); they are added to the first
    'required field is missing' error below that path.
    """

    data: Any
    origins: dict[Path_, tuple[str, int | None]]
    notes: dict[Path_, Any] = dataclass_field(default_factory=dict)  # text, or a function that returns it

    def where(self, path: Path_) -> tuple[str | None, int | None]:
        """File and line of the longest prefix of `path` that a file gave (a missing field points at its parent)."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.origins:
                return self.origins[path[:cut]]
        return None, None


@dataclass(frozen=True)
class Select:
    """A path part that picks every item of a list (or entry of a mapping) whose `field` equals `value`
    ('[zone=ecological]')."""

    field: str
    value: str

    def __str__(self) -> str:
        return f"[{self.field}={self.value}]"

    def matches(self, item_value: Any) -> bool:
        """Compare as YAML would read the text (18 is a number, 2020-01-20 a date), or else as text."""
        try:
            parsed = yaml.safe_load(self.value)
        except yaml.YAMLError:
            parsed = self.value
        return item_value == parsed or str(item_value) == self.value


_PATH_LIKE = re.compile(r"[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[[^\[\]]*\])*")  # a key that is itself a dotted path


def dotted(path: Path_) -> str:
    """('a', 'b', 2, Select('zone', 'x')) -> 'a.b[2][zone=x]'; a name with dots in it goes in brackets."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, Select):
            out += str(part)
        elif "." in str(part) and not _PATH_LIKE.fullmatch(str(part)):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
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


PATH_EXAMPLE = "e.g. hotline.operators, city.districts[0].population or city.districts[zone=ecological].streets"


_PART = re.compile(r"\[([^\[\]]*)\]|([^.\[\]]+)")  # '[inside brackets]' or a name up to the next '.', '[' or ']'


def parse_path(text: str, *, source: str = "--set") -> Path_:
    """'a.b[2].c' or 'a.b.2.c' -> ('a', 'b', 2, 'c'); '[zone=x]' -> Select('zone', 'x'); '[Yanqing]' -> 'Yanqing'.

    Inside brackets a name may hold dots and spaces (a programme's name); a bare number is a list index.
    """
    parts: list = []
    position = 0
    while position < len(text):
        if parts and text[position] == ".":
            position += 1
        elif parts and text[position] != "[":
            break  # two parts without a '.' between them ('a[0]b')
        match = _PART.match(text, position)
        if not match:
            break
        bracket, name = match.groups()
        part = path_part(bracket) if bracket is not None else (int(name) if name.isdigit() else name)
        if part is None or (isinstance(part, str) and not part.strip()):
            break
        parts.append(part)
        position = match.end()
    else:
        if parts:
            return tuple(parts)
    raise InputError(f"'{text}' is not a dotted field path ({PATH_EXAMPLE})", source=source)


def path_part(inside: str) -> str | int | Select | None:
    """What is written between brackets: a list index, a selector 'field=value', or a name (None if malformed)."""
    inside = inside.strip()
    if "=" not in inside:
        return int(inside) if inside.isdigit() else inside
    name, _, value = (piece.strip() for piece in inside.partition("="))
    return Select(name, value) if name and value else None


def parse_assignment(text: str) -> tuple[Path_, Any]:
    """'path=value' with the value read as YAML (so 3 is a number, true a boolean, [a, b] a list).

    The '=' that separates path and value is the first one outside brackets ('a[zone=x].b=3').
    """
    depth = 0
    for index, char in enumerate(text):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "=" and depth == 0:
            break
    else:
        raise InputError(f"'{text}' should look like path=value", source="--set")
    key, raw = text[:index], text[index + 1 :]
    value = load_yaml_text(raw, "--set", field=key.strip(), lines=False)[1] if raw.strip() else ""
    return parse_path(key.strip()), value


def raise_validation_error(error: ValidationError, located: Located, model: type[BaseModel]) -> None:
    """Turn pydantic's errors into one InputError listing every mistake, each at the file and line it came from."""
    from sim.input_errors import validation_mistakes  # imported here: that module builds on this one

    raise InputError.of(validation_mistakes(error, located, model)) from None
