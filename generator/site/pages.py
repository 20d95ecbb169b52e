"""Render the generated index pages: the case list, topics, the home page's figures, data, compare."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.charts.home_plan import real_effects
from generator.charts.plans import ChartPlan
from generator.figures.catalogue import CaseEntry, Catalogue
from generator.figures.derive import OutcomeFigures
from generator.figures.followups import FollowUp
from generator.figures.words import LEVEL_WORDS, count_effects, effects_answer, principles_text
from generator.schema import label, vocabulary
from generator.settings import SiteSettings
from generator.sharing.metadata import dataset_jsonld
from generator.site.templating import embed_json, render
from generator.vocabulary import PARTICIPANT_DOMAINS, SERVICE_DOMAINS

# ---------------------------------------------------------------- case list

LIST_FILTERS = (
    ("area", "Area", "service.area"),
    ("kind", "Kind", "service.kind"),
    ("country", "Country", "service.country"),
    ("year", "Start year", ""),
    ("design", "Design", "evaluation.design"),
    ("evaluator", "Evaluator", "evaluation.evaluator"),
    ("strength", "Evidence strength", ""),
    ("certainty", "Certainty of evidence", ""),
    ("status", "Status", "status"),
    ("followup", "Follow-up", ""),
)
FOLLOW_UP_LABELS = {"due": "Follow-up due", "not-due": "Not due"}


CERTAINTY_FILTER = tuple(
    (level, f"An outcome at {words.lower()} certainty") for level, words in LEVEL_WORDS.items()
)


def list_row(case: CaseEntry, follow_up: FollowUp | None = None) -> dict[str, Any]:
    """Return one row of the case list: display text and the codes filters use."""
    d = case.data
    due = "due" if follow_up is not None and follow_up.due else "not-due"
    evidence = case.figures.evidence
    effects = count_effects(list(case.figures.outcomes))
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
        "effects": effects,
        "measured": ", ".join(effects),
        "example": case.is_example,
        "summary": case.is_summary,
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
                dict.fromkeys(f.certainty.level for f in case.figures.outcomes if f.certainty)
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
    return render(
        "case_list.html",
        here="evaluations/",
        rows=rows,
        filters=filters,
        examples=sum(1 for c in cases if c.is_example),
        summaries=sum(1 for c in cases if c.is_summary),
        due=sum(1 for r in rows if r["follow_up_due"]),
        csv_json=embed_json([_csv_record(c, r) for c, r in zip(cases, rows, strict=True)]),
    )


# ---------------------------------------------------------------- topics


def _verdict_counts(cases: list[CaseEntry], domain: str | None) -> list[str]:
    return count_effects(
        [
            figures
            for case in cases
            for outcome, figures in zip(case.data["outcomes"], case.figures.outcomes, strict=True)
            if domain is None or outcome["domain"] == domain
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
    return render(
        "topic.html",
        here=f"topics/{folder}/{code}/",
        title=topic_title(kind, code),
        description=codes[code].description if code in codes else "",
        cases=sorted(cases, key=lambda c: (-c.figures.evidence.level, c.title.lower())),
        examples=sum(1 for c in cases if c.is_example),
        summaries=sum(1 for c in cases if c.is_summary),
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
    return render(
        "topics_index.html",
        here="topics/",
        areas=entries("area", areas),
        participant_domains=entries("domain", list(PARTICIPANT_DOMAINS)),
        service_domains=entries("domain", [d for d in SERVICE_DOMAINS if d != "other"]),
    )


# ---------------------------------------------------------------- home


def home_stats(catalogue: Catalogue, chart: ChartPlan | None = None) -> str:
    """Render the home page's answer from real cases (examples apart): a sentence, a chart."""
    real, effects = real_effects(list(catalogue.cases))
    return render(
        "home_stats.html",
        here="",
        real=len(real),
        summaries=sum(1 for c in real if c.is_summary),
        examples=sum(1 for c in catalogue.cases if c.is_example),
        areas=len({c.area for c in real}),
        countries=len({c.data["service"]["country"] for c in real}),
        outcomes=sum(len(c.data["outcomes"]) for c in real),
        answer=effects_answer(effects, len(real)),
        chart=chart,
        followed_up=sum(1 for c in real if c.figures.evidence.level >= 3 or _has_late_result(c)),
    )


def home_newest(catalogue: Catalogue) -> str:
    """Render the home page's newest case studies."""
    return render("home_newest.html", here="", newest=catalogue.newest(5))


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
        "data/syntheses.csv",
        "syntheses.csv",
        "One row per pooled estimate of cases that share an instrument (exploratory).",
    ),
    (
        "data/datapackage.json",
        "datapackage.json",
        "Frictionless data package describing the three CSV files.",
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
    from generator.sharing.exports import codebook_rows

    licences: dict[str, int] = {}
    for case in catalogue.cases:
        licences[case.data["licence"]] = licences.get(case.data["licence"], 0) + 1
    year = max((str(c.data["submitted"])[:4] for c in catalogue.cases), default="")
    downloads = [(p, n, d, len(files.get(p, b""))) for p, n, d in DOWNLOADS]
    return render(
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
        summaries=sum(1 for c in catalogue.cases if c.is_summary),
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
    return render(
        "compare.html",
        here=here,
        title=title,
        intro=intro,
        charts=plans,
        interactive=interactive,
        specs={p.id: embed_json(p.spec) for p in plans if p.id in interactive},
        narrow_specs={
            p.id: embed_json(p.narrow) for p in plans if p.id in interactive and p.narrow
        },
        examples=sum(1 for c in cases if c.is_example),
        summaries=sum(1 for c in cases if c.is_summary),
        total=len(cases),
        other_view=other_view,
        real_counts=count_effects(_effects(c for c in cases if not c.is_example)),
        example_counts=count_effects(_effects(c for c in cases if c.is_example)),
    )


def _effects(cases: Iterable[CaseEntry]) -> list[OutcomeFigures]:
    return [f for case in cases for f in case.figures.outcomes if f.effect is not None]


def compare_cases_page(catalogue: Catalogue, records: list[dict[str, Any]]) -> str:
    """Render the side-by-side chooser and view."""
    return render(
        "compare_cases.html",
        here="compare/cases/",
        cases=sorted(catalogue.cases, key=lambda c: c.title.lower()),
        records=embed_json(records),
    )
