"""Browser fixtures: the site built once and served on 127.0.0.1, one chromium, fresh contexts."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.browser.helpers import Visit, search_for, watch
from tests.browser.pages import SitePage
from tests.site_project import build_project, make_project

try:
    from playwright.sync_api import Browser, sync_playwright
except ImportError:  # pragma: no cover - reported by the chromium fixture
    sync_playwright = None

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_CHROMIUM = (
    "browser tests need Debian's chromium on PATH; install it with: apt-get install -y chromium"
)
INSTALL_PLAYWRIGHT = (
    'browser tests need Playwright for Python; install it with: python3 -m pip install -e ".[test]"'
)
INSTALL_AXE = (
    'browser tests need axe-playwright-python; install it with: python3 -m pip install -e ".[test]"'
)
TIMEOUT_MS = 15_000


def _unavailable(reason: str) -> NoReturn:
    """Skip, or fail when CI is set: CI must never pass by skipping the browser."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Return the path of Debian's chromium, or skip (fail under CI) saying how to install it."""
    if sync_playwright is None:
        _unavailable(INSTALL_PLAYWRIGHT)
    if importlib.util.find_spec("axe_playwright_python") is None:
        _unavailable(INSTALL_AXE)
    path = shutil.which("chromium")
    if path is None:
        _unavailable(INSTALL_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def site_dir(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the repository's site once for the whole browser session."""
    return build_project(make_project(tmp_path_factory.mktemp("browser-project")))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the browser drops connections it no longer needs; that is not a failure


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 at a free port and return its address."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    """Launch one headless chromium for the session."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Callable[..., Visit]]:
    """Return a function that opens a site page in a fresh browser context and watches it."""
    contexts = []

    def open_page(target: SitePage | str, **context_options: Any) -> Visit:
        context = browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        watched = watch(context.new_page())
        path = target if isinstance(target, str) else target.path
        watched.page.goto(base_url + path, wait_until="load")
        if isinstance(target, SitePage) and target.search:
            search_for(watched.page, target.search, target.search_finds or "")
        return watched

    yield open_page
    for context in contexts:
        context.close()
