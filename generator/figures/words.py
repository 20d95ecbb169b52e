"""Words: the figures as plain text (labels, dates, numbers, ranges, verdicts), with no markup.

Every stage that shows a figure (charts, downloads, the feed, pages) writes it through these
functions, so a figure reads the same everywhere. Nothing here is HTML: pages escape it.
"""

from __future__ import annotations

import calendar
from typing import Any

from generator.figures.catalogue import CaseEntry
from generator.figures.derive import Change, ComparisonEffect, OutcomeFigures, latest_result
from generator.figures.uncertainty import Interval, kind_of_data
from generator.schema import label

UNIT_SUFFIX = {"percent": "%", "tonnes": " t", "days": " days"}
VERDICT_LABELS = {"improved": "Improved", "worsened": "Worsened", "no-change": "No change"}
CERTAINTY_LABELS = {
    "clear": "Clear",
    "could-be-chance": "Could be chance",
    "not-tested": "Not tested for chance",
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


def count_judgements(judgements: list[tuple[str, str]]) -> list[str]:
    """Count (verdict, certainty) pairs in words: "9 clearly improved", "11 unclear", ..."""
    counts = {
        "clearly improved": sum(1 for j in judgements if j == ("improved", "clear")),
        "clearly worsened": sum(1 for j in judgements if j == ("worsened", "clear")),
        "unclear (could be chance)": sum(1 for j in judgements if j[1] == "could-be-chance"),
        "not tested for chance": sum(
            1 for j in judgements if j[1] == "not-tested" and j[0] != "no-change"
        ),
        "no change": sum(1 for j in judgements if j == ("no-change", "not-tested")),
    }
    return [f"{n} {words}" for words, n in counts.items() if n]


def format_bound(value: float) -> str:
    """Write an interval's end: whole numbers from 10 up, one decimal below, two below 1."""
    size = abs(value)
    digits = 0 if size >= 10 else (1 if size >= 1 else 2)
    text = f"{size:,.{digits}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return ("\u2212" if value < 0 and float(text.replace(",", "")) != 0 else "") + text


def format_ends(interval: Interval, suffix: str = "") -> str:
    """Write an interval's two ends: "6 to 37", "55% to 95%"."""
    return f"{format_bound(interval.low)}{suffix} to {format_bound(interval.high)}{suffix}"


def format_range(interval: Interval, unit: str) -> str:
    """Write a 95% range: "95% range 6 to 37 points", "95% range 0.15 to 1.44 times"."""
    low, high = format_bound(interval.low), format_bound(interval.high)
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


def effect_sentence(effect: ComparisonEffect, unit: str) -> str:
    """Write the difference in differences: "a change 13 points higher than the comparison group's"."""
    where = f" ({format_range(effect.interval, unit)})" if effect.interval else ""
    if effect.scale == "ratio":
        ratio = format_number(round(effect.value, 2))
        return f"a ratio of after to before {ratio} times the comparison group's{where}"
    amount = _amount(effect.value, unit)
    return f"a change {amount} than the comparison group's{where}{_pomp_words(effect.pomp)}"


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
        "value": format_value(item["value"], unit),
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


def outcome_words(outcome: dict[str, Any], figures: OutcomeFigures) -> dict[str, Any]:
    """Plain-text values of one outcome: its derived change, target and follow-ups in words."""
    unit = outcome["unit"]
    results = [
        dict(measurement_view(r, unit), follow_up=format_months(m))
        for r, m in zip(outcome.get("results", []), figures.follow_up_months, strict=False)
    ]
    change = figures.change
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
        "effect_sentence": effect_sentence(figures.effect, unit) if figures.effect else "",
        "relative": f"{change.relative:+.0%}" if change and change.relative is not None else "",
        "verdict_code": judgement[0] if judgement else "",
        "certainty_code": judgement[1] if judgement else "",
        "verdict": judgement_words(*judgement) if judgement else "",
    }


def comparison_words(comparison: dict[str, Any], unit: str) -> dict[str, Any]:
    """Plain-text values of an outcome's comparison group."""
    return {
        "label": comparison["label"],
        "baseline": measurement_view(comparison["baseline"], unit)
        if comparison.get("baseline")
        else None,
        "results": [measurement_view(r, unit) for r in comparison.get("results", [])],
    }
