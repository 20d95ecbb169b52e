"""Views: the values case pages show, with case text rendered as safe HTML.

The figures come in words from ``generator.figures.words``; only the Markdown fields become HTML
here, through ``generator.cases.text``.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.cases.text import render_markdown
from generator.figures.catalogue import CaseEntry
from generator.figures.derive import OutcomeFigures
from generator.figures.words import format_ends, format_number, outcome_words
from generator.schema import field_titles, label
from generator.vocabulary import PRINCIPLES, RATING_VALUES


def outcome_view(outcome: dict[str, Any], figures: OutcomeFigures) -> dict[str, Any]:
    """Display values of one outcome: its words, with its finding and attribution as HTML."""
    return outcome_page_view(outcome, outcome_words(outcome, figures))


def outcome_page_view(outcome: dict[str, Any], words: dict[str, Any]) -> dict[str, Any]:
    """Add an outcome's finding and attribution, rendered, to its words."""
    return {
        **words,
        "finding": render_markdown(outcome["finding"]),
        "attribution": render_markdown(outcome["attribution"])
        if outcome.get("attribution")
        else Markup(""),
    }


def experience_views(case: CaseEntry) -> list[dict[str, Any]]:
    """Display values of the experience answers, each with its Wilson range."""
    views = []
    for answer, interval in zip(
        case.data.get("experience") or [], case.figures.experience, strict=True
    ):
        views.append(
            {
                "aspect": label("experience.*.aspect", answer["aspect"]),
                "question": answer.get("question", ""),
                "agreed": f"{format_number(answer['agree_percent'])}%",
                "range": format_ends(interval, "%") if interval else "",
                "respondents": answer["respondents"],
            }
        )
    return views


def principle_views(case: CaseEntry) -> list[dict[str, Any]]:
    """Display values of the four principles."""
    views = []
    for name in PRINCIPLES:
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
