"""Search finds cases, filters narrow the table, the CSV matches it, charts draw and open."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.browser.helpers import (
    SEARCH_INPUT,
    Visit,
    count_text,
    filter_state,
    focus_search,
    open_filters,
    read_download_ids,
    result_link,
)
from tests.browser.pages import CASES, PAGES, SitePage

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
CHART_KINDS = ("compare", "compare-published", "case", "case-summary", "case-example")
CHART_PAGES = [page for page in PAGES if page.kind in CHART_KINDS]
# The design most cases share: a filter that keeps several rows but not all.
COMMON_DESIGN = Counter(case.design for case in CASES).most_common(1)[0][0]


def test_header_search_finds_each_case_by_its_organisation(visit: Callable[..., Visit]) -> None:
    page = visit("/").page
    focus_search(page)
    for case in CASES:
        page.fill(SEARCH_INPUT, "")
        page.locator(SEARCH_INPUT).press_sequentially(case.organisation)
        result_link(page, case.id).wait_for(state="visible")


def _options(page: Page, select: str) -> list[str]:
    return page.eval_on_selector_all(
        f"#{select} option", "options => options.map(o => o.value).filter(Boolean)"
    )


def test_each_filter_narrows_the_table_and_the_count(visit: Callable[..., Visit]) -> None:
    page = visit("/evaluations/").page
    open_filters(page)
    total = filter_state(page)["total"]
    selects = page.eval_on_selector_all(
        "#copro-filters select[data-column]", "selects => selects.map(s => s.id)"
    )
    for select in selects:
        column = page.get_attribute(f"#{select}", "data-column")
        present = set(
            page.eval_on_selector_all(
                "#copro-case-table tbody tr",
                f"rows => rows.map(r => r.getAttribute('data-{column}'))",
            )
        )
        for value in _options(page, select):
            page.select_option(f"#{select}", value)
            state = filter_state(page)
            assert state["visible"] == state["expected"], (select, value)
            assert state["count"] == count_text(len(state["visible"]), total), (select, value)
            assert len(state["visible"]) > 0, f"{select} offers {value!r}, which no case has"
            if len(present) > 1:
                assert len(state["visible"]) < total, (select, value)
        page.select_option(f"#{select}", "")
        assert filter_state(page)["count"] == count_text(total, total)


def test_filters_fold_away_and_count_those_in_use(visit: Callable[..., Visit]) -> None:
    page = visit(f"/evaluations/?design={COMMON_DESIGN}").page
    panel = page.locator("#copro-filters-panel")
    assert not panel.evaluate("p => p.open")  # folded: the table is in the first screen
    assert page.inner_text("#copro-filters-active") == "(1 in use)"
    open_filters(page)
    page.select_option("#copro-filter-status", "example")
    assert page.inner_text("#copro-filters-active") == "(2 in use)"
    page.click("#copro-filters button[type=reset]")
    page.wait_for_function("!document.getElementById('copro-filters-active').textContent")
    assert filter_state(page)["count"] == count_text(len(CASES), len(CASES))


def test_text_filter_narrows_the_table(visit: Callable[..., Visit]) -> None:
    page = visit("/evaluations/").page
    page.fill("#copro-filter-text", CASES[0].organisation)
    state = filter_state(page)
    assert state["visible"] == state["expected"] == [CASES[0].id]
    assert state["count"] == count_text(1, state["total"])


def test_download_holds_exactly_the_visible_rows(visit: Callable[..., Visit]) -> None:
    page = visit("/evaluations/").page
    open_filters(page)
    page.select_option("#copro-filter-design", COMMON_DESIGN)
    visible = filter_state(page)["visible"]
    assert 0 < len(visible) < len(CASES)
    with page.expect_download() as download:
        page.click("#copro-download")
    assert download.value.suggested_filename.endswith(".csv")
    assert read_download_ids(download.value) == visible


@pytest.mark.parametrize("site_page", CHART_PAGES, ids=[page.name for page in CHART_PAGES])
def test_charts_draw_and_their_tables_open(
    visit: Callable[..., Visit], site_page: SitePage
) -> None:
    watched = visit(site_page)
    page = watched.page
    charts = page.locator(".copro-chart")
    if site_page.name == "compare":
        assert charts.count() >= 1
    for index in range(charts.count()):
        shown = charts.nth(index).locator("svg:visible")  # a chart drawn twice shows one
        assert shown.count() == 1, f"chart {index} shows {shown.count()} drawings"
        box = shown.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, f"chart {index} has no size"
    details = page.locator("details.copro-table-details")
    assert details.count() == charts.count()
    for index in range(details.count()):
        item = details.nth(index)
        item.locator("summary").click()
        assert item.evaluate("d => d.open")
        tables = item.locator("table")  # a chart's data, and its totals where it has them
        assert tables.count() >= 1
        assert all(tables.nth(i).is_visible() for i in range(tables.count()))
    assert not watched.errors
