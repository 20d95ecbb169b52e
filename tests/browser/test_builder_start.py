"""The builder's first steps and its answers (#23): a skip link, the title first, the id checked
as it is typed, countries by name, messages in plain words, and a check that shows its result."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from generator.site.builder_form import sort_key
from tests.browser.helpers import Visit, axe_violations, describe_violations, is_focused, tab_to
from tests.browser.pages import CASES

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

BUILDER = "/contribute/builder/"
WIDTHS = [1280, 375]
# Before the skip link, the first field took 22 presses of Tab (the header, the navigation, Start
# again and the nine links of the page's contents); now Tab, Enter, Tab.
TABS_BEFORE_THE_SKIP_LINK = 22
FIRST_FIELDS = [
    "f-title",
    "f-organisation-name",
    "f-organisation-type",
    "f-organisation-url",
    "f-summary",
    "f-id",
]
# Where an element is, and what could hide it: the theme's sticky header and, when it shows
# (after scrolling up), its "Back to top" button just below the header.
GEOMETRY = """selector => {
  const box = document.querySelector(selector).getBoundingClientRect();
  const header = document.querySelector(".md-header").getBoundingClientRect();
  const top = document.querySelector(".md-top");
  const topBox = top && !top.hidden ? top.getBoundingClientRect() : null;
  return {top: box.top, bottom: box.bottom, header: header.bottom,
          covered: Math.max(header.bottom, topBox ? topBox.bottom : 0), viewport: innerHeight};
}"""


def press_tab_until(page: Page, element_id: str, limit: int = 60) -> int:
    """Press Tab until the element has focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return presses
    raise AssertionError(f"#{element_id} not reached in {limit} presses of Tab")


def geometry(page: Page, selector: str) -> dict[str, Any]:
    """Return where an element is on screen and how far down the header (and button) reach."""
    page.wait_for_timeout(400)  # the theme's "Back to top" button slides in over 250 ms
    return page.evaluate(GEOMETRY, selector)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_skip_link_reaches_the_first_field_in_two_presses_of_tab(
    visit: Callable[..., Visit], width: int
) -> None:
    page = visit(BUILDER, viewport={"width": width, "height": 800}).page
    page.keyboard.press("Tab")
    skip = page.locator(".copro-skip")
    assert is_focused(page, ".copro-skip") and skip.inner_text() == "Skip to the form"
    assert skip.is_visible()
    page.keyboard.press("Enter")
    presses = 1 + press_tab_until(page, "f-title")
    assert presses == 2 < TABS_BEFORE_THE_SKIP_LINK
    heading = geometry(page, "#about-the-case")
    assert heading["top"] >= heading["header"], (
        heading
    )  # the section's heading, not under the header


def test_without_the_skip_link_tab_still_reaches_every_field_in_order(
    visit: Callable[..., Visit],
) -> None:
    page = visit(BUILDER).page
    press_tab_until(page, "f-title")
    reached = ["f-title"]
    for _ in FIRST_FIELDS[1:]:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.id"))
    assert reached == FIRST_FIELDS  # the title and organisation first, the id after


def test_the_id_is_suggested_from_the_title_and_checked_as_it_is_typed(
    visit: Callable[..., Visit],
) -> None:
    page = visit(BUILDER).page
    status = page.locator("#f-id-status")
    assert "f-id-status" in (page.get_attribute("#f-id", "aria-describedby") or "").split()
    tab_to(page, "#f-title")
    page.keyboard.type("Riverside day centre redesign")
    assert page.input_value("#f-id") == "riverside-day-centre-redesign"
    # Checked once typing pauses (a slow machine may pause mid-title: wait for the whole id).
    page.wait_for_function(
        "() => document.querySelector('#f-id-status').textContent"
        ".includes('riverside-day-centre-redesign.yaml')"
    )
    assert "free to use" in status.inner_text()
    # Typing the title says nothing aloud; typing in the id box does.
    announce = page.locator("#f-id-field [data-live-announce]")
    assert announce.inner_text() == ""
    taken = CASES[0].id
    page.fill("#f-id", "")
    page.focus("#f-id")
    page.keyboard.type(taken)
    page.wait_for_function(
        "() => document.querySelector('#f-id-status').textContent.includes('exists')"
    )
    assert f"A case with this id already exists: {taken}." in status.inner_text()
    assert "already exists" in announce.inner_text()
    page.fill("#f-id", "Riverside Day")
    page.wait_for_function(
        "() => document.querySelector('#f-id-status').textContent.includes('lowercase')"
    )
    assert status.inner_text().startswith("Check the identifier. Use lowercase letters")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_countries_are_listed_by_name(visit: Callable[..., Visit]) -> None:
    page = visit(BUILDER).page
    names = page.eval_on_selector(
        "#f-service-country",
        "s => [...s.options].filter(o => o.value).map(o => o.textContent.trim())",
    )
    assert names == sorted(names, key=sort_key)
    uk = names.index("United Kingdom")
    assert names[uk - 1 : uk + 2] == ["United Arab Emirates", "United Kingdom", "United States"]
    assert not names.index("Gabon") < uk < names.index("Grenada")  # where the code put it
    assert (
        page.eval_on_selector(
            "#f-service-country",
            "s => [...s.options].find(o => o.textContent === 'United Kingdom').value",
        )
        == "GB"
    )


def test_messages_say_in_plain_words_what_to_answer(visit: Callable[..., Visit]) -> None:
    page = visit(BUILDER).page
    page.focus("#copro-check")
    page.keyboard.press("Enter")
    page.locator("#copro-error-summary").wait_for(state="visible")
    texts = page.locator("#copro-error-list a").all_inner_texts()
    assert (
        "Outcome 1: choose whether this outcome is about the participants or the service" in texts
    )
    assert "Outcome 1: choose whether higher or lower is better" in texts
    assert "Co-production: enter when the co-production started" in texts
    awkward = re.compile(
        r"(choose|enter) the (about|better|paired|start|rating|agreeing|recruited)"
    )
    assert not [t for t in texts if awkward.search(t)], texts
    # The message at the field says the same.
    message = page.inner_text("[data-key=outcomes] [data-key=better] .copro-error-message")
    assert message.endswith("Outcome 1: choose whether higher or lower is better")


@pytest.mark.parametrize("width", WIDTHS)
def test_after_a_failed_check_the_summary_is_focused_below_the_header(
    visit: Callable[..., Visit], width: int
) -> None:
    page = visit(BUILDER, viewport={"width": width, "height": 800}).page
    page.focus("#copro-check")
    page.keyboard.press("Enter")  # a blank form: a summary taller than the screen
    page.locator("#copro-error-summary").wait_for(state="visible")
    assert is_focused(page, "#copro-error-summary")
    summary = geometry(page, "#copro-error-summary")
    title = geometry(page, "#copro-error-summary-title")
    assert summary["top"] >= summary["covered"], summary  # "There is a problem" in full view
    assert title["bottom"] <= title["viewport"], title


@pytest.mark.parametrize("width", WIDTHS)
def test_a_short_summary_and_the_finished_file_are_fully_in_view(
    visit: Callable[..., Visit], width: int
) -> None:
    case_id = CASES[0].id
    page = visit(f"{BUILDER}?case={case_id}", viewport={"width": width, "height": 800}).page
    page.wait_for_function("id => document.querySelector('#f-id').value === id", arg=case_id)
    page.fill("#f-title", "Too short")
    page.focus("#copro-check")
    page.keyboard.press("Enter")
    page.locator("#copro-error-summary").wait_for(state="visible")
    assert page.locator("#copro-error-list li").count() == 1
    assert is_focused(page, "#copro-error-summary")
    summary = geometry(page, "#copro-error-summary")
    assert summary["covered"] <= summary["top"] and summary["bottom"] <= summary["viewport"]
    page.fill("#f-title", "A title that is long enough to pass")
    page.focus("#copro-check")
    page.keyboard.press("Enter")
    page.locator("#copro-output").wait_for(state="visible")
    assert is_focused(page, "#copro-output-title")
    heading = geometry(page, "#copro-output-title")
    assert heading["covered"] <= heading["top"] and heading["bottom"] <= heading["viewport"]
