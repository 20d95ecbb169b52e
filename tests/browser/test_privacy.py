"""Every request a page makes goes to this site (no CDN, fonts or analytics), and nothing errs."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import Visit
from tests.browser.pages import PAGE_IDS, PAGES, SitePage

pytestmark = pytest.mark.browser


def _elsewhere(requests: list[str], base_url: str) -> list[str]:
    """Return the requests that leave the site (data: and the site's own blob: URLs stay)."""
    site = urlsplit(base_url)
    left = []
    for url in requests:
        parts = urlsplit(url.removeprefix("blob:"))
        if parts.scheme != "data" and (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            left.append(url)
    return left


@pytest.mark.parametrize("site_page", PAGES, ids=PAGE_IDS)
def test_loads_only_from_this_site_without_errors(
    visit: Callable[..., Visit], base_url: str, site_page: SitePage
) -> None:
    watched = visit(site_page)
    watched.page.wait_for_load_state("networkidle")
    assert watched.requests
    assert not _elsewhere(watched.requests, base_url)
    assert not watched.errors, "\n".join(watched.errors)


def test_interactive_charts_load_only_from_this_site(
    visit: Callable[..., Visit], base_url: str
) -> None:
    watched = visit("/compare/")
    page = watched.page
    charts = page.eval_on_selector_all(
        "[data-copro-interactive]", "buttons => buttons.map(b => b.dataset.coproInteractive)"
    )
    assert charts, "no chart offers an interactive view"
    for chart in charts:
        page.click(f'[data-copro-interactive="{chart}"]')
        page.locator(f"#{chart} .copro-chart__interactive svg").wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("vega-bundle.js") for url in watched.requests)
    assert not _elsewhere(watched.requests, base_url)
    assert not watched.errors, "\n".join(watched.errors)
