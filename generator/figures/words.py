"""Words: the figures as plain text (labels, dates, numbers, ranges, verdicts), with no markup.

Every stage that shows a figure (charts, downloads, the feed, pages) writes it through these
functions, so a figure reads the same everywhere. Nothing here is HTML: pages escape it.
"""

from __future__ import annotations

import calendar
from typing import Any

from generator.figures.catalogue import CaseEntry
from generator.figures.certainty import EvidenceCertainty
from generator.figures.derive import Change, OutcomeFigures, latest_result
from generator.figures.effects import Effect
from generator.figures.uncertainty import SCALE_NULL, Interval, kind_of_data, value_of
from generator.schema import label

UNIT_SUFFIX = {"percent": "%", "tonnes": " t", "days": " days"}
VERDICT_LABELS = {"improved": "Improved", "worsened": "Worsened", "no-change": "No change"}
# Whether an interval leaves out no change; the words a chart's legend and tables use.
CERTAINTY_LABELS = {
    "clear": "Range leaves out no change",
    "could-be-chance": "Could be chance",
    "not-tested": "Not tested for chance",
}
# GRADE's levels, and its informative statements (Santesso et al. 2020) for an effect whose
# interval leaves out no change.
LEVEL_WORDS = {"high": "High", "moderate": "Moderate", "low": "Low", "very-low": "Very low"}
LEVEL_STATEMENTS = {
    "high": "{Verdict}",
    "moderate": "Probably {verdict}",
    "low": "May have {verdict}",
    "very-low": "Very uncertain: may have {verdict}",
}
UNCLEAR = "Unclear: the change could be chance"
NOT_TESTED = "not tested for chance"
NO_DIFFERENCE = "No difference in the figures (not tested for chance)"
STATISTIC_WORDS = {
    "mean-difference": "mean difference",
    "risk-difference": "risk difference",
    "odds-ratio": "odds ratio",
    "risk-ratio": "risk ratio",
    "rate-ratio": "rate ratio",
    "hazard-ratio": "hazard ratio",
    "standardised-mean-difference": "standardised mean difference",
    "median-difference": "median difference",
    "percent-change": "percent change",
    "difference": "difference",
    "difference-in-differences": "difference in differences",
    "ratio": "ratio",
    "ratio-of-ratios": "ratio of ratios",
}
ANALYSIS_WORDS = {
    "intention-to-treat": "intention-to-treat analysis",
    "per-protocol": "per-protocol analysis",
    "completers": "analysis of completers",
    "other": "",
}
# Shown wherever a design without a comparison group reports change (also on the method page).
AFTER_CAVEAT = (
    "These changes were seen after the co-production. Without a group that did not take part "
    "to compare with, they cannot show that the co-production caused them: wider trends, the "
    "seasons, regression to the mean or different people answering could explain some or all "
    "of each change."
)
NO_RANGE_REASONS = {
    "percent": "no range: the number of respondents is not given for both measurements",
    "count": "no range: the counts are not whole numbers with a baseline of at least 1",
    "mean": "no range: the standard deviation and number of respondents (at least 2) are not "
    "given for both measurements",
    "other": "no range: this unit has no rule for one",
}
TARGET_LABELS = {"met": "Target met", "not-met": "Target not met"}


def format_date(value: str) -> str:
    """Write a YYYY[-MM[-DD]] date in words: 2023, September 2023, 14 March 2025."""
    parts = str(value).split("-")
    if len(parts) == 1:
        return parts[0]
    month = calendar.month_name[int(parts[1])]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def format_number(value: float) -> str:
    """Write a number with thousands separators and at most two decimals, trailing zeros cut."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str) -> str:
    """Write a value with its unit: 58%, 12.5 t, 14 days."""
    return format_number(value) + UNIT_SUFFIX.get(unit, "")


def format_change(absolute: float, unit: str) -> str:
    """Write a change with its sign and unit: +23 percentage points, -6."""
    sign = "+" if absolute > 0 else ("\u2212" if absolute < 0 else "\u00b1")  # typographic minus
    amount = format_number(abs(absolute))
    if unit == "percent":
        return f"{sign}{amount} percentage point{'s' if abs(absolute) != 1 else ''}"
    return sign + amount + UNIT_SUFFIX.get(unit, "")


def judgement_words(verdict: str, certainty: str) -> str:
    """Say a verdict with its certainty in the contract's words (never "significant")."""
    if certainty == "could-be-chance":
        return "Unclear: the change could be chance"
    if verdict == "no-change":
        return "No change"
    if certainty == "clear":
        return VERDICT_LABELS[verdict]
    return f"{VERDICT_LABELS[verdict]} (not tested for chance)"


def effect_words(verdict: str, certainty: str, level: str | None) -> str:
    """Say an effect in GRADE's informative words: "Probably improved", "May have worsened".

    An interval that includes no change reads "Unclear: the change could be chance" at every
    level; an effect with no interval says it was not tested for chance; no word is
    "significant".
    """
    if certainty == "could-be-chance":
        return UNCLEAR
    if verdict == "no-change":
        return NO_DIFFERENCE if certainty == "not-tested" else "No change"
    words = LEVEL_STATEMENTS[level or "very-low"].format(
        Verdict=VERDICT_LABELS[verdict], verdict=verdict
    )
    return f"{words} ({NOT_TESTED})" if certainty == "not-tested" else words


def figures_words(figures: OutcomeFigures) -> str:
    """Say how an outcome came out: its effect in GRADE's words, or "" without one."""
    if figures.effect is None:
        return ""
    level = figures.certainty.level if figures.certainty else None
    return effect_words(figures.effect.verdict, figures.effect.certainty, level)


def effect_category(figures: OutcomeFigures) -> str | None:
    """Return the words an outcome is counted under: "probably improved", "unclear", ..."""
    effect = figures.effect
    if effect is None:
        return None
    if effect.certainty == "could-be-chance":
        return "unclear (could be chance)"
    if effect.certainty == "not-tested":
        return NOT_TESTED
    if effect.verdict == "no-change":
        return "no change"
    level = figures.certainty.level if figures.certainty else "very-low"
    return LEVEL_STATEMENTS[level].format(Verdict=effect.verdict, verdict=effect.verdict).lower()


COUNT_ORDER = (
    "improved",
    "probably improved",
    "may have improved",
    "very uncertain: may have improved",
    "worsened",
    "probably worsened",
    "may have worsened",
    "very uncertain: may have worsened",
    "no change",
    "unclear (could be chance)",
    NOT_TESTED,
)


# Which way each count points: towards an improvement, a worsening, or neither.
COUNT_GROUPS = {
    "improved": COUNT_ORDER[:4],
    "worsened": COUNT_ORDER[4:8],
    "unclear": COUNT_ORDER[8:],
}


def effect_counts(outcomes: list[OutcomeFigures]) -> list[tuple[str, int]]:
    """Count outcomes' effects by their words, in COUNT_ORDER: ("probably improved", 3), ..."""
    found = [c for c in map(effect_category, outcomes) if c is not None]
    return [(words, found.count(words)) for words in COUNT_ORDER if words in found]


def count_effects(outcomes: list[OutcomeFigures]) -> list[str]:
    """Count outcomes' effects in words: "3 probably improved", "7 unclear (could be chance)"."""
    return [f"{n} {words}" for words, n in effect_counts(outcomes)]


def count_group(words: str) -> str:
    """Return which way a count's words point: "improved", "worsened" or "unclear"."""
    return next(group for group, members in COUNT_GROUPS.items() if words in members)


# How each count reads inside the home page's sentence: the certainty rules' words, as a clause.
ANSWER_CLAUSES = {
    "improved": "{n} improved",
    "probably improved": "{n} probably improved",
    "may have improved": "{n} may have improved",
    "very uncertain: may have improved": "{n} may have improved (very uncertain)",
    "worsened": "{n} worsened",
    "probably worsened": "{n} probably worsened",
    "may have worsened": "{n} may have worsened",
    "very uncertain: may have worsened": "{n} may have worsened (very uncertain)",
    "no change": "{n} showed no change",
    "unclear (could be chance)": "{n} {are} unclear (could be chance)",
    NOT_TESTED: "{n} {were} not tested for chance",
}


def effects_answer(outcomes: list[OutcomeFigures], evaluations: int) -> str:
    """Say in one sentence how real evaluations' outcomes came out, in the certainty rules' words:
    "Of 37 outcomes with an effect to judge in 17 real evaluations: 9 probably improved,
    10 may have improved (very uncertain), none point to a worsening, 15 are unclear (could be
    chance), 3 were not tested for chance."

    Every count keeps its certainty: "may have improved (very uncertain)" is never added to
    "probably improved" as one "improvement".
    """
    counts = effect_counts(outcomes)
    total = sum(n for _, n in counts)
    studies = f"{evaluations} real evaluation{'s' if evaluations != 1 else ''}"
    if not total:
        return f"None of the outcomes in {studies} has an effect to judge yet."
    clauses: list[str] = []
    for group, members in COUNT_GROUPS.items():
        found = [(words, n) for words, n in counts if words in members]
        if not found and group != "unclear":
            clauses.append(
                f"none point to {'an improvement' if group == 'improved' else 'a worsening'}"
            )
        clauses += [
            ANSWER_CLAUSES[words].format(
                n=n, are="is" if n == 1 else "are", were="was" if n == 1 else "were"
            )
            for words, n in found
        ]
    outcomes_with = f"{total} outcome{'s' if total != 1 else ''} with an effect to judge"
    return f"Of {outcomes_with} in {studies}: {', '.join(clauses)}."


def format_bound(value: float, null: float = 0.0) -> str:
    """Write an interval's end: whole numbers from 10 up, one decimal below, two below 1.

    More decimals where fewer would put the end on the other side of no change (``null``), or
    on it: -0.004 is never "0", and a ratio's 0.996 is never "1".
    """
    size = abs(value)
    digits = 0 if size >= 10 else (1 if size >= 1 else 2)
    text = _fixed(size, digits)
    while digits < 6 and value != null and _side(_signed(value, text), null) != _side(value, null):
        digits += 1
        text = _fixed(size, digits)
    shown = float(text.replace(",", ""))
    return ("\u2212" if value < 0 and shown != 0 else "") + text


def _fixed(size: float, digits: int) -> str:
    text = f"{size:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _signed(value: float, text: str) -> float:
    shown = float(text.replace(",", ""))
    return -shown if value < 0 else shown


def _side(value: float, null: float) -> int:
    return (value > null) - (value < null)


def format_ends(interval: Interval, suffix: str = "") -> str:
    """Write an interval's two ends, each on its own side of no change: "6 to 37", "55% to 95%"."""
    null = SCALE_NULL.get(interval.scale, 0.0)
    low, high = format_bound(interval.low, null), format_bound(interval.high, null)
    return f"{low}{suffix} to {high}{suffix}"


def format_range(interval: Interval, unit: str) -> str:
    """Write a 95% range: "95% range 6 to 37 points", "95% range 0.15 to 1.44 times"."""
    null = SCALE_NULL.get(interval.scale, 0.0)
    low, high = format_bound(interval.low, null), format_bound(interval.high, null)
    if interval.scale == "ratio":
        return f"95% range {low} to {high} times"
    if unit == "percent":
        return f"95% range {low} to {high} points"
    return f"95% range {format_ends(interval, UNIT_SUFFIX.get(unit, ''))}"


def _amount(difference: float, unit: str) -> str:
    """Write a difference's size with its unit and direction: "23 points higher"."""
    if difference == 0:
        return "no different"
    way = "higher" if difference > 0 else "lower"
    size = format_number(abs(difference))
    if unit == "percent":
        return f"{size} point{'s' if abs(difference) != 1 else ''} {way}"
    return f"{size}{UNIT_SUFFIX.get(unit, '')} {way}"


def _pomp_words(pomp: float | None) -> str:
    return "" if pomp is None else f"; {format_number(round(abs(pomp), 1))}% of the scale's range"


def change_sentence(change: Change, unit: str, reason: str = "") -> str:
    """Write a change with its range: "23 points higher (95% range 6 to 37 points)"."""
    text = _amount(change.absolute, unit)
    if change.interval is not None and change.interval.scale == "ratio":
        times = format_number(round(change.latest / change.baseline, 2)) if change.baseline else ""
        text += f", {times} times the baseline" if times else ""
    where = format_range(change.interval, unit) if change.interval else reason
    return (f"{text} ({where})" if where else text) + _pomp_words(change.pomp)


def effect_sentence(effect: Effect, unit: str) -> str:
    """Write what an effect is, with its range: the authors' estimate as they report it, or the
    hub's difference against the comparison group, or the change since baseline."""
    if effect.source == "reported":
        return reported_sentence(effect)
    where = f" ({format_range(effect.interval, unit)})" if effect.interval else ""
    if effect.value is None:
        return effect.note
    if effect.statistic == "ratio-of-ratios":
        ratio = format_number(round(effect.value, 2))
        return f"a ratio of after to before {ratio} times the comparison group's{where}"
    if effect.statistic == "ratio":
        ratio = format_number(round(effect.value, 2))
        against = "the comparison group's" if effect.design == "comparison" else "the baseline"
        return f"{ratio} times {against}{where}"
    amount = _amount(effect.value, unit)
    if effect.statistic == "difference-in-differences":
        return f"a change {amount} than the comparison group's{where}{_pomp_words(effect.pomp)}"
    if effect.design == "comparison":
        return f"{amount} than the comparison group at the latest result{where}{_pomp_words(effect.pomp)}"
    pairs = " (the same people measured twice)" if effect.design == "paired-change" else ""
    return f"{amount} than the baseline{pairs}{where}{_pomp_words(effect.pomp)}"


def format_reported(value: float) -> str:
    """Write a number as the authors printed it (up to 4 significant figures), minus typeset."""
    text = f"{abs(value):.4g}"
    return ("\u2212" if value < 0 else "") + text


def format_p(p: float | None, p_below: float | None) -> str:
    """Write a reported P value: "P = 0.0438", "P < 0.001", or ""."""
    if p is not None:
        return f"P = {format_reported(p)}"
    if p_below is not None:
        return f"P < {format_reported(p_below)}"
    return ""


def reported_sentence(effect: Effect) -> str:
    """Say the authors' estimate: "odds ratio 0.66, 95% CI 0.43 to 0.99, as reported by the
    authors; adjusted for ..." (interval ends as printed, at the interval's own level)."""
    assert effect.value is not None
    parts = [
        f"{STATISTIC_WORDS.get(effect.statistic, effect.statistic)} {format_reported(effect.value)}"
    ]
    if effect.ci_low is not None and effect.ci_high is not None:
        parts.append(
            f"{effect.ci_level}% CI {format_reported(effect.ci_low)} to "
            f"{format_reported(effect.ci_high)}"
        )
    p = format_p(effect.p, effect.p_below)
    if p:
        parts.append(p)
    text = ", ".join(parts) + ", as reported by the authors"
    if effect.adjusted_for:
        text += f"; adjusted for {effect.adjusted_for}"
    if ANALYSIS_WORDS.get(effect.analysis):
        text += f"; {ANALYSIS_WORDS[effect.analysis]}"
    if effect.ci_level != 95 and effect.interval is not None:
        text += f" (as a 95% range: {format_ends(effect.interval)})"
    return text


def certainty_sentence(certainty: EvidenceCertainty) -> str:
    """Say how certain the evidence is and each step down: "Moderate: starts high (randomised);
    down one for imprecision: fewer than 300 events are behind it (147)."."""
    start = (
        "starts high (the groups were randomised)"
        if certainty.start == "high"
        else "starts low (the groups were not randomised, or there is no comparison group)"
    )
    steps = [f"down one for {domain}: {'; '.join(reasons)}" for domain, reasons in certainty.downs]
    return f"{LEVEL_WORDS[certainty.level]}: {start}" + "".join(f"; {s}" for s in steps) + "."


def agreement_sentence(effect: Effect, hub: Effect | None, unit: str) -> str:
    """Say the hub's own figure beside the authors', and where the two disagree about chance."""
    if hub is None or hub.value is None:
        return ""
    text = f"The hub's own figure from the published numbers: {effect_sentence(hub, unit)}."
    if hub.certainty == effect.certainty:
        return text
    theirs = _chance_words(effect.certainty)
    ours = _chance_words(hub.certainty)
    return (
        f"{text} The two disagree: the authors' estimate {theirs}, the hub's {ours}. The authors' "
        "analysis can account for what the hub cannot see (the same people measured twice, "
        "clustering, adjustment), so theirs is the one this case is judged by."
    )


def _chance_words(certainty: str) -> str:
    return {
        "clear": "leaves out no change",
        "could-be-chance": "could be chance",
        "not-tested": "is not tested for chance",
    }[certainty]


def no_range_reason(outcome: dict[str, Any]) -> str:
    """Say why a change has no range, or "" when it has one."""
    results = outcome.get("results") or []
    if "baseline" not in outcome or not results:
        return ""
    unit = outcome["unit"]
    last = latest_result(outcome)
    if last is None or kind_of_data(unit, outcome["baseline"], last) is not None:
        return ""
    return NO_RANGE_REASONS.get(
        unit if unit in ("percent", "count") else ("other" if unit == "tonnes" else "mean"), ""
    )


def format_months(months: int | None) -> str:
    """Say how long after the co-production ended a result was taken."""
    if months is None:
        return "while ongoing"
    if months < 0:
        return f"{-months} month{'s' if months != -1 else ''} before it ended"
    if months == 0:
        return "as it ended"
    return f"{months} month{'s' if months != 1 else ''} after it ended"


def strength_dots(level: int) -> str:
    """Draw an evidence strength as five dots, filled to its level."""
    return "●" * level + "○" * (5 - level)


def principles_text(case: CaseEntry) -> str:
    """Write the principles score, e.g. "3.0 of 4" or "2.5 of 4 (1 unknown)"."""
    score = case.figures.principles
    if score.score is None:
        return "Unknown"
    text = f"{score.score:.1f} of 4"
    return text + (f" ({score.unknown} unknown)" if score.unknown else "")


def measurement_view(item: dict[str, Any], unit: str) -> dict[str, Any]:
    """Display values of one measurement."""
    return {
        "value": _measured(item, unit),
        "count": item.get("count"),
        "date": format_date(item["date"]),
        "iso_date": str(item["date"]),
        "n": item.get("n"),
        "sd": format_number(item["sd"]) if item.get("sd") is not None else "",
        "note": item.get("note", ""),
    }


def place(case: CaseEntry) -> str:
    """Write where the service is: region and country name."""
    service = case.data["service"]
    country = label("service.country", service["country"])
    return f"{service['region']}, {country}" if service.get("region") else country


def period(case: CaseEntry) -> str:
    """Write when the co-production ran."""
    copro = case.data["coproduction"]
    start = format_date(copro["start"])
    return (
        f"{start} to {format_date(copro['end'])}"
        if copro.get("end")
        else f"Since {start} (ongoing)"
    )


def _measured(item: dict[str, Any], unit: str) -> str:
    """Write a measured value: "58%", or for a percentage given as a count, "64 of 218 (29.4%)"."""
    if unit == "percent" and item.get("count") is not None and item.get("n"):
        share = format_value(round(100 * item["count"] / item["n"], 1), unit)
        if item.get("value") is not None:
            share = format_value(item["value"], unit)
        return f"{item['count']:,} of {item['n']:,} ({share})"
    return format_value(value_of(item, unit), unit)


def outcome_words(outcome: dict[str, Any], figures: OutcomeFigures) -> dict[str, Any]:
    """Plain-text values of one outcome: its derived change, target and follow-ups in words."""
    unit = outcome["unit"]
    results = [
        dict(measurement_view(r, unit), follow_up=format_months(m))
        for r, m in zip(outcome.get("results", []), figures.follow_up_months, strict=False)
    ]
    change = figures.change
    effect = figures.effect
    judgement = figures.judgement
    comparison = outcome.get("comparison")
    return {
        "number": figures.index + 1,
        "about": label("outcomes.*.about", outcome["about"]),
        "domain_code": outcome["domain"],
        "domain": label("outcomes.*.domain", outcome["domain"]),
        "group": label("outcomes.*.group", outcome["group"]) if outcome.get("group") else "",
        "measure": outcome["measure"],
        "unit": label("outcomes.*.unit", unit),
        "better": label("outcomes.*.better", outcome["better"]),
        "scale": outcome.get("scale"),
        "baseline": measurement_view(outcome["baseline"], unit)
        if outcome.get("baseline")
        else None,
        "results": results,
        "comparison": comparison_words(comparison, unit) if comparison else None,
        "target": format_value(outcome["target"], unit) if "target" in outcome else "",
        "target_status": TARGET_LABELS[figures.target.status] if figures.target else "",
        "change": format_change(change.absolute, unit) if change else "",
        "change_sentence": change_sentence(change, unit, no_range_reason(outcome))
        if change
        else "",
        "effect_sentence": effect_sentence(effect, unit) if effect else "",
        "effect_text": _effect_text(effect, change, outcome),
        "context": EFFECT_CONTEXT.get(effect.design, "") if effect else "",
        "effect_design": effect.design if effect else "",
        "effect_source": effect.source if effect else "",
        "why_none": figures.why_none,
        "agreement": agreement_sentence(effect, figures.hub, unit) if effect else "",
        "certainty_level": figures.certainty.level if figures.certainty else "",
        "certainty_sentence": certainty_sentence(figures.certainty) if figures.certainty else "",
        "relative": f"{change.relative:+.0%}" if change and change.relative is not None else "",
        "verdict_code": judgement[0] if judgement else "",
        "certainty_code": judgement[1] if judgement else "",
        "verdict": figures_words(figures),
    }


EFFECT_CONTEXT = {
    "comparison": ", compared with a group that did not take part",
    "change": ", after the co-production",
    "paired-change": ", after the co-production",
}


def _effect_text(effect: Effect | None, change: Change | None, outcome: dict[str, Any]) -> str:
    """Return what an outcome's verdict rests on: its effect, or its change in 1.1's words."""
    if effect is None:
        return ""
    if effect.source == "hub" and effect.design == "change" and change is not None:
        return change_sentence(change, outcome["unit"], no_range_reason(outcome))
    return effect_sentence(effect, outcome["unit"])


def comparison_words(comparison: dict[str, Any], unit: str) -> dict[str, Any]:
    """Plain-text values of an outcome's comparison group."""
    return {
        "label": comparison["label"],
        "baseline": measurement_view(comparison["baseline"], unit)
        if comparison.get("baseline")
        else None,
        "results": [measurement_view(r, unit) for r in comparison.get("results", [])],
    }
