"""Synthesis across cases: the effect direction rules of Boon and Thomson (2021), as pure data.

The effect direction plot (SWiM guideline, Campbell et al. 2020) gives each case one
direction per outcome domain, then counts across cases how many improved and tests that
count with a two-sided sign test. Nothing here pools effect sizes: the cases are
self-selected and most designs are uncontrolled (see the method page, "no pooled average").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.figures.derive import latest_result
from generator.figures.uncertainty import Interval, sign_test, wilson
from generator.vocabulary import Data

# A cell takes a direction when at least 7 in 10 of its outcomes point that way.
DIRECTION_SHARE = (7, 10)
# Boon and Thomson's arrow sizes, by the final sample size.
SMALL_BELOW = 50
LARGE_ABOVE = 300
# Below this many cases with a direction, a sign test says too little to show.
SIGN_TEST_MINIMUM = 6


@dataclass(frozen=True)
class ColumnTally:
    """How many of the cases with a direction in one domain improved, with its uncertainty."""

    improved: int
    total: int
    mixed: int
    interval: Interval | None
    p_value: float | None


def cell_direction(verdicts: Sequence[str]) -> str:
    """Return a cell's direction: improved or worsened at 70% or more, else mixed or no-change."""
    if not verdicts:
        raise ValueError("a cell needs at least one verdict")
    counts = Counter(verdicts)
    wanted, of = DIRECTION_SHARE
    for direction in ("improved", "worsened", "no-change"):
        # Whole numbers, so 7 of 10 is exactly 70% and never a float just short of it.
        if counts[direction] * of >= wanted * len(verdicts):
            return direction
    return "mixed"


def size_bin(n: int | None) -> str:
    """Return the arrow size for the largest n: under 50, 50 to 300, over 300 or unknown."""
    if n is None:
        return "unknown"
    if n < SMALL_BELOW:
        return "under 50"
    return "over 300" if n > LARGE_ABOVE else "50 to 300"


def largest_n(outcomes: Iterable[Data]) -> int | None:
    """Return the largest n on the measurements each outcome's change compares, or None."""
    found = [
        int(item["n"])
        for outcome in outcomes
        for item in (outcome.get("baseline"), latest_result(outcome))
        if item is not None and item.get("n") is not None
    ]
    return max(found, default=None)


def tally(directions: Iterable[str]) -> ColumnTally:
    """Return k of m improved, leaving mixed and no-change cells out of m, as the sign test does.

    The Wilson interval is statsmodels' (``uncertainty.wilson``); the two-sided sign test is
    scipy's ``binomtest`` (``uncertainty.sign_test``), only when m is at least 6.
    """
    counts = Counter(directions)
    improved, total = counts["improved"], counts["improved"] + counts["worsened"]
    mixed = counts["mixed"] + counts["no-change"]
    interval = wilson(improved, total) if total else None
    p_value = sign_test(improved, total) if total >= SIGN_TEST_MINIMUM else None
    return ColumnTally(improved, total, mixed, interval, p_value)


def share_improved(verdicts: Sequence[str]) -> float | None:
    """Return the share of verdicts that are improved, 0 to 1, or None without any."""
    return sum(1 for v in verdicts if v == "improved") / len(verdicts) if verdicts else None
