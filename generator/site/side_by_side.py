"""The side-by-side view's data: compact, display-ready facts of every case, for the page's script."""

from __future__ import annotations

from typing import Any

from generator.charts.compare_plans import principle_title
from generator.figures.catalogue import CaseEntry
from generator.figures.dates import latest_result
from generator.figures.uncertainty import value_of
from generator.figures.words import LEVEL_WORDS, format_date, format_value, outcome_words
from generator.schema import label
from generator.vocabulary import PRINCIPLES


def side_by_side_records(cases: list[CaseEntry]) -> list[dict[str, Any]]:
    """Return the compact, display-ready facts the side-by-side view shows for every case."""
    records = []
    for case in cases:
        d = case.data
        outcomes = []
        for outcome, figures in zip(d["outcomes"], case.figures.outcomes, strict=True):
            words = outcome_words(outcome, figures)
            latest = latest_result(outcome)  # by date, not the last listed
            outcomes.append(
                {
                    "domain": words["domain"],
                    "measure": outcome["measure"],
                    "change": words["effect_text"],
                    "verdict": words["verdict"],
                    "certainty": LEVEL_WORDS.get(words["certainty_level"], ""),
                    "target": ("met" if figures.target.status == "met" else "not met")
                    if figures.target
                    else "",
                    "latest": format_value(value_of(latest, outcome["unit"]), outcome["unit"])
                    if latest
                    else "",
                    "latest_date": format_date(latest["date"]) if latest else "",
                }
            )
        score = case.figures.principles
        records.append(
            {
                "id": case.id,
                "title": case.title,
                "example": case.is_example,
                "summary": case.is_summary,
                "organisation": d["organisation"]["name"],
                "area": label("service.area", case.area),
                "kind": label("service.kind", d["service"]["kind"]),
                "country": label("service.country", d["service"]["country"]),
                "start": format_date(d["coproduction"]["start"]),
                "end": format_date(d["coproduction"]["end"])
                if d["coproduction"].get("end")
                else "",
                "level": label("coproduction.level", d["coproduction"]["level"]),
                "design": label("evaluation.design", d["evaluation"]["design"]),
                "evaluator": label("evaluation.evaluator", d["evaluation"]["evaluator"]),
                "strength": case.figures.evidence.level,
                "strength_name": case.figures.evidence.name,
                "principles": {
                    principle_title(p): label(
                        f"principles.{p}.rating", d["principles"][p]["rating"]
                    )
                    for p in PRINCIPLES
                },
                "principles_score": None if score.score is None else round(score.score, 2),
                "principles_unknown": score.unknown,
                "outcomes": outcomes,
            }
        )
    return records
