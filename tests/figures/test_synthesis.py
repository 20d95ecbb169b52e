"""Synthesis across cases as pure data: cell directions, arrow sizes, k of m with Wilson and sign test."""

from __future__ import annotations

import pytest

from generator.figures.synthesis import cell_direction, largest_n, size_bin, tally
from tests.charts.test_synthesis_plans import measurement, outcome


@pytest.mark.parametrize(
    ("verdicts", "direction"),
    [
        (["improved"] * 7 + ["worsened"] * 3, "improved"),
        (["improved"] * 6 + ["worsened"] * 4, "mixed"),
        (["improved"] * 6 + ["no-change"] * 4, "mixed"),
        (["worsened"] * 7 + ["improved"] * 3, "worsened"),
        (["worsened"] * 2 + ["improved"], "mixed"),
        (["worsened"] * 3 + ["improved"], "worsened"),
        (["no-change"], "no-change"),
        (["improved"], "improved"),
        (["improved", "worsened"], "mixed"),
    ],
)
def test_a_cell_takes_a_direction_at_70_percent(verdicts: list[str], direction: str) -> None:
    assert cell_direction(verdicts) == direction


def test_a_cell_needs_a_verdict() -> None:
    with pytest.raises(ValueError, match="at least one"):
        cell_direction([])


@pytest.mark.parametrize(
    ("n", "size"),
    [
        (None, "unknown"),
        (1, "under 50"),
        (49, "under 50"),
        (50, "50 to 300"),
        (300, "50 to 300"),
        (301, "over 300"),
    ],
)
def test_arrow_size_bins(n: int | None, size: str) -> None:
    assert size_bin(n) == size


def test_largest_n_reads_the_baseline_and_the_latest_result_only() -> None:
    first = outcome(40, 50, n=None)
    first["results"] = [measurement(45, "2022-06", 900), measurement(50, "2023-01", 60)]
    assert largest_n([first]) == 60
    assert largest_n([first, outcome(40, 50, n=320)]) == 320
    assert largest_n([outcome(40, 50, n=None)]) is None


def test_ten_of_twelve_improving_is_83_percent_wilson_55_to_95_sign_test_0_039() -> None:
    counted = tally(["improved"] * 10 + ["worsened"] * 2 + ["mixed", "no-change"])
    assert (counted.improved, counted.total, counted.mixed) == (10, 12, 2)
    assert counted.interval is not None
    assert round(counted.interval.low) == 55 and round(counted.interval.high) == 95
    assert counted.p_value is not None and round(counted.p_value, 3) == 0.039


def test_sign_test_is_left_out_below_six_and_mixed_cells_never_count() -> None:
    assert tally(["improved"] * 5 + ["mixed"] * 9).p_value is None
    six = tally(["improved"] * 6 + ["mixed"] * 9)
    assert (six.total, round(six.p_value or 0, 4)) == (6, 0.0312)
    nothing = tally(["mixed", "no-change"])
    assert (nothing.total, nothing.interval, nothing.p_value) == (0, None, None)
