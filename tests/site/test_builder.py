"""The builder page: the form is walked from the schema, and its vendored checker is pinned."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest

from generator.cache.catalogue import build_catalogue
from generator.cases.personal_data import LABELS
from generator.cases.rules import (
    HIDDEN_CHARACTERS,
    HIDDEN_RANGES,
    RESERVED_IDS,
    VISIBLE_CATEGORIES,
)
from generator.schema import codes_of, load_schema, resolve, walk
from generator.settings import SiteSettings
from generator.site.builder_form import (
    FIRST_QUESTIONS,
    FIRST_SECTION_END,
    MISSING_ANSWER,
    PLAIN_HINTS,
    PLAIN_NAMES,
    REVIEWER_FIELDS,
    SKIP_LINK,
    Condition,
    FormField,
    builder_page,
    check_settings,
    class_characters,
    condition_for,
    form_sections,
    issue_form_url,
    js_regex,
    new_file_url,
)
from generator.site.case_page import case_page
from generator.vocabulary import (
    DESIGNS_WITH_COMPARISON,
    DOMAINS_FOR,
    UNIT_WITH_SCALE,
    UNITS_WITH_SD,
)
from tests.conftest import ROOT

VENDOR = ROOT / "site_theme" / "assets" / "copro" / "vendor"
BUILDER_MODULES = ROOT / "site_theme" / "assets" / "copro" / "builder"
SETTINGS = SiteSettings(repo_url="https://github.com/example/hub/", branch="trunk")


def all_fields(fields: tuple[FormField, ...]) -> Iterator[FormField]:
    """Yield every field of a tree, depth first, in page order."""
    for f in fields:
        yield f
        yield from all_fields(f.children)
        if f.item is not None:
            yield from all_fields((f.item,))


def form_fields() -> list[FormField]:
    """Return every field of every section."""
    return [f for s in form_sections() for f in all_fields(s.fields)]


def schema_paths() -> list[tuple[str, ...]]:
    """Return every field path of the schema a person writes (reviewer fields left out)."""
    schema = load_schema()
    nodes = dict(walk(schema))
    return [
        path
        for path in nodes
        if path
        and path[0] not in REVIEWER_FIELDS
        # the codes of a list of codes are one field (checkboxes), not a field each
        and not (path[-1] == "*" and codes_of(resolve(schema, nodes[path])))
    ]


def test_every_field_of_the_schema_is_asked_once_in_the_schemas_order() -> None:
    # The schema's order, but for the first questions (#23): a top-level field's own fields
    # follow it, and the fields within keep the schema's order.
    pages = [f.path[0] for f in form_fields()]
    top_level = list(dict.fromkeys(pages))
    expected = sorted(schema_paths(), key=lambda path: top_level.index(path[0]))
    assert [f.path for f in form_fields()] == expected


def test_the_builder_starts_with_the_title_and_organisation_then_the_id() -> None:
    first = form_sections()[0]
    asked = [f.key for f in first.fields if f.kind != "const"]
    assert asked[: len(FIRST_QUESTIONS)] == ["title", "organisation", "summary", "id"]
    identifier = next(f for f in first.fields if f.key == "id")
    assert identifier.suggested_from == "title" and identifier.checked_live
    assert "must" not in identifier.hint and "file name" not in identifier.hint
    assert "made from the title" in identifier.hint
    assert "lowercase letters" in identifier.format_hint  # what a pattern message says


def test_the_file_keeps_the_schemas_order_whatever_the_page_asks_first() -> None:
    page = builder_page(SETTINGS)
    order = re.search(r'data-file-order="([^"]*)"', page)
    assert order and order.group(1).split() == list(load_schema()["properties"])


def test_the_page_names_its_skip_link_target() -> None:
    page = builder_page(SETTINGS)
    anchor, text = SKIP_LINK
    assert f'<h2 id="{anchor[1:]}" tabindex="-1">1. About the case</h2>' in page
    assert text == "Skip to the form"


def test_countries_are_offered_by_name() -> None:
    country = next(f for f in form_fields() if f.path == ("service", "country"))
    labels = [c.label for c in country.codes]
    assert labels[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    uk = labels.index("United Kingdom")
    assert labels[uk - 1 : uk + 2] == ["United Arab Emirates", "United Kingdom", "United States"]
    assert labels.index("Gabon") + 2 < labels.index("Grenada")  # once had the UK between them
    assert "GB" in {c.code for c in country.codes}


def test_plain_wording_is_keyed_by_fields_the_page_asks() -> None:
    paths = {"/".join(f.path) for f in form_fields()}
    assert set(MISSING_ANSWER) <= paths
    assert set(PLAIN_NAMES) <= paths
    assert check_settings([])["wording"] == {"missing": MISSING_ANSWER, "names": PLAIN_NAMES}
    about = MISSING_ANSWER["outcomes/*/about"]
    assert about == "choose whether this outcome is about the participants or the service"
    assert MISSING_ANSWER["outcomes/*/better"] == "choose whether higher or lower is better"


def test_sections_follow_the_case() -> None:
    titles = [s.title for s in form_sections()]
    assert titles == [
        "About the case",
        "Co-production",
        "Evaluation",
        "Principles",
        "Experience",
        "Outcomes",
        "Learning",
        "Sources",
    ]
    first = form_sections()[0]
    keys = list(load_schema()["properties"])
    assert sorted(f.key for f in first.fields) == sorted(keys[: keys.index(FIRST_SECTION_END)])


def test_labels_hints_and_codes_come_from_the_schema() -> None:
    schema = load_schema()
    by_path = {f.path: f for f in form_fields()}
    nodes = dict(walk(schema))
    for path, f in by_path.items():
        if path[-1] != "*":
            assert f.title == nodes[path]["title"], path
            assert f.hint == PLAIN_HINTS.get(path, nodes[path].get("description", "")), path
    licence = by_path[("licence",)]
    assert [c.code for c in licence.codes] == [
        o["const"] for o in schema["properties"]["licence"]["oneOf"]
    ]
    assert licence.widget == "radios"
    assert by_path[("service", "country")].widget == "select"
    assert by_path[("coproduction", "stages")].kind == "choices"


def test_kinds_of_input() -> None:
    by_path = {f.path: f for f in form_fields()}
    assert by_path[("schema_version",)].kind == "const"
    assert by_path[("submitted",)].kind == "date"
    assert by_path[("organisation", "url")].kind == "url"
    assert by_path[("summary",)].kind == "textarea"
    assert by_path[("title",)].kind == "text"
    assert by_path[("experience", "*", "respondents")].kind == "integer"
    assert by_path[("outcomes", "*", "baseline", "value")].kind == "number"
    assert by_path[("submitted",)].format_hint.startswith("A date written YYYY-MM-DD")


def test_repeating_groups_and_their_items() -> None:
    lists = {f.path: f for f in form_fields() if f.kind == "list"}
    assert set(lists) == {
        ("authors",),
        ("coproduction", "participants"),
        ("coproduction", "accessibility"),
        ("experience",),
        ("outcomes",),
        ("outcomes", "*", "results"),
        ("outcomes", "*", "comparison", "results"),
        ("learning", "worked_well"),
        ("learning", "less_well"),
        ("learning", "changes_made"),
        ("sources",),
        ("sources", "*", "authors"),
    }
    assert lists[("outcomes", "*", "results")].item.title == "Result"  # type: ignore[union-attr]
    assert lists[("outcomes",)].item.title == "Outcome"  # type: ignore[union-attr]
    assert lists[("authors",)].min_items == 1 and lists[("authors",)].required


def test_conditions_come_from_the_rules() -> None:
    scale = condition_for(("outcomes", "*", "scale"))
    assert scale is not None and scale.values == ("score",) and scale.required
    by_path = {f.path: f for f in form_fields()}
    assert by_path[("outcomes", "*", "scale")].required  # the rules require it where it shows
    assert not by_path[("outcomes", "*", "comparison")].required
    comparison = condition_for(("outcomes", "*", "comparison"))
    assert comparison is not None and comparison.field == "/evaluation/design"
    assert comparison.values == DESIGNS_WITH_COMPARISON
    sd = condition_for(("outcomes", "*", "results", "*", "sd"))
    assert sd is not None and sd.field == "unit"
    assert set(sd.values) == {"score", "rate", "currency", "days", "other"}  # contract 1.1
    assert condition_for(("outcomes", "*", "measure")) is None
    conditional = {f.path for f in form_fields() if f.when}
    # Contract 1.2: a percentage's count, a paired outcome's sd of the change, a score's
    # instrument and a summary's source show only where they apply, as sd does.
    measurements = [("baseline",), ("results", "*"), ("comparison", "baseline")]
    measurements.append(("comparison", "results", "*"))
    assert conditional == {
        ("outcomes", "*", "scale"),
        ("outcomes", "*", "comparison"),
        ("outcomes", "*", "instrument"),
        ("outcomes", "*", "source"),
        *(
            ("outcomes", "*", *measurement, key)
            for measurement in measurements
            for key in ("sd", "count", "sd_change")
        ),
    }
    source = condition_for(("outcomes", "*", "source"))
    assert source is not None and source.field == "/status" and source.values == ("summary",)
    assert condition_for(("outcomes", "*", "results", "*", "count")) == Condition(
        "unit", ("percent",)
    )
    paired = next(f for f in form_fields() if f.path == ("outcomes", "*", "paired"))
    assert paired.kind == "choice" and paired.value_type == "boolean"
    level = next(f for f in form_fields() if f.path == ("outcomes", "*", "reported", "ci", "level"))
    assert level.value_type == "number" and [c.code for c in level.codes] == [90, 95, 99]


def test_outcome_domains_are_grouped_by_whose_outcome_they_fit() -> None:
    domain = next(f for f in form_fields() if f.path == ("outcomes", "*", "domain"))
    grouped = {g.label: [c.code for c in g.codes] for g in domain.option_groups}
    assert [g.fits for g in domain.option_groups] == ["participants", "service", ""]
    assert set(grouped["For participants"]) <= set(DOMAINS_FOR["participants"])
    assert set(grouped["For service"]) <= set(DOMAINS_FOR["service"])
    assert grouped["For either"] == ["wellbeing", "other"]  # wellbeing: of either (contract 1.2)
    assert sorted(c for codes in grouped.values() for c in codes) == sorted(
        c.code for c in domain.codes
    )


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.refs: list[str] = []
        self.in_template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        for name in ("for", "aria-describedby", "aria-labelledby"):
            self.refs.extend(str(values.get(name) or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1


def test_page_ids_are_unique_and_every_reference_resolves() -> None:
    parser = _Ids()
    parser.feed(builder_page(SETTINGS))
    assert len(parser.ids) == len(set(parser.ids))
    assert set(parser.refs) <= set(parser.ids)


def test_page_links_to_the_issue_form_and_the_new_file_page() -> None:
    page = builder_page(SETTINGS)
    assert 'href="https://github.com/example/hub/issues/new?template=submit-case.yml"' in page
    assert 'href="https://github.com/example/hub/new/trunk/evaluations"' in page
    assert issue_form_url("") == "" and new_file_url("", "main", "evaluations") == ""
    assert new_file_url("https://x/y", "main", "evaluations", "a-b") == (
        "https://x/y/new/main/evaluations?filename=a-b.yaml"
    )


def test_schema_is_embedded_whole_and_cannot_close_its_script() -> None:
    page = builder_page(SETTINGS)
    embedded = re.search(
        r'<script type="application/json" id="copro-schema">(.*?)</script>', page, re.S
    )
    assert embedded is not None
    assert json.loads(embedded.group(1)) == load_schema()


def test_without_a_repository_the_page_still_renders() -> None:
    page = builder_page(SiteSettings())
    assert 'data-repo-url=""' in page


@pytest.mark.parametrize("name", ["ajv2020.min.js"])
def test_vendored_script_is_pinned_with_its_licence(name: str) -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}`"))
    recorded = re.findall(r"`([0-9a-f]{64})`", row)
    assert recorded == [hashlib.sha256((VENDOR / name).read_bytes()).hexdigest()]
    assert "8.17.1" in row
    licence = (VENDOR / "ajv-LICENSE.txt").read_text(encoding="utf-8")
    assert licence.startswith("The MIT License")


@pytest.mark.parametrize("module", sorted(p.name for p in BUILDER_MODULES.glob("*.js")))
def test_builder_script_writes_text_only_as_text(module: str) -> None:
    script = (BUILDER_MODULES / module).read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "eval(" not in script and "document.write" not in script


class _Scripts(HTMLParser):
    """Collect the attributes of each script element of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))


IMPORT = re.compile(r'^import [^;]* from "(\./[a-z-]+\.js)";$', re.M)


def _imports(module: str) -> list[str]:
    return [name[2:] for name in IMPORT.findall((BUILDER_MODULES / module).read_text("utf-8"))]


def test_the_page_runs_one_module_after_the_vendored_checker() -> None:
    parser = _Scripts()
    parser.feed(builder_page(SETTINGS))
    loaded = [s for s in parser.scripts if "src" in s]
    assert [s["src"] for s in loaded] == [
        "../../assets/copro/vendor/ajv2020.min.js",
        "../../assets/copro/builder/main.js",
    ]
    # Ajv is a classic (UMD) script; deferred and module scripts run in document order.
    assert "defer" in loaded[0] and "type" not in loaded[0]
    assert loaded[1].get("type") == "module"
    assert [s for s in parser.scripts if s.get("type") == "module"] == [loaded[1]]


def test_every_builder_module_is_reached_from_main_and_every_import_is_shipped() -> None:
    shipped = {p.name for p in BUILDER_MODULES.glob("*.js")}
    reached, waiting = set(), ["main.js"]
    while waiting:
        module = waiting.pop()
        reached.add(module)
        imported = _imports(module)
        assert set(imported) <= shipped, module
        waiting += [name for name in imported if name not in reached]
    assert reached == shipped
    assert not [m for m in shipped if "main.js" in _imports(m)]  # main is the root, not a helper


@pytest.mark.parametrize("module", sorted(p.name for p in BUILDER_MODULES.glob("*.js")))
def test_each_builder_module_says_what_it_does_in_two_lines(module: str) -> None:
    lines = (BUILDER_MODULES / module).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("/* ") and not lines[0].rstrip().endswith("*/")
    assert lines[1].startswith("   ") and lines[1].rstrip().endswith("*/")


def test_the_shared_rules_are_read_from_the_generated_settings_in_one_place() -> None:
    readers = [
        p.name for p in BUILDER_MODULES.glob("*.js") if "copro-checks" in p.read_text("utf-8")
    ]
    assert readers == ["rules.js"]


def test_case_pages_link_to_the_builder_with_their_id() -> None:
    catalogue = build_catalogue(ROOT / "evaluations")
    case = catalogue.cases[0]
    page = case_page(case, catalogue, SETTINGS, None)
    assert (
        f'<a href="../../contribute/builder/?case={case.id}">'
        "Add a follow-up result or correct this case</a>"
    ) in page


def test_each_case_page_carries_its_case_as_written_for_the_builder() -> None:
    catalogue = build_catalogue(ROOT / "evaluations")
    for case in catalogue.cases:
        page = case_page(case, catalogue, SETTINGS, None)
        found = re.search(
            r'<script type="application/base64" id="copro-case-record">(.*?)</script>', page, re.S
        )
        assert found is not None
        assert json.loads(base64.b64decode(found.group(1)).decode("utf-8")) == case.data


def embedded_checks(page: str) -> dict[str, Any]:
    """Return the settings of the cross-field checks embedded in a builder page."""
    found = re.search(
        r'<script type="application/json" id="copro-checks">(.*?)</script>', page, re.S
    )
    assert found is not None
    settings: dict[str, Any] = json.loads(found.group(1))
    return settings


def test_the_checks_take_their_settings_from_the_rules() -> None:
    settings = embedded_checks(builder_page(SETTINGS, ["b-case", "a-case", "b-case"]))
    assert settings["existing_ids"] == ["a-case", "b-case"]
    assert settings["reserved_ids"] == sorted(RESERVED_IDS)
    assert settings["units_with_sd"] == list(UNITS_WITH_SD)
    assert settings["unit_with_scale"] == UNIT_WITH_SCALE
    assert settings["visible_categories"] == VISIBLE_CATEGORIES
    assert settings["personal_data"]["labels"] == LABELS
    assert "summary" in settings["personal_data"]["free_text"]
    assert "id" not in settings["personal_data"]["free_text"]
    assert "outcomes/*/results/*/note" in settings["personal_data"]["free_text"]


def test_hidden_characters_are_one_list_covering_every_format_character() -> None:
    """Issue #22: the validator and the builder page refuse the same characters, from one list."""
    import unicodedata

    ranges = check_settings([])["hidden_ranges"]
    assert ranges == [list(pair) for pair in HIDDEN_RANGES]
    in_ranges = {c for first, last in HIDDEN_RANGES for c in range(first, last + 1)}
    assert in_ranges == {c for c in range(0x110000) if HIDDEN_CHARACTERS.match(chr(c))}
    format_characters = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    assert format_characters <= in_ranges, sorted(map(hex, format_characters - in_ranges))
    reported = {0x00AD, 0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800}
    reported |= {*range(0x206A, 0x2070), *range(0x180B, 0x1810), *range(0xFE00, 0xFE10)}
    reported |= set(range(0x1D173, 0x1D17B))
    assert reported <= in_ranges


def test_every_hidden_character_is_listed_with_its_name() -> None:
    listed = class_characters(HIDDEN_CHARACTERS)
    scanned = [chr(c) for c in range(0x110000) if HIDDEN_CHARACTERS.match(chr(c))]
    assert listed == scanned
    names = check_settings([])["hidden_names"]
    assert names["202E"] == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert names["E0001"] == "U+E0001 LANGUAGE TAG"
    assert len(names) == len(scanned)
    with pytest.raises(ValueError, match="plain character class"):
        class_characters(re.compile(r"[\w]"))


def test_python_patterns_become_javascript_patterns() -> None:
    assert js_regex(re.compile(r"(?<![\w.])\d{3}(?P<sep>[ -]?)\d(?P=sep)\w")) == {
        "source": r"(?<![\p{L}\p{N}_.])\p{Nd}{3}(?<sep>[ -]?)\p{Nd}\k<sep>[\p{L}\p{N}_]",
        "flags": "u",
    }
    assert js_regex(re.compile(r"[^\s<>\"']+£", re.IGNORECASE)) == {
        "source": "[^\\s<>\"']+\\u{a3}",
        "flags": "iu",
    }
    # The page holds no invisible character, only its escape.
    page = builder_page(SETTINGS)
    assert not HIDDEN_CHARACTERS.search(page)
    assert r"\\u{202e}" in embedded_checks(page)["hidden"]["source"].replace("\\", "\\\\")
