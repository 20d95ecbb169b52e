"""Build the catalogue of every case through the caches: check, derive, or reuse what is kept."""

from __future__ import annotations

from pathlib import Path

from generator.cache.cases import ValidationCache
from generator.cache.figures import FiguresCache, remembered_counts
from generator.cases.reporters import text_report
from generator.cases.validate import collect_case_files, validate_files
from generator.errors import CaseProblemsError
from generator.figures.catalogue import CaseEntry, Catalogue
from generator.figures.derive import derive_case


def build_catalogue(cases_dir: Path, cache_dir: Path | None = None) -> Catalogue:
    """Load, validate and derive every case in a folder; raise with the full report on problems.

    With ``cache_dir``, valid cases and their figures are cached there, so unchanged files are
    neither checked nor derived again.
    """
    files = collect_case_files([cases_dir]) if cases_dir.is_dir() else []
    report = validate_files(files, cache=ValidationCache(cache_dir) if cache_dir else None)
    if not report.ok:
        raise CaseProblemsError(text_report(report), report.problems)
    derive = FiguresCache(cache_dir / "figures").figures if cache_dir else derive_case
    with remembered_counts(cache_dir / "figures" if cache_dir else None):
        entries = [
            CaseEntry(c.data, derive(c.data), path)
            for c, path in zip(report.cases, files, strict=True)
        ]
    return Catalogue(tuple(sorted(entries, key=lambda e: e.id)))
