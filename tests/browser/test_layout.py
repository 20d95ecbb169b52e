"""Every page reads at 375 and 1280 px: nothing scrolls sideways, no text under 11 px, tables fit
or scroll in a labelled region, the case list's answers in view; screenshots of each kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.helpers import Visit
from tests.browser.pages import PAGE_IDS, PAGE_KINDS, PAGES, SitePage
from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "test-output" / "screenshots"
WIDTHS = (375, 1280)  # a phone and a laptop
SMALLEST_TEXT = 11  # CSS px
MAX_HEIGHT = 8000
FINISH_ANIMATIONS = """() => document.getAnimations().forEach(animation => {
  try { animation.finish(); } catch (endless) { /* an endless animation has no end state */ }
})"""
READ_PAGES = [page for page in PAGES if not page.search]  # the open search is a dialog
TABLE_KINDS = ("case", "case-summary", "case-example", "data", "compare", "compare-published")
TABLE_PAGES = [page for page in READ_PAGES if page.kind in TABLE_KINDS]


_OVERFLOW = """width => ({
  scrollWidth: document.documentElement.scrollWidth,
  widest: [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && el.offsetParent !== null)
    .slice(0, 8)
    .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).join(".") : "")
      + " right=" + Math.round(el.getBoundingClientRect().right)),
})"""

# The size text is shown at, in CSS px: an element's font size, or for SVG text its font size
# times the drawing's scale on screen (an SVG shrunk by max-width shrinks its text too).
_SMALLEST_TEXT = """limit => {
  const shown = el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && el.getClientRects().length > 0;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest("svg, script, style, noscript")) continue;
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;  // visually hidden text, for screen readers
    found.push([parseFloat(getComputedStyle(el).fontSize), el.tagName.toLowerCase(), node.textContent.trim().slice(0, 40)]);
  }
  for (const text of document.querySelectorAll("svg text")) {
    if (!text.textContent.trim() || !shown(text)) continue;
    const m = text.getScreenCTM();
    if (!m) continue;
    const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
    found.push([size, "svg text in " + ((text.closest("figure") || {}).id || "?"), text.textContent.trim().slice(0, 40)]);
  }
  return found.filter(item => item[0] < limit - 0.05).sort((a, b) => a[0] - b[0]).slice(0, 8);
}"""

# Each table that is wider than its place must scroll in the region made for it, a labelled
# one the keyboard can reach; no box of the theme's may hold the overflow instead.
_TABLES = """() => [...document.querySelectorAll("article table")]
  .filter(table => table.getClientRects().length > 0)
  .map(table => {
    let holder = table.parentElement;
    const scroller = el => getComputedStyle(el).overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1;
    while (holder && holder.tagName !== "ARTICLE" && !scroller(holder)) {
      holder = holder.parentElement;
    }
    const scrolls = holder && holder.tagName !== "ARTICLE";
    return {
      caption: (table.caption || {}).textContent || "",
      scrolls: scrolls,
      region: scrolls && holder.getAttribute("role") === "region" && !!holder.getAttribute("aria-label")
        && holder.tabIndex === 0,
      seen: !scrolls || Math.round(holder.scrollWidth) >= Math.round(table.getBoundingClientRect().width),
    };
  })"""


def assert_fits(page: Page, width: int) -> None:
    """Fail, naming what sticks out, when the page scrolls sideways at this width."""
    found = page.evaluate(_OVERFLOW, width)
    assert found["scrollWidth"] <= width, f"{found['scrollWidth']} px wide: {found['widest']}"


def open_everything(page: Page) -> None:
    """Open every folded part (data tables, how it is worked out, filters), as a reader may."""
    page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")


def at_width(visit: Callable[..., Visit], site_page: SitePage, width: int) -> Page:
    """Open a page at this width (a phone's height, or a laptop's)."""
    return visit(site_page, viewport={"width": width, "height": 844 if width < 800 else 800}).page


@pytest.mark.parametrize("site_page", PAGES, ids=PAGE_IDS)
def test_no_horizontal_scrolling_at_320px(visit: Callable[..., Visit], site_page: SitePage) -> None:
    page = visit(site_page, viewport={"width": 320, "height": 720}).page
    assert_fits(page, 320)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("site_page", READ_PAGES, ids=[p.name for p in READ_PAGES])
def test_nothing_scrolls_sideways_and_no_text_is_under_11px(
    visit: Callable[..., Visit], site_page: SitePage, width: int
) -> None:
    page = at_width(visit, site_page, width)
    open_everything(page)
    assert_fits(page, width)
    small: list[Any] = page.evaluate(_SMALLEST_TEXT, SMALLEST_TEXT)
    assert not small, f"text under {SMALLEST_TEXT} px: {small}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("site_page", TABLE_PAGES, ids=[p.name for p in TABLE_PAGES])
def test_tables_fit_or_scroll_in_a_labelled_region(
    visit: Callable[..., Visit], site_page: SitePage, width: int
) -> None:
    page = at_width(visit, site_page, width)
    open_everything(page)
    tables = page.evaluate(_TABLES)
    assert tables, "no table on the page"
    for table in tables:
        assert not table["scrolls"] or table["region"], f"cut off: {table['caption']}"
        assert table["seen"], f"the region cannot scroll to the end of {table['caption']}"


def test_case_list_answers_are_in_view_at_1280px(visit: Callable[..., Visit]) -> None:
    """Evidence strength, the outcomes by certainty and status stand beside the title."""
    page = visit("/evaluations/", viewport={"width": 1280, "height": 800}).page
    wrap = page.locator(".copro-case-list")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the table scrolls sideways"
    right = wrap.evaluate("w => w.getBoundingClientRect().right")
    for heading in ("Evidence strength", "Outcomes, by certainty", "Status"):
        cell = page.locator("#copro-case-table thead th", has_text=heading)
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= right + 0.5, heading
    first = page.locator("#copro-case-table tbody tr").first
    assert "of 5:" in first.locator(".copro-case-list__strength").inner_text()


def test_case_list_is_cards_at_375px(visit: Callable[..., Visit]) -> None:
    page = visit("/evaluations/", viewport={"width": 375, "height": 844}).page
    row = page.locator("#copro-case-table tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "flex"
    strength = row.locator(".copro-case-list__strength")
    label = strength.evaluate("c => getComputedStyle(c, '::before').content")
    assert label == '"Evidence strength"'
    assert page.locator("#copro-filters-panel").evaluate("p => !p.open")  # filters folded


@pytest.mark.parametrize("width", WIDTHS)
def test_a_chart_drawn_twice_shows_the_drawing_for_the_width(
    visit: Callable[..., Visit], width: int
) -> None:
    page = visit("/compare/", viewport={"width": width, "height": 800}).page
    twice = page.locator(".copro-chart--two")
    assert twice.count() >= 2
    wanted = "narrow" if width < 960 else "wide"
    for index in range(twice.count()):
        shown = twice.nth(index).locator(".copro-chart__drawing:visible")
        assert shown.count() == 1
        assert wanted in (shown.get_attribute("class") or "")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_source_quote_and_where_it_is_read_from_the_left(
    visit: Callable[..., Visit], width: int
) -> None:
    """A summary's quote and its "From ..." line start at the same left edge, full width."""
    summary = next((p for p in PAGES if p.kind == "case-summary"), None)
    if summary is None:
        pytest.skip("no summary case in evaluations/")
    page = at_width(visit, summary, width)
    quotes = page.locator("figure.copro-quote")
    assert quotes.count() >= 1
    for index in range(quotes.count()):
        edges = quotes.nth(index).evaluate(
            """f => ({figure: f.getBoundingClientRect(), before: f.previousElementSibling.getBoundingClientRect(),
              quote: f.querySelector("blockquote").getBoundingClientRect().left,
              from: f.querySelector("figcaption").getBoundingClientRect().left})"""
        )
        assert abs(edges["from"] - edges["quote"]) < 1, edges
        assert edges["figure"]["width"] >= edges["before"]["width"] - 1, (
            edges
        )  # as wide as the text


@pytest.mark.parametrize("site_page", PAGE_KINDS, ids=[page.kind for page in PAGE_KINDS])
def test_screenshots(visit: Callable[..., Visit], site_page: SitePage) -> None:
    page = visit(site_page, viewport={"width": WIDTHS[0], "height": 844}).page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 800 else 800})
        # The theme animates its header search between the phone and desktop layouts: end that.
        page.evaluate(FINISH_ANIMATIONS)
        path = SCREENSHOTS / f"{site_page.kind}-{width}.png"
        # The open search is a fixed dialog: the window is the picture. Long pages are cut at
        # MAX_HEIGHT: a 40,000 px picture of the contribute page costs seconds and shows no more.
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
        if site_page.search:
            page.screenshot(path=str(path))
        else:
            clip = {"x": 0, "y": 0, "width": width, "height": height}
            page.screenshot(path=str(path), full_page=True, clip=clip)
        assert path.stat().st_size > 0
        assert_fits(page, width)
