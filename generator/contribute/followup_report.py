"""Report the cases due a follow-up as text, JSON or GitHub annotations (``copro follow-ups``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from generator.cases.reporters import annotation, neutralise, with_commands_stopped
from generator.cases.text import one_line
from generator.figures.followups import FollowUp, judge_follow_up
from generator.vocabulary import Data


@dataclass(frozen=True)
class DueCase:
    """A case due a follow-up: what a reminder names and whom it mentions."""

    id: str
    title: str
    status: str
    end: str
    latest_result: str | None
    months_since_end: int
    latest_result_months: int | None
    github: tuple[str, ...]


@dataclass(frozen=True)
class FollowUpReport:
    """The cases checked on a reference date, and those of them due a follow-up."""

    today: str
    checked: tuple[str, ...]
    due: tuple[DueCase, ...]


def due_case(case: Data, follow_up: FollowUp) -> DueCase:
    """Return the reminder facts of a case that is due."""
    handles = (a["github"] for a in case["authors"] if a.get("github"))
    return DueCase(
        id=follow_up.case_id,
        title=one_line(str(case["title"])),
        status=str(case["status"]),
        end=str(follow_up.end),
        latest_result=follow_up.latest_result,
        months_since_end=int(follow_up.months_since_end or 0),
        latest_result_months=follow_up.latest_result_months,
        github=tuple(dict.fromkeys(handles)),
    )


def follow_up_report(cases: Iterable[Data], today: str) -> FollowUpReport:
    """Judge every case on ``today`` and collect the due ones, by id."""
    ordered = sorted(cases, key=lambda case: str(case["id"]))
    judged = [(case, judge_follow_up(case, today)) for case in ordered]
    return FollowUpReport(
        today=today,
        checked=tuple(follow_up.case_id for _, follow_up in judged),
        due=tuple(due_case(case, f) for case, f in judged if f.due),
    )


def summary(report: FollowUpReport) -> str:
    """Say how many cases are due, e.g. "2 of 9 cases are due a follow-up on 2026-11-29"."""
    due, checked = len(report.due), len(report.checked)
    cases = "case" if checked == 1 else "cases"
    verb = "is" if due == 1 else "are"
    return f"{due} of {checked} {cases} {verb} due a follow-up on {report.today}."


def describe(case: DueCase) -> str:
    """Say in one line why a case is due."""
    latest = (
        f"latest result {case.latest_result} ({case.latest_result_months} months after the end)"
        if case.latest_result is not None
        else "no result yet"
    )
    mention = f"; authors {' '.join('@' + h for h in case.github)}" if case.github else ""
    example = " (illustrative example)" if case.status == "example" else ""
    return f"ended {case.end}, {case.months_since_end} months ago; {latest}{mention}{example}"


def text_follow_ups(report: FollowUpReport) -> str:
    """Return one entry per due case, then a summary line."""
    lines = [neutralise(f"{c.id}: {c.title}\n  {describe(c)}") for c in report.due]
    return "\n".join([*lines, summary(report)])


def json_follow_ups(report: FollowUpReport) -> str:
    """Return the machine-readable list that the reminder workflow reads."""
    return json.dumps(
        {
            "today": report.today,
            "checked": list(report.checked),
            "due": [asdict(case) | {"github": list(case.github)} for case in report.due],
            "summary": summary(report),
        },
        indent=2,
        ensure_ascii=False,
    )


def github_follow_ups(report: FollowUpReport) -> str:
    """Return one ``::notice`` annotation per due case, then the text list."""
    notices = [
        annotation("notice", f"{c.title}: {describe(c)}", title=f"Follow-up due: {c.id}")
        for c in report.due
    ]
    return with_commands_stopped(notices, text_follow_ups(report))


FOLLOW_UP_REPORTER_BY_NAME: dict[str, Callable[[FollowUpReport], str]] = {
    "text": text_follow_ups,
    "json": json_follow_ups,
    "github": github_follow_ups,
}
