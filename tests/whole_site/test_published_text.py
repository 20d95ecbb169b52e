"""The feed, pages and downloads publish exactly the text that was checked for personal data.

Issue #22, finding 3: ``07700<thin space>900<thin space>123`` passed the personal-data check,
and the feed, which folds every kind of space into one, published "07700 900 123". Validation
now reads text as the feed and the pages show it, so such a case is refused; text it accepts
reads the same wherever it is published.
"""

from __future__ import annotations

import copy
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from generator.cases.personal_data import as_read, find_personal_data_as_read
from generator.cases.text import inline_text
from generator.cli import main
from tests.conftest import VALID_EXAMPLE
from tests.site_project import build_project, make_project

pytestmark = pytest.mark.slow
ATOM = "{http://www.w3.org/2005/Atom}"
EXAMPLE = yaml.safe_load(VALID_EXAMPLE.read_text(encoding="utf-8"))
# Odd spaces and dashes, with no personal data in them however they are read.
SUMMARY = (
    "Open 9\u2009am\u2013 5\u00a0pm, Mon\u2011Fri, for 120\u2009000  visits a year\n"
    "from 2019\u20132021; the panel met\u00a0\u00a0fortnightly."
)
ORGANISATION = "Riverside\u00a0Borough  Council"
AUTHOR = "A.\u2009Evaluator"


def write_case(folder: Path, case: dict[str, object]) -> None:
    text = yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=10**6)
    (folder / f"{case['id']}.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "disguised",
    ["07700\u2009900\u2009123", "07700  900  123", "07700\u2011900\u2011123", "07700\n900\n123"],
    ids=["thin-spaces", "double-spaces", "non-breaking-hyphens", "line-breaks"],
)
def test_a_phone_number_the_feed_would_assemble_is_refused(
    disguised: str, tmp_path: Path, runner: CliRunner
) -> None:
    project = make_project(tmp_path / "project", [])
    case = copy.deepcopy(EXAMPLE)
    case["summary"] = f"Bookings on {disguised}, weekdays."
    write_case(project / "evaluations", case)
    result = runner.invoke(
        main, ["build", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")]
    )
    assert result.exit_code == 1, result.output
    assert "summary: This looks like a UK phone number" in " ".join(result.output.split())
    assert not (project / "site").exists()


class TextScan(HTMLParser):
    """Collect a page's meta descriptions."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name") or found.get("property")
        if tag == "meta" and name and found.get("content") is not None:
            self.meta[name] = found["content"] or ""


def test_accepted_text_reads_the_same_in_the_feed_pages_and_downloads(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", [])
    case = copy.deepcopy(EXAMPLE)
    case["summary"] = SUMMARY
    case["organisation"]["name"] = ORGANISATION
    case["authors"][0]["name"] = AUTHOR
    write_case(project / "evaluations", case)
    site = build_project(project)
    checked = {text: as_read(text).text for text in (SUMMARY, ORGANISATION, AUTHOR)}
    assert all(find_personal_data_as_read(text) == [] for text in checked)

    feed = etree.fromstring((site / "feed.xml").read_bytes())
    (entry,) = feed.iter(f"{ATOM}entry")
    summary = entry.findtext(f"{ATOM}summary") or ""
    published = summary.removeprefix("Illustrative example: invented, not evidence. ")
    published_summary, _, facts = published.partition(" Organisation: ")
    assert as_read(published_summary).text == as_read(inline_text(SUMMARY)).text
    assert as_read(facts.split(". Area: ")[0]).text == checked[ORGANISATION]
    assert [as_read(name.text or "").text for name in entry.iter(f"{ATOM}name")] == [
        checked[AUTHOR]
    ]
    assert find_personal_data_as_read(summary) == []

    scan = TextScan()
    scan.feed((site / "evaluations" / case["id"] / "index.html").read_text(encoding="utf-8"))
    description = scan.meta["description"].removeprefix("Illustrative example. ")
    assert as_read(description).text == as_read(inline_text(SUMMARY)).text

    data = json.loads((site / "data" / "evaluations.json").read_text(encoding="utf-8"))
    (entry_data,) = data["cases"]
    published_case = entry_data["case"]
    assert published_case["summary"] == SUMMARY  # downloads hold the text exactly as checked
    assert published_case["organisation"]["name"] == ORGANISATION
    assert published_case["authors"][0]["name"] == AUTHOR
