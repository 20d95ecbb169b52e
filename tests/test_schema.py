"""The schema: valid JSON Schema 2020-12, and every field and code documented."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.schema import codes_of, instruments, load_schema, walk
from generator.vocabulary import PARTICIPANT_DOMAINS, RATIO_STATISTICS, SERVICE_DOMAINS
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
        "cluster-randomised",
        "stepped-wedge",
        "interrupted-time-series",
    }
    assert {c.code for c in codes_of(fields[("principles", "equality", "rating")])} == {
        "not-met",
        "partly-met",
        "mostly-met",
        "fully-met",
        "unknown",
    }


def test_contract_1_2_codes_and_fields_are_present() -> None:
    fields = dict(walk(load_schema()))
    codes = {path: {c.code for c in codes_of(node)} for path, node in fields.items()}
    assert {"published", "summary", "example"} == codes[("status",)]
    assert "unknown" in codes[("coproduction", "level")]
    assert "unknown" in codes[("coproduction", "stages", "*")]
    assert {"recovery", "service-use", "employment", "wellbeing"} <= codes[
        ("outcomes", "*", "domain")
    ]
    assert set(RATIO_STATISTICS) <= codes[("outcomes", "*", "reported", "statistic")]
    for path in [
        ("sources", "*", "authors"),
        ("sources", "*", "doi"),
        ("sources", "*", "published_in"),
        ("sources", "*", "accessed"),
        ("outcomes", "*", "source", "quote"),
        ("outcomes", "*", "paired"),
        ("outcomes", "*", "results", "*", "count"),
        ("outcomes", "*", "results", "*", "sd_change"),
        ("evaluation", "clusters", "intervention"),
        ("evaluation", "sample", "analysed"),
    ]:
        assert path in fields, path


def test_domain_lists_by_about_cover_the_schema_codes() -> None:
    fields = dict(walk(load_schema()))
    schema_domains = {c.code for c in codes_of(fields[("outcomes", "*", "domain")])}
    assert schema_domains == set(PARTICIPANT_DOMAINS) | set(SERVICE_DOMAINS)


def test_the_instrument_list_is_the_schema_s_and_every_figure_has_a_source() -> None:
    fields = dict(walk(load_schema()))
    listed = {c.code: c for c in codes_of(fields[("outcomes", "*", "instrument")])}
    entries = yaml.safe_load((ROOT / "schema" / "instruments.yaml").read_text(encoding="utf-8"))
    assert [e["code"] for e in entries] == list(listed) == list(instruments())
    for entry in entries:
        assert listed[entry["code"]].label == entry["name"]
        assert entry["min"] < entry["max"] and entry["better"] in ("higher", "lower")
        assert entry["range_source"]["citation"] and entry["range_source"]["url"].startswith("http")
        assert len(entry["range_source"]["quote"]) >= 20
        if "mid" in entry:
            assert entry["mid"]["source"]["quote"] and entry["mid"]["source"]["url"].startswith(
                "http"
            )
            assert ("value" in entry["mid"]) != ("low" in entry["mid"] and "high" in entry["mid"])
    contract = {  # the ranges and directions CASE_STUDY.md names
        "wemwbs": (14, 70, "higher"), "swemwbs": (7, 35, "higher"), "who-5": (0, 100, "higher"),
        "ons4-life-satisfaction": (0, 10, "higher"), "ucla-3": (3, 9, "lower"),
        "phq-9": (0, 27, "lower"), "gad-7": (0, 21, "lower"), "k10": (10, 50, "lower"),
        "qpr-15": (0, 60, "higher"), "ras-r": (24, 120, "higher"), "eq-5d-vas": (0, 100, "higher"),
        "pam": (0, 100, "higher"),
    }  # fmt: skip
    for code, (low, high, better) in contract.items():
        found = instruments()[code]
        assert (found.min, found.max, found.better) == (low, high, better), code
