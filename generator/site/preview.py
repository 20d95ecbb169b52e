"""What the preview serves while case files have problems: one page listing them.

MkDocs' preview server holds every request until a build succeeds, so a broken case file left
the browser waiting, with the problems only in the terminal. While serving, the plugin builds a
site of this one page instead of failing, and the server answers every page that site lacks with
it, even a page left by an earlier build. The build counts as good, so open pages reload onto
the problems; MkDocs adds its reload script to this page as to any other, so the next good
build brings the real page back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import Problem
from generator.site.templating import make_environment

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PROBLEMS_PAGE = "index.html"
"""Where the problems page sits in the site built while cases have problems."""
LIVERELOAD_PREFIX = "/livereload/"


@dataclass(frozen=True)
class FileProblems:
    """The problems of one case file, named as the author knows it."""

    name: str
    problems: tuple[Problem, ...]


def group_by_file(problems: Sequence[Problem], root: Path) -> list[FileProblems]:
    """Group problems by file, in file and line order, naming files relative to ``root``."""
    ordered = sorted(problems)
    return [
        FileProblems(_relative(file, root), tuple(items))
        for file, items in groupby(ordered, key=lambda p: p.file)
    ]


def _relative(file: str, root: Path) -> str:
    path = Path(file)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file  # outside the project: the path as the validator wrote it


def summary_sentence(problems: Sequence[Problem]) -> str:
    """Say how many problems in how many files stop the build."""
    count, files = len(problems), len({p.file for p in problems})
    things = "1 problem" if count == 1 else f"{count:,} problems"
    where = "1 case file" if files == 1 else f"{files:,} case files"
    return f"{things} in {where} stop{'s' if count == 1 else ''} the site from being built."


def code_spans(text: str) -> list[tuple[str, bool]]:
    """Split a message at its backticks into (text, is code) parts; unpaired ones stay text."""
    parts = text.split("`")
    if len(parts) % 2 == 0:
        return [(text, False)]
    return [(part, index % 2 == 1) for index, part in enumerate(parts) if part]


def render_problems_page(
    problems: Sequence[Problem], root: Path, site_name: str, favicon: str = ""
) -> str:
    """Render the standalone page that lists every problem (case text is escaped data).

    The page is served at every address, so ``favicon`` is a path from the site's root.
    """
    template = make_environment().get_template("preview_problems.html")
    return template.render(
        site_name=site_name,
        favicon=favicon,
        summary=summary_sentence(problems),
        count=len(problems),
        files=group_by_file(problems, root),
        spans=code_spans,
    )


def is_page_request(path: str) -> bool:
    """Return True for a path a browser asks for as a page: a folder, ``.html`` or no suffix."""
    if path.startswith(LIVERELOAD_PREFIX):
        return False
    last = path.rsplit("/", 1)[-1]
    return not last or last.endswith(".html") or "." not in last


def answer_pages_with_problems(
    app: WSGIApplication, mount_path: str, showing_problems: Callable[[], bool]
) -> WSGIApplication:
    """Wrap the preview server's app: every page is the problems page while problems exist.

    The server's own app answers first, so it still waits for a build under way, and the choice
    is made on what that build found. A page's answer is then replaced by the page at the mount
    path, with the reload script the server adds to every page; other files are left alone.
    """

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not is_page_request(str(environ.get("PATH_INFO", ""))):
            return app(environ, start_response)
        held: list[Any] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            held[:] = [status, headers, exc_info]
            return _ignore_write

        body = app(environ, hold)
        if showing_problems() and environ.get("PATH_INFO") != mount_path:
            _close(body)
            return app({**environ, "PATH_INFO": mount_path}, start_response)
        if held:
            start_response(*held)
        return body

    return serve


def _ignore_write(data: bytes) -> None:
    """Stand in for WSGI's legacy write(); MkDocs' server never calls it."""


def _close(body: Iterable[bytes]) -> None:
    close = getattr(body, "close", None)
    if callable(close):
        close()
