"""Case files: every valid file passes, every invalid file gets exactly its expected problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cases.validate import collect_case_files, validate_files
from tests.conftest import CASES, ROOT

_EXPECT = re.compile(r"^# expect: (\d+):(\d+) (\S*) +\| (.+)$", re.MULTILINE)


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


VALID = sorted((CASES / "valid").glob("*.yaml")) + sorted((ROOT / "evaluations").glob("*.yaml"))
INVALID = sorted((CASES / "invalid").glob("*.yaml"))


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_case_has_no_problems(path: Path) -> None:
    report = validate_files([path])
    assert report.problems == []


@pytest.mark.parametrize("path", INVALID, ids=_ids(INVALID))
def test_invalid_case_gets_its_expected_problems(path: Path) -> None:
    expected = _EXPECT.findall(path.read_text(encoding="utf-8"))
    assert expected, f"{path.name} lists no `# expect:` lines"
    problems = validate_files([path]).problems
    for line, column, field, words in expected:
        assert any(
            p.line == int(line)
            and p.column == int(column)
            and p.path == field
            and words in p.text()
            for p in problems
        ), (
            f"expected {line}:{column} {field}: {words!r}; got {[(p.line, p.column, p.path, p.text()) for p in problems]}"
        )
    assert len(problems) == len(expected), [p.text() for p in problems]


def test_repository_has_varied_examples() -> None:
    report = validate_files(collect_case_files([ROOT / "evaluations"]))
    cases = [c.data for c in report.cases if c.data["status"] == "example"]
    assert len(cases) >= 8
    assert len({c["service"]["area"] for c in cases}) >= 5
    assert {c["evaluation"]["design"] for c in cases} == {
        "qualitative",
        "post-only",
        "before-after",
        "before-after-with-comparison",
        "randomised",
    }


def _has_several_results(outcome: dict[str, object]) -> bool:
    groups = [outcome, outcome.get("comparison") or {}]
    return any(len(g.get("results") or []) >= 2 for g in groups if isinstance(g, dict))


def test_repository_carries_real_evidence_of_every_kind_issue_19_asks_for() -> None:
    """At least 12 summaries of published evaluations: both halves of an evaluation, 4 with a
    comparison group or randomisation, 3 before and after, 2 with several time points, 3
    countries."""
    report = validate_files(collect_case_files([ROOT / "evaluations"]))
    real = [c.data for c in report.cases if c.data["status"] == "summary"]
    assert len(real) >= 12
    designs = [c["evaluation"]["design"] for c in real]
    compared = {"before-after-with-comparison", "randomised", "cluster-randomised", "stepped-wedge"}
    assert sum(1 for d in designs if d in compared) >= 4
    assert sum(1 for d in designs if d == "before-after") >= 3
    assert sum(1 for c in real if any(_has_several_results(o) for o in c["outcomes"])) >= 2
    assert len({c["service"]["country"] for c in real}) >= 3
    abouts = {o["about"] for c in real for o in c["outcomes"]}
    assert abouts == {"participants", "service"}
    for case in real:  # every summary names where it came from
        assert any(s.get("url") or s.get("doi") for s in case["sources"])
        assert case["authors"] and case["submitted"]
