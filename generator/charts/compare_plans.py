"""Plan the compare page's case-count charts: evidence map, principles, methods, cases over time.

The outcome charts (effect direction, forest plot, principles and services) are planned in
``synthesis_plans``; ``compare_plans`` returns them all in the page's order.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from generator.charts.compare_specs import (
    evidence_map_spec,
    methods_spec,
    over_time_spec,
    principles_spec,
)
from generator.charts.instrument_plans import instrument_plans
from generator.charts.plans import ChartPlan, example_note
from generator.charts.synthesis_plans import effect_direction, forest, principles_services
from generator.figures.catalogue import CaseEntry
from generator.schema import codes, field_titles, label
from generator.vocabulary import PRINCIPLES

RATING_ORDER = ("not-met", "partly-met", "mostly-met", "fully-met", "unknown")


def evidence_map(cases: list[CaseEntry]) -> ChartPlan:
    """Plan the evidence map: service area by outcome domain."""
    cells: dict[tuple[str, str], list[int]] = defaultdict(list)
    for case in cases:
        for domain in case.domains:
            cells[(case.area, domain)].append(case.figures.evidence.level)
    areas = [a for a in codes("service", "area") if any(k[0] == a for k in cells)]
    domains = [d for d in codes("outcomes", "*", "domain") if any(k[1] == d for k in cells)]
    rows, table = [], []
    for area in areas:
        for domain in domains:
            levels = cells.get((area, domain), [])
            mean = sum(levels) / len(levels) if levels else 0.0
            rows.append(
                {
                    "area": label("service.area", area),
                    "domain": label("outcomes.*.domain", domain),
                    "cases": len(levels),
                    "strength": round(mean, 2),
                    "strength_label": f"{mean:.1f}" if levels else "",
                }
            )
            if levels:
                table.append(
                    (
                        label("service.area", area),
                        label("outcomes.*.domain", domain),
                        str(len(levels)),
                        f"{mean:.1f}",
                    )
                )
    busiest = sorted(table, key=lambda r: (-int(r[2]), r[0]))[:3]
    description = (
        f"{len(areas)} service areas by {len(domains)} outcome domains; {len(table)} of the "
        f"{len(areas) * len(domains)} combinations have at least one case, the rest are gaps. "
        "Circle size is the number of cases; the number under each circle is their mean evidence strength (1 to 5). "
        + (
            "Most studied: "
            + "; ".join(
                f"{r[1]} in {r[0].lower()} ({r[2]} case{'s' if r[2] != '1' else ''})"
                for r in busiest
            )
            + "."
            if busiest
            else ""
        )
    )
    return ChartPlan(
        "evidence-map",
        "Evidence map: outcomes studied in each service area",
        description,
        ("Service area", "Outcome domain", "Cases", "Mean evidence strength"),
        tuple(table),
        evidence_map_spec(rows),
        example_note=example_note(cases),
        narrow=evidence_map_spec(rows, narrow=True),
    )


def principles_across(cases: list[CaseEntry]) -> ChartPlan:
    """Plan the principles across cases: how many cases got each rating, unknown apart."""
    counts = Counter((p, c.data["principles"][p]["rating"]) for c in cases for p in PRINCIPLES)
    rows, table = [], []
    for principle in PRINCIPLES:
        name = principle_title(principle)
        cells = []
        for rating in RATING_ORDER:
            n = counts.get((principle, rating), 0)
            rows.append(
                {
                    "principle": name,
                    "rating": label(f"principles.{principle}.rating", rating),
                    "cases": n,
                }
            )
            cells.append(str(n))
        table.append((name, *cells))
    unknown = sum(counts.get((p, "unknown"), 0) for p in PRINCIPLES)
    met = {
        p: counts.get((p, "fully-met"), 0) + counts.get((p, "mostly-met"), 0) for p in PRINCIPLES
    }
    description = (
        "For each principle, how many cases rated it not met, partly met, mostly met or fully met; "
        f"unknown is counted separately ({unknown} rating{'s' if unknown != 1 else ''} in all). "
        + "; ".join(
            f"{principle_title(p)}: {met[p]} of {len(cases)} mostly or fully met"
            for p in PRINCIPLES
        )
        + "."
    )
    return ChartPlan(
        "principles",
        "Principles across cases",
        description,
        ("Principle", "Not met", "Partly met", "Mostly met", "Fully met", "Unknown"),
        tuple(table),
        principles_spec(rows),
        example_note=example_note(cases),
    )


def principle_title(principle: str) -> str:
    """Return a principle's title from the schema."""
    return field_titles()[("principles", principle)]


def evaluation_methods(cases: list[CaseEntry]) -> ChartPlan:
    """Plan how evaluations are done: designs, methods and evaluator kinds."""
    rows, table = [], []
    for kind, path, values in (
        ("Design", "evaluation.design", [c.data["evaluation"]["design"] for c in cases]),
        (
            "Method",
            "evaluation.methods.*",
            [m for c in cases for m in c.data["evaluation"]["methods"]],
        ),
        ("Evaluator", "evaluation.evaluator", [c.data["evaluation"]["evaluator"] for c in cases]),
    ):
        for code, n in sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])):
            rows.append({"kind": kind, "label": label(path, code), "cases": n})
            table.append((kind, label(path, code), str(n)))
    top = [r for r in table if r[0] == "Method"][:3]
    description = (
        "How many cases used each evaluation design, each method of gathering evidence and each kind of "
        "evaluator. Most used methods: " + ", ".join(f"{r[1].lower()} ({r[2]})" for r in top) + "."
    )
    return ChartPlan(
        "methods",
        "How evaluations are done",
        description,
        ("Kind", "Design, method or evaluator", "Cases"),
        tuple(table),
        methods_spec(rows),
        example_note=example_note(cases),
    )


def cases_over_time(cases: list[CaseEntry]) -> ChartPlan:
    """Plan cases by the year their co-production started, by area."""
    counts = Counter((c.start_year, label("service.area", c.area)) for c in cases)
    rows = [{"year": y, "area": a, "cases": n} for (y, a), n in sorted(counts.items())]
    table = tuple((str(y), a, str(n)) for (y, a), n in sorted(counts.items()))
    years = sorted({y for y, _ in counts})
    description = (
        f"Cases by the year their co-production started, from {years[0]} to {years[-1]}: how "
        "many in all each year, and for each service area a circle sized by its number of "
        "cases that year; years without a case are left empty."
        if years
        else "No cases yet."
    )
    return ChartPlan(
        "over-time",
        "Cases over time, by service area",
        description,
        ("Start year", "Service area", "Cases"),
        table,
        over_time_spec(rows),
        example_note=example_note(cases),
        narrow=over_time_spec(rows, narrow=True),
    )


def compare_plans(cases: list[CaseEntry]) -> list[ChartPlan]:
    """Plan every chart of a compare page for these cases."""
    return [
        evidence_map(cases),
        effect_direction(cases),
        forest(cases),
        *instrument_plans(cases),
        principles_services(cases),
        principles_across(cases),
        evaluation_methods(cases),
        cases_over_time(cases),
    ]
