"""Cache keys, in one place: a hash of everything that made an entry, so a stale key never serves.

Each cache keys on the source files of the stages that made its entries (their paths in the
package and their bytes), the installed versions of the libraries they call, and the schema.
Files are named by stage package, so a module added to a stage is covered without a list to
keep up, and a module moved between stages changes every key it touched.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Iterable
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from generator.schema import INSTRUMENTS_FILE, find_schema_path, load_schema

PACKAGE = Path(__file__).resolve().parent.parent
VL_CONVERT_VERSION = importlib.metadata.version("vl-convert-python")

# What each cache's entries depend on: whole stage packages, and the top-level modules they read.
SHARED_MODULES = ("schema.py", "vocabulary.py", "errors.py")
CHECKING_SOURCES = ("cases", *SHARED_MODULES)
DERIVING_SOURCES = ("figures", "vocabulary.py")
DERIVING_LIBRARIES = ("statsmodels", "scipy", "numpy")
CHART_SPEC_SOURCES = ("charts/case_spec.py", "charts/kit.py", "charts/style.py")
# Libraries whose output reaches a case page: templates, escaping, Markdown and its sanitiser,
# the chart's spec and drawing, and the statistics behind its figures.
RENDERING_LIBRARIES = (
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
RENDERING_SUFFIXES = {".py", ".html", ".md", ".json", ".yaml"}


def source_files(names: Iterable[str]) -> list[Path]:
    """Return the files a list of package-relative modules and folders names, sorted, once each."""
    found: set[Path] = set()
    for name in names:
        path = PACKAGE / name
        found.update(p for p in path.rglob("*.py") if p.is_file()) if path.is_dir() else found.add(
            path
        )
    return sorted(found)


def code_digest(files: Iterable[Path], libraries: Iterable[str] = (), extra: bytes = b"") -> bytes:
    """Hash what made a cache entry: source files (path in the package and bytes), the installed
    versions of libraries, and any extra bytes. Every cache of the build keys on one of these."""
    digest = hashlib.sha256(extra)
    for path in files:
        name = path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path.name
        digest.update(f"{name}\0".encode() + path.read_bytes())
    for library in libraries:
        digest.update(f"{library}={importlib.metadata.version(library)}\0".encode())
    return digest.digest()


def schema_bytes() -> bytes:
    """Return the contract (the schema as canonical JSON and the instrument list), for keys."""
    instruments = find_schema_path(name=INSTRUMENTS_FILE).read_bytes()
    return json.dumps(load_schema(), sort_keys=True).encode() + b"\0" + instruments


@cache
def checking_digest() -> bytes:
    """Hash the schema and the code that loads and checks a case."""
    return code_digest(source_files(CHECKING_SOURCES), extra=schema_bytes())


@cache
def deriving_digest() -> bytes:
    """Hash the code that derives a case's figures and the statistics libraries' versions."""
    return code_digest(source_files(DERIVING_SOURCES), DERIVING_LIBRARIES)


@cache
def chart_spec_digest() -> str:
    """Hash the code that builds a case's chart spec and the version of vl-convert that draws it."""
    return code_digest(source_files(CHART_SPEC_SOURCES), ("vl-convert-python",)).hex()


@cache
def rendering_digest() -> str:
    """Hash every module and template of the generator, the schema and the libraries' versions."""
    files = [
        path
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file() and path.suffix in RENDERING_SUFFIXES
    ]
    return code_digest(files, RENDERING_LIBRARIES, extra=schema_bytes()).hex()


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
