"""Intervals, certainty and POMP (contract 1.1) against hand-computed and published values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.figures.derive import derive_case, derive_change, derive_effect
from generator.figures.uncertainty import (
    Interval,
    certainty_of,
    change_interval,
    count_ratio,
    mean_difference,
    percent_count,
    pomp,
    proportion_difference,
    sign_test,
    wilson,
)
from generator.figures.words import change_sentence, judgement_words


def test_newcombe_worked_check() -> None:
    """Newcombe (1998), example (c): 56/70 against 48/80 gives 0.0524 to 0.3339."""
    interval = proportion_difference(56, 70, 48, 80)
    assert interval is not None
    assert interval.low / 100 == pytest.approx(0.0524, abs=5e-5)
    assert interval.high / 100 == pytest.approx(0.3339, abs=5e-5)
    assert interval.scale == "difference"


def test_wilson_and_sign_test_worked_check() -> None:
    """10 of 12 cases improving: 83%, Wilson 55% to 95%, sign test P = 0.039."""
    interval = wilson(10, 12)
    assert interval is not None
    assert (round(interval.low), round(interval.high)) == (55, 95)
    assert round(sign_test(10, 12), 3) == 0.039


def test_issue_examples_could_be_chance() -> None:
    """38% to 75% of 8 people: -9 to +67 points. Complaints 12 to 6: ratio 0.15 to 1.44."""
    confidence = proportion_difference(percent_count(75, 8), 8, percent_count(38, 8), 8)
    assert confidence is not None
    assert (round(confidence.low), round(confidence.high)) == (-9, 67)
    assert certainty_of(confidence) == "could-be-chance"
    complaints = count_ratio(6, 12)
    assert complaints is not None
    assert (round(complaints.low, 2), round(complaints.high, 2)) == (0.15, 1.44)
    assert complaints.scale == "ratio"
    assert certainty_of(complaints) == "could-be-chance"


def test_count_ratio_by_hand() -> None:
    """Exact Clopper-Pearson bounds for 6 of 18, turned into a ratio: p / (1 - p)."""
    from scipy.stats import beta

    low_share = beta.ppf(0.025, 6, 18 - 6 + 1)
    high_share = beta.ppf(0.975, 6 + 1, 18 - 6)
    interval = count_ratio(6, 12)
    assert interval is not None
    assert interval.low == pytest.approx(low_share / (1 - low_share), abs=1e-6)
    assert interval.high == pytest.approx(high_share / (1 - high_share), abs=1e-6)


def test_count_ratio_holds_at_zero_and_needs_a_baseline() -> None:
    interval = count_ratio(0, 5)
    assert interval is not None and interval.low == 0 and interval.high > 0
    assert count_ratio(4, 0) is None


def test_welch_by_hand() -> None:
    """3.8 (sd 0.9, n 24) against 3.1 (sd 1.0, n 25): SE 0.2716, Welch df 46.8, t 2.0117."""
    se = math.sqrt(0.9**2 / 24 + 1.0**2 / 25)
    df = (0.9**2 / 24 + 1.0**2 / 25) ** 2 / ((0.9**2 / 24) ** 2 / 23 + (1.0**2 / 25) ** 2 / 24)
    assert df == pytest.approx(46.8, abs=0.05)
    interval = mean_difference(3.8, 0.9, 24, 3.1, 1.0, 25)
    assert interval is not None
    assert interval.low == pytest.approx(0.7 - 2.0117 * se, abs=1e-3)
    assert interval.high == pytest.approx(0.7 + 2.0117 * se, abs=1e-3)
    assert (round(interval.low, 2), round(interval.high, 2)) == (0.15, 1.25)


def outcome(unit: str, before: dict, after: dict, **more: object) -> dict:
    return {"unit": unit, "better": "higher", "baseline": before, "results": [after], **more}


def m(value: float, date: str, **more: object) -> dict:
    return {"value": value, "date": date, **more}


def test_which_rule_applies() -> None:
    assert change_interval("percent", m(40, "2022"), m(60, "2023", n=50)) is None  # no n before
    assert change_interval("count", m(4.5, "2022"), m(6, "2023")) is None  # not whole
    assert change_interval("count", m(0, "2022"), m(6, "2023")) is None  # baseline below 1
    assert change_interval("score", m(3, "2022", n=20), m(4, "2023", n=20)) is None  # no sd
    assert change_interval("score", m(3, "2022", n=1, sd=1), m(4, "2023", n=9, sd=1)) is None
    assert change_interval("tonnes", m(3, "2022"), m(4, "2023")) is None
    assert change_interval("days", m(30, "2022", n=40, sd=8), m(24, "2023", n=40, sd=7))


def test_percent_effect_by_hand() -> None:
    """Difference in differences: (81-58) - (62-60) = 21, variance from each arm's p(1-p)/n."""
    before, after = m(58, "2022", n=64), m(81, "2024", n=61)
    c_before, c_after = m(60, "2022", n=70), m(62, "2024", n=72)
    data = outcome(
        "percent",
        before,
        after,
        comparison={"label": "Elsewhere", "baseline": c_before, "results": [c_after]},
    )
    effect = derive_effect(data)
    assert effect is not None and effect.value == 21.0 and effect.scale == "difference"

    def var(count: int, n: int) -> float:
        return (count / n) * (1 - count / n) / n

    variance = (
        var(percent_count(81, 61), 61)
        + var(percent_count(58, 64), 64)
        + var(percent_count(62, 72), 72)
        + var(percent_count(60, 70), 70)
    ) * 100**2
    assert effect.interval is not None
    assert effect.interval.low == pytest.approx(21 - 1.96 * math.sqrt(variance), abs=1e-4)
    assert effect.interval.high == pytest.approx(21 + 1.96 * math.sqrt(variance), abs=1e-4)
    assert effect.certainty == "could-be-chance"  # -1.4 to 43.4 includes 0


def test_mean_effect_and_pomp_by_hand() -> None:
    data = outcome(
        "score",
        m(2.4, "2022", n=120, sd=1.1),
        m(3.3, "2023", n=112, sd=1.0),
        scale={"min": 1, "max": 5},
        comparison={
            "label": "Standard support",
            "baseline": m(2.5, "2022", n=118, sd=1.1),
            "results": [m(2.9, "2023", n=113, sd=1.1)],
        },
    )
    effect = derive_effect(data)
    assert effect is not None and effect.value == pytest.approx(0.5)
    parts = [(1.0**2 / 112, 112), (1.1**2 / 120, 120), (1.1**2 / 113, 113), (1.1**2 / 118, 118)]
    variance = sum(v for v, _ in parts)
    df = variance**2 / sum(v**2 / (n - 1) for v, n in parts)  # Welch-Satterthwaite
    from scipy.stats import t as student

    margin = float(student.ppf(0.975, df)) * math.sqrt(variance)
    assert effect.interval is not None
    assert effect.interval.low == pytest.approx(0.5 - margin, abs=1e-5)
    assert effect.pomp == pytest.approx(12.5)  # 0.5 x 100 / (5 - 1)
    change = derive_change(data)
    assert change is not None and change.pomp == pytest.approx(22.5)


def test_count_effect_ratio_of_ratios_by_hand() -> None:
    data = outcome(
        "count",
        m(47, "2023"),
        m(28, "2025"),
        comparison={"label": "Line 4", "baseline": m(39, "2023"), "results": [m(30, "2025")]},
    )
    data["better"] = "lower"
    effect = derive_effect(data)
    assert effect is not None and effect.scale == "ratio"
    value = (28 / 47) / (30 / 39)
    se = math.sqrt(1 / 28 + 1 / 47 + 1 / 30 + 1 / 39)
    assert effect.value == pytest.approx(value)
    assert effect.interval is not None
    assert effect.interval.low == pytest.approx(math.exp(math.log(value) - 1.96 * se), abs=1e-5)
    assert effect.interval.high == pytest.approx(math.exp(math.log(value) + 1.96 * se), abs=1e-5)
    assert effect.verdict == "improved" and effect.certainty == "could-be-chance"


def test_effect_decides_the_certainty() -> None:
    """The participants' change alone is clear, the effect could be chance: the effect wins."""
    case = {
        "evaluation": {"design": "before-after-with-comparison", "evaluator": "internal"},
        "coproduction": {"start": "2022", "end": "2022-06"},
        "principles": {
            p: {"rating": "unknown"}
            for p in ("equality", "diversity", "accessibility", "reciprocity")
        },
        "outcomes": [
            outcome(
                "count",
                m(47, "2023"),
                m(28, "2025"),
                better="lower",
                comparison={"label": "L4", "baseline": m(39, "2023"), "results": [m(30, "2025")]},
            )
        ],
    }
    figures = derive_case(case).outcomes[0]
    assert figures.change is not None and figures.change.certainty == "clear"
    assert figures.judgement == ("improved", "could-be-chance")


def test_pomp_needs_a_scale() -> None:
    assert pomp(1.0, {"min": 1, "max": 5}) == 25.0
    assert pomp(1.0, None) is None


@pytest.mark.parametrize(
    ("verdict", "certainty", "words"),
    [
        ("improved", "clear", "Improved"),
        ("worsened", "clear", "Worsened"),
        ("improved", "could-be-chance", "Unclear: the change could be chance"),
        ("worsened", "could-be-chance", "Unclear: the change could be chance"),
        ("improved", "not-tested", "Improved (not tested for chance)"),
        ("worsened", "not-tested", "Worsened (not tested for chance)"),
        ("no-change", "not-tested", "No change"),
    ],
)
def test_words_follow_the_contract(verdict: str, certainty: str, words: str) -> None:
    assert judgement_words(verdict, certainty) == words


def test_change_sentence_reads_with_its_range() -> None:
    change = derive_change(outcome("percent", m(58, "2022-11", n=64), m(81, "2024-09", n=61)))
    assert change is not None
    assert change_sentence(change, "percent") == "23 points higher (95% range 6.3 to 37 points)"


# Properties


@settings(max_examples=150, deadline=None)
@given(
    n_before=st.integers(1, 400),
    n_after=st.integers(1, 400),
    share_before=st.floats(0, 1),
    share_after=st.floats(0, 1),
)
def test_proportion_interval_contains_its_estimate(
    n_before: int, n_after: int, share_before: float, share_after: float
) -> None:
    before, after = round(share_before * n_before), round(share_after * n_after)
    interval = proportion_difference(after, n_after, before, n_before)
    assert interval is not None
    estimate = 100 * (after / n_after - before / n_before)
    assert interval.low - 1e-6 <= estimate <= interval.high + 1e-6


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 300), share_before=st.floats(0.05, 0.95), share_after=st.floats(0.05, 0.95))
def test_more_respondents_never_widen_the_interval(
    n: int, share_before: float, share_after: float
) -> None:
    """Same shares, four times the respondents: the range is no wider."""
    small = proportion_difference(round(share_after * n), n, round(share_before * n), n)
    large = proportion_difference(
        round(share_after * n) * 4, 4 * n, round(share_before * n) * 4, 4 * n
    )
    assert small is not None and large is not None
    assert large.high - large.low <= small.high - small.low + 1e-9


@settings(max_examples=100, deadline=None)
@given(latest=st.integers(0, 500), baseline=st.integers(1, 500))
def test_count_interval_contains_its_ratio(latest: int, baseline: int) -> None:
    interval = count_ratio(latest, baseline)
    assert interval is not None
    assert interval.low - 1e-9 <= latest / baseline <= interval.high + 1e-9


@settings(max_examples=100, deadline=None)
@given(
    mean_before=st.floats(-100, 100),
    mean_after=st.floats(-100, 100),
    sd=st.floats(0.1, 50),
    n=st.integers(2, 200),
)
def test_welch_interval_contains_its_difference_and_narrows_with_n(
    mean_before: float, mean_after: float, sd: float, n: int
) -> None:
    small = mean_difference(mean_after, sd, n, mean_before, sd, n)
    large = mean_difference(mean_after, sd, 2 * n, mean_before, sd, 2 * n)
    assert small is not None and large is not None
    assert small.low - 1e-6 <= mean_after - mean_before <= small.high + 1e-6
    assert large.high - large.low <= small.high - small.low + 1e-9


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 500), share=st.floats(0, 1))
def test_wilson_contains_its_share(n: int, share: float) -> None:
    count = round(share * n)
    interval = wilson(count, n)
    assert isinstance(interval, Interval)
    assert interval.low - 1e-6 <= 100 * count / n <= interval.high + 1e-6
