"""What the browser tests do on a page: watch it, run axe-core, move focus, search, filter."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Download, Locator, Page

# WCAG 2.2 AA in axe-core's tags: every A and AA rule up to 2.2.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
SEARCH_INPUT = ".md-search__input"
SEARCH_RESULTS = ".md-search-result"


class FocusNotReached(AssertionError):
    """The keyboard never brought focus to the element wanted."""


@dataclass
class Visit:
    """An open page and everything it did: the requests it made and the errors it reported."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch(page: Page) -> Visit:
    """Start recording a page's requests, console errors and uncaught exceptions."""
    visit = Visit(page)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            visit.errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: visit.errors.append(f"uncaught: {error}"))
    return visit


_FOCUS_STYLE = """async () => {
  // Let the page react to the move (a frame), then judge the focus style as it ends up.
  await new Promise(resolve => requestAnimationFrame(() => resolve()));
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // A visually hidden control shows its focus on its label (the theme's palette switch: the next one).
  const labels = [...(el.labels || [])];
  if (el.nextElementSibling && el.nextElementSibling.tagName === "LABEL") labels.push(el.nextElementSibling);
  const shown = [el, ...labels];
  for (const animation of shown.flatMap(node => node.getAnimations())) {
    try { animation.finish(); } catch (endless) { /* an endless animation has no end state */ }
  }
  const indicated = node => {
    const style = getComputedStyle(node);
    const box = node.getBoundingClientRect();
    if (box.width < 1 || box.height < 1 || style.visibility === "hidden" || style.opacity === "0") return false;
    const transparent = /rgba\\(.*,\\s*0\\)$|transparent/.test(style.outlineColor);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 && !transparent;
    return outline || (style.boxShadow !== "none" && style.boxShadow !== "");
  };
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")
    + " " + JSON.stringify((el.getAttribute("aria-label") || el.textContent || el.value || "").trim().slice(0, 40));
  return {name: name, visible: shown.some(indicated),
          position: Array.prototype.indexOf.call(document.getElementsByTagName("*"), el),
          style: "outline " + style.outlineStyle + " " + style.outlineWidth + " " + style.outlineColor
            + ", shadow " + style.boxShadow + ", box " + Math.round(box.width) + "x" + Math.round(box.height)};
}"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (bundled with axe-playwright-python, no network) on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe  # a test extra: imported when used

    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Format axe violations as one readable line a node."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def focused(page: Page) -> dict[str, Any] | None:
    """Describe the focused element and whether its focus indicator shows."""
    return page.evaluate(_FOCUS_STYLE)


def is_focused(page: Page, selector: str) -> bool:
    """Tell whether the focused element matches the CSS selector."""
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def focused_state(page: Page) -> dict[str, Any]:
    """Describe the focused element, failing when focus rests on the page itself."""
    state = focused(page)
    assert state is not None, "nothing has focus"
    return state


def tab_to(page: Page, selector: str, limit: int = 80, key: str = "Tab") -> list[dict[str, Any]]:
    """Press the key (Tab) until the selector has focus; return each element focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        if state:
            seen.append(state)
        if is_focused(page, selector):
            return seen
    raise FocusNotReached(f"{selector} not reached after {limit} presses of {key}")


def focus_search(page: Page) -> None:
    """Put focus in the header search with the keyboard: the "/" shortcut, else Tab."""
    page.keyboard.press("/")
    if not is_focused(page, SEARCH_INPUT):
        tab_to(page, SEARCH_INPUT)


def search_for(page: Page, text: str, finds: str) -> None:
    """Type into the header search and wait for a result that links to ``finds``."""
    focus_search(page)
    page.keyboard.type(text)
    result_link(page, finds).wait_for(state="visible")


def result_link(page: Page, case_id: str) -> Locator:
    """Return the header search's result link to a case."""
    return page.locator(f'{SEARCH_RESULTS} a[href*="evaluations/{case_id}"]').first


def assert_focus_visible(states: list[dict[str, Any]]) -> None:
    """Fail naming every element whose focus indicator did not show."""
    hidden = [f"{state['name']} ({state['style']})" for state in states if not state["visible"]]
    assert not hidden, "focus not visible on:\n" + "\n".join(hidden)


def move_focus_to(page: Page, selector: str, keys: tuple[str, ...] = ("ArrowDown", "Tab")) -> None:
    """Move focus to the selector with the first of the keys that gets there, visibly."""
    tried = []
    for key in keys:
        try:
            assert_focus_visible(tab_to(page, selector, limit=15, key=key))
            return
        except FocusNotReached as problem:
            tried.append(str(problem))
    raise FocusNotReached("; ".join(tried))


_FILTER_STATE = """() => {
  const selects = [...document.querySelectorAll("#copro-filters select[data-column]")];
  const words = document.getElementById("copro-filter-text").value.toLowerCase().split(/\\s+/).filter(Boolean);
  const rows = [...document.querySelectorAll("#copro-case-table tbody tr")];
  // A cell may hold several space-separated codes (a case's outcome certainties): any one matches.
  const wanted = rows.filter(row => selects.every(s => !s.value || (row.getAttribute("data-" + s.dataset.column) || "").split(" ").includes(s.value))
    && words.every(word => row.textContent.toLowerCase().includes(word)));
  return {
    total: rows.length,
    expected: wanted.map(row => row.dataset.id),
    visible: rows.filter(row => !row.hidden && row.offsetParent !== null).map(row => row.dataset.id),
    count: document.getElementById("copro-count").textContent.trim(),
  };
}"""


FILTERS_PANEL = "#copro-filters-panel"


def open_filters(page: Page) -> None:
    """Open the case list's folded filters, as a reader does, by their summary."""
    if not page.eval_on_selector(FILTERS_PANEL, "panel => panel.open"):
        page.click(f"{FILTERS_PANEL} > summary")


def filter_state(page: Page) -> dict[str, Any]:
    """Return the case list's rows that the filters should show, those shown, and the count."""
    return page.evaluate(_FILTER_STATE)


def count_text(shown: int, total: int) -> str:
    """Return the case list's count sentence for ``shown`` of ``total`` rows."""
    if shown == total:
        return f"Showing all {total} case studies."
    return f"Showing {shown} of {total} case studies."


def read_download_ids(download: Download) -> list[str]:
    """Return the ``id`` column of a downloaded CSV, in order."""
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    return [row["id"] for row in csv.DictReader(io.StringIO(text))]
