"""No page scrolls sideways on a 320 px screen; screenshots of each kind of page, phone and laptop."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.browser.helpers import Visit
from tests.browser.pages import PAGE_IDS, PAGE_KINDS, PAGES, SitePage
from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "test-output" / "screenshots"
SCREENSHOT_WIDTHS = (390, 1280)
MAX_HEIGHT = 8000
FINISH_ANIMATIONS = """() => document.getAnimations().forEach(animation => {
  try { animation.finish(); } catch (endless) { /* an endless animation has no end state */ }
})"""


_OVERFLOW = """width => ({
  scrollWidth: document.documentElement.scrollWidth,
  widest: [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && el.offsetParent !== null)
    .slice(0, 8)
    .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).join(".") : "")
      + " right=" + Math.round(el.getBoundingClientRect().right)),
})"""


def assert_fits(page: Page, width: int) -> None:
    """Fail, naming what sticks out, when the page scrolls sideways at this width."""
    found = page.evaluate(_OVERFLOW, width)
    assert found["scrollWidth"] <= width, f"{found['scrollWidth']} px wide: {found['widest']}"


@pytest.mark.parametrize("site_page", PAGES, ids=PAGE_IDS)
def test_no_horizontal_scrolling_at_320px(visit: Callable[..., Visit], site_page: SitePage) -> None:
    page = visit(site_page, viewport={"width": 320, "height": 720}).page
    assert_fits(page, 320)


@pytest.mark.parametrize("site_page", PAGE_KINDS, ids=[page.kind for page in PAGE_KINDS])
def test_screenshots(visit: Callable[..., Visit], site_page: SitePage) -> None:
    page = visit(site_page, viewport={"width": SCREENSHOT_WIDTHS[0], "height": 844}).page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in SCREENSHOT_WIDTHS:
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
