"""Derive whether a case is due a follow-up, and the reference date a build judges it on.

A case is **due** when all three hold on the reference date:

1. its co-production ended at least ``FOLLOW_UP_MONTHS`` (12) months before;
2. it has at least one outcome with numbers (a baseline or a result);
3. no outcome has a result dated ``FOLLOW_UP_MONTHS`` months or more after the end.

Months are counted at month resolution, with ``generator.derive.months_between``: from an end
in March 2024, a result in March 2025 is 12 months after it, and so is 29 November 2026 a date
32 months after it. The reference date is given (``copro follow-ups --today``) or, in a build,
the newest case change (``reference_date``): never the clock, so builds stay byte-identical.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from generator.figures.derive import latest_result, month_key, months_between
from generator.vocabulary import Data

FOLLOW_UP_MONTHS = 12

# Why a case is, or is not, due: one code each, turned into words where it is shown.
ONGOING = "ongoing"
NO_NUMBERS = "no-numbers"
TOO_SOON = "too-soon"
FOLLOWED_UP = "followed-up"
DUE = "due"
# A summary reports what a published evaluation found; a later result would be a new publication,
# so no reminder is sent to the people who summarised it.
SUMMARY = "summary"


@dataclass(frozen=True)
class FollowUp:
    """Whether one case is due a follow-up on a reference date, and the facts that decide it."""

    case_id: str
    due: bool
    reason: str
    today: str
    end: str | None
    months_since_end: int | None
    latest_result: str | None
    latest_result_months: int | None


def numbered_outcomes(case: Data) -> list[Data]:
    """Return the outcomes that carry numbers: a baseline or at least one result."""
    return [o for o in case["outcomes"] if "baseline" in o or o.get("results")]


def latest_result_date(outcomes: Iterable[Data]) -> str | None:
    """Return the date of the latest result across outcomes, or None when there is none."""
    latest = [result for result in map(latest_result, outcomes) if result is not None]
    if not latest:
        return None
    # max() keeps the first of equal months; any of them names the same month.
    return str(max(latest, key=lambda result: month_key(result["date"]))["date"])


def judge_follow_up(case: Data, today: str) -> FollowUp:
    """Return whether the case is due a follow-up on ``today`` (YYYY[-MM[-DD]]), and why."""
    end = case["coproduction"].get("end")
    outcomes = numbered_outcomes(case)
    latest = latest_result_date(outcomes)
    if end is None:
        return FollowUp(str(case["id"]), False, ONGOING, today, None, None, latest, None)
    end = str(end)
    since_end = months_between(end, today)
    latest_months = months_between(end, latest) if latest is not None else None
    if case.get("status") == "summary":
        reason = SUMMARY
    elif not outcomes:
        reason = NO_NUMBERS
    elif since_end < FOLLOW_UP_MONTHS:
        reason = TOO_SOON
    elif latest_months is not None and latest_months >= FOLLOW_UP_MONTHS:
        reason = FOLLOWED_UP
    else:
        reason = DUE
    return FollowUp(
        str(case["id"]), reason == DUE, reason, today, end, since_end, latest, latest_months
    )


def newest_change(cases: Iterable[Data]) -> str | None:
    """Return the latest ``updated`` or ``submitted`` date across cases, or None without cases."""
    dates = [str(case[key]) for case in cases for key in ("submitted", "updated") if key in case]
    if not dates:
        return None
    # Compare whole dates, partial ones as their first day, so 2025-06 and 2025-06-10 order well.
    return max(dates, key=lambda date: (*month_key(date), _day(date)))


def _day(date: str) -> int:
    parts = date.split("-")
    return int(parts[2]) if len(parts) > 2 else 1


def epoch_date(source_date_epoch: str) -> str:
    """Return the UTC date of a SOURCE_DATE_EPOCH value; raise ValueError if it is not one."""
    seconds = int(source_date_epoch.strip())
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    return moment.date().isoformat()


def reference_date(cases: Iterable[Data], source_date_epoch: str | None = None) -> str | None:
    """Return the date a build judges follow-ups on: SOURCE_DATE_EPOCH, else the newest change."""
    if source_date_epoch:
        return epoch_date(source_date_epoch)
    return newest_change(cases)


def due_follow_ups(cases: Iterable[Data], today: str) -> list[FollowUp]:
    """Return the follow-up judgement of every case, in the order given."""
    return [judge_follow_up(case, today) for case in cases]
