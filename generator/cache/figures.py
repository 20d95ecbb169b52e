"""The cache of derived figures, by a hash of a case's data, so a rebuild skips the statistics.

Intervals call statsmodels and scipy (an exact binomial interval searches for its ends), which
cost about 10 ms a case; an unchanged case reuses its figures. The key covers the case's data,
the figures stage's code and the libraries' versions (``keys``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from generator.cache.keys import deriving_digest
from generator.cache.store import read_sealed, write_sealed
from generator.figures import uncertainty
from generator.figures.derive import CaseFigures, derive_case, figures_from_record


class FiguresCache:
    """Derived figures by a hash of the case's data."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def figures(self, data: dict[str, Any]) -> CaseFigures:
        """Return the case's figures from the cache, or derive and cache them."""
        text = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        path = self.folder / f"{hashlib.sha256(deriving_digest() + text).hexdigest()}.json"
        content = read_sealed(path)
        if content is not None:
            try:
                return figures_from_record(json.loads(content))
            except (ValueError, KeyError, TypeError):
                pass  # from an older layout: derive anew
        figures = derive_case(data)
        write_sealed(path, json.dumps(asdict(figures)).encode("utf-8"))
        return figures


@contextlib.contextmanager
def remembered_counts(folder: Path | None) -> Iterator[None]:
    """Reuse, and then keep, the Wilson intervals and sign tests computed on whole counts."""
    if folder is None:
        yield
        return
    path = folder / f"counts-{deriving_digest().hex()[:16]}.json"
    content = read_sealed(path)
    try:
        known = json.loads(content) if content is not None else {}
    except ValueError:
        known = {}
    uncertainty.REMEMBERED.update(known if isinstance(known, dict) else {})
    before = len(uncertainty.REMEMBERED)
    try:
        yield
    finally:
        if len(uncertainty.REMEMBERED) != before or not path.exists():
            text = json.dumps(uncertainty.REMEMBERED, sort_keys=True).encode("utf-8")
            write_sealed(path, text)
