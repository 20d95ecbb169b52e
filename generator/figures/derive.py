"""Derive the figures a case study never writes by hand: change, follow-up, strength, score.

Dates are compared at month resolution. A partial date stands for its first day
(``2023`` is 2023-01-01, ``2023-09`` is 2023-09-01) and the day of a full date is
ignored, so ``months_between(start, end)`` is ``(y2 - y1) * 12 + (m2 - m1)``:
from 2023-09 to 2024-09-30 is 12 months, and from 2023 to 2023-09 is 8 months.
An outcome's latest result is the one with the latest date; when two share a
month, the one later in the list counts as the latest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.figures.uncertainty import (
    Effect,
    Interval,
    certainty_of,
    change_interval,
    comparison_effect,
    percent_count,
    pomp,
    wilson,
)
from generator.vocabulary import DESIGNS_WITH_COMPARISON

RATING_VALUES = {"not-met": 1, "partly-met": 2, "mostly-met": 3, "fully-met": 4}
PRINCIPLES = ("equality", "diversity", "accessibility", "reciprocity")
LEVEL_NAMES = {
    1: "described",
    2: "measured",
    3: "sustained",
    4: "compared",
    5: "independently compared",
}
SUSTAINED_MONTHS = 6
SUSTAINED_MIN_N = 20
COMPARED_DESIGNS = DESIGNS_WITH_COMPARISON
DESIGN_LABELS = {
    "qualitative": "Qualitative design",
    "post-only": "Post-only design",
    "before-after": "Before-and-after design",
    "before-after-with-comparison": "Before-and-after design with a comparison group",
    "randomised": "Randomised design with a comparison group",
}
EVALUATOR_LABELS = {
    "internal": "an internal evaluator",
    "independent": "an independent evaluator",
    "peer": "peer evaluators",
    "participant-led": "the participants themselves",
    "mixed": "a mixed team of evaluators",
}
DECIMALS = 10

# Reasons are shown to the public on each case page: plain sentences, facts only.
DESCRIBED_REASONS = {
    "qualitative": (
        "Qualitative design: the evaluation describes what changed without measuring it "
        "before and after; measuring an outcome before and after the co-production would "
        "raise it to measured."
    ),
    "post-only": (
        "Post-only design: outcomes were measured only after the co-production, with no "
        "baseline to compare them with; measuring before it started as well would raise "
        "it to measured."
    ),
}
UNMEASURED_REASON = (
    "Before-and-after design, but no outcome has both a baseline and a result; measuring "
    "at least one outcome before and after the co-production would raise it to measured."
)
RAISE_TO_SUSTAINED = (
    f"a result {SUSTAINED_MONTHS} months or more after it ends, from {SUSTAINED_MIN_N} or "
    "more respondents, would raise it to sustained."
)
RAISE_TO_COMPARED = "comparing with a group that did not take part would raise it to compared."
RAISE_TO_INDEPENDENT = "an independent evaluator would raise it to independently compared."

Data = Mapping[str, Any]


@dataclass(frozen=True)
class Change:
    """Change from an outcome's baseline to its latest result."""

    baseline: float
    latest: float
    absolute: float
    relative: float | None
    verdict: str
    interval: Interval | None = None
    certainty: str = "not-tested"
    pomp: float | None = None


@dataclass(frozen=True)
class ComparisonEffect:
    """Participants' change against a comparison group's: the effect that decides certainty."""

    value: float
    interval: Interval | None
    scale: str
    verdict: str
    certainty: str
    pomp: float | None


@dataclass(frozen=True)
class TargetCheck:
    """Whether an outcome's latest result meets its target."""

    target: float
    latest: float
    status: str


@dataclass(frozen=True)
class OutcomeFigures:
    """Figures derived for one outcome, by its position in the case."""

    index: int
    change: Change | None
    target: TargetCheck | None
    follow_up_months: tuple[int | None, ...]
    effect: ComparisonEffect | None = None
    ranges: Mapping[str, Interval] = field(default_factory=dict)

    @property
    def judgement(self) -> tuple[str, str] | None:
        """Return (verdict, certainty) to show: the effect's where there is one."""
        if self.effect is not None:
            return self.effect.verdict, self.effect.certainty
        if self.change is not None:
            return self.change.verdict, self.change.certainty
        return None


@dataclass(frozen=True)
class EvidenceStrength:
    """How strong a case's evidence is, on the 1-5 ladder, and why."""

    level: int
    name: str
    reason: str


@dataclass(frozen=True)
class PrinciplesScore:
    """Mean of the known principle ratings, with how many were unknown."""

    score: float | None
    known: int
    unknown: int


@dataclass(frozen=True)
class CaseFigures:
    """Everything derived for one case."""

    evidence: EvidenceStrength
    principles: PrinciplesScore
    outcomes: tuple[OutcomeFigures, ...]
    experience: tuple[Interval | None, ...] = ()


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


def judge_change(absolute: float, better: str) -> str:
    """Return the verdict for a change, given which direction is better."""
    if absolute == 0:
        return "no-change"
    wanted = absolute > 0 if better == "higher" else absolute < 0
    return "improved" if wanted else "worsened"


def derive_change(outcome: Data) -> Change | None:
    """Return the change from baseline to latest result, with its interval, or None without both."""
    latest = latest_result(outcome)
    if "baseline" not in outcome or latest is None:
        return None
    baseline = float(outcome["baseline"]["value"])
    latest_value = float(latest["value"])
    absolute = round(latest_value - baseline, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    relative = None if baseline == 0 else round(absolute / abs(baseline), DECIMALS) + 0.0
    verdict = judge_change(absolute, outcome["better"])
    interval = change_interval(outcome["unit"], outcome["baseline"], latest)
    return Change(
        baseline,
        latest_value,
        absolute,
        relative,
        verdict,
        interval,
        certainty_of(interval),
        _pomp(outcome, absolute),
    )


def _pomp(outcome: Data, change: float) -> float | None:
    """Return POMP for a score outcome with a scale, else None."""
    return pomp(change, outcome.get("scale")) if outcome["unit"] == "score" else None


def judge_effect(effect: Effect, better: str) -> str:
    """Return the verdict for an effect: its difference from 0, or its ratio's from 1."""
    return judge_change(effect.value - 1 if effect.scale == "ratio" else effect.value, better)


def derive_effect(outcome: Data) -> ComparisonEffect | None:
    """Return the difference in differences against the comparison group, or None without it."""
    comparison: Data = outcome.get("comparison") or {}
    latest = latest_result(outcome)
    compared = latest_result(comparison)
    if latest is None or compared is None or "baseline" not in outcome:
        return None
    if "baseline" not in comparison:
        return None
    effect = comparison_effect(
        outcome["unit"], outcome["baseline"], latest, comparison["baseline"], compared
    )
    if effect is None:
        return None
    return ComparisonEffect(
        effect.value,
        effect.interval,
        effect.scale,
        judge_effect(effect, outcome["better"]),
        certainty_of(effect.interval),
        _pomp(outcome, effect.value) if effect.scale == "difference" else None,
    )


def derive_target(outcome: Data) -> TargetCheck | None:
    """Return whether the latest result meets the target, or None without both."""
    latest = latest_result(outcome)
    if outcome.get("target") is None or latest is None:
        return None
    target = float(outcome["target"])
    latest_value = float(latest["value"])
    met = latest_value >= target if outcome["better"] == "higher" else latest_value <= target
    return TargetCheck(target, latest_value, "met" if met else "not-met")


def derive_follow_ups(case: Data, outcome: Data) -> tuple[int | None, ...]:
    """Return months from the co-production's end to each result, None while ongoing."""
    end = case["coproduction"].get("end")
    results = outcome.get("results") or []
    if end is None:
        return tuple(None for _ in results)
    return tuple(months_between(end, result["date"]) for result in results)


def count(number: int, noun: str) -> str:
    """Return a number with its noun, plural unless the number is 1."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def measured_outcomes(case: Data) -> list[Data]:
    """Return the outcomes that have both a baseline and at least one result."""
    return [o for o in case["outcomes"] if "baseline" in o and o.get("results")]


def late_results(case: Data, outcomes: Sequence[Data]) -> list[tuple[int, int | None]]:
    """Return (months after end, n) for results at least 6 months after the end."""
    late = []
    for outcome in outcomes:
        for months, result in zip(
            derive_follow_ups(case, outcome), outcome["results"], strict=True
        ):
            if months is not None and months >= SUSTAINED_MONTHS:
                late.append((months, result.get("n")))
    return late


def is_sustaining(late: tuple[int, int | None]) -> bool:
    """Return whether a late result had enough respondents to show change lasting."""
    n = late[1]
    return n is not None and n >= SUSTAINED_MIN_N


def strength(level: int, reason: str) -> EvidenceStrength:
    """Return the evidence strength for a level with its reason."""
    return EvidenceStrength(level, LEVEL_NAMES[level], reason)


def describe_measured(outcomes: Sequence[Data]) -> str:
    """Return the opening of a before-and-after reason, naming the measured outcomes."""
    were = "was" if len(outcomes) == 1 else "were"
    measured = count(len(outcomes), "outcome")
    return f"Before-and-after design: {measured} {were} measured before and after"


def describe_sustained(sustaining: list[tuple[int, int | None]]) -> str:
    """Return the clause naming the results that show change lasting."""
    months, n = max(sustaining, key=lambda late: (late[0], late[1] or 0))
    if len(sustaining) == 1:
        return (
            f"1 result was taken {months} months after the co-production ended from {n} respondents"
        )
    return (
        f"{len(sustaining)} results were taken {SUSTAINED_MONTHS} months or more after the "
        f"co-production ended from {SUSTAINED_MIN_N} or more respondents each, the longest "
        f"{months} months after from {n} respondents"
    )


def describe_too_few(late: list[tuple[int, int | None]]) -> str:
    """Return the clause naming late results that had too few or unrecorded respondents."""
    known = [n for _, n in late if n is not None]
    if not known:
        gap = "with no number of respondents recorded"
    elif len(known) == len(late):
        gap = f"with at most {max(known)} respondents"
    else:
        gap = f"with at most {max(known)} respondents or no number recorded"
    was = "was" if len(late) == 1 else "were"
    return (
        f"{count(len(late), 'result')} {was} taken {SUSTAINED_MONTHS} months or more "
        f"after the co-production ended, but {gap}"
    )


def before_after_strength(case: Data) -> EvidenceStrength:
    """Return the strength of a before-and-after case: described, measured or sustained."""
    outcomes = measured_outcomes(case)
    if not outcomes:
        return strength(1, UNMEASURED_REASON)
    opening = describe_measured(outcomes)
    if case["coproduction"].get("end") is None:
        ongoing = (
            "but the co-production has not ended, so no result can yet show the change lasting"
        )
        return strength(2, f"{opening}, {ongoing}; {RAISE_TO_SUSTAINED}")
    late = late_results(case, outcomes)
    sustaining = [result for result in late if is_sustaining(result)]
    if sustaining:
        return strength(3, f"{opening}, and {describe_sustained(sustaining)}; {RAISE_TO_COMPARED}")
    if late:
        return strength(2, f"{opening}, and {describe_too_few(late)}; {RAISE_TO_SUSTAINED}")
    too_soon = (
        f"but no result was taken {SUSTAINED_MONTHS} months or more after the co-production ended"
    )
    return strength(2, f"{opening}, {too_soon}; {RAISE_TO_SUSTAINED}")


def compared_strength(case: Data) -> EvidenceStrength:
    """Return the strength of a comparison case: compared or independently compared."""
    design = DESIGN_LABELS[case["evaluation"]["design"]]
    evaluator = case["evaluation"]["evaluator"]
    by = EVALUATOR_LABELS.get(evaluator, evaluator)
    if evaluator == "independent":
        return strength(5, f"{design}, evaluated by {by}.")
    return strength(4, f"{design}, evaluated by {by}; {RAISE_TO_INDEPENDENT}")


def derive_evidence_strength(case: Data) -> EvidenceStrength:
    """Return the case's evidence strength, 1-5, with the reason for it."""
    design = case["evaluation"]["design"]
    if design in DESCRIBED_REASONS:
        return strength(1, DESCRIBED_REASONS[design])
    if design == "before-after":
        return before_after_strength(case)
    if design in COMPARED_DESIGNS:
        return compared_strength(case)
    # Validation admits only the codes above, so another one is a bug, not a case problem.
    raise ValueError(f"unknown evaluation design: {design!r}")


def derive_principles_score(case: Data) -> PrinciplesScore:
    """Return the mean of the known principle ratings and how many were unknown."""
    ratings = [case["principles"][key]["rating"] for key in PRINCIPLES]
    values = [RATING_VALUES[rating] for rating in ratings if rating != "unknown"]
    score = sum(values) / len(values) if values else None
    return PrinciplesScore(score, len(values), len(ratings) - len(values))


def measurements_of(outcome: Data) -> list[tuple[str, Data]]:
    """Return (path within the outcome, measurement) for every baseline and result, both groups."""
    found: list[tuple[str, Data]] = []
    for prefix, owner in (("", outcome), ("comparison.", outcome.get("comparison") or {})):
        if "baseline" in owner:
            found.append((f"{prefix}baseline", owner["baseline"]))
        found += [(f"{prefix}results.{i}", r) for i, r in enumerate(owner.get("results") or [])]
    return found


def derive_ranges(outcome: Data) -> dict[str, Interval]:
    """Return the Wilson range of each percentage measured with its n, by path in the outcome."""
    if outcome["unit"] != "percent":
        return {}
    ranges = {}
    for path, item in measurements_of(outcome):
        interval = (
            wilson(percent_count(item["value"], item["n"]), item["n"]) if item.get("n") else None
        )
        if interval is not None:
            ranges[path] = interval
    return ranges


def derive_experience(case: Data) -> tuple[Interval | None, ...]:
    """Return the Wilson range of each experience answer (agree_percent of respondents)."""
    return tuple(
        wilson(percent_count(e["agree_percent"], e["respondents"]), e["respondents"])
        for e in case.get("experience") or []
    )


def derive_outcome(case: Data, index: int) -> OutcomeFigures:
    """Return the figures for the outcome at index in the case."""
    outcome = case["outcomes"][index]
    return OutcomeFigures(
        index=index,
        change=derive_change(outcome),
        target=derive_target(outcome),
        follow_up_months=derive_follow_ups(case, outcome),
        effect=derive_effect(outcome),
        ranges=derive_ranges(outcome),
    )


def derive_case(case: Data) -> CaseFigures:
    """Return every derived figure for a validated case."""
    return CaseFigures(
        evidence=derive_evidence_strength(case),
        principles=derive_principles_score(case),
        outcomes=tuple(derive_outcome(case, i) for i in range(len(case["outcomes"]))),
        experience=derive_experience(case),
    )


def _interval(record: Data | None) -> Interval | None:
    return Interval(**record) if record else None


def figures_from_record(record: Data) -> CaseFigures:
    """Rebuild a case's figures from ``dataclasses.asdict`` of them (for the figures cache)."""

    def outcome(item: Data) -> OutcomeFigures:
        change, effect, target = item["change"], item["effect"], item["target"]
        return OutcomeFigures(
            index=item["index"],
            change=Change(**{**change, "interval": _interval(change["interval"])})
            if change
            else None,
            target=TargetCheck(**target) if target else None,
            follow_up_months=tuple(item["follow_up_months"]),
            effect=ComparisonEffect(**{**effect, "interval": _interval(effect["interval"])})
            if effect
            else None,
            ranges={path: Interval(**value) for path, value in item["ranges"].items()},
        )

    return CaseFigures(
        evidence=EvidenceStrength(**record["evidence"]),
        principles=PrinciplesScore(**record["principles"]),
        outcomes=tuple(outcome(item) for item in record["outcomes"]),
        experience=tuple(_interval(item) for item in record["experience"]),
    )
