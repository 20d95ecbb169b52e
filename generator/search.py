"""Search: index the site with Pagefind, so a query downloads only the chunks it needs.

Pagefind reads each page's article. Every article is known once MkDocs has converted the
pages and before the theme renders them (the ``on_env`` event), so the plugin writes the
articles to a scratch folder there and Pagefind indexes them in its own process while the
theme renders the site on the other core; the index joins the site after the build. At
1,000 cases this took about 6 s off the wall time of a build (measured; the index was the
same size, 1,038 pages). A page's article is what the theme wraps around it: its content,
under the page title when the content has no ``<h1>`` of its own.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mkdocs.exceptions import PluginError

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


class BackgroundIndex:
    """A Pagefind run over the site's articles, started early and collected after the build."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        # A build stopped by something MkDocs does not report (Ctrl-C) leaves nothing behind.
        atexit.register(self.cancel)

    def start(self, pages: Iterable[tuple[str, str, str]]) -> None:
        """Write each page's article to a scratch folder and start Pagefind on it.

        ``pages`` holds (path in the site, title as the theme prints it, content HTML).
        The scratch folder is never served: it is read by Pagefind and removed.
        """
        self.cancel()
        self._folder = Path(tempfile.mkdtemp(prefix="copro-search-"))
        articles = self._folder / "articles"
        for path, title, content in pages:
            if not path.endswith("index.html"):
                continue
            heading = "" if "<h1" in content else f"<h1>{title}</h1>"
            target = articles / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(ARTICLE.format(heading=heading, content=content), encoding="utf-8")
        command = pagefind_command(articles, self._folder / OUTPUT_FOLDER)
        log = (self._folder / "pagefind.log").open("wb")
        try:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        except OSError as error:
            self.cancel()
            raise PluginError(f"Pagefind could not start: {error}") from None
        finally:
            log.close()

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
