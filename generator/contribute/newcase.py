"""Write a new case file: a template generated from the schema, with placeholders to replace.

Every placeholder fails validation until it is replaced, so ``copro validate`` lists each field
still to fill with its line: codes, dates, web addresses and numbers are written ``TODO``, text
is left empty, and Markdown text is an empty block (``|-``) to write on the lines below.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from generator.cases.load import resolve_plain_scalar
from generator.cases.rules import RESERVED_IDS
from generator.schema import Code, codes_of, load_schema, resolve
from generator.vocabulary import PARTICIPANT_DOMAINS, SERVICE_DOMAINS

PLACEHOLDER = "TODO"
OPTIONAL = "optional: delete if not needed"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/evaluation.schema.json"
FIXED: dict[tuple[str, ...], Any] = {("schema_version",): 1, ("status",): "published"}
KEY_FACTS = (
    ("title",),
    ("organisation", "name"),
    ("organisation", "type"),
    ("service", "name"),
    ("service", "area"),
    ("service", "kind"),
    ("service", "country"),
)
LONG_VOCABULARY = 20
EXAMPLE_CODES = ("GB", "IE", "NZ")
WIDTH = 100
_DATE_REF = "#/$defs/date"
_URL_REF = "#/$defs/url"
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.()'&/+-]*")

FieldPath = tuple[str, ...]


def id_node() -> dict[str, Any]:
    """Return the schema's rule for ids."""
    node: dict[str, Any] = load_schema()["properties"]["id"]
    return node


def id_problem(case_id: str) -> str | None:
    """Say what is wrong with an id, or None when it is a valid one (as `copro validate` says)."""
    node = id_node()
    if re.fullmatch(node["pattern"], case_id) and len(case_id) <= node["maxLength"]:
        if case_id in RESERVED_IDS:
            return (
                f"The id {case_id!r} is reserved: the site or Windows uses this name for "
                "something else. Choose an id that names the project, e.g. "
                "riverside-day-centre-redesign."
            )
        return None
    return (
        f"{case_id!r} is not a valid id. An id may contain only lowercase letters a-z, digits "
        f"and single hyphens between them, at most {node['maxLength']} characters "
        f"(this one has {len(case_id)}), e.g. riverside-day-centre-redesign."
    )


def node_at(path: FieldPath) -> dict[str, Any]:
    """Return the resolved schema node of a field path pattern (``*`` for list items)."""
    schema = load_schema()
    node = resolve(schema, schema)
    for part in path:
        node = resolve(schema, node["items"] if part == "*" else node["properties"][part])
    return node


def yaml_text(value: str) -> str:
    """Write text as a YAML scalar that reads back as the same text."""
    plain = _PLAIN_TEXT.fullmatch(value) and value == value.strip()
    if plain and resolve_plain_scalar(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


def case_template(
    case_id: str | None,
    today: str | None,
    facts: Mapping[FieldPath, str] | None = None,
    folder: str = "evaluations",
) -> str:
    """Return a new case file: every field of the schema, explained.

    Without ``case_id`` and ``today`` (the template offered for the web editor), ``id`` and
    ``submitted`` are placeholders too.
    """
    presets: dict[FieldPath, Any] = dict(FIXED)
    if case_id is not None:
        presets[("id",)] = case_id
    if today is not None:
        presets[("submitted",)] = today
    presets.update(facts or {})
    return TemplateWriter(presets).write(f"{folder}/{case_id or '<id>'}.yaml")


class TemplateWriter:
    """Walk the schema and write each field with a comment saying what to write."""

    def __init__(self, presets: Mapping[FieldPath, Any]) -> None:
        self.schema = load_schema()
        self.presets = presets
        self.lines: list[str] = []

    def write(self, location: str) -> str:
        """Return the whole template as text; ``location`` is where it will be saved."""
        self.lines = [SCHEMA_COMMENT, *_header(location)]
        root = resolve(self.schema, self.schema)
        required = set(root.get("required", []))
        for name, raw in root["properties"].items():
            self.lines.append("")
            self.field(name, raw, (name,), 0, name in required)
        return "\n".join(self.lines) + "\n"

    def comment(self, indent: int, text: str) -> None:
        """Add a comment, wrapped to the page width."""
        pad = " " * indent + "# "
        self.lines.extend(
            textwrap.wrap(
                text,
                WIDTH - len(pad),
                initial_indent=pad,
                subsequent_indent=pad + "  ",
                break_on_hyphens=False,
            )
        )

    def field(
        self,
        name: str,
        raw: dict[str, Any],
        path: FieldPath,
        indent: int,
        required: bool,
        dash: bool = False,
    ) -> None:
        """Write one field (and everything under it) at ``indent``; ``dash`` starts a list item."""
        node = resolve(self.schema, raw)
        self.explain(node, raw, path, indent, required)
        column = indent + 2 if dash else indent
        key = " " * indent + ("- " if dash else "") + f"{name}:"
        if "properties" in node:
            self.lines.append(key)
            self.section(node, path, column + 2)
        elif node.get("type") == "array":
            self.lines.append(key)
            self.items(node, path, column + 2)
        else:
            self.lines.append(f"{key} {self.value(raw, node, path)}".rstrip())

    def section(
        self, node: dict[str, Any], path: FieldPath, indent: int, dash: bool = False
    ) -> None:
        """Write the fields of an object; with ``dash``, as one list item."""
        required = set(node.get("required", []))
        for n, (name, raw) in enumerate(node["properties"].items()):
            first = dash and n == 0
            column = indent + 2 if dash and not first else indent
            self.field(name, raw, (*path, name), column, name in required, first)

    def items(self, node: dict[str, Any], path: FieldPath, indent: int) -> None:
        """Write one example item of a list."""
        item = resolve(self.schema, node["items"])
        if "properties" in item:
            self.comment(
                indent,
                f"Each item: {_sentence(item)} Copy the block that starts with `- ` once for each.",
            )
            self.section(item, (*path, "*"), indent, dash=True)
        else:
            self.lines.append(
                f"{' ' * indent}- {self.value(node['items'], item, (*path, '*'))}".rstrip()
            )

    def value(self, raw: dict[str, Any], node: dict[str, Any], path: FieldPath) -> str:
        """Return a preset value or the placeholder that fails until replaced."""
        if path in self.presets:
            preset = self.presets[path]
            return yaml_text(preset) if isinstance(preset, str) else json.dumps(preset)
        if "const" in node:
            return json.dumps(node["const"])
        if node.get("contentMediaType") == "text/markdown":
            return "|-"
        if node.get("type") == "string" and raw.get("$ref") not in (_DATE_REF, _URL_REF):
            return ""
        return PLACEHOLDER

    def explain(
        self,
        node: dict[str, Any],
        raw: dict[str, Any],
        path: FieldPath,
        indent: int,
        required: bool,
    ) -> None:
        """Write the comment above a field: title, required or not, what to write, codes."""
        need = "required" if required else OPTIONAL
        self.comment(
            indent,
            f"{node.get('title', path[-1])} ({need}). {_sentence(node)} "
            f"{_how_to_write(raw, node)}".rstrip(),
        )
        item = resolve(self.schema, node["items"]) if "items" in node else node
        codes = codes_of(item)
        if codes:
            self.list_codes(codes, (*path, "*") if "items" in node else path, indent)

    def list_codes(self, codes: list[Code], path: FieldPath, indent: int) -> None:
        """Add the allowed codes as ``code: label`` lines, or examples of a long list."""
        if len(codes) > LONG_VOCABULARY:
            examples = [c for c in codes if c.code in EXAMPLE_CODES] or codes[:3]
            shown = "; ".join(f"{c.code}: {c.label}" for c in examples)
            self.comment(
                indent,
                f"One of {len(codes)} codes, e.g. {shown}. "
                "The field reference on the Contribute page lists them all.",
            )
            return
        self.comment(
            indent,
            "Each item is one of these codes:"
            if path[-1:] == ("*",)
            else "Write one of these codes:",
        )
        for code in codes:
            self.comment(indent, f"  {code.code}: {code.label}{_domain_note(path, code.code)}")


def _header(location: str) -> list[str]:
    return [
        "#",
        "# A case study for the co-production evidence hub (schema version 1).",
        "# - Replace every TODO and fill in every empty field: the comment above each field",
        '#   says what to write. Delete the fields marked "optional: delete if not needed"',
        "#   that you do not use (with everything indented under them).",
        "# - Never name or identify the people who use the service.",
        f"# - Check it with: copro validate {location}",
        "#   Each field still to fill is listed with its line number.",
    ]


def _sentence(node: dict[str, Any]) -> str:
    text = str(node.get("description", "")).strip()
    return text if not text or text.endswith(".") else text + "."


def _how_to_write(raw: dict[str, Any], node: dict[str, Any]) -> str:
    if raw.get("$ref") == _DATE_REF and "YYYY" not in str(node.get("description")):
        return "Write a date: YYYY-MM-DD, YYYY-MM or YYYY."
    if node.get("contentMediaType") == "text/markdown":
        return (
            "Write the text on the lines below `|-`, indented two spaces more than the field name."
        )
    if node.get("type") == "array" and "properties" not in resolve(load_schema(), node["items"]):
        return "Write each item on its own line starting with `- `."
    if node.get("type") in ("number", "integer"):
        return (
            "Write a plain number, e.g. 42."
            if node["type"] == "number"
            else "Write a whole number."
        )
    return ""


def _domain_note(path: FieldPath, code: str) -> str:
    if path[-2:] != ("*", "domain"):
        return ""
    fits = [
        about
        for about, domains in (("participants", PARTICIPANT_DOMAINS), ("service", SERVICE_DOMAINS))
        if code in domains
    ]
    return f" (about: {' or '.join(fits)})" if fits else ""


def write_case(folder: Path, case_id: str, text: str) -> Path:
    """Write ``folder/<case_id>.yaml``; raise FileExistsError rather than overwrite."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{case_id}.yaml"
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target


def text_within(node: dict[str, Any]) -> Callable[[str], str]:
    """Return a prompt check: text within the schema's length limits, spaces tidied."""
    low, high = int(node.get("minLength", 1)), int(node.get("maxLength", 10_000))

    def check(value: str) -> str:
        text = " ".join(str(value).split())
        if not low <= len(text) <= high:
            raise click.BadParameter(f"Write {low}-{high} characters (this has {len(text)}).")
        return text

    return check


def prompt_title(path: FieldPath) -> str:
    """Name a key fact for a prompt, with its section where the title alone is ambiguous."""
    title = str(node_at(path).get("title", path[-1]))
    shared = [p for p in KEY_FACTS if node_at(p).get("title") == title]
    if len(shared) > 1 and len(path) > 1:
        return f"{node_at(path[:-1]).get('title', path[-2])} {title.lower()}"
    return title


def ask_key_fact(path: FieldPath) -> str:
    """Ask for one key fact, offering the schema's codes where it has them."""
    node = node_at(path)
    title = prompt_title(path)
    codes = codes_of(node)
    if not codes:
        return str(click.prompt(title, value_proc=text_within(node)))
    if len(codes) > LONG_VOCABULARY:
        examples = ", ".join(c.code for c in codes if c.code in EXAMPLE_CODES)
        title = f"{title} (a code such as {examples})"
    else:
        click.echo(f"{title}:")
        for code in codes:
            click.echo(f"  {code.code:<24} {code.label}")
    choice = click.Choice([c.code for c in codes], case_sensitive=False)
    return str(click.prompt(title, type=choice, show_choices=False))


def ask_key_facts() -> dict[FieldPath, str]:
    """Ask for the title, organisation, service, area, kind and country."""
    return {path: ask_key_fact(path) for path in KEY_FACTS}
