"""Build small copies of the site in temporary folders for end-to-end tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.site.staging import build_site
from tests.conftest import ROOT

PROJECT_PARTS = ("mkdocs.yml", "docs", "site_theme", "schema")


def make_project(folder: Path, cases: list[Path] | None = None) -> Path:
    """Copy the site's configuration into ``folder`` with the given case files (default: the repo's)."""
    folder.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        else:
            shutil.copy(source, folder / part)
    target = folder / "evaluations"
    target.mkdir()
    for case in cases if cases is not None else sorted((ROOT / "evaluations").glob("*.yaml")):
        shutil.copy(case, target / case.name)
    return folder


def build_project(folder: Path, site: str = "site") -> Path:
    """Build the project in ``folder`` and return the site folder."""
    build_site(folder / "mkdocs.yml", folder / site, strict=True)
    return folder / site
