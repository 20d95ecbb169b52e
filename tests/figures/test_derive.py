"""Tests for generator.derive, each figure computed by hand."""

from __future__ import annotations

from typing import Any

import pytest

from generator.figures.derive import (
    Change,
    EvidenceStrength,
    PrinciplesScore,
    TargetCheck,
    derive_case,
    derive_change,
    derive_evidence_strength,
    derive_follow_ups,
    derive_principles_score,
    derive_target,
    months_between,
)

Data = dict[str, Any]


def measurement(value: float, date: str, n: int | None = None) -> Data:
    """Return a measurement, with n only when given."""
    result: Data = {"value": value, "date": date}
    if n is not None:
        result["n"] = n
    return result


def outcome(
    better: str = "higher",
    baseline: Data | None = None,
    results: list[Data] | None = None,
    target: float | None = None,
    unit: str = "other",
) -> Data:
    """Return an outcome with only the fields derive reads (by default a unit with no interval)."""
    built: Data = {"better": better, "unit": unit}
    if baseline is not None:
        built["baseline"] = baseline
    if results is not None:
        built["results"] = results
    if target is not None:
        built["target"] = target
    return built


def case(
    design: str = "before-after",
    evaluator: str = "internal",
    end: str | None = "2023-09",
    outcomes: list[Data] | None = None,
    ratings: tuple[str, str, str, str] = ("mostly-met", "partly-met", "fully-met", "mostly-met"),
) -> Data:
    """Return a case with only the fields derive reads."""
    coproduction: Data = {"start": "2023-01"}
    if end is not None:
        coproduction["end"] = end
    keys = ("equality", "diversity", "accessibility", "reciprocity")
    return {
        "coproduction": coproduction,
        "evaluation": {"design": design, "evaluator": evaluator},
        "principles": {key: {"rating": rating} for key, rating in zip(keys, ratings, strict=True)},
        "outcomes": outcomes if outcomes is not None else [outcome()],
    }


def paired(*results: Data) -> Data:
    """Return a higher-is-better outcome with a baseline and the given results."""
    return outcome(baseline=measurement(50, "2022-11", 30), results=list(results))


# months_between


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2023-09", "2024-09", 12),
        ("2023-09", "2023-11", 2),
        ("2023-09", "2023-09", 0),
        ("2023-09", "2023-03", -6),
        ("2023", "2023-09", 8),
        ("2023-09-30", "2023-10-01", 1),
        ("2023-09-01", "2024-03-31", 6),
        ("2022", "2024", 24),
        ("2023-12", "2024", 1),
        ("2024-02-15", "2023", -13),
    ],
)
def test_months_between(start: str, end: str, months: int) -> None:
    assert months_between(start, end) == months


# derive_change


def test_change_percent_in_points() -> None:
    satisfaction = outcome(
        baseline=measurement(58, "2022-11", 64),
        results=[measurement(74, "2023-11", 59), measurement(81, "2024-09", 61)],
    )
    change = derive_change(satisfaction)
    assert change == Change(58.0, 81.0, 23.0, round(23 / 58, 10), "improved")
    assert change is not None and change.relative == pytest.approx(0.3965517241)


def test_change_lower_is_better_count_improves() -> None:
    complaints = outcome("lower", measurement(12, "2022-12"), [measurement(6, "2024-06")])
    assert derive_change(complaints) == Change(12.0, 6.0, -6.0, -0.5, "improved")


def test_change_lower_is_better_rise_worsens() -> None:
    complaints = outcome("lower", measurement(4, "2022-12"), [measurement(5, "2024-06")])
    assert derive_change(complaints) == Change(4.0, 5.0, 1.0, 0.25, "worsened")


def test_change_higher_is_better_fall_worsens() -> None:
    score = outcome("higher", measurement(3.5, "2022-12"), [measurement(3.0, "2024-06")])
    assert derive_change(score) == Change(3.5, 3.0, -0.5, -0.1428571429, "worsened")


def test_change_none_is_no_change() -> None:
    steady = outcome("lower", measurement(7, "2022-12"), [measurement(7.0, "2024-06")])
    assert derive_change(steady) == Change(7.0, 7.0, 0.0, 0.0, "no-change")


def test_change_from_zero_has_no_relative() -> None:
    started = outcome("higher", measurement(0, "2022-12"), [measurement(15, "2024-06")])
    assert derive_change(started) == Change(0.0, 15.0, 15.0, None, "improved")


def test_change_relative_uses_size_of_negative_baseline() -> None:
    balance = outcome("higher", measurement(-200, "2022-12"), [measurement(-150, "2024-06")])
    assert derive_change(balance) == Change(-200.0, -150.0, 50.0, 0.25, "improved")


def test_change_rounds_floating_noise() -> None:
    tonnes = outcome("higher", measurement(0.1, "2022-12"), [measurement(0.3, "2024-06")])
    change = derive_change(tonnes)
    assert change is not None
    assert change.absolute == 0.2
    assert change.relative == 2.0


def test_change_takes_latest_of_unsorted_results() -> None:
    unsorted = outcome(
        baseline=measurement(40, "2022"),
        results=[
            measurement(70, "2024-09"),
            measurement(55, "2023-06-15"),
            measurement(60, "2024"),
        ],
    )
    assert derive_change(unsorted) == Change(40.0, 70.0, 30.0, 0.75, "improved")


def test_change_tie_in_month_takes_later_listed() -> None:
    tied = outcome(
        baseline=measurement(40, "2022"),
        results=[
            measurement(70, "2024-09-20"),
            measurement(50, "2024-09-01"),
            measurement(45, "2024-01"),
        ],
    )
    assert derive_change(tied) == Change(40.0, 50.0, 10.0, 0.25, "improved")


def test_change_needs_baseline_and_result() -> None:
    assert derive_change(outcome(results=[measurement(70, "2024-09")])) is None
    assert derive_change(outcome(baseline=measurement(40, "2022"))) is None
    assert derive_change(outcome(baseline=measurement(40, "2022"), results=[])) is None
    assert derive_change(outcome()) is None


# derive_target


@pytest.mark.parametrize(
    ("better", "target", "latest", "status"),
    [
        ("higher", 80, 81, "met"),
        ("higher", 81, 81, "met"),
        ("higher", 85, 81, "not-met"),
        ("lower", 8, 6, "met"),
        ("lower", 6, 6, "met"),
        ("lower", 5, 6, "not-met"),
    ],
)
def test_target(better: str, target: float, latest: float, status: str) -> None:
    goal = outcome(better, results=[measurement(latest, "2024-09")], target=target)
    assert derive_target(goal) == TargetCheck(float(target), float(latest), status)


def test_target_uses_latest_of_unsorted_results() -> None:
    goal = outcome(
        "higher",
        results=[measurement(90, "2024-03"), measurement(70, "2023-06")],
        target=85,
    )
    assert derive_target(goal) == TargetCheck(85.0, 90.0, "met")


def test_target_needs_target_and_result() -> None:
    assert derive_target(outcome(results=[measurement(70, "2024-09")])) is None
    assert derive_target(outcome(target=80)) is None
    assert derive_target(outcome(results=[], target=80)) is None


def test_target_of_zero_is_checked() -> None:
    zero_waste = outcome("lower", results=[measurement(0, "2024-09")], target=0)
    assert derive_target(zero_waste) == TargetCheck(0.0, 0.0, "met")


# derive_follow_ups


def test_follow_ups_mix_date_precisions() -> None:
    results = [
        measurement(1, "2023-06-30"),
        measurement(2, "2023"),
        measurement(3, "2024-09"),
        measurement(4, "2024-03-15"),
        measurement(5, "2023-09"),
    ]
    assert derive_follow_ups(case(end="2023-09-20"), outcome(results=results)) == (-3, -8, 12, 6, 0)


def test_follow_ups_from_year_only_end() -> None:
    results = [measurement(1, "2023-09"), measurement(2, "2025"), measurement(3, "2022-12-31")]
    assert derive_follow_ups(case(end="2023"), outcome(results=results)) == (8, 24, -1)


def test_follow_ups_while_ongoing_are_none() -> None:
    results = [measurement(1, "2023-09"), measurement(2, "2025")]
    assert derive_follow_ups(case(end=None), outcome(results=results)) == (None, None)


def test_follow_ups_without_results_are_empty() -> None:
    assert derive_follow_ups(case(), outcome()) == ()
    assert derive_follow_ups(case(end=None), outcome()) == ()


# derive_evidence_strength


def test_qualitative_is_described() -> None:
    strength = derive_evidence_strength(case("qualitative", "independent"))
    assert (strength.level, strength.name) == (1, "described")
    assert strength.reason.startswith("Qualitative design")
    assert "would raise it to measured" in strength.reason


def test_post_only_is_described() -> None:
    strength = derive_evidence_strength(
        case("post-only", outcomes=[paired(measurement(80, "2024-09", 50))])
    )
    assert (strength.level, strength.name) == (1, "described")
    assert strength.reason.startswith("Post-only design")
    assert "would raise it to measured" in strength.reason


def test_before_after_without_measured_pair_is_described() -> None:
    unpaired = [
        outcome(results=[measurement(80, "2024-09", 50)]),
        outcome(baseline=measurement(50, "2022-11")),
    ]
    strength = derive_evidence_strength(case(outcomes=unpaired))
    assert strength == EvidenceStrength(
        1,
        "described",
        "Before-and-after design, but no outcome has both a baseline and a result; "
        "measuring at least one outcome before and after the co-production would raise it "
        "to measured.",
    )


def test_before_after_soon_after_end_is_measured() -> None:
    strength = derive_evidence_strength(case(outcomes=[paired(measurement(70, "2024-02", 100))]))
    assert strength == EvidenceStrength(
        2,
        "measured",
        "Before-and-after design: 1 outcome was measured before and after, but no result "
        "was taken 6 months or more after the co-production ended; a result 6 months or "
        "more after it ends, from 20 or more respondents, would raise it to sustained.",
    )


def test_late_result_from_19_is_measured() -> None:
    strength = derive_evidence_strength(case(outcomes=[paired(measurement(70, "2024-03", 19))]))
    assert (strength.level, strength.name) == (2, "measured")
    assert "1 result was taken 6 months or more" in strength.reason
    assert "but with at most 19 respondents" in strength.reason
    assert strength.reason.endswith("would raise it to sustained.")


def test_late_result_without_n_is_measured() -> None:
    strength = derive_evidence_strength(case(outcomes=[paired(measurement(70, "2025-09"))]))
    assert (strength.level, strength.name) == (2, "measured")
    assert "but with no number of respondents recorded" in strength.reason


def test_late_results_mixing_small_and_missing_n_are_measured() -> None:
    strength = derive_evidence_strength(
        case(outcomes=[paired(measurement(70, "2024-06", 12), measurement(72, "2025"))])
    )
    assert (strength.level, strength.name) == (2, "measured")
    assert "2 results were taken" in strength.reason
    assert "with at most 12 respondents or no number recorded" in strength.reason


def test_n_and_months_must_come_from_the_same_result() -> None:
    # One result is late but small, the other large but early: neither shows change lasting.
    split = paired(measurement(70, "2023-11", 200), measurement(72, "2024-09", 10))
    assert derive_evidence_strength(case(outcomes=[split])).level == 2


def test_ongoing_before_after_is_measured() -> None:
    strength = derive_evidence_strength(
        case(end=None, outcomes=[paired(measurement(70, "2030", 500))])
    )
    assert (strength.level, strength.name) == (2, "measured")
    assert "the co-production has not ended" in strength.reason
    assert strength.reason.endswith("would raise it to sustained.")


def test_late_result_of_unpaired_outcome_does_not_sustain() -> None:
    outcomes = [
        paired(measurement(70, "2023-10", 50)),
        outcome(results=[measurement(9, "2025", 90)]),
    ]
    assert derive_evidence_strength(case(outcomes=outcomes)).level == 2


def test_result_six_months_after_end_from_20_is_sustained() -> None:
    strength = derive_evidence_strength(
        case(end="2023-09-28", outcomes=[paired(measurement(70, "2024-03-01", 20))])
    )
    assert (strength.level, strength.name) == (3, "sustained")


def test_riverside_example_is_sustained() -> None:
    riverside = case(
        evaluator="independent",
        outcomes=[
            outcome(
                baseline=measurement(58, "2022-11", 64),
                results=[measurement(74, "2023-11", 59), measurement(81, "2024-09", 61)],
            ),
            outcome("lower", measurement(12, "2022-12"), [measurement(6, "2024-06")]),
            outcome(
                baseline=measurement(38, "2023-01", 8), results=[measurement(75, "2023-09", 8)]
            ),
        ],
    )
    assert derive_evidence_strength(riverside) == EvidenceStrength(
        3,
        "sustained",
        "Before-and-after design: 3 outcomes were measured before and after, and 1 result "
        "was taken 12 months after the co-production ended from 61 respondents; comparing "
        "with a group that did not take part would raise it to compared.",
    )


def test_several_sustaining_results_name_the_longest() -> None:
    outcomes = [
        paired(measurement(70, "2024-03", 40), measurement(75, "2025-09", 25)),
        paired(measurement(60, "2024-09", 90)),
    ]
    strength = derive_evidence_strength(case(outcomes=outcomes))
    assert (strength.level, strength.name) == (3, "sustained")
    assert "2 outcomes were measured before and after" in strength.reason
    assert "3 results were taken 6 months or more" in strength.reason
    assert "the longest 24 months after from 25 respondents" in strength.reason


def compared(design: str, evaluator: str = "internal") -> Data:
    """Return a case whose one outcome has figures for both groups."""
    built = case(design, evaluator)
    built["outcomes"] = [
        {
            **paired(measurement(60, "2024-09", 30)),
            "comparison": {
                "label": "Elsewhere",
                "baseline": measurement(50, "2022-11", 30),
                "results": [measurement(52, "2024-09", 30)],
            },
        }
    ]
    return built


@pytest.mark.parametrize("design", ["before-after-with-comparison", "randomised"])
def test_comparison_with_internal_evaluator_is_compared(design: str) -> None:
    strength = derive_evidence_strength(compared(design, "internal"))
    assert (strength.level, strength.name) == (4, "compared")
    assert "evaluated by an internal evaluator" in strength.reason
    assert strength.reason.endswith("would raise it to independently compared.")


@pytest.mark.parametrize("evaluator", ["peer", "participant-led", "mixed"])
def test_comparison_without_independent_evaluator_is_compared(evaluator: str) -> None:
    assert derive_evidence_strength(compared("randomised", evaluator)).level == 4


def test_comparison_with_independent_evaluator_is_independently_compared() -> None:
    strength = derive_evidence_strength(compared("before-after-with-comparison", "independent"))
    assert strength == EvidenceStrength(
        5,
        "independently compared",
        "Before-and-after design with a comparison group, evaluated by an independent evaluator.",
    )


def test_randomised_with_independent_evaluator_is_independently_compared() -> None:
    strength = derive_evidence_strength(compared("randomised", "independent"))
    assert (strength.level, strength.name) == (5, "independently compared")
    assert strength.reason.startswith("Randomised design")


def test_a_comparison_design_without_figures_for_both_groups_is_judged_by_its_figures() -> None:
    """Contract 1.2 correction: a randomised, independent case with one qualitative outcome was
    5 of 5; with no outcome compared with the other group it is judged as described."""
    strength = derive_evidence_strength(case("randomised", "independent"))
    assert (strength.level, strength.name) == (1, "described")
    assert strength.reason.startswith(
        "Randomised design with a comparison group, but no outcome has figures for both groups, "
        "so it is judged as described"
    )
    measured = case("randomised", "independent", outcomes=[paired(measurement(60, "2023-11"))])
    assert derive_evidence_strength(measured).level == 2


def test_a_late_result_worse_than_baseline_is_not_sustained() -> None:
    """Contract 1.2 correction: 80% falling to 40% a year later earned level 3."""
    fell = paired(measurement(40, "2024-09", 40))
    fell["baseline"] = measurement(80, "2022-11", 40)
    strength = derive_evidence_strength(case(outcomes=[fell]))
    assert (strength.level, strength.name) == (2, "measured")
    assert "no better than the baseline" in strength.reason


def test_unknown_design_is_a_bug() -> None:
    with pytest.raises(ValueError, match="unknown evaluation design"):
        derive_evidence_strength(case("anecdote"))


# derive_principles_score


def test_principles_all_known() -> None:
    score = derive_principles_score(
        case(ratings=("mostly-met", "partly-met", "fully-met", "mostly-met"))
    )
    assert score == PrinciplesScore(3.0, 4, 0)


def test_principles_mean_is_not_rounded() -> None:
    score = derive_principles_score(
        case(ratings=("not-met", "partly-met", "partly-met", "unknown"))
    )
    assert score == PrinciplesScore(5 / 3, 3, 1)


def test_principles_two_unknown() -> None:
    score = derive_principles_score(case(ratings=("unknown", "not-met", "unknown", "fully-met")))
    assert score == PrinciplesScore(2.5, 2, 2)


def test_principles_all_unknown() -> None:
    score = derive_principles_score(case(ratings=("unknown", "unknown", "unknown", "unknown")))
    assert score == PrinciplesScore(None, 0, 4)


# derive_case


def test_derive_case_puts_figures_together() -> None:
    figures = derive_case(
        case(
            ratings=("fully-met", "unknown", "fully-met", "partly-met"),
            outcomes=[
                outcome(
                    "lower", measurement(12, "2022-12"), [measurement(6, "2024-06", 25)], target=8
                ),
                outcome(results=[measurement(90, "2023-11")], target=95),
                outcome(),
            ],
        )
    )
    assert figures.evidence == EvidenceStrength(
        3,
        "sustained",
        "Before-and-after design: 1 outcome was measured before and after, and 1 result "
        "was taken 9 months after the co-production ended from 25 respondents; comparing "
        "with a group that did not take part would raise it to compared.",
    )
    assert figures.principles == PrinciplesScore(10 / 3, 3, 1)
    first, second, third = figures.outcomes
    assert (first.index, first.change, first.target, first.follow_up_months) == (
        0,
        Change(12.0, 6.0, -6.0, -0.5, "improved"),
        TargetCheck(8.0, 6.0, "met"),
        (9,),
    )
    assert first.effect is not None and (first.effect.design, first.effect.value) == ("change", -6)
    assert first.certainty is not None and first.certainty.level == "very-low"
    assert (second.change, second.effect, second.target) == (
        None,
        None,
        TargetCheck(95.0, 90.0, "not-met"),
    )
    assert (third.change, third.effect, third.target, third.follow_up_months) == (
        None,
        None,
        None,
        (),
    )


def test_derive_case_ongoing_has_no_follow_up_months() -> None:
    figures = derive_case(
        case(end=None, outcomes=[paired(measurement(60, "2023-06"), measurement(70, "2024"))])
    )
    assert figures.outcomes[0].follow_up_months == (None, None)
    assert figures.evidence.level == 2


def test_figures_are_frozen() -> None:
    figures = derive_case(case())
    with pytest.raises(AttributeError):
        figures.evidence.level = 5  # type: ignore[misc]
