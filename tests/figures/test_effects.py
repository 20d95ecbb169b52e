"""Contract 1.2: the effect each outcome is judged by, and the corrections to 1.1.

Every figure is checked against an independent computation (scipy, statsmodels or by hand); each
correction names the 1.1 figure it replaces, so the test fails on the code that produced it.
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import binomtest, norm
from scipy.stats import t as student
from statsmodels.stats.proportion import confint_proportions_2indep

from generator.figures.derive import derive_case, derive_change, derive_effect
from generator.figures.effects import choose_effect
from generator.figures.uncertainty import Interval, percent_count, proportion_difference
from generator.figures.words import format_ends, format_range


def m(value: float | None, date: str, **more: object) -> dict:
    return ({"value": value} if value is not None else {}) | {"date": date, **more}


def trial(
    after: dict, c_after: dict, unit: str = "percent", better: str = "lower", **more: object
) -> dict:
    """An outcome measured only after randomisation: one result in each group."""
    return {
        "unit": unit,
        "better": better,
        "results": [after],
        "comparison": {"label": "Workbook by post", "results": [c_after]},
        **more,
    }


# Rule 2, after randomisation only: Newcombe, Welch, the exact ratio


def test_post_only_percentages_newcombe_worked_check() -> None:
    """The contract's check: 64/218 against 83/216 is -9.07 points, -17.78 to -0.16."""
    outcome = trial(m(None, "2017", count=64, n=218), m(None, "2017", count=83, n=216))
    effect = derive_effect(outcome, {"evaluation": {"design": "randomised"}})
    assert effect is not None and effect.source == "hub" and effect.design == "comparison"
    assert effect.statistic == "risk-difference"
    assert effect.value == pytest.approx(100 * (64 / 218 - 83 / 216))
    assert round(effect.value, 2) == -9.07
    low, high = confint_proportions_2indep(64, 218, 83, 216, method="newcomb", compare="diff")
    assert effect.interval is not None
    assert (effect.interval.low, effect.interval.high) == pytest.approx(
        (100 * low, 100 * high), abs=1e-6
    )
    assert (round(effect.interval.low, 2), round(effect.interval.high, 2)) == (-17.78, -0.16)
    assert (effect.verdict, effect.certainty) == ("improved", "clear")
    assert effect.events == 64 + 83 and effect.people == 218 + 216


def test_post_only_means_welch() -> None:
    outcome = trial(m(0.89, "2011", sd=1.35, n=38), m(1.53, "2011", sd=1.54, n=36), unit="other")
    effect = derive_effect(outcome)
    v1, v2 = 1.35**2 / 38, 1.54**2 / 36
    df = (v1 + v2) ** 2 / (v1**2 / 37 + v2**2 / 35)
    margin = float(student.ppf(0.975, df)) * math.sqrt(v1 + v2)
    assert effect is not None and effect.interval is not None
    assert effect.value == pytest.approx(-0.64)
    assert effect.interval.low == pytest.approx(-0.64 - margin, abs=1e-6)
    assert effect.interval.high == pytest.approx(-0.64 + margin, abs=1e-6)


def test_post_only_counts_exact_ratio() -> None:
    effect = derive_effect(trial(m(6, "2024"), m(12, "2024"), unit="count"))
    ci = binomtest(6, 18).proportion_ci(confidence_level=0.95, method="exact")
    assert effect is not None and effect.scale == "ratio" and effect.value == pytest.approx(0.5)
    assert effect.interval is not None
    assert effect.interval.low == pytest.approx(ci.low / (1 - ci.low), abs=1e-6)
    assert effect.interval.high == pytest.approx(ci.high / (1 - ci.high), abs=1e-6)


def test_results_paired_by_date_and_never_more_than_three_months_apart() -> None:
    outcome = trial(m(30, "2024-12", n=100), m(40, "2024-01", n=100))
    outcome["comparison"]["results"].append(m(45, "2024-10", n=100))
    effect = derive_effect(outcome)
    assert effect is not None and effect.value == pytest.approx(-15)  # against 2024-10, not 2024-01
    far = trial(m(30, "2024-12", n=100), m(40, "2024-01", n=100))
    choice = choose_effect(far, "randomised")
    assert choice.effect is None
    assert "11 months apart" in choice.why_none


# Rule 3: paired change


def test_paired_change_uses_t_on_n_minus_1() -> None:
    outcome = {
        "unit": "score",
        "better": "higher",
        "scale": {"min": 7, "max": 35},
        "paired": True,
        "baseline": m(17.3, "2022", n=80),
        "results": [m(21.9, "2023", n=80, sd_change=4.1)],
    }
    effect = derive_effect(outcome)
    margin = float(student.ppf(0.975, 79)) * 4.1 / math.sqrt(80)
    assert effect is not None and effect.design == "paired-change"
    assert effect.value == pytest.approx(4.6)
    assert effect.interval is not None
    assert effect.interval.low == pytest.approx(4.6 - margin, abs=1e-6)
    assert effect.pomp == pytest.approx(4.6 * 100 / 28)


# Rule 1: the authors' estimate, with the hub's own beside it


def test_reported_odds_ratio_is_used_on_its_own_scale_with_the_hub_beside_it() -> None:
    outcome = trial(
        m(None, "2017", count=64, n=218),
        m(None, "2017", count=83, n=216),
        reported={
            "statistic": "odds-ratio",
            "value": 0.66,
            "ci": {"low": 0.43, "high": 0.99},
            "p": 0.0438,
        },
    )
    choice = choose_effect(outcome, "randomised")
    effect, hub = choice.effect, choice.hub
    assert effect is not None and hub is not None
    assert (effect.source, effect.scale, effect.value) == ("reported", "ratio", 0.66)
    assert effect.interval == Interval(0.43, 0.99, "ratio")
    assert (effect.verdict, effect.certainty) == ("improved", "clear")  # below 1, lower is better
    assert hub.source == "hub" and round(hub.value or 0, 2) == -9.07
    assert effect.events == 147  # taken from the hub's counts


def test_a_reported_interval_that_includes_no_change_reads_could_be_chance() -> None:
    """The stepped-wedge example of the issue: -1.70 (-3.81 to 0.40) is no clear difference."""
    outcome = {
        "unit": "score",
        "better": "higher",
        "scale": {"min": 24, "max": 120},
        "reported": {
            "statistic": "mean-difference",
            "value": -1.7,
            "ci": {"low": -3.81, "high": 0.4},
            "p": 0.11,
        },
    }
    effect = derive_effect(outcome, {"evaluation": {"design": "stepped-wedge"}})
    assert effect is not None and effect.certainty == "could-be-chance"
    assert effect.verdict == "worsened"  # the point estimate's direction only


@pytest.mark.parametrize(
    ("p", "p_below", "certainty"),
    [
        (0.03, None, "clear"),
        (0.2, None, "could-be-chance"),
        (None, 0.001, "clear"),
        (None, 0.1, "not-tested"),
    ],
)
def test_a_reported_p_without_an_interval_decides_certainty(
    p: float | None, p_below: float | None, certainty: str
) -> None:
    reported = {"statistic": "mean-difference", "value": 2.0} | (
        {"p": p} if p is not None else {"p_below": p_below}
    )
    effect = derive_effect({"unit": "other", "better": "higher", "reported": reported})
    assert effect is not None and effect.interval is None and effect.certainty == certainty


def test_a_90_percent_interval_is_rescaled_to_95() -> None:
    reported = {
        "statistic": "risk-ratio",
        "value": 0.8,
        "ci": {"low": 0.65, "high": 0.98, "level": 90},
    }
    effect = derive_effect({"unit": "percent", "better": "lower", "reported": reported})
    centre, half = (math.log(0.65) + math.log(0.98)) / 2, (math.log(0.98) - math.log(0.65)) / 2
    half *= norm.ppf(0.975) / norm.ppf(0.95)
    assert effect is not None and effect.interval is not None
    assert effect.interval.low == pytest.approx(math.exp(centre - half), abs=1e-6)
    assert effect.interval.high == pytest.approx(math.exp(centre + half), abs=1e-6)
    assert effect.certainty == "could-be-chance"  # the 95% range reaches past 1


# Corrections to 1.1


def test_difference_in_differences_of_means_uses_welch_t_not_1_96() -> None:
    """1.1 gave 0.23 to 5.77 for 10 to 13 against 10 to 10, SD 1, 2 per arm: t gives -0.93 to 6.93."""
    outcome = {
        "unit": "score",
        "better": "higher",
        "scale": {"min": 0, "max": 20},
        "baseline": m(10, "2022", sd=1, n=2),
        "results": [m(13, "2023", sd=1, n=2)],
        "comparison": {
            "label": "C",
            "baseline": m(10, "2022", sd=1, n=2),
            "results": [m(10, "2023", sd=1, n=2)],
        },
    }
    effect = derive_effect(outcome)
    assert effect is not None and effect.interval is not None
    margin = float(student.ppf(0.975, 4)) * math.sqrt(4 * 0.5)  # df 4 by Welch-Satterthwaite
    assert (effect.interval.low, effect.interval.high) == pytest.approx(
        (3 - margin, 3 + margin), abs=1e-6
    )
    assert (round(effect.interval.low, 2), round(effect.interval.high, 2)) == (-0.93, 6.93)
    assert effect.certainty == "could-be-chance"


def test_both_standard_deviations_zero_give_no_interval() -> None:
    """1.1 gave "Improved (95% range 0.5 to 0.5)"."""
    change = derive_change(
        {"unit": "score", "better": "higher", "scale": {"min": 1, "max": 5},
         "baseline": m(3, "2022", sd=0, n=10), "results": [m(3.5, "2023", sd=0, n=10)]}
    )  # fmt: skip
    assert change is not None and change.interval is None and change.certainty == "not-tested"


def test_a_percentage_at_0_or_100_uses_newcombe_for_each_arm() -> None:
    """The Wald variance of 100% is 0: the arms' Newcombe intervals are combined (MOVER)."""
    outcome = {
        "unit": "percent",
        "better": "higher",
        "baseline": m(50, "2022", n=20),
        "results": [m(100, "2023", n=20)],
        "comparison": {
            "label": "C",
            "baseline": m(50, "2022", n=20),
            "results": [m(60, "2023", n=20)],
        },
    }
    effect = derive_effect(outcome)
    arm1 = proportion_difference(20, 20, 10, 20)
    arm2 = proportion_difference(12, 20, 10, 20)
    assert effect is not None and effect.interval is not None and arm1 and arm2
    d1, d2 = 50, 10
    low = 40 - math.sqrt((d1 - arm1.low) ** 2 + (arm2.high - d2) ** 2)
    high = 40 + math.sqrt((arm1.high - d1) ** 2 + (d2 - arm2.low) ** 2)
    assert (effect.interval.low, effect.interval.high) == pytest.approx((low, high), abs=1e-6)
    assert effect.interval.high > 40  # the Wald interval would have been too narrow


def test_a_percentage_difference_stays_within_100_points() -> None:
    interval = proportion_difference(10, 10, 0, 10)
    assert interval is not None and interval.high <= 100 and interval.low >= -100


def test_a_comparison_count_of_0_is_not_tested_and_never_the_uncontrolled_change() -> None:
    """1.1 dropped the effect and judged 40 to 10 "Improved, clear", though the comparison group
    (5 to 0) improved more."""
    outcome = {
        "unit": "count",
        "better": "lower",
        "baseline": m(40, "2022"),
        "results": [m(10, "2023")],
        "comparison": {"label": "C", "baseline": m(5, "2022"), "results": [m(0, "2023")]},
    }
    case = {
        "evaluation": {"design": "before-after-with-comparison", "evaluator": "internal"},
        "coproduction": {"start": "2021"},
        "principles": {
            p: {"rating": "unknown"}
            for p in ("equality", "diversity", "accessibility", "reciprocity")
        },
        "outcomes": [outcome],
    }
    (figures,) = derive_case(case).outcomes
    assert figures.change is not None and figures.change.certainty == "clear"
    assert figures.effect is not None and figures.effect.value is None
    assert figures.judgement == ("worsened", "not-tested")
    assert "fell to 0" in figures.effect.note


def test_counts_from_percentages_round_half_up() -> None:
    """12.5% of 100 is 12.5 people: 13, where Python's round gives 12."""
    assert percent_count(12.5, 100) == 13 and round(12.5) == 12
    assert percent_count(37.5, 8) == 3  # 3.0 exactly
    assert percent_count(62.5, 4) == 3  # 2.5 rounds up


def test_no_relative_change_for_scores() -> None:
    change = derive_change(
        {"unit": "score", "better": "higher", "scale": {"min": 1, "max": 5},
         "baseline": m(2, "2022"), "results": [m(3, "2023")]}
    )  # fmt: skip
    assert change is not None and change.relative is None


@pytest.mark.parametrize(
    ("low", "high", "scale", "shown"),
    [
        (0.4, 9.6, "difference", "0.4 to 9.6"),
        (-0.4, 9.6, "difference", "\u22120.4 to 9.6"),
        (-0.004, 12, "difference", "\u22120.004 to 12"),
        (0.996, 1.5, "ratio", "0.996 to 1.5"),
        (1.004, 2.1, "ratio", "1.004 to 2.1"),
    ],
)
def test_interval_ends_keep_their_side_of_no_change(
    low: float, high: float, scale: str, shown: str
) -> None:
    assert format_ends(Interval(low, high, scale)) == shown
    assert shown in format_range(Interval(low, high, scale), "other")
