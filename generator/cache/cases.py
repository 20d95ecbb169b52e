"""The cache of checked cases: a valid case's data by a hash of its file, so a rebuild skips it.

A case is cached only when it had no problems. Its key covers everything its result depends on:
the file's bytes and name, the schema, and the code that loads and checks it (``keys``), so a
change to any of them misses the cache. Rules across files (unique ids) always run again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from generator.cache.keys import checking_digest
from generator.cache.store import read_sealed, write_sealed
from generator.cases.load import LoadedDocument


class ValidationCache:
    """Valid cases' data by a hash of their file, in a folder of JSON files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, file: Path, raw: bytes) -> Path:
        key = hashlib.sha256(checking_digest() + file.name.encode() + b"\0" + raw).hexdigest()
        return self.folder / f"{key}.json"

    def get(self, file: Path, name: str) -> LoadedDocument | None:
        """Return the cached, valid document for a file, or None."""
        if file.is_symlink() or not file.is_file():  # the loader reports what it is
            return None
        try:
            content = read_sealed(self._path(file, file.read_bytes()))
            if content is None:  # not written by this tool for this user: check the file anew
                return None
            entry = json.loads(content)
        except (OSError, ValueError):
            return None
        doc = LoadedDocument(name, data=entry["data"])
        doc.positions[("id",)] = (int(entry["id_position"][0]), int(entry["id_position"][1]))
        return doc

    def put(self, file: Path, doc: LoadedDocument) -> None:
        """Cache a valid document."""
        entry: dict[str, Any] = {"data": doc.data, "id_position": list(doc.locate(("id",)))}
        content = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        write_sealed(self._path(file, file.read_bytes()), content)
