"""axe-core finds nothing against WCAG 2.2 AA in either colour scheme, and focus always shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.helpers import (
    Visit,
    assert_focus_visible,
    axe_violations,
    describe_violations,
    focused,
)
from tests.browser.pages import PAGE_IDS, PAGES, SitePage

pytestmark = pytest.mark.browser

# mkdocs.yml picks the palette by prefers-color-scheme when a page loads (it does not follow later
# changes); the theme marks the body with the scheme it chose.
SCHEMES = {"light": "default", "dark": "slate"}
MAX_TABS = 150
WALKED = [page for page in PAGES if not page.search]  # the open search is walked in test_keyboard


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("site_page", PAGES, ids=PAGE_IDS)
def test_axe_finds_no_violations(
    visit: Callable[..., Visit], site_page: SitePage, scheme: str
) -> None:
    page = visit(site_page, color_scheme=scheme).page
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("site_page", WALKED, ids=[page.name for page in WALKED])
def test_focus_is_always_visible(visit: Callable[..., Visit], site_page: SitePage) -> None:
    page = visit(site_page).page
    states: list[dict[str, Any]] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = focused(page)
        if state is None:
            continue  # between the last element and the first, focus rests on the page
        if states and state["position"] == states[0]["position"]:
            break  # round the page and back to the start
        states.append(state)
    assert len(states) > 5, "Tab reached almost nothing"
    assert_focus_visible(states)


def test_axe_finds_no_violations_in_interactive_charts(visit: Callable[..., Visit]) -> None:
    page = visit("/compare/", color_scheme="dark").page
    charts = page.eval_on_selector_all(
        "[data-copro-interactive]", "buttons => buttons.map(b => b.dataset.coproInteractive)"
    )
    for chart in charts:
        page.click(f'[data-copro-interactive="{chart}"]')
        page.locator(f"#{chart} .copro-chart__interactive svg").wait_for(state="visible")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
