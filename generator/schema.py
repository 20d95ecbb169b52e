"""The case-study schema: the single source of field names, codes, labels and descriptions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

SCHEMA_FILE = "evaluation.schema.json"
INSTRUMENTS_FILE = "instruments.yaml"
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def find_schema_path(start: Path | None = None, name: str = SCHEMA_FILE) -> Path:
    """Return the path of a file in schema/ (the JSON Schema by default), from the project or the package."""
    candidates = [
        (start or Path.cwd()) / "schema" / name,
        _PACKAGE_ROOT / "schema" / name,
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"schema/{name} not found")


@cache
def load_schema(path: Path | None = None) -> dict[str, Any]:
    """Read the JSON Schema (once per path)."""
    with (path or find_schema_path()).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@dataclass(frozen=True)
class Code:
    """One vocabulary code with its label and description."""

    code: str
    label: str
    description: str


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref``, merging the referring node's own title and description."""
    ref = node.get("$ref")
    if not ref:
        return node
    target: Any = schema
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    merged = dict(resolve(schema, target))
    merged.update({k: v for k, v in node.items() if k in ("title", "description")})
    return merged


def codes_of(node: dict[str, Any]) -> list[Code]:
    """Return the codes of a vocabulary node (``oneOf`` of ``const``), or an empty list."""
    options = node.get("oneOf") or []
    if options and all("const" in option for option in options):
        return [
            Code(o["const"], o.get("title", o["const"]), o.get("description", "")) for o in options
        ]
    return []


def walk(
    schema: dict[str, Any], node: dict[str, Any] | None = None, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Yield every field's path (``*`` for list items) and resolved schema, depth first."""
    node = resolve(schema, node if node is not None else schema)
    yield path, node
    for name, child in node.get("properties", {}).items():
        yield from walk(schema, child, (*path, name))
    if "items" in node:
        yield from walk(schema, node["items"], (*path, "*"))


@dataclass(frozen=True)
class Vocabulary:
    """Labels for every code, looked up by field path pattern or by vocabulary name."""

    by_path: dict[tuple[str, ...], list[Code]]

    @cached_property
    def _labels(self) -> dict[tuple[str, ...], dict[str, str]]:
        return {path: {c.code: c.label for c in codes} for path, codes in self.by_path.items()}

    def label(self, path: tuple[str, ...], code: str) -> str:
        """Return the label of ``code`` at a field path pattern, or the code itself."""
        return self._labels.get(path, {}).get(code, code)

    def codes(self, path: tuple[str, ...]) -> list[Code]:
        """Return the codes allowed at a field path pattern."""
        return self.by_path.get(path, [])


@cache
def vocabulary() -> Vocabulary:
    """Build the code tables from the schema."""
    schema = load_schema()
    return Vocabulary({path: codes_of(node) for path, node in walk(schema) if codes_of(node)})


@cache
def string_field_patterns() -> frozenset[tuple[str, ...]]:
    """Return the field patterns whose values are text (dates, links and codes included)."""
    found = set()
    for path, node in walk(load_schema()):
        consts = [o.get("const") for o in node.get("oneOf", [])]
        if node.get("type") == "string" or (consts and all(isinstance(c, str) for c in consts)):
            found.add(path)
    return frozenset(found)


def pattern_of(path: tuple[str | int, ...]) -> tuple[str, ...]:
    """Turn a data path into its schema pattern: list indices become ``*``."""
    return tuple("*" if isinstance(part, int) else part for part in path)


@cache
def field_titles() -> dict[tuple[str, ...], str]:
    """Return every field's title by path pattern."""
    return {
        path: str(node.get("title", path[-1] if path else "")) for path, node in walk(load_schema())
    }


def label(field: str, code: str) -> str:
    """Return the schema's label for a code at a dotted field pattern, e.g. ``service.area``."""
    return vocabulary().label(tuple(field.split(".")), code)


def codes(*path: str) -> list[str]:
    """Return the codes allowed at a field path pattern, in the schema's order."""
    return [c.code for c in vocabulary().codes(path)]


@dataclass(frozen=True)
class Instrument:
    """A standard validated measure: its range, which way is better, and any minimal important
    difference (a range when its source gives one), each from a published source."""

    code: str
    name: str
    min: float
    max: float
    better: str
    mid_low: float | None = None
    mid_high: float | None = None
    mid_source: str = ""
    range_source: str = ""

    @property
    def mid(self) -> float | None:
        """Return the smallest minimal important difference a source gives, or None."""
        return self.mid_low


@cache
def instruments() -> dict[str, Instrument]:
    """Read schema/instruments.yaml: the instruments an outcome may name, by code."""
    import yaml

    entries = yaml.safe_load(find_schema_path(name=INSTRUMENTS_FILE).read_text(encoding="utf-8"))
    found = {}
    for entry in entries:
        mid = entry.get("mid") or {}
        found[entry["code"]] = Instrument(
            code=entry["code"],
            name=entry["name"],
            min=entry["min"],
            max=entry["max"],
            better=entry["better"],
            mid_low=mid.get("value", mid.get("low")),
            mid_high=mid.get("value", mid.get("high")),
            mid_source=(mid.get("source") or {}).get("citation", ""),
            range_source=entry["range_source"]["citation"],
        )
    return found
