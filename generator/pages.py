"""Render generated pages to HTML with Jinja templates (autoescaped; case text is data, never template)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from generator.catalogue import CaseEntry, Catalogue
from generator.rules import PARTICIPANT_DOMAINS, SERVICE_DOMAINS
from generator.schema import vocabulary
from generator.text import render_markdown
from generator.views import (
    case_url,
    format_date,
    format_number,
    label,
    outcome_view,
    period,
    place,
    principle_views,
    principles_text,
    strength_dots,
    url_between,
)


@dataclass(frozen=True)
class ChartPlan:
    """A chart to draw: its spec, and the words and table that say the same thing."""

    id: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    spec: dict[str, Any]
    svg: Markup = field(default_factory=Markup)
    example_note: str = ""
    # A second table, for figures a chart shows beside its marks (totals under its columns).
    summary_title: str = ""
    summary_columns: tuple[str, ...] = ()
    summary_rows: tuple[tuple[str, ...], ...] = ()
    # A link after the description: (site page, anchor on it, link text).
    more: tuple[str, str, str] | tuple[()] = ()


@dataclass(frozen=True)
class SiteSettings:
    """What pages need to know about the site: where its source lives."""

    repo_url: str = ""
    branch: str = "main"
    cases_folder: str = "evaluations"
    site_name: str = "Co-production evidence hub"
    site_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def make_environment() -> Environment:
    """Build the Jinja environment for generated pages."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=ChainableUndefined,  # optional fields of a case are simply absent
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Links from case data are checked by the schema; templates check again before printing them.
    env.tests["web_url"] = lambda value: (
        isinstance(value, str) and value.lower().startswith(("https://", "http://"))
    )
    env.globals.update(
        label=label,
        link=url_between,
        case_url=case_url,
        dots=strength_dots,
        date=format_date,
        number=format_number,
    )
    return env


ENV = make_environment()


def _render(template: str, **context: Any) -> str:
    return ENV.get_template(template).render(**context)


# ---------------------------------------------------------------- case pages


def outcome_views(case: CaseEntry) -> list[dict[str, Any]]:
    """Return the display values of every outcome of a case (compute once, use for chart and page)."""
    return [
        outcome_view(o, f)
        for o, f in zip(case.data["outcomes"], case.figures.outcomes, strict=True)
    ]


def plan_case_chart(case: CaseEntry, views: list[dict[str, Any]] | None = None) -> ChartPlan | None:
    """Plan the outcomes chart of one case, or None when no outcome has a number."""
    from generator.charts import outcome_chart_spec

    views = views if views is not None else outcome_views(case)
    rows, table = [], []
    for outcome, view in zip(case.data["outcomes"], views, strict=True):
        panel = f"{view['domain']}: {outcome['measure']}"
        verdict = view["verdict"] or view["target_status"]
        points = ([("Baseline", outcome["baseline"])] if outcome.get("baseline") else []) + [
            ("Result", r) for r in outcome.get("results", [])
        ]
        for kind, item in points:
            rows.append(
                {
                    "panel": panel,
                    "unit": view["unit"],
                    "date": _iso(item["date"]),
                    "value": float(item["value"]),
                    "kind": kind,
                    "verdict": verdict,
                }
            )
            table.append(
                (
                    panel,
                    kind,
                    format_date(item["date"]),
                    format_number(item["value"]),
                    str(item.get("n", "")),
                    verdict,
                )
            )
        if "target" in outcome and points:
            for _, item in (points[0], points[-1]):
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
            table.append((panel, "Target", "", format_number(outcome["target"]), "", verdict))
    if not rows:
        return None
    panels = len({r["panel"] for r in rows})
    return ChartPlan(
        id="outcomes-chart",
        title=f"Outcomes of {case.title}",
        description=_describe_outcomes(case, panels, views),
        columns=("Outcome", "Measurement", "Date", "Value", "Respondents or cases", "Verdict"),
        rows=tuple(table),
        spec=outcome_chart_spec(rows, title=""),
    )


def _iso(value: str) -> str:
    parts = str(value).split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def _describe_outcomes(case: CaseEntry, panels: int, views: list[dict[str, Any]]) -> str:
    sentences = [
        f"{panels} outcome{'s' if panels != 1 else ''} with numbers, one panel each; "
        "hollow squares mark baselines, filled circles results and dashed lines targets."
    ]
    for outcome, view in zip(case.data["outcomes"], views, strict=True):
        if view["change"]:
            base, last = view["baseline"], view["results"][-1]
            sentences.append(
                f"{outcome['measure']}: {base['value']} in {base['date']}, {last['value']} in "
                f"{last['date']} ({view['change']}, {view['verdict'].lower()})."
            )
        elif view["target_status"] and view["results"]:
            sentences.append(
                f"{outcome['measure']}: {view['results'][-1]['value']} against a target of "
                f"{view['target']} ({view['target_status'].lower()})."
            )
    return " ".join(sentences)


def case_page(
    case: CaseEntry,
    catalogue: Catalogue,
    settings: SiteSettings,
    chart: ChartPlan | None,
    views: list[dict[str, Any]] | None = None,
) -> str:
    """Render one case's page."""
    data = case.data
    here = case_url(case.id)
    markdown = {
        key: render_markdown(data["coproduction"][key]) if data["coproduction"].get(key) else ""
        for key in ("aim", "description", "inclusion")
    }
    markdown["limitations"] = (
        render_markdown(data["evaluation"]["limitations"])
        if data["evaluation"].get("limitations")
        else ""
    )
    return _render(
        "case.html",
        case=case,
        here=here,
        summary=render_markdown(data["summary"]),
        place=place(case),
        period=period(case),
        principles=principle_views(case),
        principles_score=principles_text(case),
        outcomes=views if views is not None else outcome_views(case),
        chart=chart,
        md=markdown,
        related=catalogue.related(case),
        source_url=_source_url(case, settings),
        correction_url=_correction_url(case, settings),
        citation=citation(case, settings),
    )


def _source_url(case: CaseEntry, settings: SiteSettings) -> str:
    if not settings.repo_url:
        return ""
    return f"{settings.repo_url.rstrip('/')}/blob/{settings.branch}/{settings.cases_folder}/{case.id}.yaml"


def _correction_url(case: CaseEntry, settings: SiteSettings) -> str:
    if not settings.repo_url:
        return ""
    query = urlencode(
        {"template": "correction.yml", "case": case.id, "title": f"Correction to {case.id}"},
        quote_via=quote,
    )
    return f"{settings.repo_url.rstrip('/')}/issues/new?{query}"


def citation(case: CaseEntry, settings: SiteSettings) -> str:
    """Write a suggested citation for a case."""
    authors = "; ".join(a["name"] for a in case.data["authors"])
    year = str(case.data["submitted"])[:4]
    url = (
        f"{settings.site_url.rstrip('/')}/{case_url(case.id)}"
        if settings.site_url
        else case_url(case.id)
    )
    note = " [Illustrative example]" if case.is_example else ""
    return f"{authors} ({year}). {case.title}.{note} {settings.site_name}. {url}"


# ---------------------------------------------------------------- case list

LIST_FILTERS = (
    ("area", "Area", "service.area"),
    ("kind", "Kind", "service.kind"),
    ("country", "Country", "service.country"),
    ("year", "Start year", ""),
    ("design", "Design", "evaluation.design"),
    ("evaluator", "Evaluator", "evaluation.evaluator"),
    ("strength", "Evidence strength", ""),
    ("status", "Status", "status"),
)


def list_row(case: CaseEntry) -> dict[str, Any]:
    """Return one row of the case list: display text and the codes filters use."""
    d = case.data
    evidence = case.figures.evidence
    return {
        "id": case.id,
        "title": case.title,
        "organisation": d["organisation"]["name"],
        "area": label("service.area", d["service"]["area"]),
        "kind": label("service.kind", d["service"]["kind"]),
        "country": label("service.country", d["service"]["country"]),
        "year": case.start_year,
        "design": label("evaluation.design", d["evaluation"]["design"]),
        "evaluator": label("evaluation.evaluator", d["evaluation"]["evaluator"]),
        "strength_level": evidence.level,
        "strength_name": evidence.name,
        "principles": principles_text(case),
        "example": case.is_example,
        "data": {
            "id": case.id,
            "area": d["service"]["area"],
            "kind": d["service"]["kind"],
            "country": d["service"]["country"],
            "year": case.start_year,
            "design": d["evaluation"]["design"],
            "evaluator": d["evaluation"]["evaluator"],
            "strength": evidence.level,
            "status": d["status"],
        },
    }


def _csv_record(case: CaseEntry, row: dict[str, Any]) -> dict[str, Any]:
    d = case.data
    score = case.figures.principles
    return {
        "id": case.id,
        "title": case.title,
        "status": d["status"],
        "organisation": row["organisation"],
        "organisation_type": d["organisation"]["type"],
        "service_area": d["service"]["area"],
        "service_kind": d["service"]["kind"],
        "country": d["service"]["country"],
        "coproduction_start": d["coproduction"]["start"],
        "coproduction_end": d["coproduction"].get("end", ""),
        "level": d["coproduction"]["level"],
        "evaluation_design": d["evaluation"]["design"],
        "evaluator": d["evaluation"]["evaluator"],
        "evidence_strength": case.figures.evidence.level,
        "evidence_strength_name": case.figures.evidence.name,
        "principles_score": "" if score.score is None else round(score.score, 2),
        "principles_unknown": score.unknown,
        "outcomes": len(d["outcomes"]),
    }


def embed_json(value: Any) -> Markup:
    """Serialise JSON for a <script type="application/json"> block, unable to close the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def case_list_page(catalogue: Catalogue) -> str:
    """Render the list of every case with filters."""
    cases = sorted(catalogue.cases, key=lambda c: (-c.start_year, c.title.lower()))
    rows = [list_row(c) for c in cases]
    filters = []
    for key, title, field_path in LIST_FILTERS:
        values = sorted({r["data"][key] for r in rows}, key=lambda v: (str(type(v)), v))
        options = [
            (
                v,
                label(field_path, v)
                if field_path
                else (f"{v} of 5" if key == "strength" else str(v)),
            )
            for v in values
        ]
        filters.append({"key": key, "label": title, "options": options})
    return _render(
        "case_list.html",
        here="evaluations/",
        rows=rows,
        filters=filters,
        examples=sum(1 for c in cases if c.is_example),
        csv_json=embed_json([_csv_record(c, r) for c, r in zip(cases, rows, strict=True)]),
    )


# ---------------------------------------------------------------- topics


def _verdict_counts(cases: list[CaseEntry], domain: str | None) -> list[str]:
    counts: dict[str, int] = {}
    for case in cases:
        for outcome, figures in zip(case.data["outcomes"], case.figures.outcomes, strict=True):
            if figures.change and (domain is None or outcome["domain"] == domain):
                counts[figures.change.verdict] = counts.get(figures.change.verdict, 0) + 1
    words = {"improved": "improved", "worsened": "worsened", "no-change": "did not change"}
    return [f"{n} {words[v]}" for v, n in sorted(counts.items())]


def topic_title(kind: str, code: str) -> str:
    """Return the title of a service area (``kind='area'``) or outcome domain page."""
    if kind == "area":
        return label("service.area", code)
    return label("outcomes.*.domain", code) + " (outcome domain)"


def topic_page(kind: str, code: str, catalogue: Catalogue) -> str:
    """Render the page of one service area (``kind='area'``) or outcome domain (``'domain'``)."""
    field_path = "service.area" if kind == "area" else "outcomes.*.domain"
    cases = (catalogue.by_area if kind == "area" else catalogue.by_domain).get(code, [])
    codes = {c.code: c for c in vocabulary().codes(tuple(field_path.split(".")))}
    folder = "areas" if kind == "area" else "outcomes"
    return _render(
        "topic.html",
        here=f"topics/{folder}/{code}/",
        title=topic_title(kind, code),
        description=codes[code].description if code in codes else "",
        cases=sorted(cases, key=lambda c: (-c.figures.evidence.level, c.title.lower())),
        examples=sum(1 for c in cases if c.is_example),
        verdicts=_verdict_counts(cases, code if kind == "domain" else None),
        kind="area" if kind == "area" else "domain",
    )


def topic_codes(catalogue: Catalogue) -> list[tuple[str, str]]:
    """Return (kind, code) for every topic page: all areas and domains, with cases or not."""
    areas = [c.code for c in vocabulary().codes(("service", "area"))]
    domains = [c.code for c in vocabulary().codes(("outcomes", "*", "domain"))]
    return [("area", a) for a in areas] + [("domain", d) for d in domains]


def topics_index_page(catalogue: Catalogue) -> str:
    """Render the index of topics with case counts."""

    def entries(kind: str, codes: list[str]) -> list[dict[str, Any]]:
        field_path = "service.area" if kind == "area" else "outcomes.*.domain"
        groups = catalogue.by_area if kind == "area" else catalogue.by_domain
        folder = "areas" if kind == "area" else "outcomes"
        return [
            {
                "label": label(field_path, c),
                "count": len(groups.get(c, [])),
                "url": f"topics/{folder}/{c}/",
            }
            for c in codes
        ]

    areas = [c.code for c in vocabulary().codes(("service", "area"))]
    return _render(
        "topics_index.html",
        here="topics/",
        areas=entries("area", areas),
        participant_domains=entries("domain", list(PARTICIPANT_DOMAINS)),
        service_domains=entries("domain", [d for d in SERVICE_DOMAINS if d != "other"]),
    )


# ---------------------------------------------------------------- home


def home_stats(catalogue: Catalogue) -> str:
    """Render the home page's headline numbers and newest cases."""
    cases = catalogue.cases
    changes = [f.change for c in cases for f in c.figures.outcomes if f.change]
    return _render(
        "home_stats.html",
        here="",
        total=len(cases),
        examples=sum(1 for c in cases if c.is_example),
        areas=len({c.area for c in cases}),
        countries=len({c.data["service"]["country"] for c in cases}),
        outcomes=sum(len(c.data["outcomes"]) for c in cases),
        measured=len(changes),
        improved=sum(1 for ch in changes if ch.verdict == "improved"),
        followed_up=sum(1 for c in cases if c.figures.evidence.level >= 3 or _has_late_result(c)),
        newest=catalogue.newest(5),
    )


def _has_late_result(case: CaseEntry) -> bool:
    return any(m is not None and m >= 6 for f in case.figures.outcomes for m in f.follow_up_months)


DOWNLOADS = (
    ("data/evaluations.csv", "evaluations.csv", "One row per case study, with derived figures."),
    (
        "data/outcomes.csv",
        "outcomes.csv",
        "One row per measurement (baseline or result): tidy, for spreadsheets and analysis.",
    ),
    (
        "data/evaluations.json",
        "evaluations.json",
        "Every case exactly as written, with the derived figures under `derived`.",
    ),
    (
        "data/datapackage.json",
        "datapackage.json",
        "Frictionless data package describing the two CSV files.",
    ),
    ("data/codebook.csv", "codebook.csv", "The codebook below, as CSV."),
    (
        "data/evaluation.schema.json",
        "evaluation.schema.json",
        "The case-study schema (JSON Schema 2020-12).",
    ),
)


def data_page(catalogue: Catalogue, files: dict[str, bytes], settings: SiteSettings) -> str:
    """Render the data page: downloads, licences, citation and the codebook."""
    from generator.exports import codebook_rows

    licences: dict[str, int] = {}
    for case in catalogue.cases:
        licences[case.data["licence"]] = licences.get(case.data["licence"], 0) + 1
    year = max((str(c.data["submitted"])[:4] for c in catalogue.cases), default="")
    return _render(
        "data.html",
        here="data/",
        files=[
            {"path": p, "name": n, "description": d, "size": _size(len(files.get(p, b"")))}
            for p, n, d in DOWNLOADS
        ],
        examples=sum(1 for c in catalogue.cases if c.is_example),
        total=len(catalogue.cases),
        licences=sorted(licences.items()),
        citation=f"{settings.site_name} ({year}). Co-production evaluation case studies [data set]. "
        f"{(settings.site_url.rstrip('/') + '/data/') if settings.site_url else 'data/'}",
        codebook=codebook_rows(),
    )


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


def compare_page(
    plans: list[ChartPlan],
    cases: list[CaseEntry],
    *,
    here: str,
    title: str,
    intro: str,
    other_view: dict[str, str] | None,
) -> str:
    """Render a compare page from drawn chart plans."""
    interactive = ("evidence-map", "effect-direction", "forest", "principles-services")
    return _render(
        "compare.html",
        here=here,
        title=title,
        intro=intro,
        charts=plans,
        interactive=interactive,
        specs={p.id: embed_json(p.spec) for p in plans if p.id in interactive},
        examples=sum(1 for c in cases if c.is_example),
        total=len(cases),
        other_view=other_view,
    )


def compare_cases_page(catalogue: Catalogue, records: list[dict[str, Any]]) -> str:
    """Render the side-by-side chooser and view."""
    return _render(
        "compare_cases.html",
        here="compare/cases/",
        cases=sorted(catalogue.cases, key=lambda c: c.title.lower()),
        records=embed_json(records),
    )


def with_svg(plan: ChartPlan, svg: str) -> ChartPlan:
    """Return the plan with its rendered SVG attached."""
    return replace(plan, svg=Markup(svg))
