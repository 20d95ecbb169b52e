"""The header search (#23): no match on an initial or a single letter, a badge on every example
and summary, and excerpts that start where a sentence starts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.browser.helpers import SEARCH_INPUT, Visit, focus_search
from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# Words in no page. Before #23, Pagefind's fallback to the longest indexed word the query starts
# with made "whq" find the initials "WH" of a source's author, "xylophone" the letter "x" and
# "chenx" the name "Chen".
IN_NO_PAGE = ["whq", "xylophone", "chenx", "lqz"]
RESULTS = """() => [...document.querySelectorAll(".md-search-result__item > .md-search-result__link")].map(a => ({
  href: a.getAttribute("href"),
  title: a.querySelector("h1").textContent,
  badge: (a.querySelector("h1 .copro-badge") || {}).textContent || "",
  text: a.querySelector("article").textContent.slice(a.querySelector("h1").textContent.length).trim(),
  marks: [...a.querySelectorAll("mark")].map(m => m.textContent),
}))"""
# The whole text Pagefind holds of each page a query finds (what an excerpt is cut from).
PAGE_TEXTS = """async query => {
  const pagefind = await import(new URL("/pagefind/pagefind.js", location.href).href);
  const found = await pagefind.search(query);
  const texts = {};
  for (const result of found.results) {
    const data = await result.data();
    texts[data.url] = data.raw_content;
  }
  return texts;
}"""


def statuses() -> dict[str, tuple[str, str]]:
    """Return each case's status and organisation, by id."""
    found = {}
    for path in sorted((ROOT / "evaluations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["id"]] = (data["status"], data["title"])
    return found


def search(page: Page, text: str) -> list[dict[str, Any]]:
    """Type a query into the header search and return its results once they have settled."""
    focus_search(page)
    page.fill(SEARCH_INPUT, "")
    page.locator(SEARCH_INPUT).press_sequentially(text)
    page.wait_for_function(
        "() => /matching|No match/.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    page.wait_for_timeout(600)  # the worker answers only the last query, after a pause
    return page.evaluate(RESULTS)


def plain(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower())


def test_a_word_in_no_page_finds_nothing(visit: Callable[..., Visit]) -> None:
    page = visit("/").page
    for query in IN_NO_PAGE:
        found = search(page, query)
        assert found == [], (query, found)
        assert "No matching documents" in page.inner_text(".md-search-result__meta")


@pytest.mark.parametrize("query", ["loneliness", "peer support", "repair", "wellbeing"])
def test_every_highlighted_word_stands_for_a_word_of_the_query(
    visit: Callable[..., Visit], query: str
) -> None:
    page = visit("/").page
    found = search(page, query)
    assert found, query
    terms = [plain(term) for term in query.split()]
    for result in found:
        for mark in result["marks"]:
            # A word, or a part of a compound as Pagefind indexes them ("co-production").
            parts = [plain(part) for part in re.split(r"[^\w]+|(?<=[a-z])(?=[A-Z])", mark)]
            standing = [p for p in [plain(mark), *parts] if any(p[:3] == t[:3] for t in terms)]
            assert standing, (query, result["title"], mark)
            assert max(len(p) for p in standing) > 2, (query, mark)  # never an initial


def test_examples_and_summaries_carry_their_badge(visit: Callable[..., Visit]) -> None:
    page = visit("/").page
    cases = statuses()
    kinds = {status for status, _ in cases.values()}
    assert {"example", "summary"} <= kinds
    words = {"example": "Illustrative example", "summary": "Summary of a published evaluation"}
    for status in sorted(kinds):
        case_id, (_, title) = next((k, v) for k, v in cases.items() if v[0] == status)
        found = search(page, title)
        result = next(r for r in found if f"evaluations/{case_id}/" in r["href"])
        assert result["badge"] == words.get(status, ""), (case_id, result)
    data_page = next(r for r in search(page, "codebook") if "/data/" in r["href"])
    assert data_page["badge"] == ""  # only cases have a status


def test_excerpts_start_where_a_sentence_starts(visit: Callable[..., Visit]) -> None:
    page = visit("/").page
    checked = 0
    for query in ["peer support", "repair", "tenants", "loneliness", "volunteers"]:
        found = search(page, query)
        texts = page.evaluate(PAGE_TEXTS, query)
        for result in found:
            text = result["text"]
            if text.startswith("\u2026"):
                continue  # a sentence too long to show from its start says so
            checked += 1
            source = texts[urlsplit(result["href"]).path]
            body = " ".join(text.removesuffix("\u2026").split())
            words = " ".join(source.split())
            at = words.find(body)
            assert at >= 0, (query, body)
            before = words[:at].rstrip()
            assert not before or re.search(r"[.!?][\"'\u2019\u201d)\]]*$", before), (
                query,
                result["title"],
                before[-60:],
                body[:80],
            )
    assert checked >= 8
