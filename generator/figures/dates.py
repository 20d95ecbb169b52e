"""Dates as a case writes them (YYYY, YYYY-MM, YYYY-MM-DD), compared at month resolution.

A partial date stands for its first day (``2023`` is 2023-01-01, ``2023-09`` is 2023-09-01) and
the day of a full date is ignored, so ``months_between(start, end)`` is
``(y2 - y1) * 12 + (m2 - m1)``: from 2023-09 to 2024-09-30 is 12 months, and from 2023 to
2023-09 is 8 months. An outcome's latest result is the one with the latest date; when two share
a month, the one later in the list counts as the latest.
"""

from __future__ import annotations

from generator.vocabulary import Data


def month_key(date: str) -> tuple[int, int]:
    """Return (year, month) for a YYYY, YYYY-MM or YYYY-MM-DD date."""
    # str() guards against a loader that hands over a date object or a bare year.
    parts = str(date).split("-")
    month = int(parts[1]) if len(parts) > 1 else 1
    return int(parts[0]), month


def months_between(start: str, end: str) -> int:
    """Return whole months from start to end, negative if end is earlier."""
    start_year, start_month = month_key(start)
    end_year, end_month = month_key(end)
    return (end_year - start_year) * 12 + (end_month - start_month)


def latest_result(outcome: Data) -> Data | None:
    """Return the result with the latest date, or None when there are none."""
    results = outcome.get("results") or []
    if not results:
        return None
    # sorted() is stable, so of results in the same month the later listed wins.
    latest: Data = sorted(results, key=lambda result: month_key(result["date"]))[-1]
    return latest
