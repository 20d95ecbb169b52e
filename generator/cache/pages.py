"""Case pages as last rendered, so a rebuild renders only the cases whose page would change.

Rendering a case's page (its outcome views, its chart's plan and the templates) took about 3 s of
a warm build at 1,000 cases. A page is a pure function of: its case's data; the data of the cases
it lists as related; its follow-up judgement; the site's settings; and the code, templates,
schema and libraries that render it. The key of a cached page hashes all of these, so any change
to one of them renders the page anew. Entries are sealed (see generator.sealing), so a page
planted in the cache folder is never served; the folder keeps the pages of the current code only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from generator.casecache import PACKAGE, code_digest, schema_bytes
from generator.sealing import sealed, unsealed

# Libraries whose output reaches a case page: templates, escaping, Markdown and its sanitiser,
# the chart's spec and drawing, and the statistics behind its figures.
_RENDERING_LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown",
    "nh3",
    "altair",
    "vl-convert-python",
    "statsmodels",
    "scipy",
    "numpy",
)


@cache
def code_fingerprint() -> str:
    """Hash every module and template of the generator, the schema and the libraries' versions."""
    files = [
        path
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file() and path.suffix in {".py", ".html", ".md", ".json"}
    ]
    return code_digest(files, _RENDERING_LIBRARIES, extra=schema_bytes()).hex()


def data_digest(data: dict[str, Any]) -> bytes:
    """Hash a case's data as the pages see it."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).digest()


def page_key(
    case: bytes, related: Iterable[bytes], follow_up: object | None, settings: object
) -> str:
    """Return the key of a case page from the digests of its case and related cases' data,
    its follow-up judgement and the site's settings (dataclasses)."""
    digest = hashlib.sha256(case)
    for other in related:
        digest.update(b"related" + other)
    extra = {
        "follow_up": asdict(follow_up) if follow_up is not None else None,  # type: ignore[call-overload]
        "settings": asdict(settings),  # type: ignore[call-overload]
    }
    digest.update(json.dumps(extra, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


class CasePageCache:
    """Rendered case pages by key, one sealed file each, in a folder for the current code."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.folder = root / code_fingerprint()[:32] if root is not None else None
        self.hits = 0

    def get(self, key: str) -> str | None:
        """Return the page rendered for this key, or None."""
        if self.folder is None:
            return None
        try:
            content = unsealed((self.folder / f"{key}.html").read_bytes())
        except OSError:
            return None
        if content is None:  # planted, or written with another user's key
            return None
        self.hits += 1
        return content.decode("utf-8")

    def put(self, key: str, body: str) -> None:
        """Keep a page just rendered, written atomically."""
        if self.folder is None:
            return
        target = self.folder / f"{key}.html"
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(sealed(body.encode("utf-8")))
            os.replace(temporary, target)
        except OSError:  # a cache that cannot be written only makes the next build slower
            temporary.unlink(missing_ok=True)

    def forget_other_code(self) -> None:
        """Remove the pages kept for any other version of the code (they can never be used)."""
        if self.root is None or self.folder is None or not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry != self.folder and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
