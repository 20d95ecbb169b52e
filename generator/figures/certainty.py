"""Certainty of the evidence for each outcome's effect: GRADE, simplified, with its reasons.

Evidence starts at high certainty when groups were randomised and the effect compares them, and
at low otherwise (GRADE handbook, section 5). It goes down one level for each domain that
applies, however many of that domain's reasons do (never below very low):

- risk of bias: over 20% of the people recruited were not analysed; a comparison that was not
  randomised, with fewer than 2 sites in each group or their number not given (EPOC's criteria
  for controlled before-after studies); a before-and-after change with no comparison group;
- imprecision: the 95% interval includes no change, or there is none, or fewer than 400 people
  (means and scores) or 300 events (percentages and counts) are behind it (GRADE's rule of thumb
  for the optimal information size);
- inconsistency, for a pooled estimate only: I-squared over 50%.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.figures.effects import Effect
from generator.vocabulary import RANDOMISED_DESIGNS, Data

LEVELS = ("high", "moderate", "low", "very-low")
ATTRITION_LIMIT = 0.2
CLUSTERS_PER_ARM = 2
OPTIMAL_PEOPLE = 400
OPTIMAL_EVENTS = 300
INCONSISTENCY_I2 = 50.0
EVENT_UNITS = ("percent", "count")


@dataclass(frozen=True)
class EvidenceCertainty:
    """How certain the evidence for one effect is, where it started, and each step down."""

    level: str
    start: str
    downs: tuple[tuple[str, tuple[str, ...]], ...]  # (domain, its reasons), one step each


def rate_certainty(
    effect: Effect, outcome: Data, case: Data, i2: float | None = None
) -> EvidenceCertainty:
    """Rate an effect's certainty by the rules above."""
    design = case["evaluation"]["design"]
    start = "high" if design in RANDOMISED_DESIGNS and effect.design == "comparison" else "low"
    downs = [
        (domain, reasons)
        for domain, reasons in (
            ("risk of bias", risk_of_bias(effect, case)),
            ("imprecision", imprecision(effect, outcome["unit"])),
            ("inconsistency", inconsistency(i2)),
        )
        if reasons
    ]
    step = min(LEVELS.index(start) + len(downs), len(LEVELS) - 1)
    return EvidenceCertainty(LEVELS[step], start, tuple(downs))


def risk_of_bias(effect: Effect, case: Data) -> tuple[str, ...]:
    """Return the reasons to doubt how the effect was measured."""
    evaluation = case["evaluation"]
    reasons = []
    sample = evaluation.get("sample")
    if sample and sample["recruited"]:
        lost = 1 - sample["analysed"] / sample["recruited"]
        if lost > ATTRITION_LIMIT:
            reasons.append(
                f"{round(100 * lost)}% of the {sample['recruited']} people recruited were not "
                "analysed (more than 20%)"
            )
    if effect.design == "comparison" and evaluation["design"] not in RANDOMISED_DESIGNS:
        clusters = evaluation.get("clusters")
        if not clusters:
            reasons.append(
                "the groups were not randomised, and how many sites each had is not given"
            )
        elif min(clusters["intervention"], clusters["comparison"]) < CLUSTERS_PER_ARM:
            reasons.append(
                f"the groups were not randomised, and one of them had fewer than "
                f"{CLUSTERS_PER_ARM} {clusters['unit']}"
            )
    if effect.design in ("change", "paired-change"):
        reasons.append("a change before and after, with no group that did not take part to compare")
    return tuple(reasons)


def imprecision(effect: Effect, unit: str) -> tuple[str, ...]:
    """Return the reasons the effect's size is not pinned down."""
    reasons = []
    if effect.certainty == "could-be-chance":
        reasons.append("its 95% interval includes no change")
    elif effect.certainty == "not-tested":
        reasons.append("it has no 95% interval")
    if unit in EVENT_UNITS and effect.statistic not in (
        "mean-difference",
        "standardised-mean-difference",
    ):
        if effect.events is None:
            reasons.append("the number of events behind it is not given")
        elif effect.events < OPTIMAL_EVENTS:
            reasons.append(f"fewer than {OPTIMAL_EVENTS} events are behind it ({effect.events})")
    elif effect.people is None:
        reasons.append("the number of people behind it is not given")
    elif effect.people < OPTIMAL_PEOPLE:
        reasons.append(f"fewer than {OPTIMAL_PEOPLE} people are behind it ({effect.people})")
    return tuple(reasons)


def inconsistency(i2: float | None) -> tuple[str, ...]:
    """Return the reason pooled cases disagree, for a pooled estimate."""
    if i2 is not None and i2 > INCONSISTENCY_I2:
        return (f"the cases disagree (I-squared {i2:.0f}%, over {INCONSISTENCY_I2:.0f}%)",)
    return ()


def certainty_from_record(record: Data | None) -> EvidenceCertainty | None:
    """Rebuild a rating from ``dataclasses.asdict`` of it (for the figures cache)."""
    if not record:
        return None
    downs = tuple((domain, tuple(reasons)) for domain, reasons in record["downs"])
    return EvidenceCertainty(record["level"], record["start"], downs)
