"""The field reference for contributors, generated from the schema (never hand-copied)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from generator.schema import Code, codes_of, load_schema, walk

MARKER = "<!-- copro:field-reference -->"
GENERAL_SECTION = "case-study"
LONG_VOCABULARY = 20

SchemaPath = tuple[str, ...]


@dataclass(frozen=True)
class FieldRow:
    """One field of the reference: where it is, whether it is needed, what to write."""

    path: str
    anchor: str
    title: str
    required: bool
    kind: str
    limits: tuple[str, ...]
    description: str
    item_description: str
    codes: tuple[Code, ...]

    @property
    def path_parts(self) -> list[str]:
        """Return the path split after each dot, where a narrow column may break it."""
        parts = self.path.split(".")
        return [part + "." for part in parts[:-1]] + parts[-1:]

    @property
    def long_vocabulary(self) -> bool:
        """Return True when the codes are too many to show unfolded."""
        return len(self.codes) > LONG_VOCABULARY


@dataclass(frozen=True)
class FieldSection:
    """The fields under one top-level field (or the top-level fields themselves)."""

    anchor: str
    title: str
    name: str
    description: str
    rows: tuple[FieldRow, ...]


def display_path(path: SchemaPath) -> str:
    """Write a field path pattern the way the reference shows it: ``outcomes[].baseline.date``."""
    out = ""
    for part in path:
        out += "[]" if part == "*" else (f".{part}" if out else part)
    return out


def _anchor(path: SchemaPath) -> str:
    return "field-" + "-".join(p.replace("_", "-") for p in path if p != "*")


class ReferenceBuilder:
    """Turn the schema into sections of rows."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.nodes = dict(walk(schema))
        defs = schema.get("$defs", {})
        self.date_pattern = defs.get("date", {}).get("pattern")
        self.url_pattern = defs.get("url", {}).get("pattern")

    def sections(self) -> list[FieldSection]:
        """Return the top-level fields as one section, then a section per compound field."""
        root = self.nodes[()]
        simple = [name for name in root["properties"] if not self.is_compound((name,))]
        sections = [
            FieldSection(
                f"fields-{GENERAL_SECTION}",
                "The case study",
                "",
                "The fields at the top of the file, outside any section.",
                tuple(self.row((name,)) for name in simple),
            )
        ]
        for name in root["properties"]:
            if name not in simple:
                sections.append(self.section(name))
        return sections

    def section(self, name: str) -> FieldSection:
        """Return the section for one compound top-level field."""
        node = self.nodes[(name,)]
        paths = [p for p in self.nodes if p[:1] == (name,) and p[-1] != "*"]
        return FieldSection(
            f"fields-{name.replace('_', '-')}",
            str(node.get("title", name)),
            name,
            str(node.get("description", "")),
            tuple(self.row(path) for path in paths),
        )

    def is_compound(self, path: SchemaPath) -> bool:
        """Return True for a field with fields of its own (directly or in its list items)."""
        node = self.nodes[path]
        item = self.nodes.get((*path, "*"), {})
        return "properties" in node or "properties" in item

    def required(self, path: SchemaPath) -> bool:
        """Return True when the field's parent requires it."""
        parent = self.nodes[path[:-1]]
        return path[-1] in parent.get("required", [])

    def row(self, path: SchemaPath) -> FieldRow:
        """Return the reference row of one field."""
        node = self.nodes[path]
        item = self.nodes.get((*path, "*"))
        return FieldRow(
            path=display_path(path),
            anchor=_anchor(path),
            title=str(node.get("title", path[-1])),
            required=self.required(path),
            kind=self.kind(node, item),
            limits=tuple(self.limits(node) + (self.limits(item, each=True) if item else [])),
            description=str(node.get("description", "")),
            item_description=str(item.get("description", "")) if item else "",
            codes=tuple(codes_of(item if item is not None else node)),
        )

    def kind(self, node: dict[str, Any], item: dict[str, Any] | None = None) -> str:
        """Name the kind of value a field takes, in plain words."""
        if item is not None:
            return "list of " + _plural(self.kind(item))
        if "const" in node:
            return f"always {node['const']}"
        if codes_of(node):
            return "code"
        if "properties" in node:
            return "section"
        pattern = node.get("pattern")
        if pattern is not None and pattern == self.date_pattern:
            return "date"
        if pattern is not None and pattern == self.url_pattern:
            return "web address"
        if node.get("contentMediaType") == "text/markdown":
            return "Markdown text"
        return _TYPE_WORDS.get(str(node.get("type")), str(node.get("type", "value")))

    def limits(self, node: dict[str, Any], each: bool = False) -> list[str]:
        """Describe a field's limits: lengths, item counts, ranges, forms."""
        found = [
            text
            for text in (
                _range(node, "minLength", "maxLength", "characters"),
                _range(node, "minItems", "maxItems", "items"),
                _range(node, "minimum", "maximum", ""),
            )
            if text
        ]
        if node.get("uniqueItems"):
            found.append("no code twice")
        pattern = node.get("pattern")
        if pattern == self.date_pattern:
            found.append("YYYY-MM-DD, YYYY-MM or YYYY")
        elif pattern == self.url_pattern:
            found.append("starts https:// or http://")
        elif pattern:
            found.append(f"matches {pattern}")
        return [f"each: {text}" for text in found] if each else found


_TYPE_WORDS = {
    "string": "text",
    "number": "number",
    "integer": "whole number",
    "object": "section",
    "boolean": "true or false",
}


def _plural(kind: str) -> str:
    if kind == "Markdown text" or kind.endswith("text"):
        return kind
    return "sections" if kind == "section" else kind + "s"


def _range(node: dict[str, Any], low_key: str, high_key: str, unit: str) -> str:
    low, high = node.get(low_key), node.get(high_key)
    unit = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{low}-{high}{unit}"
    if low is not None:
        return f"at least {low}{unit}"
    if high is not None:
        return f"at most {high}{unit}"
    return ""


def field_sections(schema: dict[str, Any] | None = None) -> list[FieldSection]:
    """Return the field reference as plain data: sections of rows."""
    return ReferenceBuilder(schema or load_schema()).sections()


_ENV = Environment(
    loader=PackageLoader("generator", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def field_reference_html(schema: dict[str, Any] | None = None) -> str:
    """Render the field reference as accessible HTML, headings from h2."""
    template = _ENV.get_template("field_reference.html")
    return template.render(sections=field_sections(schema))
