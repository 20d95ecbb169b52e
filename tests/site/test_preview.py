"""The preview reports problems: a broken case gives a page listing them, never a hung browser.

``copro serve`` runs for real on a loopback port. The page a reader has open must show the
located problem once a case breaks, and come back by itself once the case is fixed: MkDocs'
reload script asks ``/livereload/<epoch>/<request id>``, which answers when a newer build is
visible, so the tests ask it too.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from mkdocs.config import load_config

from generator.cases.validate import validate_files
from generator.errors import BuildError, Problem
from generator.site.preview import (
    answer_pages_with_problems,
    code_spans,
    is_page_request,
    render_problems_page,
)
from tests.conftest import VALID_EXAMPLE
from tests.preview_server import CANNOT_BUILD, Preview, running_preview
from tests.site_project import build_project, make_project
from tests.whole_site.test_adversarial import read_payloads

CASE_ID = VALID_EXAMPLE.stem
CASE_PAGE = f"/evaluations/{CASE_ID}/"
CASE_TITLE = "Redesigning Riverside Day Centre with the people who use it"
HOSTILE_STATUS = "<script>alert('status')</script>"
RELOAD_CALL = re.compile(r"livereload\((\d+), (\d+)\)")
POLL_SECONDS = 90  # MkDocs answers a reload poll within 60 s even when nothing changed


def broken_text() -> str:
    """Return the example case with a quarter for a date and hostile markup for a status."""
    text = VALID_EXAMPLE.read_text(encoding="utf-8")
    broken = text.replace("date: 2022-12}", "date: 2022-Q4}", 1)
    broken = broken.replace("status: example", f'status: "{HOSTILE_STATUS}"', 1)
    assert broken.count("2022-Q4") == 1 and HOSTILE_STATUS in broken
    return broken


# ---------------------------------------------------------------- the page, without a server


class Elements(HTMLParser):
    """Collect the elements, attributes and text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text += data


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p"}
PAGE_TAGS |= {"code", "section", "ol", "li", "strong"}
PAGE_ATTRIBUTES = {"lang", "charset", "name", "content", "aria-labelledby", "id"}
ICON = "/assets/images/favicon.png"


def test_the_page_locates_each_problem_as_copro_validate_does(tmp_path: Path) -> None:
    case = tmp_path / "evaluations" / VALID_EXAMPLE.name
    case.parent.mkdir()
    case.write_text(broken_text(), encoding="utf-8")
    problems = validate_files([case]).problems
    assert len(problems) == 2
    text = render_problems_page(problems, tmp_path, "Hub", ICON)
    page = parse(text)
    assert page.tags <= PAGE_TAGS | {"link"}
    assert page.attributes <= PAGE_ATTRIBUTES | {"rel", "href"}
    assert f'<link rel="icon" href="{ICON}">' in text  # else the browser asks for /favicon.ico
    assert CANNOT_BUILD in page.text
    assert "2 problems in 1 case file stop the site from being built." in page.text
    assert f"evaluations/{VALID_EXAMPLE.name}" in page.text
    for problem in problems:
        assert f"Line {problem.line}, column {problem.column}, field {problem.path}" in page.text
        assert problem.message.replace("`", "") in page.text
        assert problem.hint.replace("`", "") in page.text


@pytest.mark.parametrize("payload", read_payloads("xss.txt"))
def test_hostile_text_in_a_problem_stays_text(payload: str, tmp_path: Path) -> None:
    problem = Problem(
        file=str(tmp_path / "evaluations" / f"{payload}.yaml"),
        line=3,
        column=1,
        path=f"outcomes[0].{payload}",
        message=f"`{payload}` is not allowed; nor is {payload}.",
        hint=f"Write `{payload}` differently.",
    )
    page = parse(render_problems_page([problem], tmp_path, payload))
    assert page.tags <= PAGE_TAGS, payload
    assert page.attributes <= PAGE_ATTRIBUTES, payload
    shown = page.text.replace("`", "")  # a backtick pair in a message marks code, so it goes
    for text in (problem.path, f"{payload} is not allowed; nor is {payload}.", payload):
        assert text.replace("`", "") in shown, payload


def test_backticks_mark_code_only_in_pairs() -> None:
    assert code_spans("`a` is not `b`.") == [
        ("a", True),
        (" is not ", False),
        ("b", True),
        (".", False),
    ]
    assert code_spans("a ` b") == [("a ` b", False)]


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/", True),
        ("/evaluations/x/", True),
        ("/method", True),
        ("/404.html", True),
        ("/assets/copro/copro.css", False),
        ("/data/cases.csv", False),
        ("/livereload/1/2", False),
    ],
)
def test_pages_are_told_from_other_files(path: str, page: bool) -> None:
    assert is_page_request(path) is page


def test_while_problems_exist_every_page_is_the_problems_page() -> None:
    asked: list[str] = []

    def server(environ: dict, start_response):  # type: ignore[no-untyped-def]
        path = environ["PATH_INFO"]
        asked.append(path)
        found = path in ("/", "/style.css", "/old/")
        start_response("200 OK" if found else "404 Not Found", [])
        return [f"{'page' if found else 'missing'} {path}".encode()]

    showing = [True]
    app = answer_pages_with_problems(server, "/", lambda: showing[0])

    def get(path: str) -> tuple[str, bytes]:
        status: list[str] = []
        body = b"".join(app({"PATH_INFO": path}, lambda s, h, e=None: status.append(s)))
        return status[0], body

    assert get("/evaluations/x/") == ("200 OK", b"page /")
    assert get("/old/") == ("200 OK", b"page /")  # a page an earlier --dirty build left
    assert get("/") == ("200 OK", b"page /")
    assert get("/style.css") == ("200 OK", b"page /style.css")
    assert get("/gone.css") == ("404 Not Found", b"missing /gone.css")
    showing[0] = False
    assert get("/evaluations/x/") == ("404 Not Found", b"missing /evaluations/x/")
    assert get("/old/") == ("200 OK", b"page /old/")
    # The server answers first (it waits for a build under way), then the choice is made.
    with_problems = ["/evaluations/x/", "/", "/old/", "/", "/", "/style.css", "/gone.css"]
    assert asked == [*with_problems, "/evaluations/x/", "/old/"]


# ---------------------------------------------------------------- copro serve, for real


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """Run copro serve on a one-case project; it is stopped however the test ends."""
    with running_preview(tmp_path, [VALID_EXAMPLE]) as running:
        yield running


def reload_poll(preview: Preview, page: str) -> tuple[int, threading.Thread, list[int]]:
    """Start the long poll the page's reload script makes; return its epoch, thread and answer."""
    match = RELOAD_CALL.search(page)
    assert match, "the page has no MkDocs reload script"
    epoch, request_id = int(match[1]), int(match[2])
    answer: list[int] = []

    def poll() -> None:
        answer.append(int(preview.get(f"/livereload/{epoch}/{request_id}", POLL_SECONDS)[1]))

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    return epoch, thread, answer


def wait_for_reload(thread: threading.Thread, answer: list[int], epoch: int) -> None:
    thread.join(POLL_SECONDS + 5)
    assert answer, "the reload poll got no answer"
    assert answer[0] > epoch, "the reload poll answered without a newer build"


@pytest.mark.slow
def test_a_broken_case_shows_its_problems_and_the_page_comes_back(preview: Preview) -> None:
    case = preview.project / "evaluations" / VALID_EXAMPLE.name
    good = case.read_text(encoding="utf-8")
    status, page = preview.get(CASE_PAGE)
    assert status == 200 and f"<h1>{escape(CASE_TITLE)}</h1>" in page

    epoch, thread, answer = reload_poll(preview, page)
    case.write_text(broken_text(), encoding="utf-8")
    wait_for_reload(thread, answer, epoch)  # the open page reloads onto the problems
    expected = validate_files([case]).problems
    assert [p.path for p in expected] == ["status", "outcomes[1].baseline.date"]

    for path in (CASE_PAGE, "/", "/method/", "/evaluations/a-case-that-never-was/"):
        status, problems_page = preview.get(path)
        assert status == 200 and CANNOT_BUILD in problems_page, path
    assert f"<code>evaluations/{VALID_EXAMPLE.name}</code>" in problems_page
    for problem in expected:
        assert f"Line {problem.line}, column {problem.column}</strong>" in problems_page
        assert f"field <code>{problem.path}</code>" in problems_page
    assert "<code>2022-Q4</code>" not in problems_page  # the date message quotes it instead
    assert str(escape('"2022-Q4" is not a date.')) in problems_page
    assert str(escape(HOSTILE_STATUS)) in problems_page and HOSTILE_STATUS not in problems_page
    assert "Case studies have problems" in preview.log_tail(80)  # the terminal says so too

    epoch, thread, answer = reload_poll(preview, problems_page)
    case.write_text(good, encoding="utf-8")
    wait_for_reload(thread, answer, epoch)  # the problems page reloads by itself
    status, page = preview.get(CASE_PAGE)
    assert status == 200 and f"<h1>{escape(CASE_TITLE)}</h1>" in page
    assert CANNOT_BUILD not in page


@pytest.mark.slow
def test_a_build_in_the_same_process_as_a_preview_still_fails(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", [VALID_EXAMPLE])
    config = load_config(str(project / "mkdocs.yml"))
    # MkDocs keeps one plugin object per process; a preview that never shut down leaves it so.
    config.plugins.on_startup(command="serve", dirty=False)
    (project / "evaluations" / VALID_EXAMPLE.name).write_text(broken_text(), encoding="utf-8")
    with pytest.raises(BuildError, match="Aborted with a BuildError"):
        build_project(project)
    assert not (project / "site").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]


@pytest.mark.slow
def test_a_preview_started_on_a_broken_case_shows_its_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken" / VALID_EXAMPLE.name
    broken.parent.mkdir()
    broken.write_text(broken_text(), encoding="utf-8")
    with running_preview(tmp_path, [broken]) as running:
        status, page = running.get(CASE_PAGE)
        assert status == 200 and CANNOT_BUILD in page
        assert "2 problems in 1 case file stop the site from being built." in page
        assert RELOAD_CALL.search(page), "the page has no MkDocs reload script"
        case = running.project / "evaluations" / VALID_EXAMPLE.name
        case.write_text(VALID_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
        page = running.wait_for(CASE_PAGE, f"<h1>{escape(CASE_TITLE)}</h1>")
        assert CANNOT_BUILD not in page
