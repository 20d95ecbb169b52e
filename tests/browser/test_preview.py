"""In chromium: an open page turns into the problems page when its case breaks, and back when
the case is fixed, by itself through MkDocs' reload script; the problems page passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import Visit, axe_violations, describe_violations, watch
from tests.conftest import VALID_EXAMPLE
from tests.preview_server import CANNOT_BUILD, Preview, running_preview
from tests.site.test_preview import CASE_PAGE, CASE_TITLE, broken_text

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser
RELOAD_MS = 90_000  # a rebuild of the one-case site takes seconds; leave room on a busy machine


@pytest.fixture
def preview(chromium_path: str, tmp_path: Path) -> Iterator[Preview]:
    """Run copro serve on a one-case project; it is stopped however the test ends."""
    with running_preview(tmp_path, [VALID_EXAMPLE]) as running:
        yield running


@pytest.fixture
def opened(browser: Browser, preview: Preview) -> Iterator[Visit]:
    """Open the case page of the preview in a fresh context."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        visit = watch(context.new_page())
        visit.page.goto(preview.url + CASE_PAGE, wait_until="load")
        yield visit
    finally:
        context.close()


def test_the_open_page_shows_the_problems_then_the_case_again(
    opened: Visit, preview: Preview
) -> None:
    page = opened.page
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == CASE_TITLE
    case = preview.project / "evaluations" / VALID_EXAMPLE.name
    good = case.read_text(encoding="utf-8")

    case.write_text(broken_text(), encoding="utf-8")
    page.get_by_role("heading", level=1, name=CANNOT_BUILD).wait_for(timeout=RELOAD_MS)
    assert page.url == preview.url + CASE_PAGE  # the reader stays where they were
    assert page.title().startswith(CANNOT_BUILD)
    items = page.get_by_role("listitem")
    assert items.count() == 2
    assert "field status" in items.nth(0).inner_text()
    assert "field outcomes[1].baseline.date" in items.nth(1).inner_text()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    case.write_text(good, encoding="utf-8")
    page.get_by_role("heading", level=1, name=CASE_TITLE).wait_for(timeout=RELOAD_MS)
    assert page.url == preview.url + CASE_PAGE
    assert opened.errors == []
    assert [url for url in opened.requests if not url.startswith(preview.url + "/")] == []
