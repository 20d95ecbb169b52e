"""Rules for what real evaluations report (contract 1.2): counts, pairs, the authors' own
estimates, validated instruments, and how many people were recruited and analysed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.cases.load import LoadedDocument
from generator.cases.parts import measurements, outcomes
from generator.errors import Problem
from generator.schema import instruments
from generator.vocabulary import RATIO_STATISTICS, UNIT_WITH_SCALE, UNITS_WITH_SD

# A percentage written beside its count may differ from 100 x count / n by rounding only.
PERCENT_TOLERANCE = 0.5


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def measurement_has_a_value(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """A measurement gives its value, or, for a percentage, the count of n it stands for."""
    for index, outcome in outcomes(case):
        for path, item in measurements(outcome):
            if "value" in item:
                continue
            if outcome.get("unit") == "percent" and "count" in item and "n" in item:
                continue
            hint = (
                "Write `value:` (e.g. `value: 62`), or give `count:` with `n:` (e.g. 64 of 218)."
                if outcome.get("unit") == "percent"
                else "Write `value:` with the measured number."
            )
            yield doc.problem(
                ("outcomes", index, *path, "value"),
                "This measurement has no value.",
                hint,
                kind="rule",
            )


def count_fits_percentage(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """A count is for percentages, comes with its n, is at most n, and agrees with the value."""
    for index, outcome in outcomes(case):
        unit = outcome.get("unit")
        for path, item in measurements(outcome):
            if not _number(item.get("count")):
                continue
            at = ("outcomes", index, *path, "count")
            count, n = item["count"], item.get("n")
            if unit != "percent":
                yield doc.problem(
                    at,
                    f"A count is only for percentages, but this outcome's unit is `{unit}`.",
                    "For a number of things, write it as `value:` with `unit: count`; "
                    "otherwise remove `count`.",
                    kind="rule",
                )
            elif not _number(n):
                yield doc.problem(
                    at,
                    "A count needs the number of people it is out of.",
                    f"Add `n:` to this measurement (e.g. `count: {count}` of `n: 218`).",
                    kind="rule",
                )
            elif count > n:
                yield doc.problem(
                    at,
                    f"The count {count} is more than n ({n}).",
                    "A count is how many of the n people the percentage stands for.",
                    kind="rule",
                )
            elif _number(item.get("value")) and n:
                exact = 100 * count / n
                if abs(exact - item["value"]) > PERCENT_TOLERANCE:
                    yield doc.problem(
                        ("outcomes", index, *path, "value"),
                        f"The value {item['value']:g}% does not agree with {count} of {n} "
                        f"({exact:.1f}%).",
                        "Check both; or leave `value` out and the hub works it out from the count.",
                        kind="rule",
                    )


def paired_change_fits(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """``sd_change`` is given on a result of a paired outcome of means, with the pairs' n."""
    for index, outcome in outcomes(case):
        unit = outcome.get("unit")
        for path, item in measurements(outcome):
            if "sd_change" not in item:
                continue
            at = ("outcomes", index, *path, "sd_change")
            if "results" not in path:
                yield doc.problem(
                    at,
                    "The standard deviation of the change belongs on a result, not a baseline.",
                    "Move `sd_change` to the result it compares with the baseline.",
                    kind="rule",
                )
            elif outcome.get("paired") is not True:
                yield doc.problem(
                    at,
                    "A standard deviation of each person's change needs a paired outcome.",
                    "Add `paired: true` to the outcome if the same people were measured before "
                    "and after; otherwise remove `sd_change`.",
                    kind="rule",
                )
            elif isinstance(unit, str) and unit not in UNITS_WITH_SD:
                yield doc.problem(
                    at,
                    f"A standard deviation does not apply to a {unit} outcome: it is only for "
                    "means, in the units " + ", ".join(f"`{u}`" for u in UNITS_WITH_SD) + ".",
                    "Remove `sd_change`.",
                    kind="rule",
                )
            elif "n" not in item:
                yield doc.problem(
                    at,
                    "A standard deviation of the change needs the number of people measured twice.",
                    "Add `n:` (the number of pairs) to this result, or remove `sd_change`.",
                    kind="rule",
                )


def paired_outcome_has_a_baseline(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """A paired outcome measured the same people before and after: it has both."""
    for index, outcome in outcomes(case):
        if outcome.get("paired") is True and not isinstance(outcome.get("baseline"), dict):
            yield doc.problem(
                ("outcomes", index, "paired"),
                "A paired outcome measures the same people before and after, but this one has "
                "no baseline.",
                "Add `baseline:`, or remove `paired`.",
                kind="rule",
            )


def reported_estimate_fits(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """The authors' estimate lies inside its interval; a ratio and its interval are above 0."""
    for index, outcome in outcomes(case):
        reported = outcome.get("reported")
        if not isinstance(reported, dict) or not _number(reported.get("value")):
            continue
        at = ("outcomes", index, "reported")
        value, ci = reported["value"], reported.get("ci")
        ratio = reported.get("statistic") in RATIO_STATISTICS
        if ratio and value <= 0:
            yield doc.problem(
                (*at, "value"),
                f"A {reported['statistic'].replace('-', ' ')} is above 0, but this one is {value:g}.",
                "Check the value; no change is a ratio of 1.",
                kind="rule",
            )
        if isinstance(ci, dict) and _number(ci.get("low")) and _number(ci.get("high")):
            if ci["low"] > ci["high"]:
                yield doc.problem(
                    (*at, "ci"),
                    f"The interval runs from {ci['low']:g} to {ci['high']:g}.",
                    "Write the lower end as `low` and the upper end as `high`.",
                    kind="rule",
                )
            elif not ci["low"] <= value <= ci["high"]:
                yield doc.problem(
                    (*at, "value"),
                    f"The estimate {value:g} lies outside its interval ({ci['low']:g} to "
                    f"{ci['high']:g}).",
                    "Check the estimate and both ends as the source prints them.",
                    kind="rule",
                )
            elif ratio and ci["low"] <= 0:
                yield doc.problem(
                    (*at, "ci", "low"),
                    f"A ratio's interval stays above 0, but its lower end is {ci['low']:g}.",
                    "Check the lower end as the source prints it.",
                    kind="rule",
                )
        if "p" in reported and "p_below" in reported:
            yield doc.problem(
                (*at, "p_below"),
                "Give the P value once: `p` when the source prints it, `p_below` when it says "
                "only that it is below a threshold.",
                "Remove one of them.",
                kind="rule",
            )


def instrument_fits(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """An outcome naming an instrument is a score on that instrument's range, in its direction."""
    known = instruments()
    for index, outcome in outcomes(case):
        code = outcome.get("instrument")
        instrument = known.get(code) if isinstance(code, str) else None
        if instrument is None:
            continue
        at = ("outcomes", index)
        low, high = _plain(instrument.min), _plain(instrument.max)
        if outcome.get("unit") != UNIT_WITH_SCALE:
            yield doc.problem(
                (*at, "unit"),
                f"{instrument.name} gives scores, but this outcome's unit is "
                f"`{outcome.get('unit')}`.",
                f"Write `unit: score` with `scale: {{min: {low}, max: {high}}}`.",
                kind="rule",
            )
        scale = outcome.get("scale")
        if isinstance(scale, dict) and (scale.get("min"), scale.get("max")) != (
            instrument.min,
            instrument.max,
        ):
            yield doc.problem(
                (*at, "scale"),
                f"{instrument.name} runs from {low} to {high}, but this scale runs from "
                f"{scale.get('min')} to {scale.get('max')}.",
                f"Write `scale: {{min: {low}, max: {high}}}`; if the source scored it another "
                "way, leave `instrument` out and say so in `measure`.",
                kind="rule",
            )
        if outcome.get("better") in ("higher", "lower") and outcome["better"] != instrument.better:
            yield doc.problem(
                (*at, "better"),
                f"On {instrument.name}, {instrument.better} scores are better.",
                f"Write `better: {instrument.better}`.",
                kind="rule",
            )


def _plain(value: float) -> str:
    return f"{value:g}"


def sample_fits(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """No more people are analysed than were recruited."""
    evaluation = case.get("evaluation")
    sample = evaluation.get("sample") if isinstance(evaluation, dict) else None
    if not isinstance(sample, dict):
        return
    recruited, analysed = sample.get("recruited"), sample.get("analysed")
    if isinstance(recruited, int) and isinstance(analysed, int) and analysed > recruited:
        yield doc.problem(
            ("evaluation", "sample", "analysed"),
            f"{analysed} people analysed is more than the {recruited} recruited.",
            "Check both numbers.",
            kind="rule",
        )


MEASURE_RULES = (
    measurement_has_a_value,
    count_fits_percentage,
    paired_change_fits,
    paired_outcome_has_a_baseline,
    reported_estimate_fits,
    instrument_fits,
    sample_fits,
)
