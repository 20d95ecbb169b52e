"""Search, filters, the CSV download and the side-by-side chooser work with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.helpers import (
    SEARCH_INPUT,
    SEARCH_RESULTS,
    Visit,
    assert_focus_visible,
    count_text,
    filter_state,
    focus_search,
    focused_state,
    is_focused,
    move_focus_to,
    read_download_ids,
    result_link,
    tab_to,
)
from tests.browser.pages import CASES

pytestmark = pytest.mark.browser


def test_header_search_opens_a_case(visit: Callable[..., Visit]) -> None:
    case = CASES[0]
    page = visit("/").page
    focus_search(page)
    assert_focus_visible([focused_state(page)])
    page.keyboard.type(case.organisation)
    result_link(page, case.id).wait_for(state="visible")
    move_focus_to(page, f'{SEARCH_RESULTS} a[href*="evaluations/{case.id}"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"/evaluations/{case.id}/" in page.url
    assert not is_focused(page, SEARCH_INPUT)


def test_every_filter_on_the_case_list(visit: Callable[..., Visit]) -> None:
    page = visit("/evaluations/").page
    assert_focus_visible(tab_to(page, "#copro-filter-text"))
    page.keyboard.press("Tab")  # the folded filters' summary opens with Enter
    assert is_focused(page, "#copro-filters-panel > summary")
    assert_focus_visible([focused_state(page)])
    page.keyboard.press("Enter")
    assert page.eval_on_selector("#copro-filters-panel", "panel => panel.open")
    selects = page.eval_on_selector_all(
        "#copro-filters select[data-column]", "selects => selects.map(s => s.id)"
    )
    assert selects, "the case list has no filters"
    for select in selects:
        page.keyboard.press("Tab")
        assert is_focused(page, f"#{select}"), f"Tab did not reach #{select}"
        assert_focus_visible([focused_state(page)])
        page.keyboard.press("ArrowDown")
        assert page.input_value(f"#{select}") != "", f"ArrowDown did not change #{select}"
        state = filter_state(page)
        assert state["visible"] == state["expected"], select
        assert state["count"] == count_text(len(state["expected"]), state["total"]), select
        page.keyboard.press("ArrowUp")
        assert page.input_value(f"#{select}") == ""
        assert filter_state(page)["count"] == count_text(state["total"], state["total"])


def test_csv_download(visit: Callable[..., Visit]) -> None:
    page = visit(f"/evaluations/?area={CASES[0].area}").page
    assert_focus_visible(tab_to(page, "#copro-download"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    visible = filter_state(page)["visible"]
    assert 0 < len(visible) < len(CASES)
    assert read_download_ids(download.value) == visible


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_side_by_side_chooser(visit: Callable[..., Visit], key: str) -> None:
    chosen = [CASES[0].id, CASES[1].id]
    page = visit("/compare/cases/").page
    for case_id in chosen:
        assert_focus_visible(tab_to(page, f"#choose-{case_id}"))
        page.keyboard.press("Space")
        assert page.is_checked(f"#choose-{case_id}")
    assert_focus_visible(tab_to(page, "#copro-chooser [type=submit]"))
    page.keyboard.press(key)
    table = page.locator("#copro-side-by-side table")
    table.wait_for(state="visible")
    links = table.locator("thead a").evaluate_all("links => links.map(a => a.href)")
    assert sorted(link.rstrip("/").rsplit("/", 1)[-1] for link in links) == sorted(chosen)
    assert sorted(page.url.split("?ids=", 1)[1].split(",")) == sorted(chosen)
