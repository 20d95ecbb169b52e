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
    assert {c["evaluation"]["evaluator"] for c in cases} == {
        "internal",
        "independent",
        "peer",
        "participant-led",
        "mixed",
    }
    assert {c["service"]["kind"] for c in cases} == {"existing", "new"}
    assert any("end" not in c["coproduction"] for c in cases)
    assert len({c["service"]["country"] for c in cases}) >= 3
    units = {o["unit"] for c in cases for o in c["outcomes"]}
    assert "tonnes" in units


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


def test_duplicate_ids_across_files_are_refused(tmp_path: Path, valid_text: str) -> None:
    first = tmp_path / "a" / "riverside-day-centre-redesign.yaml"
    second = tmp_path / "b" / "riverside-day-centre-redesign.yaml"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(valid_text)
    problems = validate_files([first, second]).problems
    assert len(problems) == 1
    assert "already used by" in problems[0].message and problems[0].path == "id"


def test_unquoted_year_dates_are_kept_as_written(tmp_path: Path, valid_text: str) -> None:
    path = tmp_path / "riverside-day-centre-redesign.yaml"
    path.write_text(
        valid_text.replace("start: 2023-01", "start: 2023").replace("year: 2024", "year: 2024")
    )
    report = validate_files([path])
    assert report.problems == []
    assert report.cases[0].data["coproduction"]["start"] == "2023"


def test_norway_is_a_country_not_false(tmp_path: Path, valid_text: str) -> None:
    path = tmp_path / "riverside-day-centre-redesign.yaml"
    path.write_text(valid_text.replace("country: GB", "country: NO"))
    report = validate_files([path])
    assert report.problems == []
    assert report.cases[0].data["service"]["country"] == "NO"


def test_personal_data_can_be_accepted_for_one_field(tmp_path: Path, valid_text: str) -> None:
    text = valid_text.replace(
        "chairing meetings in turn.", "chairing meetings in turn. Switchboard 0161 496 0000."
    )
    path = tmp_path / "riverside-day-centre-redesign.yaml"
    path.write_text(text)
    assert [p.kind for p in validate_files([path]).problems] == ["personal-data"]
    text += "allowed_personal_data:\n  - field: principles.equality.evidence\n    reason: The council's public switchboard number.\n"
    path.write_text(text)
    assert validate_files([path]).problems == []


# ---------------------------------------------------------------- issue #22: nothing skipped


def _validate(paths: list[Path]) -> tuple[int, str]:
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["validate", *map(str, paths)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, " ".join(result.output.split())  # as one line: the report wraps


def test_a_broken_link_named_like_a_case_is_reported(tmp_path: Path, valid_text: str) -> None:
    """It was skipped without a word: the folder passed with one case fewer."""
    cases = tmp_path / "evaluations"
    cases.mkdir()
    (cases / "riverside-day-centre-redesign.yaml").write_text(valid_text, encoding="utf-8")
    (cases / "x.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert [p.name for p in collect_case_files([cases])] == [
        "riverside-day-centre-redesign.yaml",
        "x.yaml",
    ]
    status, output = _validate([cases])
    assert status == 1
    assert "x.yaml:1:1: The file is a link to another file" in output
    status, output = _validate([cases / "x.yaml"])  # named on the command line
    assert status == 1 and "link to another file" in output


def test_a_folder_named_like_a_case_is_reported(tmp_path: Path, valid_text: str) -> None:
    cases = tmp_path / "evaluations"
    (cases / "x.yaml").mkdir(parents=True)
    (cases / "x.yaml" / "inner.yaml").write_text(valid_text, encoding="utf-8")
    (cases / "riverside-day-centre-redesign.yaml").write_text(valid_text, encoding="utf-8")
    status, output = _validate([cases])
    assert status == 1
    assert "x.yaml:1:1: This is a folder, named like a case file" in output
    assert "1 problem in 1 file" in output


def test_a_pipe_named_like_a_case_is_reported_without_waiting(tmp_path: Path) -> None:
    import os

    cases = tmp_path / "evaluations"
    cases.mkdir()
    os.mkfifo(cases / "x.yaml")  # reading it would wait for a writer forever
    status, output = _validate([cases])
    assert status == 1 and "not an ordinary file" in output


def test_a_build_stops_on_a_broken_link_in_the_cases_folder(
    tmp_path: Path, valid_text: str
) -> None:
    from generator.cache.catalogue import build_catalogue
    from generator.errors import CaseProblemsError

    cases = tmp_path / "evaluations"
    cases.mkdir()
    (cases / "riverside-day-centre-redesign.yaml").write_text(valid_text, encoding="utf-8")
    (cases / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    with pytest.raises(CaseProblemsError, match="link to another file"):
        build_catalogue(cases, tmp_path / "cache")
