"""Follow-up due: the rule with hand-made dates, the build's reference date and ``copro follow-ups``."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cases.load import load_case_bytes
from generator.cli import main
from generator.figures.followups import (
    DUE,
    FOLLOWED_UP,
    NO_NUMBERS,
    ONGOING,
    TOO_SOON,
    epoch_date,
    judge_follow_up,
    newest_change,
    reference_date,
)
from tests.conftest import CASES, VALID_EXAMPLE

EXAMPLE: dict[str, Any] = load_case_bytes(VALID_EXAMPLE.read_bytes(), VALID_EXAMPLE.name).data
TODAY = "2026-11-29"


def make_case(
    end: str | None, results: list[str], case_id: str = "a-case", github: str | None = None
) -> dict[str, Any]:
    """Return the example with one numbered outcome whose results have the given dates."""
    case = copy.deepcopy(EXAMPLE)
    case["id"] = case_id
    case["coproduction"]["start"] = "2023-01"
    if end is None:
        case["coproduction"].pop("end")
    else:
        case["coproduction"]["end"] = end
    outcome = case["outcomes"][0]
    outcome["baseline"] = {"value": 50, "date": "2022-12", "n": 40}
    outcome["results"] = [{"value": 60 + i, "date": d, "n": 40} for i, d in enumerate(results)]
    case["outcomes"] = [outcome]
    if github:
        case["authors"][0]["github"] = github
    return case


def qualitative(case: dict[str, Any]) -> dict[str, Any]:
    """Return the case with its outcomes described in words only."""
    for outcome in case["outcomes"]:
        outcome.pop("baseline", None)
        outcome.pop("results", None)
        outcome.pop("target", None)
    return case


# ---------------------------------------------------------------- the rule


def test_the_issues_case_is_due() -> None:
    """Ended March 2024, latest result December 2024, judged on 29 November 2026."""
    follow_up = judge_follow_up(make_case("2024-03", ["2024-06", "2024-12"]), TODAY)
    assert follow_up.due and follow_up.reason == DUE
    assert follow_up.end == "2024-03" and follow_up.latest_result == "2024-12"
    assert follow_up.months_since_end == 32 and follow_up.latest_result_months == 9


def test_a_result_12_months_after_the_end_is_a_follow_up() -> None:
    follow_up = judge_follow_up(make_case("2024-03", ["2024-12", "2025-03"]), TODAY)
    assert not follow_up.due and follow_up.reason == FOLLOWED_UP
    assert follow_up.latest_result_months == 12


def test_a_result_11_months_after_the_end_is_not() -> None:
    follow_up = judge_follow_up(make_case("2024-03", ["2025-02"]), TODAY)
    assert follow_up.due and follow_up.latest_result_months == 11


def test_an_early_result_listed_last_does_not_hide_a_late_one() -> None:
    follow_up = judge_follow_up(make_case("2024-03", ["2025-04", "2024-05"]), TODAY)
    assert not follow_up.due and follow_up.latest_result == "2025-04"


@pytest.mark.parametrize(
    ("end", "due", "reason"),
    [
        ("2025-11", True, DUE),  # 12 months before November 2026
        ("2025-11-30", True, DUE),  # month resolution: the day does not count
        ("2025-12", False, TOO_SOON),  # 11 months
        ("2025-12-01", False, TOO_SOON),
        ("2027-01", False, TOO_SOON),  # ends after the reference date
    ],
)
def test_ended_12_months_ago_is_due_and_11_is_not(end: str, due: bool, reason: str) -> None:
    follow_up = judge_follow_up(make_case(end, ["2025-06"] if end < "2026" else []), TODAY)
    assert (follow_up.due, follow_up.reason) == (due, reason)


def test_ongoing_is_never_due() -> None:
    follow_up = judge_follow_up(make_case(None, ["2024-01"]), TODAY)
    assert not follow_up.due and follow_up.reason == ONGOING
    assert follow_up.end is None and follow_up.months_since_end is None


def test_qualitative_only_is_never_due() -> None:
    follow_up = judge_follow_up(qualitative(make_case("2024-01", [])), TODAY)
    assert not follow_up.due and follow_up.reason == NO_NUMBERS


def test_a_baseline_alone_counts_as_numbers_with_no_result_yet() -> None:
    case = make_case("2024-03", [])
    follow_up = judge_follow_up(case, TODAY)
    assert follow_up.due and follow_up.latest_result is None


def test_a_target_alone_is_not_numbers() -> None:
    case = qualitative(make_case("2024-03", []))
    case["outcomes"][0]["target"] = 80
    assert judge_follow_up(case, TODAY).reason == NO_NUMBERS


def test_year_only_dates_count_as_january() -> None:
    assert judge_follow_up(make_case("2024", ["2025"]), TODAY).reason == FOLLOWED_UP
    assert judge_follow_up(make_case("2024-02", ["2025"]), TODAY).reason == DUE


# ---------------------------------------------------------------- the reference date


def test_reference_date_is_the_newest_change() -> None:
    cases = [
        {"submitted": "2024-05-01", "updated": "2025-06"},
        {"submitted": "2025-06-10"},
        {"submitted": "2023"},
    ]
    assert newest_change(cases) == "2025-06-10"
    assert reference_date(cases) == "2025-06-10"
    assert newest_change([]) is None


def test_source_date_epoch_wins_as_a_utc_date() -> None:
    assert epoch_date("1795910400") == "2026-11-29"  # 2026-11-29T00:00:00Z
    assert epoch_date("1795996799") == "2026-11-29"
    assert reference_date([{"submitted": "2020"}], "1795910400") == "2026-11-29"
    with pytest.raises(ValueError):
        epoch_date("yesterday")


# ---------------------------------------------------------------- copro follow-ups


def write_done_when_cases(folder: Path, github: str | None = None) -> None:
    """Write the issue's two cases: ended March 2024 and due on 2026-11-29, and followed up."""
    due = make_case("2024-03", ["2024-06", "2024-12"], "march-2024-due", github=github)
    due.update(status="published", title="A service that ended in March 2024")
    done = make_case("2024-03", ["2024-12", "2025-03"], "march-2024-followed-up")
    done.update(status="published", title="A service followed up a year on")
    write(folder, due)
    write(folder, done)


def write(folder: Path, case: dict[str, Any]) -> Path:
    path = folder / f"{case['id']}.yaml"
    path.write_text(yaml.safe_dump(case, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder with the issue's due case and a followed-up one."""
    due = make_case("2024-03", ["2024-06", "2024-12"], "due-case", github="a-evaluator")
    due["title"] = "A case that needs a follow-up now"
    done = make_case("2024-03", ["2024-12", "2025-03"], "followed-up-case")
    write(tmp_path, due)
    write(tmp_path, done)
    write(tmp_path, qualitative(make_case("2024-01", [], "words-only-case")))
    return tmp_path


def test_text_lists_the_due_case(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["follow-ups", str(folder), "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "due-case: A case that needs a follow-up now",
        "  ended 2024-03, 32 months ago; latest result 2024-12 (9 months after the end); "
        "authors @a-evaluator (illustrative example)",
        "1 of 3 cases is due a follow-up on 2026-11-29.",
    ]


def test_json_holds_every_field_the_issue_names(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["follow-ups", str(folder), "--today", TODAY, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["today"] == TODAY
    assert report["checked"] == ["due-case", "followed-up-case", "words-only-case"]
    assert report["due"] == [
        {
            "id": "due-case",
            "title": "A case that needs a follow-up now",
            "status": "example",
            "end": "2024-03",
            "latest_result": "2024-12",
            "months_since_end": 32,
            "latest_result_months": 9,
            "github": ["a-evaluator"],
        }
    ]


def test_github_format_annotates_and_stops_commands(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(
        main, ["follow-ups", str(folder), "--today", TODAY, "--format", "github"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("::notice title=Follow-up due%3A due-case::A case that needs")
    assert lines[1].startswith("::stop-commands::")
    token = lines[1].split("::")[2]
    assert lines[-1] == f"::{token}::"


def test_nothing_due_still_exits_0(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["follow-ups", str(folder), "--today", "2025-01-01"])
    assert result.exit_code == 0
    assert result.output.strip() == "0 of 3 cases are due a follow-up on 2025-01-01."


def test_without_today_the_newest_case_change_is_used(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["follow-ups", str(folder), "--format", "json"])
    assert json.loads(result.output)["today"] == str(EXAMPLE["submitted"])


@pytest.mark.parametrize("today", ["2026-13-01", "29/11/2026", "2026-11", "tomorrow"])
def test_a_bad_date_is_a_usage_error(runner: CliRunner, folder: Path, today: str) -> None:
    result = runner.invoke(main, ["follow-ups", str(folder), "--today", today])
    assert result.exit_code == 2
    assert "is not a date. Write YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output


def test_a_missing_path_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["follow-ups", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no such file or folder" in result.output


def test_a_file_with_problems_is_left_out_and_exits_1(runner: CliRunner, folder: Path) -> None:
    bad = CASES / "invalid" / "two-problems-in-one-file.yaml"
    result = runner.invoke(main, ["follow-ups", str(folder), str(bad), "--today", TODAY])
    assert result.exit_code == 1
    assert "1 of 3 cases is due" in result.stdout
    assert "left out" in result.stderr and "two-problems-in-one-file.yaml:11:10" in result.stderr
    assert "Traceback" not in result.output


def test_hostile_titles_cannot_issue_workflow_commands(runner: CliRunner, tmp_path: Path) -> None:
    from tests.whole_site.test_adversarial import HOSTILE_TEXT, fit

    titles = [
        *HOSTILE_TEXT[:40],
        "x ::error file=README.md,line=1::All checks passed",
        "##[error]forged\n::warning::forged",
    ]
    for n, title in enumerate(titles):
        case = make_case("2024-03", ["2024-12"], f"hostile-{n:03d}")
        case["title"] = fit(title, 10, 140)
        write(tmp_path, case)
    for output_format in ("text", "github"):
        result = runner.invoke(
            main, ["follow-ups", str(tmp_path), "--today", TODAY, "--format", output_format]
        )
        assert result.exit_code == 0, result.output
        assert f"{len(titles)} of {len(titles)} cases are due" in result.output
        for line in result.output.splitlines():
            assert "##[" not in line, line
            if line.lstrip().startswith("::"):
                if line.startswith("::stop-commands::") or line.startswith("::notice title="):
                    continue
                assert re.fullmatch(r"::[0-9a-f]{32}::", line), line
    report = json.loads(
        runner.invoke(
            main, ["follow-ups", str(tmp_path), "--today", TODAY, "--format", "json"]
        ).output
    )
    assert len(report["due"]) == len(titles)
    assert all(case["title"] == " ".join(case["title"].split()) for case in report["due"])


def test_a_bad_source_date_epoch_stops_the_build_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mkdocs.exceptions import PluginError

    from generator.plugin import _source_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795910400")
    assert _source_date() == "2026-11-29"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert _source_date() == ""
    for bad in ("last tuesday", "1e9", "9" * 30):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        with pytest.raises(PluginError, match="is not a number of seconds"):
            _source_date()
