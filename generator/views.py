"""Views: turn cases and figures into display values (labels, dates, numbers, links)."""

from __future__ import annotations

import calendar
from typing import Any

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from generator.catalogue import CaseEntry
from generator.derive import RATING_VALUES, OutcomeFigures
from generator.schema import field_titles, vocabulary
from generator.text import render_markdown

UNIT_SUFFIX = {"percent": "%", "tonnes": " t", "days": " days"}
VERDICT_LABELS = {"improved": "Improved", "worsened": "Worsened", "no-change": "No change"}
TARGET_LABELS = {"met": "Target met", "not-met": "Target not met"}
PRINCIPLE_NAMES = ("equality", "diversity", "accessibility", "reciprocity")


def label(field: str, code: str) -> str:
    """Return the schema's label for a code at a dotted field pattern, e.g. ``service.area``."""
    return vocabulary().label(tuple(field.split(".")), code)


def url_between(target: str, source: str) -> str:
    """Return the relative link from page URL ``source`` to page URL ``target`` (both site-relative)."""
    link = get_relative_url(target or ".", source or ".")
    return link if link.endswith("/") or "." in link.rsplit("/", 1)[-1] else link + "/"


def case_url(case_id: str) -> str:
    """Return a case page's site-relative URL."""
    return f"evaluations/{case_id}/"


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
        "note": item.get("note", ""),
    }


def outcome_view(outcome: dict[str, Any], figures: OutcomeFigures) -> dict[str, Any]:
    """Display values of one outcome, with its derived change, target and follow-ups."""
    unit = outcome["unit"]
    results = [
        dict(measurement_view(r, unit), follow_up=format_months(m))
        for r, m in zip(outcome.get("results", []), figures.follow_up_months, strict=False)
    ]
    change = figures.change
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
        "target": format_value(outcome["target"], unit) if "target" in outcome else "",
        "target_status": TARGET_LABELS[figures.target.status] if figures.target else "",
        "change": format_change(change.absolute, unit) if change else "",
        "relative": f"{change.relative:+.0%}" if change and change.relative is not None else "",
        "verdict_code": change.verdict if change else "",
        "verdict": VERDICT_LABELS[change.verdict] if change else "",
        "finding": render_markdown(outcome["finding"]),
        "attribution": render_markdown(outcome["attribution"])
        if outcome.get("attribution")
        else Markup(""),
    }


def principle_views(case: CaseEntry) -> list[dict[str, Any]]:
    """Display values of the four principles."""
    views = []
    for name in PRINCIPLE_NAMES:
        item = case.data["principles"][name]
        views.append(
            {
                "name": field_titles()[("principles", name)],
                "rating_code": item["rating"],
                "rating": label(f"principles.{name}.rating", item["rating"]),
                "value": RATING_VALUES.get(item["rating"]),
                "evidence": render_markdown(item["evidence"]),
            }
        )
    return views


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
