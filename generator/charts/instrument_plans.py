"""Plan the compare page's like-for-like charts: a forest plot per instrument used by two or more
cases, in its own units, with the pooled estimates of ``figures.pooling`` (exploratory)."""

from __future__ import annotations

from collections import Counter

from generator.charts.instrument_specs import instrument_forest_spec
from generator.charts.plans import ChartPlan, example_note
from generator.charts.synthesis_plans import case_name, chart_names, design_name
from generator.figures.catalogue import CaseEntry
from generator.figures.pooling import (
    FAMILIES,
    METHOD,
    POOL_MINIMUM,
    InstrumentEffect,
    PooledEstimate,
    instrument_effects,
    pool,
)
from generator.figures.words import (
    CERTAINTY_LABELS,
    LEVEL_WORDS,
    format_bound,
    format_ends,
    format_number,
)
from generator.schema import Instrument, instruments

REAL_GROUP = "Published and summary cases"
POOLED_WORDS = {
    "randomised": "randomised comparisons",
    "non-randomised": "cases that were not randomised",
}
EXAMPLE_GROUP = "Illustrative examples (invented; never pooled)"
CASE_MINIMUM = 2


def instrument_plans(cases: list[CaseEntry]) -> list[ChartPlan]:
    """Plan a forest plot for every instrument that two or more cases use."""
    plans = []
    for code, effects in sorted(instrument_effects(cases).items()):
        if len({e.case.id for e in effects}) >= CASE_MINIMUM:
            plans.append(instrument_plan(instruments()[code], effects, cases))
    return plans


def pooled_estimates(code: str, effects: list[InstrumentEffect]) -> list[PooledEstimate]:
    """Return the pooled estimates of one instrument, a design family at a time."""
    found = [pool(code, family, [e for e in effects if e.family == family]) for family in FAMILIES]
    return [p for p in found if p is not None]


def instrument_plan(
    instrument: Instrument, effects: list[InstrumentEffect], cases: list[CaseEntry]
) -> ChartPlan:
    """Plan one instrument's forest plot, its description and its tables."""
    names = chart_names(cases)
    ordered = sorted(
        effects,
        key=lambda e: (e.case.is_example, e.family, -(e.effect.value or 0), e.case.title.lower()),
    )
    rows = [_row(e, order, names) for order, e in enumerate(ordered)]
    pooled = pooled_estimates(instrument.code, effects)
    units = f"{instrument.name.split(' (')[0]} points ({_range_words(instrument)})"
    return ChartPlan(
        f"instrument-{instrument.code}",
        f"Like with like: {instrument.name}",
        _description(instrument, effects, pooled),
        (
            "Case",
            "Design",
            "Figure",
            "Effect (points)",
            "95% range",
            "95% range and no change",
            "Certainty of evidence",
        ),
        tuple(_table_row(e) for e in ordered),
        instrument_forest_spec(rows, [_pooled_row(p) for p in pooled], instrument.mid, units),
        example_note=example_note(
            sorted({e.case.id: e.case for e in effects}.values(), key=lambda c: c.id)
        ),
        summary_title="Pooled estimates (exploratory)",
        summary_columns=(
            "Design family",
            "Cases (k)",
            "Method",
            "Estimate",
            "95% interval",
            "tau-squared",
            "I-squared",
            "95% prediction interval",
            "Certainty of evidence",
        ),
        summary_rows=tuple(_pooled_table_row(p) for p in pooled),
        more=("method/", "like-with-like", "How cases are set side by side and pooled"),
        method=_method(instrument, pooled),
    )


def _range_words(instrument: Instrument) -> str:
    return f"{format_number(instrument.min)} to {format_number(instrument.max)}, {instrument.better} is better"


def _row(
    effect: InstrumentEffect, order: int, names: dict[str, tuple[str, str]]
) -> dict[str, object]:
    interval = effect.effect.interval
    group = (
        EXAMPLE_GROUP
        if effect.case.is_example
        else f"{REAL_GROUP}: {FAMILIES[effect.family].lower()}"
    )
    return {
        "group": group,
        "order": order,
        "label": "\n".join(names[effect.case.id]),
        "value": effect.effect.value,
        "low": interval.low if interval else None,
        "high": interval.high if interval else None,
        "certainty": CERTAINTY_LABELS[effect.effect.certainty],
    }


def _figure(effect: InstrumentEffect) -> str:
    source = (
        "reported by the authors" if effect.effect.source == "reported" else "worked out by the hub"
    )
    what = (
        "against a comparison group"
        if effect.effect.design == "comparison"
        else "change since baseline"
    )
    return f"{what}, {source}"


def _table_row(effect: InstrumentEffect) -> tuple[str, ...]:
    interval = effect.effect.interval
    return (
        case_name(effect.case),
        design_name(effect.case),
        _figure(effect),
        format_bound(effect.effect.value or 0.0),
        format_ends(interval) if interval else "\u2013",
        CERTAINTY_LABELS[effect.effect.certainty],
        LEVEL_WORDS[effect.certainty.level],
    )


def _pooled_row(pooled: PooledEstimate) -> dict[str, object]:
    return {
        "label": f"Pooled, {FAMILIES[pooled.family].lower()} (exploratory): diamond 95% interval, "
        "dashed line 95% prediction interval",
        "estimate": pooled.estimate,
        "low": pooled.low,
        "high": pooled.high,
        "pi_low": pooled.pi_low,
        "pi_high": pooled.pi_high,
    }


def _pooled_table_row(pooled: PooledEstimate) -> tuple[str, ...]:
    return (
        FAMILIES[pooled.family],
        str(pooled.k),
        "DerSimonian-Laird random effects",
        format_bound(pooled.estimate),
        f"{format_bound(pooled.low)} to {format_bound(pooled.high)}",
        format_number(round(pooled.tau2, 3)),
        f"{pooled.i2:.1f}%",
        f"{format_bound(pooled.pi_low)} to {format_bound(pooled.pi_high)}",
        LEVEL_WORDS[pooled.certainty.level],
    )


def _description(
    instrument: Instrument, effects: list[InstrumentEffect], pooled: list[PooledEstimate]
) -> str:
    real = [e for e in effects if not e.case.is_example]
    families = Counter(e.family for e in real)
    parts = [
        f"Each line is one case's effect on {instrument.name}, in its own points "
        f"({_range_words(instrument)}), with its 95% range; the short black mark on each line "
        "is no change."
    ]
    if instrument.mid_low:
        parts.append(
            f"The short grey marks on each side are the smallest change that matters to "
            f"people, about {_mid_words(instrument)} points."
        )
    parts.append(
        f"{len(real)} published or summary case{'s' if len(real) != 1 else ''} use it"
        + (
            " (" + ", ".join(f"{n} {FAMILIES[f].lower()}" for f, n in families.items()) + ")"
            if real
            else ""
        )
        + "; illustrative examples are shown apart and never pooled."
    )
    if pooled:
        for estimate in pooled:
            parts.append(
                f"Pooled over {estimate.k} {POOLED_WORDS[estimate.family]} (exploratory, "
                f"because cases choose to be published): {format_bound(estimate.estimate)} points, "
                f"95% interval {format_bound(estimate.low)} to {format_bound(estimate.high)}; "
                f"a new case could fall anywhere from {format_bound(estimate.pi_low)} to "
                f"{format_bound(estimate.pi_high)} (95% prediction interval). Certainty of this "
                f"evidence: {LEVEL_WORDS[estimate.certainty.level].lower()}."
            )
    else:
        parts.append(
            f"Nothing is pooled: that needs {POOL_MINIMUM} or more published or summary cases "
            "of one design family with a 95% range."
        )
    return " ".join(parts)


def _mid_words(instrument: Instrument) -> str:
    mid = format_number(instrument.mid_low or 0)
    if instrument.mid_high and instrument.mid_high != instrument.mid_low:
        mid += f" to {format_number(instrument.mid_high)}"
    return mid


def _method(instrument: Instrument, pooled: list[PooledEstimate]) -> str:
    parts = []
    if instrument.mid_low:
        parts.append(
            f"The smallest change that matters (minimal important difference, about "
            f"{_mid_words(instrument)} points) is from {instrument.mid_source.rstrip('.')}."
        )
    for estimate in pooled:
        parts.append(
            f"Across the {POOLED_WORDS[estimate.family]}, the cases disagree by I-squared "
            f"{estimate.i2:.0f}% (tau-squared {format_number(round(estimate.tau2, 3))})."
        )
    parts.append(f"How it is pooled: {METHOD}.")
    return " ".join(parts)
