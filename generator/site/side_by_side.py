"""The side-by-side view's data: compact, display-ready facts of every case, for the page's script."""

from __future__ import annotations

from typing import Any

from generator.charts.compare_plans import principle_title
from generator.figures.catalogue import CaseEntry
from generator.figures.words import (
    change_sentence,
    effect_sentence,
    format_number,
    judgement_words,
    no_range_reason,
)
from generator.schema import label
from generator.vocabulary import PRINCIPLES


def side_by_side_records(cases: list[CaseEntry]) -> list[dict[str, Any]]:
    """Return the compact, display-ready facts the side-by-side view shows for every case."""
    records = []
    for case in cases:
        d = case.data
        outcomes = []
        for outcome, figures in zip(d["outcomes"], case.figures.outcomes, strict=True):
            change, effect, judgement = figures.change, figures.effect, figures.judgement
            unit = outcome["unit"]
            outcomes.append(
                {
                    "domain": label("outcomes.*.domain", outcome["domain"]),
                    "measure": outcome["measure"],
                    "change": (
                        effect_sentence(effect, unit)
                        if effect
                        else change_sentence(change, unit, no_range_reason(outcome))
                    )
                    if change
                    else "",
                    "verdict": judgement_words(*judgement) if judgement else "",
                    "target": ("met" if figures.target.status == "met" else "not met")
                    if figures.target
                    else "",
                    "latest": format_number(outcome["results"][-1]["value"])
                    if outcome.get("results")
                    else "",
                }
            )
        score = case.figures.principles
        records.append(
            {
                "id": case.id,
                "title": case.title,
                "example": case.is_example,
                "organisation": d["organisation"]["name"],
                "area": label("service.area", case.area),
                "kind": label("service.kind", d["service"]["kind"]),
                "country": label("service.country", d["service"]["country"]),
                "start": str(d["coproduction"]["start"]),
                "end": str(d["coproduction"].get("end", "")),
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
