"""Sharing, end to end: follow-up due on pages, the Atom feed, citations and metadata.

One small site is built with a ``site_url``, from the repository's cases plus the issue's two
hand-made ones (judged on 29 November 2026 through SOURCE_DATE_EPOCH): a case that ended in
March 2024 with its latest result from December 2024 (due), and one with a result 12 months
after its end (not due).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import bibtexparser
import feedparser
import jsonschema
import pytest
import rispy
import yaml
from lxml import etree
from pyld import jsonld

from generator.site.pages import DOWNLOADS
from tests.conftest import ROOT
from tests.figures.test_followups import make_case, write, write_done_when_cases
from tests.site_project import build_project, make_project

pytestmark = pytest.mark.slow
SITE_URL = "https://hub.example/"
NOV_29_2026 = "1795910400"  # 2026-11-29T00:00:00Z
CASE_FILES = sorted((ROOT / "evaluations").glob("*.yaml"))
ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = "https://schema.org/"


def set_site_url(project: Path, url: str) -> None:
    """Give the project's mkdocs.yml a site_url."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "site_url: !ENV [COPRO_SITE_URL, null]\n" in text
    text = text.replace("site_url: !ENV [COPRO_SITE_URL, null]\n", f"site_url: {url}\n")
    config.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the repository's cases plus the issue's due and followed-up cases."""
    project = make_project(tmp_path_factory.mktemp("sharing") / "project")
    set_site_url(project, SITE_URL)
    write_done_when_cases(project / "evaluations", github="a-evaluator")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", NOV_29_2026)
        return build_project(project)


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def case_ids(site: Path) -> list[str]:
    return sorted(p.name for p in (site / "evaluations").iterdir() if (p / "index.html").is_file())


class HeadScan(HTMLParser):
    """Collect a page's meta and link elements and its JSON-LD scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.jsonld: list[str] = []
        self.sections: dict[str, str] = {}
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        if tag == "link":
            self.links.append(values)
        self._script = tag == "script" and values.get("type") == "application/ld+json"
        if self._script:
            self.jsonld.append("")

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.jsonld[-1] += data


def head(site: Path, path: str) -> HeadScan:
    scan = HeadScan()
    scan.feed((site / path).read_text(encoding="utf-8"))
    return scan


# ---------------------------------------------------------------- follow-up due


def test_the_due_case_is_marked_on_its_page(built: Path) -> None:
    html = page(built, "evaluations/march-2024-due")
    notice = html.split('<section class="copro-follow-up"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="follow-up-due">Follow-up due</h2>' in notice
    assert (
        "The co-production ended in March 2024, 32 months ago, and its latest result is from "
        "December 2024; a result taken 12 months or more after the end would show whether the "
        "change lasted."
    ) in notice
    assert 'href="../../contribute/builder/?case=march-2024-due"' in notice
    assert 'href="../../contribute/#follow-up"' in notice


def test_a_case_followed_up_12_months_on_is_not_marked(built: Path) -> None:
    assert "copro-follow-up" not in page(built, "evaluations/march-2024-followed-up")
    for path in CASE_FILES:  # none of the repository's cases is due on that date
        assert "copro-follow-up" not in page(built, f"evaluations/{path.stem}")


def test_the_case_list_marks_and_filters_due_cases(built: Path) -> None:
    html = page(built, "evaluations")
    rows = re.findall(r'<tr data-id="([^"]+)".*?data-followup="([^"]+)"', html)
    assert dict(rows)["march-2024-due"] == "due"
    assert {k: v for k, v in rows if v == "due"} == {"march-2024-due": "due"}
    assert len(rows) == len(CASE_FILES) + 2
    assert '<select id="copro-filter-followup" name="followup" data-column="followup">' in html
    assert '<option value="due">Follow-up due</option>' in html
    assert "1 case is due a follow-up" in html
    # Without JavaScript the column says it in words.
    due_row = html.split('data-id="march-2024-due"', 1)[1].split("</tr>", 1)[0]
    assert "Follow-up due</span>" in due_row


# ---------------------------------------------------------------- the feed


def test_the_feed_parses_as_atom_and_lists_every_case(built: Path) -> None:
    parsed = feedparser.parse((built / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    links = {entry.link for entry in parsed.entries}
    assert links == {f"{SITE_URL}evaluations/{case_id}/" for case_id in case_ids(built)}
    newest = max(
        str(case.get("updated") or case["submitted"])
        for case in (yaml.safe_load(p.read_text(encoding="utf-8")) for p in CASE_FILES)
    )
    assert parsed.feed.updated == f"{newest}T00:00:00+00:00"  # the newest case change


def test_each_entry_has_what_atom_requires_and_the_issue_asks(built: Path) -> None:
    root = etree.fromstring((built / "feed.xml").read_bytes())
    for element in ("id", "title", "updated", "author"):
        assert root.find(ATOM + element) is not None, element
    statuses = {p.stem: yaml.safe_load(p.read_text("utf-8"))["status"] for p in CASE_FILES}
    marks = {
        "example": "[Illustrative example] ",
        "summary": "[Summary of a published evaluation] ",
    }
    for entry in root.iter(ATOM + "entry"):
        values = {name: entry.findtext(ATOM + name) for name in ("id", "title", "updated")}
        assert all(values.values()), values
        assert entry.find(ATOM + "summary").get("type") == "text"
        summary = entry.findtext(ATOM + "summary")
        assert "Organisation: " in summary and "Area: " in summary
        assert re.search(r"Evidence strength: [1-5] of 5", summary)
        case_id = values["id"].rstrip("/").rsplit("/", 1)[1]
        mark = marks.get(statuses.get(case_id, "published"), "")
        assert values["title"].startswith(mark) and (mark or "[" not in values["title"][:1])


def test_every_page_links_to_the_feed(built: Path) -> None:
    for path in sorted(built.rglob("*.html")):
        links = head(built, str(path.relative_to(built))).links
        feeds = [link for link in links if link.get("type") == "application/atom+xml"]
        assert len(feeds) == 1, path
        assert feeds[0]["rel"] == "alternate" and feeds[0]["href"].endswith("feed.xml")


# ---------------------------------------------------------------- citations


def downloaded(html: str, name: str) -> str:
    """Return the text of the page's data: link that downloads as ``name``."""
    import html as markup
    from urllib.parse import unquote

    found = re.search(rf'<a href="(data:[^"]*)" download="{re.escape(name)}"', html)
    assert found, name
    address = markup.unescape(found[1])
    return unquote(address.split(",", 1)[1])


def test_each_case_can_be_cited_in_bibtex_and_ris(built: Path) -> None:
    for case_id in case_ids(built):
        case = yaml.safe_load((built / "data" / "cases" / f"{case_id}.yaml").read_text("utf-8"))
        html = page(built, f"evaluations/{case_id}")
        library = bibtexparser.parse_string(downloaded(html, f"{case_id}.bib"))
        assert not library.failed_blocks, case_id
        records = rispy.loads(downloaded(html, f"{case_id}.ris"))
        if case["status"] == "summary":  # the study first, then the hub's summary of it
            study, entry = library.entries
            study_record, record = records
            assert study.key == f"{case_id}-source" and study["title"].strip("{}")
            assert study_record["title"] == " ".join(study["title"].strip("{}").split())
        else:
            (entry,) = library.entries
            (record,) = records
        assert entry.key == case_id and entry.entry_type == "misc"
        assert entry["url"] == f"{SITE_URL}evaluations/{case_id}/"
        assert entry["author"].count(" and ") == len(case["authors"]) - 1
        assert record["type_of_reference"] == "RPRT"
        assert record["authors"] == [a["name"] for a in case["authors"]]
        assert record["title"] == case["title"] and record["urls"] == [entry["url"]]


def test_the_page_shows_the_citation_and_links_the_files(built: Path) -> None:
    html = page(built, "evaluations/march-2024-due")
    section = html.split('<h2 id="cite-case">Cite this case</h2>', 1)[1].split("</section>", 1)[0]
    assert (
        "A. Evaluator (2025). A service that ended in March 2024. Co-production evidence hub. "
        f"{SITE_URL}evaluations/march-2024-due/ (version of 14 March 2025)."
    ) in section
    assert 'download="march-2024-due.bib"' in section and 'download="march-2024-due.ris"' in section
    assert downloaded(html, "march-2024-due.bib").startswith("@misc{march-2024-due,")
    assert not (built / "data" / "cases" / "march-2024-due.bib").exists()  # no file per case
    assert "@misc{march-2024-due," in section and "TY  - RPRT" in section


def test_citation_cff_is_valid_citation_file_format() -> None:
    schema = json.loads((ROOT / "tests" / "cff" / "schema-1.2.0.json").read_text("utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(citation)
    assert citation["type"] == "dataset" and citation["license"] == "CC-BY-4.0"


def test_the_vendored_cff_schema_is_the_published_one() -> None:
    data = (ROOT / "tests" / "cff" / "schema-1.2.0.json").read_bytes()
    digest = "0b8d22140da702d766df318dcff3a91af2f39521298dcf36d76315fd99cc169b"
    assert hashlib.sha256(data).hexdigest() == digest  # citation-file-format 1.2.0
    assert (ROOT / "tests" / "cff" / "LICENSE").is_file()


def test_the_data_page_says_how_to_cite_the_data(built: Path) -> None:
    html = page(built, "data")
    assert "CITATION.cff" in html and "Cite this case" in html


# ---------------------------------------------------------------- metadata


URL_PROPERTIES = ("url", "license", "contentUrl")


def schema_org_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Stand in for schema.org's context (no network): terms are schema.org IRIs, and the
    properties whose values are URLs are typed ``@id``, as schema.org's own context types them."""
    assert url.rstrip("/") == "https://schema.org", url
    links = {name: {"@id": SCHEMA + name, "@type": "@id"} for name in URL_PROPERTIES}
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": SCHEMA, **links}},
    }


def expand(text: str, base: str) -> dict[str, Any]:
    """Parse JSON-LD and expand it with pyld: full IRIs for every property and type."""
    (node,) = jsonld.expand(json.loads(text), {"documentLoader": schema_org_loader, "base": base})
    return dict(node)


REPORT_PROPERTIES = (
    "author",
    "publisher",
    "datePublished",
    "dateModified",
    "license",
    "about",
    "spatialCoverage",
    "isBasedOn",
)


def test_each_case_page_has_a_schema_org_report(built: Path) -> None:
    for case_id in case_ids(built):
        case = yaml.safe_load((built / "data" / "cases" / f"{case_id}.yaml").read_text("utf-8"))
        scripts = head(built, f"evaluations/{case_id}/index.html").jsonld
        assert len(scripts) == 1, case_id
        node = expand(scripts[0], f"{SITE_URL}evaluations/{case_id}/")
        assert node["@type"] == [SCHEMA + "Report"]
        wanted = [p for p in REPORT_PROPERTIES if p != "isBasedOn" or case.get("sources")]
        assert [p for p in wanted if SCHEMA + p not in node] == [], case_id
        authors = [a[SCHEMA + "name"][0]["@value"] for a in node[SCHEMA + "author"]]
        assert authors == [a["name"] for a in case["authors"]]
        assert node[SCHEMA + "license"][0]["@id"].startswith("https://")
        assert len(node.get(SCHEMA + "isBasedOn", [])) == len(case.get("sources", []))
        assert node[SCHEMA + "url"][0]["@id"] == f"{SITE_URL}evaluations/{case_id}/"


def test_the_data_page_has_a_dataset_with_a_download_per_file(built: Path) -> None:
    (script,) = head(built, "data/index.html").jsonld
    node = expand(script, f"{SITE_URL}data/")
    assert node["@type"] == [SCHEMA + "Dataset"]
    for prop in ("name", "description", "license", "creator", "distribution"):
        assert SCHEMA + prop in node, prop
    downloads = node[SCHEMA + "distribution"]
    assert len(downloads) == len(DOWNLOADS)
    for download, (path, _name, _about) in zip(downloads, DOWNLOADS, strict=True):
        assert download["@type"] == [SCHEMA + "DataDownload"]
        assert download[SCHEMA + "contentUrl"][0]["@id"] == SITE_URL + path
        assert (built / path).is_file()
        size = int(download[SCHEMA + "contentSize"][0]["@value"].split()[0])
        assert size == (built / path).stat().st_size


def test_every_page_has_previews_and_a_canonical_url(built: Path) -> None:
    for path in sorted(built.rglob("*.html")):
        where = str(path.relative_to(built))
        scan = head(built, where)
        for name in ("og:title", "og:description", "og:type", "twitter:card", "twitter:title"):
            assert scan.meta.get(name), (where, name)
        if where != "404.html":
            canonical = [link["href"] for link in scan.links if link.get("rel") == "canonical"]
            assert canonical == [SITE_URL + where.removesuffix("index.html")], where
            assert scan.meta["og:url"] == canonical[0]


def test_a_case_preview_is_its_title_and_plain_summary(built: Path) -> None:
    scan = head(built, "evaluations/march-2024-due/index.html")
    assert scan.meta["og:title"] == "A service that ended in March 2024"
    assert scan.meta["og:type"] == "article"
    assert scan.meta["og:description"].startswith("People who use Riverside Day Centre")
    assert scan.meta["og:description"] == scan.meta["description"]
    for path in CASE_FILES:
        status = yaml.safe_load(path.read_text("utf-8"))["status"]
        preview = head(built, f"evaluations/{path.stem}/index.html").meta["og:description"]
        start = {
            "example": "Illustrative example. ",
            "summary": "Summary of a published evaluation. ",
        }
        assert preview.startswith(start[status]), path.stem


# ---------------------------------------------------------------- determinism


def test_builds_judge_on_the_newest_case_change_without_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project = make_project(tmp_path / "p", [])
    due = make_case("2024-03", ["2024-12"], "march-2024-due")
    due["submitted"] = "2026-11-29"  # the newest change is the reference date
    write(project / "evaluations", due)
    first = build_project(project, "one")
    second = build_project(project, "two")
    assert "Follow-up due" in page(first, "evaluations/march-2024-due")
    for name in ("feed.xml", "evaluations/march-2024-due/index.html", "evaluations/index.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.skipif(shutil.which("cffconvert") is None, reason="cffconvert is not installed")
def test_cffconvert_accepts_citation_cff() -> None:
    """cffconvert pins jsonschema<4, which the generator cannot use: run where it is installed."""
    done = subprocess.run(
        ["cffconvert", "--validate", "-i", str(ROOT / "CITATION.cff")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
