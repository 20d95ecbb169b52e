"""Follow-up due in a browser: the case list filters to due cases by keyboard; the notice passes axe."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import _QuietHandler, _QuietServer
from tests.browser.helpers import (
    axe_violations,
    count_text,
    describe_violations,
    filter_state,
    is_focused,
    tab_to,
)
from tests.figures.test_followups import write_done_when_cases
from tests.site_project import build_project, make_project
from tests.whole_site.test_sharing import NOV_29_2026

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def due_site(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build and serve a site of one due case and one followed up, judged on 29 November 2026."""
    project = make_project(tmp_path_factory.mktemp("due-site") / "project", [])
    write_done_when_cases(project / "evaluations")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", NOV_29_2026)
        site = build_project(project)
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="due-site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Open a fresh page."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_the_case_list_filters_to_due_cases_by_keyboard(page: Page, due_site: str) -> None:
    page.goto(f"{due_site}/evaluations/", wait_until="load")
    tab_to(page, "#copro-filters-panel > summary", limit=60)
    page.keyboard.press("Enter")  # the filters fold away until opened
    tab_to(page, "#copro-filter-followup", limit=60)
    assert is_focused(page, "#copro-filter-followup")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#copro-filter-followup") == "due"
    state = filter_state(page)
    assert state["visible"] == state["expected"] == ["march-2024-due"]
    assert state["count"] == count_text(1, 2)
    assert page.url.endswith("?followup=due")


def test_a_link_to_the_due_filter_opens_filtered(page: Page, due_site: str) -> None:
    page.goto(f"{due_site}/evaluations/?followup=due", wait_until="load")
    assert filter_state(page)["visible"] == ["march-2024-due"]


def test_the_due_notice_passes_axe(page: Page, due_site: str) -> None:
    page.goto(f"{due_site}/evaluations/march-2024-due/", wait_until="load")
    assert page.locator("#follow-up-due").inner_text() == "Follow-up due"
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("path", ["/evaluations/", "/data/"])
def test_list_and_data_pages_pass_axe(page: Page, due_site: str, path: str) -> None:
    page.goto(due_site + path, wait_until="load")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_the_builder_link_carries_the_case(page: Page, due_site: str) -> None:
    page.goto(f"{due_site}/evaluations/march-2024-due/", wait_until="load")
    href = page.get_attribute("#follow-up-due + p + p a", "href")
    assert href == "../../contribute/builder/?case=march-2024-due"
