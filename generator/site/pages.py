"""Render generated pages to HTML with Jinja templates (autoescaped; case text is data, never template)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from generator.catalogue import CaseEntry, Catalogue
from generator.citations import Reference, bibtex, citation_text, reference, ris
from generator.derive import COMPARED_DESIGNS, measurements_of
from generator.followups import FollowUp
from generator.metadata import case_jsonld, dataset_jsonld
from generator.rules import PARTICIPANT_DOMAINS, SERVICE_DOMAINS
from generator.schema import vocabulary
from generator.text import render_markdown
from generator.uncertainty import Interval
from generator.views import (
    AFTER_CAVEAT,
    case_url,
    count_judgements,
    experience_views,
    format_date,
    format_ends,
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

if TYPE_CHECKING:
    from generator.charts import OutcomeChart


@dataclass(frozen=True)
class ChartPlan:
    """A chart to draw: its spec, and the words and table that say the same thing."""

    id: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    spec: dict[str, Any] | OutcomeChart  # a case's outcome chart builds its spec only to draw
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
    today: str = ""  # the reference date for follow-ups; empty: the newest case change


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
    from generator.charts import OutcomeChart

    views = views if views is not None else outcome_views(case)
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
                "value": float(item["value"]),
                "kind": kind,
                "verdict": verdict,
            }
            if interval is not None:
                row |= {"low": interval.low, "high": interval.high}
            rows.append(row)
            table.append(
                (
                    panel,
                    kind,
                    format_date(item["date"]),
                    format_number(item["value"]),
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
        description=_describe_outcomes(case, panels, views),
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


def _describe_outcomes(case: CaseEntry, panels: int, views: list[dict[str, Any]]) -> str:
    compared = any(v["comparison"] for v in views)
    ranged = any(f.ranges for f in case.figures.outcomes)
    sentences = [
        f"{panels} outcome{'s' if panels != 1 else ''} with numbers, one panel each; "
        "hollow squares mark baselines, filled circles results and dashed lines targets"
        + (
            "; the comparison group's baselines are hollow diamonds and its results filled "
            "triangles, joined by a dashed line"
            if compared
            else ""
        )
        + ("; a vertical line through a percentage shows its 95% range" if ranged else "")
        + "; the grey band is the co-production period."
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
    return " ".join(sentences)


def case_page(
    case: CaseEntry,
    catalogue: Catalogue,
    settings: SiteSettings,
    chart: ChartPlan | None,
    views: list[dict[str, Any]] | None = None,
    follow_up: FollowUp | None = None,
    related: list[CaseEntry] | None = None,
) -> str:
    """Render one case's page."""
    data = case.data
    ref = case_reference(case, settings)
    cites = cite_files(ref)
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
        experience=experience_views(case),
        caveat=_caveat(case),
        chart=chart,
        md=markdown,
        related=related if related is not None else catalogue.related(case),
        source_url=_source_url(case, settings),
        correction_url=_correction_url(case, settings),
        citation=citation_text(ref, format_date(case.newest_date)),
        follow_up=follow_up_view(follow_up, here),
        cite_files=cites,
        cite_links=cite_links(cites),
        jsonld=embed_json(case_jsonld(case, settings.site_name, settings.site_url)),
        record=embed_json(case.data),
    )


def _caveat(case: CaseEntry) -> str:
    """Return the "after, not because of" caveat for a case without a comparison group."""
    uncompared = case.data["evaluation"]["design"] not in COMPARED_DESIGNS
    return AFTER_CAVEAT if uncompared and any(f.change for f in case.figures.outcomes) else ""


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


def case_reference(case: CaseEntry, settings: SiteSettings) -> Reference:
    """Collect what the citations of a case say, with its area and domains as keywords."""
    keywords = [label("service.area", case.area), "co-production"]
    keywords += [label("outcomes.*.domain", d) for d in case.domains if d != "other"]
    return reference(case, settings.site_name, settings.site_url, dict.fromkeys(keywords))


CITATION_TYPES = {"bib": "application/x-bibtex", "ris": "application/x-research-info-systems"}


def cite_files(ref: Reference) -> dict[str, str]:
    """Return a case's citation as BibTeX and RIS, by file extension."""
    return {"bib": bibtex(ref), "ris": ris(ref)}


def cite_links(files: dict[str, str]) -> dict[str, str]:
    """Return each citation file as a data: address, downloaded from the page with no file per case.

    Two files a case cost the build about 1 ms each to write (2 s at 1,000 cases).
    """
    return {
        extension: f"data:{CITATION_TYPES[extension]};charset=utf-8,{quote(text, safe='')}"
        for extension, text in files.items()
    }


FOLLOW_UP_WHY = (
    "The co-production ended in {end}, {months} months ago, and {latest}; a result taken 12 "
    "months or more after the end would show whether the change lasted."
)


def follow_up_view(follow_up: FollowUp | None, here: str) -> dict[str, str] | None:
    """Return the words and links of a due follow-up notice, or None when none is due."""
    if follow_up is None or not follow_up.due:
        return None
    latest = (
        f"its latest result is from {format_date(follow_up.latest_result)}"
        if follow_up.latest_result is not None
        else "it has no result yet"
    )
    why = FOLLOW_UP_WHY.format(
        end=format_date(str(follow_up.end)), months=follow_up.months_since_end, latest=latest
    )
    builder = (
        url_between("contribute/builder/", here) + "?" + urlencode({"case": follow_up.case_id})
    )
    return {
        "why": why,
        "builder": builder,
        "guide": url_between("contribute/", here) + "#follow-up",
    }


# ---------------------------------------------------------------- case list

LIST_FILTERS = (
    ("area", "Area", "service.area"),
    ("kind", "Kind", "service.kind"),
    ("country", "Country", "service.country"),
    ("year", "Start year", ""),
    ("design", "Design", "evaluation.design"),
    ("evaluator", "Evaluator", "evaluation.evaluator"),
    ("strength", "Evidence strength", ""),
    ("certainty", "Outcome certainty", ""),
    ("status", "Status", "status"),
    ("followup", "Follow-up", ""),
)
FOLLOW_UP_LABELS = {"due": "Follow-up due", "not-due": "Not due"}


CERTAINTY_FILTER = (
    ("clear", "A clear change"),
    ("could-be-chance", "A change that could be chance"),
    ("not-tested", "A change not tested for chance"),
)


def list_row(case: CaseEntry, follow_up: FollowUp | None = None) -> dict[str, Any]:
    """Return one row of the case list: display text and the codes filters use."""
    d = case.data
    due = "due" if follow_up is not None and follow_up.due else "not-due"
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
        "measured": ", ".join(
            count_judgements([f.judgement for f in case.figures.outcomes if f.judgement])
        ),
        "example": case.is_example,
        "follow_up_due": due == "due",
        "data": {
            "id": case.id,
            "area": d["service"]["area"],
            "kind": d["service"]["kind"],
            "country": d["service"]["country"],
            "year": case.start_year,
            "design": d["evaluation"]["design"],
            "evaluator": d["evaluation"]["evaluator"],
            "strength": evidence.level,
            "certainty": " ".join(
                dict.fromkeys(
                    f.judgement[1] for f in case.figures.outcomes if f.judgement is not None
                )
            ),
            "status": d["status"],
            "followup": due,
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
        "outcomes_measured": row["measured"],
        "follow_up_due": row["follow_up_due"],
    }


def embed_json(value: Any) -> Markup:
    """Serialise JSON for a <script type="application/json"> block, unable to close the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def case_list_page(catalogue: Catalogue, follow_ups: dict[str, FollowUp] | None = None) -> str:
    """Render the list of every case with filters."""
    cases = sorted(catalogue.cases, key=lambda c: (-c.start_year, c.title.lower()))
    rows = [list_row(c, (follow_ups or {}).get(c.id)) for c in cases]
    filters = []
    for key, title, field_path in LIST_FILTERS:
        if key == "certainty":
            present = {code for r in rows for code in r["data"][key].split()}
            options = [(code, text) for code, text in CERTAINTY_FILTER if code in present]
            filters.append({"key": key, "label": title, "options": options})
            continue
        values = sorted({r["data"][key] for r in rows}, key=lambda v: (str(type(v)), v))
        options = [
            (
                v,
                label(field_path, v)
                if field_path
                else (
                    f"{v} of 5"
                    if key == "strength"
                    else FOLLOW_UP_LABELS[v]
                    if key == "followup"
                    else str(v)
                ),
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
        due=sum(1 for r in rows if r["follow_up_due"]),
        csv_json=embed_json([_csv_record(c, r) for c, r in zip(cases, rows, strict=True)]),
    )


# ---------------------------------------------------------------- topics


def _verdict_counts(cases: list[CaseEntry], domain: str | None) -> list[str]:
    return count_judgements(
        [
            figures.judgement
            for case in cases
            for outcome, figures in zip(case.data["outcomes"], case.figures.outcomes, strict=True)
            if figures.judgement and (domain is None or outcome["domain"] == domain)
        ]
    )


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
    judgements = [f.judgement for c in cases for f in c.figures.outcomes if f.judgement]
    return _render(
        "home_stats.html",
        here="",
        total=len(cases),
        examples=sum(1 for c in cases if c.is_example),
        areas=len({c.area for c in cases}),
        countries=len({c.data["service"]["country"] for c in cases}),
        outcomes=sum(len(c.data["outcomes"]) for c in cases),
        measured=len(judgements),
        clearly_improved=sum(1 for j in judgements if j == ("improved", "clear")),
        others=[words for words in count_judgements(judgements) if "clearly improved" not in words],
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
    downloads = [(p, n, d, len(files.get(p, b""))) for p, n, d in DOWNLOADS]
    return _render(
        "data.html",
        here="data/",
        files=[
            {"path": p, "name": n, "description": d, "size": _size(size)}
            for p, n, d, size in downloads
        ],
        jsonld=embed_json(
            dataset_jsonld(catalogue, downloads, settings.site_name, settings.site_url)
        ),
        citation_cff=(
            f"{settings.repo_url.rstrip('/')}/blob/{settings.branch}/CITATION.cff"
            if settings.repo_url
            else ""
        ),
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
