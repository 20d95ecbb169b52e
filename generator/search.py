"""Search: index the built site with Pagefind, so a query downloads only the chunks it needs."""

from __future__ import annotations

import subprocess
import sys
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


def index_site(site_dir: Path) -> None:
    """Run Pagefind over a built site, writing its chunked index to ``site_dir/pagefind``."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
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
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PluginError(f"Pagefind could not index the site: {error}") from None
    if result.returncode != 0:
        raise PluginError(
            f"Pagefind could not index the site:\n{result.stderr.strip() or result.stdout.strip()}"
        )
