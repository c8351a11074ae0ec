"""Reading YAML text safely, the part of reading user files that knows nothing of govsim's fields: the encodings
accepted, the safe loader, and the bounds a document must keep before anything is composed or expanded.

A YAML alias repeats its anchor's whole subtree, so a few lines of nested aliases (an "alias bomb") can stand for
billions of values; `check_bounds` counts what a document stands for on the parser's events, without building it.
Real scenario and experiment files are far below the bounds (beijing.yaml: about 1,000 values). Problems are
`TextProblem`s (a message and a line); `sim.inputs` turns them into one-line InputErrors naming the file.
"""

from __future__ import annotations

import codecs

import yaml

MAX_FILE_BYTES = 16 * 2**20
MAX_VALUES = 200_000  # scalars, lists and mappings, counting each alias as the subtree it repeats
MAX_DEPTH = 50  # lists and mappings nested inside each other
# libyaml's safe loader when available (several times faster); both construct plain data only.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TextProblem(ValueError):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line


class Loader(_SAFE_LOADER):
    """The safe loader, except that an impossible date (2019-02-30) stays text, so that validation reports it with
    its field and line instead of the YAML library failing without either."""


def _timestamp_or_text(loader, node):
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def decode_text(raw: bytes, what: str = "file") -> str:
    """UTF-8, or UTF-16/32 with a byte-order mark (as YAML allows); anything else is a TextProblem."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                raise TextProblem(f"the {what} starts with a {codec.upper()} byte-order mark but is not {codec.upper()} text") from None
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise TextProblem("not a text file (it contains NUL bytes; UTF-16 text needs a byte-order mark); expected UTF-8 text", line)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise TextProblem(f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the {what} as UTF-8", line) from None


def check_bounds(text: str) -> None:
    """Count the values the document stands for (each alias as the size of what it repeats) and its nesting, on the
    parser's events, and refuse it past the bounds: nothing is composed or expanded before this passes. (A YAML
    syntax error surfaces here as the yaml.YAMLError it is.)"""
    loader = Loader(text)
    try:
        values = 0
        anchored: dict[str, int] = {}  # anchor -> number of values under it
        open_: list[tuple[str | None, int]] = []  # collections being read: (anchor, values before it)
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                if any(anchor == event.anchor for anchor, _ in open_):
                    raise TextProblem(f"the alias *{event.anchor} refers to a list or mapping that contains it (a structure without end)", line)
                values += anchored.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                values += 1
                if event.anchor:
                    anchored[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                open_.append((event.anchor, values))
                values += 1
                if len(open_) > MAX_DEPTH:
                    raise TextProblem(f"lists and mappings nested more than {MAX_DEPTH} deep; this is not a govsim input", line)
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, before = open_.pop()
                if anchor:
                    anchored[anchor] = values - before
            if values > MAX_VALUES:
                raise TextProblem(f"stands for more than {MAX_VALUES:,} values (counting what its aliases repeat); refused "
                                  "before expanding it: this is not a govsim input", line)
    finally:
        loader.dispose()
