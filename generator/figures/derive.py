"""Derive the figures a case study never writes by hand: change, effect, certainty, strength, score.

Dates are compared at month resolution (see ``dates``). Each outcome's effect is chosen in the
contract's order (see ``effects``) and rated for certainty (see ``certainty``); a case's evidence
strength comes from what its figures support, not from its design code alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from generator.figures.certainty import EvidenceCertainty, certainty_from_record, rate_certainty
from generator.figures.dates import latest_result, month_key, months_between
from generator.figures.effects import Effect, choose_effect, effect_from_record, judge
from generator.figures.uncertainty import (
    Interval,
    certainty_of,
    change_interval,
    count_of,
    percent_count,
    pomp,
    value_of,
    wilson,
)
from generator.vocabulary import DESIGNS_WITH_COMPARISON, PRINCIPLES, RATING_VALUES, Data

__all__ = ["latest_result", "month_key", "months_between"]  # the dates every stage reads here

LEVEL_NAMES = {
    1: "described",
    2: "measured",
    3: "sustained",
    4: "compared",
    5: "independently compared",
}
SUSTAINED_MONTHS = 6
SUSTAINED_MIN_N = 20
DESIGN_LABELS = {
    "qualitative": "Qualitative design",
    "post-only": "Post-only design",
    "before-after": "Before-and-after design",
    "before-after-with-comparison": "Before-and-after design with a comparison group",
    "randomised": "Randomised design with a comparison group",
    "cluster-randomised": "Cluster randomised design with a comparison group",
    "stepped-wedge": "Stepped-wedge randomised design",
    "interrupted-time-series": "Interrupted time series design",
}
EVALUATOR_LABELS = {
    "internal": "an internal evaluator",
    "independent": "an independent evaluator",
    "peer": "peer evaluators",
    "participant-led": "the participants themselves",
    "mixed": "a mixed team of evaluators",
}

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

DECIMALS = 10
NOT_BETTER = "no better than the baseline"


@dataclass(frozen=True)
class Change:
    """Change from an outcome's baseline to its latest result, as written."""

    baseline: float
    latest: float
    absolute: float
    relative: float | None  # none for scores: it depends on where the scale starts
    verdict: str
    interval: Interval | None = None
    certainty: str = "not-tested"
    pomp: float | None = None


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
    effect: Effect | None = None  # the effect it is judged by (see ``effects``)
    ranges: dict[str, Interval] = field(default_factory=dict)
    hub: Effect | None = None  # the hub's own figure beside the authors' reported one
    certainty: EvidenceCertainty | None = None
    why_none: str = ""  # why a comparison group's figures give no effect

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


def judge_change(absolute: float, better: str) -> str:
    """Return the verdict for a change, given which direction is better."""
    return judge(absolute, "difference", better)


def derive_change(outcome: Data) -> Change | None:
    """Return the change from baseline to latest result, with its interval, or None without both."""
    latest = latest_result(outcome)
    if "baseline" not in outcome or latest is None:
        return None
    unit = outcome["unit"]
    baseline, latest_value = value_of(outcome["baseline"], unit), value_of(latest, unit)
    absolute = round(latest_value - baseline, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    relative = None
    if baseline != 0 and unit != "score":
        relative = round(absolute / abs(baseline), DECIMALS) + 0.0
    interval = change_interval(unit, outcome["baseline"], latest)
    return Change(
        baseline,
        latest_value,
        absolute,
        relative,
        judge_change(absolute, outcome["better"]),
        interval,
        certainty_of(interval),
        pomp(absolute, outcome.get("scale")) if unit == "score" else None,
    )


def derive_effect(outcome: Data, case: Data | None = None) -> Effect | None:
    """Return the effect an outcome is judged by (see ``effects``), or None without one."""
    design = case["evaluation"]["design"] if case else ""
    return choose_effect(outcome, design, _analysed(case)).effect


def _analysed(case: Data | None) -> int | None:
    sample = (case or {}).get("evaluation", {}).get("sample") or {}
    return sample.get("analysed")


def count(number: int, noun: str) -> str:
    """Return a number with its noun, plural unless the number is 1."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


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


def derive_target(outcome: Data) -> TargetCheck | None:
    """Return whether the latest result meets the target, or None without both."""
    latest = latest_result(outcome)
    if outcome.get("target") is None or latest is None:
        return None
    target = float(outcome["target"])
    latest_value = value_of(latest, outcome["unit"])
    met = latest_value >= target if outcome["better"] == "higher" else latest_value <= target
    return TargetCheck(target, latest_value, "met" if met else "not-met")


def derive_follow_ups(case: Data, outcome: Data) -> tuple[int | None, ...]:
    """Return months from the co-production's end to each result, None while ongoing."""
    end = case["coproduction"].get("end")
    results = outcome.get("results") or []
    if end is None:
        return tuple(None for _ in results)
    return tuple(months_between(end, result["date"]) for result in results)


def measured_outcomes(case: Data) -> list[Data]:
    """Return the outcomes that have both a baseline and at least one result."""
    return [o for o in case["outcomes"] if "baseline" in o and o.get("results")]


def late_results(case: Data, outcomes: Sequence[Data]) -> list[tuple[int, int | None, bool]]:
    """Return (months after end, n, still better than baseline) for results 6+ months after the end."""
    late = []
    for outcome in outcomes:
        baseline = value_of(outcome["baseline"], outcome["unit"])
        for months, result in zip(
            derive_follow_ups(case, outcome), outcome["results"], strict=True
        ):
            if months is not None and months >= SUSTAINED_MONTHS:
                change = value_of(result, outcome["unit"]) - baseline
                better = judge_change(change, outcome["better"]) == "improved"
                late.append((months, result.get("n"), better))
    return late


def is_sustaining(late: tuple[int, int | None, bool]) -> bool:
    """Return whether a late result shows change lasting: improved, from enough respondents."""
    return late[2] and late[1] is not None and late[1] >= SUSTAINED_MIN_N


def describe_not_better(late: list[tuple[int, int | None, bool]]) -> str:
    """Return the clause naming late results from enough respondents that were not better."""
    months, n, _ = max(late, key=lambda item: (item[0], item[1] or 0))
    was = "was" if len(late) == 1 else "were"
    return (
        f"{count(len(late), 'result')} {was} taken {SUSTAINED_MONTHS} months or more after the "
        f"co-production ended from {SUSTAINED_MIN_N} or more respondents, but "
        f"{'it was' if len(late) == 1 else 'none was better than the baseline; the latest'}"
        + (f" {NOT_BETTER}" if len(late) == 1 else f", {months} months after from {n}")
    )


def before_after_strength(case: Data) -> EvidenceStrength:
    """Return the strength of before-and-after figures: described, measured or sustained."""
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
        shown = [(months, n) for months, n, _ in sustaining]
        return strength(3, f"{opening}, and {describe_sustained(shown)}; {RAISE_TO_COMPARED}")
    enough = [r for r in late if r[1] is not None and r[1] >= SUSTAINED_MIN_N]
    if enough:
        return strength(2, f"{opening}, and {describe_not_better(enough)}; {RAISE_TO_SUSTAINED}")
    if late:
        shown = [(months, n) for months, n, _ in late]
        return strength(2, f"{opening}, and {describe_too_few(shown)}; {RAISE_TO_SUSTAINED}")
    too_soon = (
        f"but no result was taken {SUSTAINED_MONTHS} months or more after the co-production ended"
    )
    return strength(2, f"{opening}, {too_soon}; {RAISE_TO_SUSTAINED}")


def compared_strength(case: Data) -> EvidenceStrength:
    """Return the strength of figures against a comparison group: compared or independently."""
    design = DESIGN_LABELS[case["evaluation"]["design"]]
    evaluator = case["evaluation"]["evaluator"]
    by = EVALUATOR_LABELS.get(evaluator, evaluator)
    if evaluator == "independent":
        return strength(5, f"{design}, evaluated by {by}.")
    return strength(4, f"{design}, evaluated by {by}; {RAISE_TO_INDEPENDENT}")


def derive_evidence_strength(
    case: Data, outcomes: Sequence[OutcomeFigures] | None = None
) -> EvidenceStrength:
    """Return the case's evidence strength, 1-5, with the reason, from what its figures support.

    4 and 5 need an outcome with an effect against a comparison group (worked out or reported);
    a comparison design without one is judged as the design its figures support, and says so.
    Figures never raise a case above its design: qualitative and after-only designs stay at 1.
    """
    design = case["evaluation"]["design"]
    if design not in DESIGN_LABELS:  # validation admits only these codes: another is a bug
        raise ValueError(f"unknown evaluation design: {design!r}")
    figures = outcomes if outcomes is not None else _outcome_figures(case)
    if any(f.effect is not None and f.effect.design == "comparison" for f in figures):
        return compared_strength(case)
    if design in DESCRIBED_REASONS:  # data never raise a design above what it set out to do
        return strength(1, DESCRIBED_REASONS[design])
    judged = before_after_strength(case)
    if design not in DESIGNS_WITH_COMPARISON:
        return judged
    as_judged = f"judged as {judged.name}: " + judged.reason[0].lower() + judged.reason[1:]
    return strength(
        judged.level,
        f"{DESIGN_LABELS[design]}, but no outcome has figures for both groups, so it is "
        f"{as_judged}",
    )


def derive_ranges(outcome: Data) -> dict[str, Interval]:
    """Return the Wilson range of each percentage measured with its n, by path in the outcome."""
    if outcome["unit"] != "percent":
        return {}
    ranges = {}
    for path, item in measurements_of(outcome):
        interval = wilson(count_of(item), item["n"]) if item.get("n") else None
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
    choice = choose_effect(outcome, case["evaluation"]["design"], _analysed(case))
    rating = rate_certainty(choice.effect, outcome, case) if choice.effect is not None else None
    return OutcomeFigures(
        index=index,
        change=derive_change(outcome),
        target=derive_target(outcome),
        follow_up_months=derive_follow_ups(case, outcome),
        effect=choice.effect,
        ranges=derive_ranges(outcome),
        hub=choice.hub,
        certainty=rating,
        why_none=choice.why_none,
    )


def _outcome_figures(case: Data) -> tuple[OutcomeFigures, ...]:
    return tuple(derive_outcome(case, i) for i in range(len(case["outcomes"])))


def derive_case(case: Data) -> CaseFigures:
    """Return every derived figure for a validated case."""
    outcomes = _outcome_figures(case)
    return CaseFigures(
        evidence=derive_evidence_strength(case, outcomes),
        principles=derive_principles_score(case),
        outcomes=outcomes,
        experience=derive_experience(case),
    )


def _interval(record: Data | None) -> Interval | None:
    return Interval(**record) if record else None


def figures_record(figures: CaseFigures) -> dict[str, Any]:
    """Return a case's figures as plain JSON data (for the figures cache)."""
    return asdict(figures)


def figures_from_record(record: Data) -> CaseFigures:
    """Rebuild a case's figures from ``figures_record`` of them (for the figures cache)."""

    def outcome(item: Data) -> OutcomeFigures:
        change, target = item["change"], item["target"]
        return OutcomeFigures(
            index=item["index"],
            change=Change(**{**change, "interval": _interval(change["interval"])})
            if change
            else None,
            target=TargetCheck(**target) if target else None,
            follow_up_months=tuple(item["follow_up_months"]),
            effect=effect_from_record(item["effect"]),
            ranges={path: Interval(**value) for path, value in item["ranges"].items()},
            hub=effect_from_record(item["hub"]),
            certainty=certainty_from_record(item["certainty"]),
            why_none=item["why_none"],
        )

    return CaseFigures(
        evidence=EvidenceStrength(**record["evidence"]),
        principles=PrinciplesScore(**record["principles"]),
        outcomes=tuple(outcome(item) for item in record["outcomes"]),
        experience=tuple(_interval(item) for item in record["experience"]),
    )
