"""Plan one case's outcomes chart: its rows, its description and its table, from the figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.charts.case_spec import OutcomeChart
from generator.charts.kit import unique
from generator.charts.plans import ChartPlan
from generator.charts.style import POINT_KINDS
from generator.figures.catalogue import CaseEntry
from generator.figures.derive import measurements_of
from generator.figures.uncertainty import Interval, value_of
from generator.figures.words import format_date, format_ends, format_number, outcome_words


def case_words(case: CaseEntry) -> list[dict[str, Any]]:
    """Return every outcome of a case in words (computed once, for its chart and its page)."""
    return [
        outcome_words(o, f)
        for o, f in zip(case.data["outcomes"], case.figures.outcomes, strict=True)
    ]


def plan_case_chart(case: CaseEntry, views: list[dict[str, Any]] | None = None) -> ChartPlan | None:
    """Plan the outcomes chart of one case, or None when no outcome has a number."""
    views = views if views is not None else case_words(case)
    rows, table = [], []
    period = _period_row(case)
    for outcome, view, figures in zip(
        case.data["outcomes"], views, case.figures.outcomes, strict=True
    ):
        panel = f"{view['domain']}: {outcome['measure']}"
        verdict = view["verdict"] or view["target_status"]
        points = _chart_points(outcome)
        for kind, path, item in points:
            interval = figures.ranges.get(path)
            row = {
                "panel": panel,
                "unit": view["unit"],
                "date": _iso(item["date"]),
                "value": float(value_of(item, outcome["unit"])),
                "kind": kind,
                "verdict": verdict,
            }
            if interval is not None:
                row |= {"low": interval.low, "high": interval.high}
            if outcome.get("scale"):
                row["scale"] = [outcome["scale"]["min"], outcome["scale"]["max"]]
            rows.append(row)
            table.append(
                (
                    panel,
                    kind,
                    format_date(item["date"]),
                    format_number(value_of(item, outcome["unit"])),
                    _range_text(interval),
                    str(item.get("n", "")),
                    verdict,
                )
            )
        if points and period is not None:
            rows.append({"panel": panel, "kind": "Period", "value": 0.0, **period})
        if "target" in outcome and points:
            for _, _, item in (points[0], points[-1]):
                rows.append(
                    {
                        "panel": panel,
                        "unit": view["unit"],
                        "date": _iso(item["date"]),
                        "value": float(outcome["target"]),
                        "kind": "Target",
                        "verdict": verdict,
                    }
                )
            table.append((panel, "Target", "", format_number(outcome["target"]), "", "", verdict))
    if not rows:
        return None
    panels = len({r["panel"] for r in rows})
    return ChartPlan(
        id="outcomes-chart",
        title=f"Outcomes of {case.title}",
        description=_describe_outcomes(case, panels, views, rows),
        columns=(
            "Outcome",
            "Measurement",
            "Date",
            "Value",
            "95% range",
            "Respondents or cases",
            "Verdict",
        ),
        rows=tuple(table),
        spec=OutcomeChart(tuple(rows)),
    )


def _chart_points(outcome: dict[str, Any]) -> list[tuple[str, str, Mapping[str, Any]]]:
    """Return (kind, path in the outcome, measurement) for each point the chart draws."""
    kinds = {"baseline": "Baseline", "results": "Result"}
    return [
        (
            ("Comparison " + kinds[path.split(".")[1]].lower())
            if path.startswith("comparison.")
            else kinds[path.split(".")[0]],
            path,
            item,
        )
        for path, item in measurements_of(outcome)
    ]


def _period_row(case: CaseEntry) -> dict[str, str] | None:
    """Return the co-production period for the chart's shaded band (to its start while ongoing)."""
    copro = case.data["coproduction"]
    return {"date": _iso(copro["start"]), "end": _iso(copro.get("end") or copro["start"])}


def _range_text(interval: Interval | None) -> str:
    """Write a measurement's 95% range for the chart's table."""
    return format_ends(interval) if interval is not None else ""


def _iso(value: str) -> str:
    parts = str(value).split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def _describe_outcomes(
    case: CaseEntry, panels: int, views: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> str:
    """Say what the chart draws (only what it draws), then each outcome's first and last values."""
    outcomes = [
        (o, v)
        for o, v in zip(case.data["outcomes"], views, strict=True)
        if v["baseline"] or v["results"] or (v["comparison"] and v["comparison"]["results"])
    ]
    sentences = [
        f"{panels} outcome{'s' if panels != 1 else ''} with numbers, one panel each, over time.",
        _marks_sentence(case, rows),
        _axes_sentence(outcomes),
    ]
    for outcome, view in zip(case.data["outcomes"], views, strict=True):
        if view["change"]:
            base, last = view["baseline"], view["results"][-1]
            sentences.append(
                f"{outcome['measure']}: {base['value']} in {base['date']}, {last['value']} in "
                f"{last['date']}. {view['verdict']}: {view['effect_sentence'] or view['change_sentence']}."
            )
        elif view["target_status"] and view["results"]:
            sentences.append(
                f"{outcome['measure']}: {view['results'][-1]['value']} against a target of "
                f"{view['target']} ({view['target_status'].lower()})."
            )
    return " ".join(s for s in sentences if s)


MARK_WORDS = {
    "Baseline": "hollow squares are baselines",
    "Result": "filled circles are results",
    "Comparison baseline": "hollow diamonds are the comparison group's baselines",
    "Comparison result": "filled triangles are the comparison group's results",
}


def _marks_sentence(case: CaseEntry, rows: list[dict[str, Any]]) -> str:
    """Say what each kind of mark the chart draws means, naming only the kinds it draws."""
    kinds = {row["kind"] for row in rows}
    marks = [words for kind, words in MARK_WORDS.items() if kind in kinds]
    lines = []
    for series, name in (("", "the participants'"), ("Comparison", "the comparison group's")):
        points = [r for r in rows if r["kind"] in POINT_KINDS and r["kind"].startswith(series)]
        if series == "":
            points = [r for r in points if not r["kind"].startswith("Comparison")]
        per_panel = [r["panel"] for r in points]
        if any(per_panel.count(panel) > 1 for panel in per_panel):
            lines.append(f"a {'dashed' if series else 'solid'} line joins {name} points")
    marks += lines
    if any("low" in row for row in rows):
        marks.append("a vertical line through a point is its 95% range")
    if "Target" in kinds:
        marks.append(
            "a dotted line across a panel is its target, whose value is written above the panel"
        )
    ongoing = not case.data["coproduction"].get("end")
    marks.append(
        "“Co-production” marks when the co-production started (it is ongoing)"
        if ongoing
        else "the grey band is the co-production period"
    )
    text = "; ".join(marks)
    return text[0].upper() + text[1:] + "."


def _axes_sentence(outcomes: list[tuple[dict[str, Any], dict[str, Any]]]) -> str:
    """Say where the panels' vertical axes start and end."""
    scales = [o for o, _ in outcomes if o.get("scale")]
    percents = [o for o, _ in outcomes if not o.get("scale") and o["unit"] == "percent"]
    others = len(outcomes) - len(scales) - len(percents)
    parts = []
    if percents:
        parts.append("percentages run from 0 to 100")
    if scales:
        ranges = unique(
            f"{format_number(o['scale']['min'])} to {format_number(o['scale']['max'])}"
            for o in scales
        )
        parts.append(f"scores run across their scale ({', '.join(ranges)})")
    if others:
        parts.append("other amounts start at zero")
    if not parts:
        return ""
    text = "Each panel has its own vertical axis: " + "; ".join(parts) + "."
    return text
