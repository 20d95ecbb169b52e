"""The field reference: generated from the schema, complete, and accessible HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from generator.schema import codes_of, load_schema, walk
from generator.site.reference import MARKER, display_path, field_reference_html, field_sections
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def html() -> str:
    """Return the rendered reference."""
    return field_reference_html()


def schema_fields() -> list[str]:
    """Return every property path of the schema, as the reference writes it."""
    return [display_path(path) for path, _node in walk(load_schema()) if path and path[-1] != "*"]


class Outline(HTMLParser):
    """Collect headings, ids, row headers and table captions."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.ids: list[str] = []
        self.row_headers = 0
        self.col_headers = 0
        self.tables = 0
        self.captions = 0
        self.headings_without_id = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)
            self.headings_without_id += "id" not in found
        if tag == "th":
            scope = found.get("scope")
            assert scope in ("row", "col"), "every header cell has a scope"
            self.row_headers += scope == "row"
            self.col_headers += scope == "col"
        self.tables += tag == "table"
        self.captions += tag == "caption"


@pytest.fixture(scope="module")
def outline(html: str) -> Outline:
    """Return the reference's outline."""
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("path", schema_fields())
def test_every_field_has_a_row(html: str, path: str) -> None:
    assert f"<code>{path}</code></th>" in html.replace("<wbr>", "")


def test_paths_look_like_the_contract() -> None:
    assert "outcomes[].baseline.date" in schema_fields()
    assert "principles.equality.rating" in schema_fields()


def test_every_code_is_listed_with_label_and_description(html: str) -> None:
    from markupsafe import escape

    for _path, node in walk(load_schema()):
        for code in codes_of(node):
            entry = f"<li><code>{escape(code.code)}</code>: {escape(code.label)}"
            assert entry in html, code.code
            assert str(escape(code.description)) in html


def test_rows_are_one_per_field() -> None:
    rows = [row.path for section in field_sections() for row in section.rows]
    assert sorted(rows) == sorted(schema_fields())


def test_required_and_limits_come_from_the_schema() -> None:
    rows = {row.path: row for section in field_sections() for row in section.rows}
    assert rows["title"].required and "10-140 characters" in rows["title"].limits
    assert not rows["updated"].required and rows["updated"].kind == "date"
    assert rows["outcomes"].kind == "list of sections" and "1-60 items" in rows["outcomes"].limits
    assert rows["experience[].agree_percent"].limits == ("0-100",)
    assert rows["coproduction.stages"].kind == "list of codes"
    assert "no code twice" in rows["coproduction.stages"].limits
    assert rows["summary"].kind == "Markdown text"
    assert rows["organisation.url"].kind == "web address"
    assert rows["outcomes[].baseline.date"].required  # required within a baseline


def test_sections_follow_the_top_level_fields() -> None:
    names = [section.name for section in field_sections()]
    assert names[0] == ""  # the simple top-level fields come first
    assert names[1:] == [
        "authors",
        "organisation",
        "service",
        "coproduction",
        "evaluation",
        "principles",
        "experience",
        "outcomes",
        "learning",
        "sources",
        "allowed_personal_data",
    ]


def test_accessible_structure(outline: Outline) -> None:
    assert outline.headings[0] == "h2"
    assert set(outline.headings) <= {"h2", "h3"}
    assert outline.headings_without_id == 0
    assert outline.tables == outline.captions == len(field_sections())
    assert outline.row_headers == len(schema_fields())
    assert outline.col_headers == 3 * outline.tables
    assert len(outline.ids) == len(set(outline.ids)), "ids are unique"


def test_text_is_escaped() -> None:
    schema = load_schema()
    risky = {**schema, "properties": {**schema["properties"]}}
    risky["properties"]["title"] = {**schema["properties"]["title"], "description": "<script>x"}
    assert "<script>" not in field_reference_html(risky)
    assert "&lt;script&gt;x" in field_reference_html(risky)


def test_contribute_page_has_the_marker() -> None:
    lines = (ROOT / "docs" / "contribute.md").read_text(encoding="utf-8").splitlines()
    assert MARKER in lines
