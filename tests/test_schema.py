"""The schema: valid JSON Schema 2020-12, and every field and code documented."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from generator.schema import codes_of, load_schema, walk
from tests.conftest import ROOT


def test_schema_is_valid_2020_12() -> None:
    schema = json.loads((ROOT / "schema" / "evaluation.schema.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _objects(node: object):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_every_object_forbids_unknown_fields() -> None:
    objects = [n for n in _objects(load_schema()) if n.get("type") == "object"]
    assert objects
    assert all(n.get("additionalProperties") is False for n in objects)


@pytest.mark.parametrize("path", [p for p, _ in walk(load_schema()) if p], ids=".".join)
def test_every_field_has_title_and_description(path: tuple[str, ...]) -> None:
    node = dict(walk(load_schema()))[path]
    assert node.get("title"), path
    assert len(node.get("description", "")) > 10, path


def test_every_code_has_title_and_description() -> None:
    vocabularies = [codes_of(node) for _, node in walk(load_schema()) if codes_of(node)]
    assert len(vocabularies) >= 20
    for codes in vocabularies:
        for code in codes:
            assert code.label and code.label != "" and code.description, code


def test_every_free_text_field_is_bounded() -> None:
    for path, node in walk(load_schema()):
        if node.get("type") == "string":
            assert "maxLength" in node or "pattern" in node, path


def test_contract_codes_are_present() -> None:
    fields = dict(walk(load_schema()))
    domains = {c.code for c in codes_of(fields[("outcomes", "*", "domain")])}
    assert {
        "self-confidence",
        "mutual-understanding",
        "satisfaction",
        "environmental",
        "other",
    } <= domains
    assert {c.code for c in codes_of(fields[("evaluation", "design")])} == {
        "qualitative",
        "post-only",
        "before-after",
        "before-after-with-comparison",
        "randomised",
    }
    assert {c.code for c in codes_of(fields[("principles", "equality", "rating")])} == {
        "not-met",
        "partly-met",
        "mostly-met",
        "fully-met",
        "unknown",
    }
