"""The benchmark's synthetic cases: valid, reproducible and varied."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synthetic import write_cases
from generator.cases.validate import validate_files
from generator.schema import vocabulary


def test_synthetic_cases_are_valid(tmp_path: Path) -> None:
    paths = write_cases(tmp_path, 25)
    report = validate_files(paths)
    assert len(report.cases) == 25
    assert [p.text() for p in report.problems] == []


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = write_cases(tmp_path / "a", 25, seed=7)
    second = write_cases(tmp_path / "b", 25, seed=7)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    other = write_cases(tmp_path / "c", 25, seed=8)
    assert any(a.read_bytes() != c.read_bytes() for a, c in zip(first, other, strict=True))


def test_synthetic_cases_cover_areas_and_designs(tmp_path: Path) -> None:
    cases = [case.data for case in validate_files(write_cases(tmp_path, 25)).cases]
    designs = {code.code for code in vocabulary().codes(("evaluation", "design"))}
    assert all(case["status"] == "example" for case in cases)
    assert len({case["service"]["area"] for case in cases}) >= 5
    assert {case["evaluation"]["design"] for case in cases} == designs
