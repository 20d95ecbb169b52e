"""The cache of case pages as last rendered, so a rebuild renders only the pages that change.

Rendering a case's page (its outcome views, its chart's plan and the templates) took about 3 s of
a warm build at 1,000 cases. A page is a pure function of: its case's data; the data of the cases
it lists as related; its follow-up judgement; the site's settings; and the code, templates,
schema and libraries that render it. Its key (``keys.page_key`` in a folder named by
``keys.rendering_digest``) hashes all of these, so any change to one of them renders the page
anew. Entries are sealed (``store``), so a page planted in the cache folder is never served; the
folder keeps the pages of the current code only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.cache.keys import rendering_digest
from generator.cache.store import read_sealed, write_sealed


class CasePageCache:
    """Rendered case pages by key, one sealed file each, in a folder for the current code."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.folder = root / rendering_digest()[:32] if root is not None else None
        self.hits = 0

    def get(self, key: str) -> str | None:
        """Return the page rendered for this key, or None."""
        if self.folder is None:
            return None
        content = read_sealed(self.folder / f"{key}.html")
        if content is None:  # missing, planted, or written with another user's key
            return None
        self.hits += 1
        return content.decode("utf-8")

    def put(self, key: str, body: str) -> None:
        """Keep a page just rendered."""
        if self.folder is not None:
            write_sealed(self.folder / f"{key}.html", body.encode("utf-8"))

    def forget_other_code(self) -> None:
        """Remove the pages kept for any other version of the code (they can never be used)."""
        if self.root is None or self.folder is None or not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry != self.folder and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
