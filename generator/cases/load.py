"""Load a case file: YAML to plain data, keeping the line and column of every value.

The loader reads PyYAML's event stream (the C parser where available) and builds the
data itself, so that it can refuse what a case file never needs (anchors, aliases, tags,
several documents, deep nesting) and resolve plain scalars the YAML 1.2 way: dates stay
the text the author wrote, ``NO`` stays a country code and ``010`` stays ten.
"""

from __future__ import annotations

import math
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem, format_path

try:
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_BYTES = 512 * 1024
MAX_DEPTH = 12
DataPath = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")
# What YAML lets a file hold raw; escapes such as \0 or \e can write anything else.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "!",
}


@dataclass
class LoadedDocument:
    """A case file's data with the position of every value and key, and any load problems."""

    file: str
    data: Any = None
    positions: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    source_text: dict[DataPath, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Return True when the file loaded without problems."""
        return not self.problems

    def locate(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Return the line and column of a path, or of its nearest ancestor that exists."""
        table = self.key_positions if key else self.positions
        while path:
            if path in table:
                return table[path]
            if key and path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(
        self,
        path: DataPath,
        message: str,
        hint: str = "",
        *,
        kind: str = "schema",
        key: bool = False,
    ) -> Problem:
        """Make a problem located at ``path``."""
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, format_path(path), message, hint, kind)


def value_at(data: Any, path: DataPath) -> Any:
    """Return the value at a data path, or None where the path does not exist."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def resolve_plain_scalar(text: str) -> Any:
    """Resolve an unquoted scalar by YAML 1.2's core schema (no dates, no yes/no)."""
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        try:
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
        except ValueError:  # more digits than Python turns into an int; as a float, inf
            return float(text)
    if _FLOAT.match(text) or _SPECIAL_FLOAT.match(text):
        return (
            float(text.lower().replace(".", "", 1)) if _SPECIAL_FLOAT.match(text) else float(text)
        )
    return text


def load_case_file(path: Path, display_name: str | None = None) -> LoadedDocument:
    """Read and load one case file, turning every failure into a located problem."""
    name = display_name or str(path)
    doc = LoadedDocument(name)
    if path.is_symlink():
        # A link could publish, or echo in messages, a file from outside the case folder.
        doc.problems.append(
            Problem(
                name,
                1,
                1,
                "",
                "The file is a link to another file; case files must be ordinary files.",
                "Replace the link with the case file itself.",
                "file",
            )
        )
        return doc
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            doc.problems.append(_not_a_file(name, stat.S_ISDIR(status.st_mode)))
            return doc
        size = status.st_size
        if size > MAX_BYTES:
            doc.problems.append(
                Problem(
                    name,
                    1,
                    1,
                    "",
                    f"The file is {size // 1024} KiB; the limit is {MAX_BYTES // 1024} KiB.",
                    "Shorten the text or link to a full report under sources.",
                    "file",
                )
            )
            return doc
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # files such as /proc's report a size of 0
    except OSError as error:
        doc.problems.append(
            Problem(name, 1, 1, "", f"The file cannot be read: {error.strerror}.", "", "file")
        )
        return doc
    return load_case_bytes(raw, name)


def _not_a_file(name: str, folder: bool) -> Problem:
    """Say that a case file's name holds a folder (or a device, a pipe) instead of a file."""
    what = "a folder" if folder else "not an ordinary file"
    return Problem(
        name,
        1,
        1,
        "",
        f"This is {what}, named like a case file; case files must be ordinary files.",
        "Put each case in its own file directly in the cases folder, or rename this so that "
        "its name does not end in .yaml.",
        "file",
    )


def load_case_bytes(raw: bytes, name: str) -> LoadedDocument:
    """Load a case from bytes; ``name`` is used in messages."""
    doc = LoadedDocument(name)
    if len(raw) > MAX_BYTES:
        doc.problems.append(
            Problem(
                name,
                1,
                1,
                "",
                f"The file is {len(raw) // 1024} KiB; the limit is {MAX_BYTES // 1024} KiB.",
                "Shorten the text or link to a full report under sources.",
                "file",
            )
        )
        return doc
    text = _decode(raw, doc)
    if text is None:
        return doc
    _Builder(doc).build(text)
    return doc


def _decode(raw: bytes, doc: LoadedDocument) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        doc.problems.append(
            Problem(
                doc.file,
                line,
                column,
                "",
                "The file is not saved as UTF-8 text.",
                'Save it as UTF-8 in your editor ("Save with encoding" > UTF-8).',
                "file",
            )
        )
        return None
    if not text.strip():
        doc.problems.append(
            Problem(
                doc.file,
                1,
                1,
                "",
                "The file is empty.",
                "Start from the template: copro new <id>.",
                "file",
            )
        )
        return None
    return text


class _Frame:
    __slots__ = ("container", "key", "path", "skip")

    def __init__(self, container: Any, path: DataPath, skip: bool = False) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.skip = skip


class _Builder:
    """Build plain data from YAML events, recording positions and refusing unsafe YAML."""

    def __init__(self, doc: LoadedDocument) -> None:
        self.doc = doc
        self.stack: list[_Frame] = []
        self.documents = 0

    def build(self, text: str) -> None:
        try:
            for event in _events(text):
                if not self._take(event):
                    return
        except yaml.YAMLError as error:
            self.doc.problems.append(_syntax_problem(self.doc.file, error, text))
            self.doc.data = None

    def _take(self, event: yaml.Event) -> bool:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._fail(
                    event,
                    "The file holds more than one YAML document (a second `---`).",
                    "Keep one case study per file and remove the extra `---` line.",
                )
                return False
            return True
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            return True
        if isinstance(event, yaml.AliasEvent):
            self._fail(
                event,
                "YAML aliases (`*name`) are not allowed in case studies.",
                "Write the value out in full where it is needed.",
            )
            return False
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
            return True
        return self._node(event)

    def _node(self, event: Any) -> bool:
        if event.anchor is not None:
            self._fail(
                event,
                f"YAML anchors (`&{event.anchor}`) are not allowed in case studies.",
                "Remove the anchor and write values out in full.",
            )
            return False
        if event.tag not in (None, *_STANDARD_TAGS):
            self._fail(
                event,
                f"The YAML tag `{event.tag}` is not allowed in case studies.",
                "Remove the tag (the part starting with `!`).",
            )
            return False
        if len(self.stack) >= MAX_DEPTH:
            self._fail(
                event,
                f"The data is nested more than {MAX_DEPTH} levels deep.",
                "Check the indentation: case studies are never this deep.",
            )
            return False
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.container, dict) and parent.key is None:
            return self._key(parent, event)
        path = self._child_path(parent)
        value = self._value(event, path)
        self._place(parent, value, path, event)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.stack.append(_Frame(value, path))
        return True

    def _key(self, parent: _Frame, event: Any) -> bool:
        if not isinstance(event, yaml.ScalarEvent):
            self._fail(
                event,
                "A field name must be plain text, not a list or a section.",
                "Write the field name followed by a colon, e.g. `title:`.",
            )
            return False
        key = event.value
        path = (*parent.path, key)
        self._check_printable(event, path, key)
        if key in parent.container:
            first = self.doc.key_positions[path][0]
            self.doc.problems.append(
                _at(
                    self.doc.file,
                    event,
                    format_path(path),
                    f"`{key}` appears twice in the same section (first on line {first}).",
                    "Keep one of them and delete the other.",
                )
            )
            parent.skip = True
        parent.key = key
        self.doc.key_positions.setdefault(path, _mark(event))
        return True

    def _child_path(self, parent: _Frame | None) -> DataPath:
        if parent is None:
            return ()
        if isinstance(parent.container, dict):
            return (*parent.path, parent.key or "")
        return (*parent.path, len(parent.container))

    def _value(self, event: Any, path: DataPath) -> Any:
        if isinstance(event, yaml.MappingStartEvent):
            return {}
        if isinstance(event, yaml.SequenceStartEvent):
            return []
        text = event.value
        self.doc.source_text[path] = text
        self._check_printable(event, path, text)
        if not event.implicit[0] or event.style or event.tag == "tag:yaml.org,2002:str":
            return text
        value = resolve_plain_scalar(text)
        if isinstance(value, (int, float)) and not _is_finite(value):
            self.doc.problems.append(
                _at(
                    self.doc.file,
                    event,
                    format_path(path),
                    f"`{_shorten(text)}` is not a number that can be shown or compared.",
                    "Write an ordinary number, or leave the field out if it is not known.",
                )
            )
            return text
        return value

    def _check_printable(self, event: Any, path: DataPath, text: str) -> None:
        """Refuse a control character written as an escape, as the parser refuses a raw one."""
        found = _NOT_PRINTABLE.search(text)
        if found is not None:
            self.doc.problems.append(
                _at(
                    self.doc.file,
                    event,
                    format_path(path),
                    f"The text holds an invisible control character (U+{ord(found[0]):04X}), "
                    "written with a backslash escape.",
                    "Remove it: it cannot be shown on the site and can garble what readers see.",
                )
            )

    def _place(self, parent: _Frame | None, value: Any, path: DataPath, event: Any) -> None:
        self.doc.positions.setdefault(path, _mark(event))
        if parent is None:
            self.doc.data = value
        elif isinstance(parent.container, dict):
            if not parent.skip:
                parent.container[parent.key] = value
            parent.key = None
            parent.skip = False
        else:
            parent.container.append(value)

    def _fail(self, event: Any, message: str, hint: str) -> None:
        self.doc.problems.append(_at(self.doc.file, event, "", message, hint, "yaml"))
        self.doc.data = None


def _events(text: str) -> Iterator[yaml.Event]:
    loader = _Parser(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if event is not None:
                yield event
    finally:
        loader.dispose()


def _is_finite(value: float) -> bool:
    """Return whether a number is finite as a float (a huge int overflows to inf)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mark(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _at(
    file: str, event: Any, path: str, message: str, hint: str = "", kind: str = "yaml"
) -> Problem:
    line, column = _mark(event)
    return Problem(file, line, column, path, message, hint, kind)


_SYNTAX_HINTS = (
    ("found character '\\t'", "The line is indented with a tab. Indent with spaces only."),
    ("tab", "The line is indented with a tab. Indent with spaces only."),
    (
        "mapping values are not allowed",
        "A value contains `: ` (colon and space). Put the whole value in double quotes, or check that this line is not indented more than the one above it.",
    ),
    (
        "could not find expected ':'",
        "A line is missing the colon after its field name, or a quote is not closed.",
    ),
    (
        "expected ',' or ']'",
        "A list in square brackets is not closed with `]`, or items are not separated by commas.",
    ),
    (
        "expected ',' or '}'",
        "A section in curly brackets is not closed with `}`, or fields are not separated by commas.",
    ),
    ("flow sequence", "A list in square brackets is not closed with `]`."),
    ("flow mapping", "A section in curly brackets is not closed with `}`."),
    ("found unexpected end of stream", "A quote is opened and never closed."),
    ("quoted scalar", "A quote is opened and never closed."),
    (
        "did not find expected key",
        "The indentation is uneven here: fields of one section must start in the same column.",
    ),
    (
        "did not find expected '-' indicator",
        "The indentation of this list item differs from the items above it.",
    ),
    (
        "special characters are not allowed",
        "The file contains an invisible control character; retype this line.",
    ),
    (
        "control characters are not allowed",
        "The file contains an invisible control character; retype this line.",
    ),
    (
        "found undefined alias",
        "A `*` at the start of a value is read as a YAML alias; put the value in quotes.",
    ),
    (
        "found character '@'",
        "A value cannot start with `@` or a backtick; put the value in quotes.",
    ),
    (
        "found character '`'",
        "A value cannot start with `@` or a backtick; put the value in quotes.",
    ),
)


def _syntax_problem(file: str, error: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (
        (mark.line + 1, mark.column + 1) if mark is not None else _offset_position(error, text)
    )
    what = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
    context = str(getattr(error, "context", "") or "")
    if "nesting depth" in str(what):  # newer libyaml stops deep nesting itself, before our check
        return Problem(
            file,
            line,
            column,
            "",
            f"The data is nested more than {MAX_DEPTH} levels deep.",
            "Check the indentation and brackets: case studies are never this deep.",
            "yaml",
        )
    lines = text.splitlines()
    if "\t" in "".join(lines[max(0, line - 2) : line]):
        hint = "The line is indented with a tab. Indent with spaces only."
    else:
        hint = next(
            (h for needle, h in _SYNTAX_HINTS if needle in f"{what} {context}"),
            "Check this line and the one above it for a missing colon, quote or bracket.",
        )
    started = getattr(error, "context_mark", None)
    if started is not None and started.line + 1 != line:
        hint += f" (It started on line {started.line + 1}.)"
    return Problem(file, line, column, "", f"The YAML cannot be read here ({what}).", hint, "yaml")


def _offset_position(error: yaml.YAMLError, text: str) -> tuple[int, int]:
    offset = int(getattr(error, "position", 0) or 0)
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1
