"""Caches of valid cases and their figures, so a rebuild skips the files that have not changed.

A case is cached only when it had no problems. Its key covers everything its result depends on:
the file's bytes and name, the schema, and the source of the modules that load and check it, so
a change to any of them misses the cache. Rules across files (unique ids) always run again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from functools import cached_property
from pathlib import Path
from typing import Any

from generator import uncertainty
from generator.derive import CaseFigures, derive_case, figures_from_record
from generator.loader import LoadedDocument
from generator.schema import load_schema
from generator.sealing import sealed, unsealed

_CHECKING_MODULES = (
    "loader",
    "validate",
    "rules",
    "messages",
    "personal_data",
    "schema",
    "problems",
)


PACKAGE = Path(__file__).resolve().parent


def code_digest(files: Iterable[Path], libraries: Iterable[str] = (), extra: bytes = b"") -> bytes:
    """Hash what made a cache entry: source files (path in the package and bytes), the installed
    versions of libraries, and any extra bytes. Every cache of the build keys on one of these."""
    import importlib.metadata

    digest = hashlib.sha256(extra)
    for path in files:
        name = path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path.name
        digest.update(f"{name}\0".encode() + path.read_bytes())
    for library in libraries:
        digest.update(f"{library}={importlib.metadata.version(library)}\0".encode())
    return digest.digest()


def _modules(names: Iterable[str]) -> list[Path]:
    return [PACKAGE / f"{name}.py" for name in names]


def schema_bytes() -> bytes:
    return json.dumps(load_schema(), sort_keys=True).encode()


class ValidationCache:
    """Valid cases' data by a hash of their file, in a folder of JSON files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @cached_property
    def fingerprint(self) -> bytes:
        """Hash the schema and the checking code, once per process."""
        return code_digest(_modules(_CHECKING_MODULES), extra=schema_bytes())

    def _path(self, file: Path, raw: bytes) -> Path:
        key = hashlib.sha256(self.fingerprint + file.name.encode() + b"\0" + raw).hexdigest()
        return self.folder / f"{key}.json"

    def get(self, file: Path, name: str) -> LoadedDocument | None:
        """Return the cached, valid document for a file, or None."""
        if file.is_symlink():
            return None
        try:
            content = unsealed(self._path(file, file.read_bytes()).read_bytes())
            if content is None:  # not written by this tool for this user: check the file anew
                return None
            entry = json.loads(content)
        except (OSError, ValueError):
            return None
        doc = LoadedDocument(name, data=entry["data"])
        doc.positions[("id",)] = (int(entry["id_position"][0]), int(entry["id_position"][1]))
        return doc

    def put(self, file: Path, doc: LoadedDocument) -> None:
        """Cache a valid document, written atomically."""
        entry: dict[str, Any] = {"data": doc.data, "id_position": list(doc.locate(("id",)))}
        target = self._path(file, file.read_bytes())
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(sealed(json.dumps(entry, ensure_ascii=False).encode("utf-8")))
        os.replace(temporary, target)


_DERIVING_MODULES = ("derive", "uncertainty", "rules")  # rules: the units and designs
_DERIVING_LIBRARIES = ("statsmodels", "scipy", "numpy")


class FiguresCache:
    """Derived figures by a hash of the case's data, so a rebuild skips the statistics.

    Intervals call statsmodels and scipy (an exact binomial interval searches for its ends), which
    cost about 10 ms a case; an unchanged case reuses its figures. The key covers the case's data,
    the deriving code and the libraries' versions.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @cached_property
    def fingerprint(self) -> bytes:
        """Hash the deriving code and the statistics libraries' versions, once per process."""
        return code_digest(_modules(_DERIVING_MODULES), _DERIVING_LIBRARIES)

    def figures(self, data: dict[str, Any]) -> CaseFigures:
        """Return the case's figures from the cache, or derive and cache them."""
        text = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        path = self.folder / f"{hashlib.sha256(self.fingerprint + text).hexdigest()}.json"
        try:
            content = unsealed(path.read_bytes())
            if content is not None:
                return figures_from_record(json.loads(content))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing, planted or from an older layout: derive anew
        figures = derive_case(data)
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(sealed(json.dumps(asdict(figures)).encode("utf-8")))
        os.replace(temporary, path)
        return figures


@contextlib.contextmanager
def remembered_counts(folder: Path | None) -> Iterator[None]:
    """Reuse, and then keep, the Wilson intervals and sign tests computed on whole counts."""
    if folder is None:
        yield
        return
    path = folder / f"counts-{FiguresCache(folder).fingerprint.hex()[:16]}.json"
    try:
        content = unsealed(path.read_bytes())
        known = json.loads(content) if content is not None else {}
    except (OSError, ValueError):
        known = {}
    uncertainty.REMEMBERED.update(known if isinstance(known, dict) else {})
    before = len(uncertainty.REMEMBERED)
    try:
        yield
    finally:
        if len(uncertainty.REMEMBERED) != before or not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            text = json.dumps(uncertainty.REMEMBERED, sort_keys=True).encode("utf-8")
            temporary.write_bytes(sealed(text))
            os.replace(temporary, path)
