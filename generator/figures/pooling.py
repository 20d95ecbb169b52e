"""Like with like across cases: effects on the same validated instrument, and their pooled estimate.

Outcomes that name the same instrument can be set side by side in its own units. With three or
more real cases of one design family (randomised, or not), their effects are pooled by a
random-effects model: statsmodels ``combine_effects`` with DerSimonian and Laird's estimate of
tau-squared (``method_re="chi2"``), I-squared, and a 95% prediction interval on t with k - 2
degrees of freedom (Higgins, Thompson and Spiegelhalter 2009). It is exploratory: the cases chose
to be published. Examples are never pooled, and nothing is pooled across instruments, units or
design families. A case's standard error comes from its 95% interval: (high - low) / (2 x 1.96).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.figures.catalogue import CaseEntry
from generator.figures.certainty import LEVELS, OPTIMAL_PEOPLE, EvidenceCertainty, inconsistency
from generator.figures.effects import Effect
from generator.vocabulary import RANDOMISED_DESIGNS

Z_95 = 1.96
POOL_MINIMUM = 3
METHOD = "DerSimonian-Laird random effects (statsmodels combine_effects, method_re='chi2')"
# Effects in the instrument's own units, which can be set side by side and pooled.
UNIT_STATISTICS = ("difference", "difference-in-differences", "mean-difference")
FAMILIES = {"randomised": "Randomised comparisons", "non-randomised": "Not randomised"}


@dataclass(frozen=True)
class InstrumentEffect:
    """One case's effect on an instrument, in its units, with the standard error of its interval."""

    case: CaseEntry
    outcome: int  # position in the case, from 0
    family: str  # "randomised" or "non-randomised"
    effect: Effect
    certainty: EvidenceCertainty  # the outcome's certainty of evidence

    @property
    def se(self) -> float | None:
        """Return the standard error implied by the 95% interval, or None without one."""
        interval = self.effect.interval
        return None if interval is None else (interval.high - interval.low) / (2 * Z_95)


@dataclass(frozen=True)
class PooledEstimate:
    """A random-effects estimate of one instrument's effects in one design family."""

    instrument: str
    family: str
    k: int
    cases: tuple[str, ...]
    method: str
    estimate: float
    low: float
    high: float
    tau2: float
    i2: float  # percent
    pi_low: float
    pi_high: float
    certainty: EvidenceCertainty


def family_of(case: CaseEntry, effect: Effect) -> str:
    """Return the design family of an effect: randomised comparisons, or everything else."""
    randomised = case.data["evaluation"]["design"] in RANDOMISED_DESIGNS
    return "randomised" if randomised and effect.design == "comparison" else "non-randomised"


def instrument_effects(cases: Iterable[CaseEntry]) -> dict[str, list[InstrumentEffect]]:
    """Return, by instrument, every outcome's effect in that instrument's own units."""
    found: dict[str, list[InstrumentEffect]] = defaultdict(list)
    for case in cases:
        for index, (outcome, figures) in enumerate(
            zip(case.data["outcomes"], case.figures.outcomes, strict=True)
        ):
            effect = figures.effect
            if not outcome.get("instrument") or effect is None or effect.value is None:
                continue
            if effect.statistic not in UNIT_STATISTICS:
                continue
            if figures.certainty is None:  # pragma: no cover - every effect is rated
                continue
            found[outcome["instrument"]].append(
                InstrumentEffect(case, index, family_of(case, effect), effect, figures.certainty)
            )
    return dict(found)


def pool(instrument: str, family: str, effects: list[InstrumentEffect]) -> PooledEstimate | None:
    """Pool the effects of real cases with an interval, when there are at least three."""
    usable = [e for e in effects if not e.case.is_example and e.se and e.effect.value is not None]
    if len(usable) < POOL_MINIMUM:
        return None
    import numpy as np
    from scipy.stats import t
    from statsmodels.stats.meta_analysis import combine_effects

    values = np.array([float(e.effect.value or 0) for e in usable])
    variances = np.array([float(e.se or 0) ** 2 for e in usable])
    result = combine_effects(values, variances, method_re="chi2")
    estimate, se = float(result.mean_effect_re), float(result.sd_eff_w_re)
    tau2, k = float(result.tau2), len(usable)
    spread = float(t.ppf(0.975, k - 2)) * math.sqrt(tau2 + se**2)
    i2 = 100 * max(0.0, float(result.i2))
    return PooledEstimate(
        instrument=instrument,
        family=family,
        k=k,
        cases=tuple(e.case.id for e in usable),
        method=METHOD,
        estimate=_round(estimate),
        low=_round(estimate - Z_95 * se),
        high=_round(estimate + Z_95 * se),
        tau2=_round(tau2),
        i2=_round(i2),
        pi_low=_round(estimate - spread),
        pi_high=_round(estimate + spread),
        certainty=pooled_certainty(family, usable, estimate - Z_95 * se, estimate + Z_95 * se, i2),
    )


def pooled_certainty(
    family: str, effects: list[InstrumentEffect], low: float, high: float, i2: float
) -> EvidenceCertainty:
    """Rate a pooled estimate by the same rules as one effect, with inconsistency besides.

    It starts high for randomised comparisons and low otherwise; risk of bias counts when any
    pooled case was marked down for it; imprecision when the pooled interval includes no change
    or fewer than 400 people are behind it; inconsistency when I-squared is over 50%.
    """
    start = "high" if family == "randomised" else "low"
    bias = tuple(
        dict.fromkeys(
            f"{e.case.title}: {reason}"
            for e in effects
            for domain, reasons in e.certainty.downs
            if domain == "risk of bias"
            for reason in reasons
        )
    )
    people = [e.effect.people for e in effects]
    imprecise = []
    if low <= 0 <= high:
        imprecise.append("the pooled 95% interval includes no change")
    if None in people:
        imprecise.append("the number of people behind some cases is not given")
    elif sum(p or 0 for p in people) < OPTIMAL_PEOPLE:
        imprecise.append(f"fewer than {OPTIMAL_PEOPLE} people are behind it")
    downs = [
        (domain, reasons)
        for domain, reasons in (
            ("risk of bias", bias),
            ("imprecision", tuple(imprecise)),
            ("inconsistency", inconsistency(i2)),
        )
        if reasons
    ]
    step = min(LEVELS.index(start) + len(downs), len(LEVELS) - 1)
    return EvidenceCertainty(LEVELS[step], start, tuple(downs))


def syntheses(cases: Iterable[CaseEntry]) -> list[PooledEstimate]:
    """Return every pooled estimate: per instrument and design family with 3 or more real cases."""
    pooled = []
    for instrument, effects in sorted(instrument_effects(cases).items()):
        for family in FAMILIES:
            estimate = pool(instrument, family, [e for e in effects if e.family == family])
            if estimate is not None:
                pooled.append(estimate)
    return pooled


def _round(value: float) -> float:
    return round(value, 6) + 0.0
