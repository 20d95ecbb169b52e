"""Search: index the site with Pagefind, so a query downloads only the chunks it needs.

Pagefind reads each page's article. Every article is known once MkDocs has converted the
pages and before the theme renders them (the ``on_env`` event), so the plugin writes the
articles to a scratch folder there and Pagefind indexes them in its own process while the
theme renders the site on the other core; the index joins the site after the build. At
1,000 cases this took about 6 s off the wall time of a build (measured; the index was the
same size, 1,038 pages). A page's article is what the theme wraps around it: its content,
under the page title when the content has no ``<h1>`` of its own.

Given a folder to keep them in (the plugin's cache), the articles stay there between builds and
only those that changed are written again: on the benchmark machine each file created or deleted
cost 0.5 ms or more of kernel time, and a warm build at 1,000 cases wrote and removed 1,039
articles and as many folders. Every file in that folder is checked against what the build wants,
so nothing planted there is indexed.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mkdocs.exceptions import PluginError

from generator.processes import guarded_command

# Index the article only; leave out chart internals, data tables under charts and the filter form.
ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = (
    ".headerlink",
    ".copro-chart",
    ".copro-table-details",
    ".copro-filters",
    "script",
    "noscript",
    ".md-source-file",
    # Lists of cases on index pages: each case is found on its own page, not on every list.
    ".copro-case-links",
    "#copro-case-table",
    "#copro-chooser",
)
OUTPUT_FOLDER = "pagefind"
TIMEOUT_SECONDS = 600
# A chart's drawing sits in this element; charts are excluded from the index, and leaving the
# drawing out of the article halves what Pagefind parses (the index is the same, see the tests).
DRAWING_START = '<div class="copro-chart__drawing" aria-hidden="true">'
DRAWING_END = "</div>"
ARTICLE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"></head><body>'
    '<article class="md-content__inner md-typeset">{heading}{content}</article></body></html>\n'
)


def pagefind_command(site_dir: Path, output: Path) -> list[str]:
    """Return the Pagefind command that indexes a folder of pages into ``output``."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-path",
        str(output),
        "--glob",
        "**/index.html",
        "--root-selector",
        ROOT_SELECTOR,
        "--exclude-selectors",
        ", ".join(EXCLUDE_SELECTORS),
        "--force-language",
        "en",
        "--silent",
    ]


def without_drawings(content: str) -> str:
    """Return a page's content without its charts' drawings (an SVG holds no ``</div>``)."""
    parts, position = [], 0
    while (found := content.find(DRAWING_START, position)) >= 0:
        inner = found + len(DRAWING_START)
        close = content.find(DRAWING_END, inner)
        if close < 0:
            break
        parts.append(content[position:inner])
        position = close
    parts.append(content[position:])
    return "".join(parts)


def article(title: str, content: str) -> str:
    """Return what Pagefind reads of a page: its content, under its title if it has no heading."""
    heading = "" if "<h1" in content else f"<h1>{title}</h1>"
    return ARTICLE.format(heading=heading, content=without_drawings(content))


def sync_folder(folder: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Make ``folder`` hold exactly ``files`` ((relative path, bytes), one at a time, so that they
    are never all in memory at once); return how many were written.

    A file that already holds the wanted bytes is left alone. Anything else in the folder,
    including any symbolic link, is removed, so writing never follows a link out of it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for root, dirs, names in os.walk(folder):  # first the links, before anything is written
        for name in [*dirs, *names]:
            if os.path.islink(os.path.join(root, name)):
                os.unlink(os.path.join(root, name))
        dirs[:] = [name for name in dirs if os.path.isdir(os.path.join(root, name))]
    kept: set[str] = set()
    written = 0
    for path, data in files:
        kept.add(path)
        target = folder / path
        try:
            if target.read_bytes() == data:
                continue
        except IsADirectoryError:
            shutil.rmtree(target)
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(target, flags, 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        written += 1
    kept_dirs = {str(parent) for path in kept for parent in Path(path).parents}
    for root, dirs, names in os.walk(folder, topdown=False):  # then whatever was not wanted
        here = Path(root).relative_to(folder)
        for name in names:
            if str(here / name) not in kept:
                os.unlink(os.path.join(root, name))
        for name in dirs:
            if str(here / name) not in kept_dirs:
                shutil.rmtree(os.path.join(root, name), ignore_errors=True)
    return written


class BackgroundIndex:
    """A Pagefind run over the site's articles, started early and collected after the build.

    ``keep``: a folder where the articles stay between builds, used by one build at a time;
    without it, or while another build uses it, they go to a scratch folder of this build.
    """

    def __init__(self, keep: Path | None = None) -> None:
        self.keep = keep
        self.written = 0  # articles written by the last start (the others were unchanged)
        self._folder: Path | None = None
        self._lock: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        # A build stopped by something MkDocs does not report (Ctrl-C) leaves nothing behind.
        atexit.register(self.cancel)

    def start(self, pages: Iterable[tuple[str, str, str]]) -> None:
        """Write each page's article and start Pagefind on them.

        ``pages`` holds (path in the site, title as the theme prints it, content HTML).
        The articles are never served: Pagefind reads them, and its index joins the site.
        """
        self.cancel()
        self._folder = Path(tempfile.mkdtemp(prefix="copro-search-"))
        wanted = (
            (path, article(title, content).encode("utf-8"))
            for path, title, content in pages
            if path.endswith("index.html")
        )
        articles = self._kept_articles() or self._folder / "articles"
        self.written = sync_folder(articles, wanted)
        # Pagefind ends with this process, even one killed outright (no orphan indexes on).
        command = guarded_command(pagefind_command(articles, self._folder / OUTPUT_FOLDER))
        log = (self._folder / "pagefind.log").open("wb")
        try:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        except OSError as error:
            self.cancel()
            raise PluginError(f"Pagefind could not start: {error}") from None
        finally:
            log.close()

    def _kept_articles(self) -> Path | None:
        """Take the kept folder for this build, or return None when it is busy or cannot be made."""
        if self.keep is None:
            return None
        try:
            import fcntl

            self.keep.mkdir(parents=True, exist_ok=True)
            lock = os.open(self.keep / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except (ImportError, OSError):
            return None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another build is using it
            os.close(lock)
            return None
        self._lock = lock
        return self.keep / "articles"

    def finish(self, site_dir: Path) -> None:
        """Wait for Pagefind and put its index in the built site."""
        if self._process is None or self._folder is None:
            raise PluginError("Pagefind was not started: no pages were indexed.")
        try:
            status = self._process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.cancel()
            raise PluginError(
                f"Pagefind did not finish indexing within {TIMEOUT_SECONDS} s."
            ) from None
        if status != 0:
            output = (self._folder / "pagefind.log").read_text(errors="replace").strip()
            self.cancel()
            raise PluginError(f"Pagefind could not index the site:\n{output}")
        target = site_dir / OUTPUT_FOLDER
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(self._folder / OUTPUT_FOLDER), str(target))
        self.cancel()

    def cancel(self) -> None:
        """Stop Pagefind if it runs and remove the scratch folder."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._process = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        if self._lock is not None:
            os.close(self._lock)  # releases the kept folder for the next build
            self._lock = None
