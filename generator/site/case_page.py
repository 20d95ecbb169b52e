"""Render one case's page: its facts, figures, chart, citations and links."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from generator.cases.text import render_markdown
from generator.charts.case_plan import case_words
from generator.charts.plans import ChartPlan
from generator.figures.catalogue import CaseEntry, Catalogue
from generator.figures.followups import FollowUp
from generator.figures.words import AFTER_CAVEAT, format_date, period, place, principles_text
from generator.schema import label
from generator.settings import SiteSettings, case_url, url_between
from generator.sharing.citations import case_reference, citation_text, cite_files, cite_links
from generator.sharing.metadata import case_jsonld
from generator.site.templating import embed_base64_json, embed_json, render
from generator.site.views import experience_views, outcome_page_view, principle_views


def case_page(
    case: CaseEntry,
    catalogue: Catalogue,
    settings: SiteSettings,
    chart: ChartPlan | None,
    words: list[dict[str, Any]] | None = None,
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
    sources = source_views(data.get("sources") or [])
    outcome_views = [
        outcome_page_view(outcome, words) | {"quote": quote_view(outcome, sources)}
        for outcome, words in zip(
            data["outcomes"], words if words is not None else case_words(case), strict=True
        )
    ]
    return render(
        "case.html",
        case=case,
        here=here,
        summary=render_markdown(data["summary"]),
        place=place(case),
        period=period(case),
        principles=principle_views(case),
        principles_score=principles_text(case),
        outcomes=outcome_views,
        sources=sources,
        studied=_studied(case, sources),
        sample=sample_text(data["evaluation"].get("sample")),
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
        record=embed_base64_json(case.data),
    )


def _caveat(case: CaseEntry) -> str:
    """Return the "after, not because of" caveat where an outcome is judged by its change alone."""
    changes = ("change", "paired-change")
    judged_by_change = any(f.effect and f.effect.design in changes for f in case.figures.outcomes)
    return AFTER_CAVEAT if judged_by_change else ""


def source_views(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Display values of a case's sources: the link to read each, its DOI, authors and dates."""
    views = []
    for source in sources:
        url = source.get("url", "")
        doi = source.get("doi", "")
        doi_url = f"https://doi.org/{quote(doi, safe='/:;()._-')}" if doi else ""
        authors = source.get("authors") or []
        views.append(
            {
                "title": source["title"],
                "url": url if url.lower().startswith(("https://", "http://")) else "",
                "href": doi_url or url,  # the DOI resolves to the publisher, the canonical copy
                "doi": doi,
                "doi_url": doi_url,
                "authors": ", ".join(authors[:6]) + (" et al." if len(authors) > 6 else ""),
                "year": source.get("year", ""),
                "published_in": source.get("published_in", ""),
                "accessed": format_date(source["accessed"]) if source.get("accessed") else "",
                "type": label("sources.*.type", source["type"]),
            }
        )
    return views


def quote_view(outcome: dict[str, Any], sources: list[dict[str, Any]]) -> dict[str, str] | None:
    """Return the source's words behind an outcome's figures, where it came from and its link."""
    source = outcome.get("source")
    if not source:
        return None
    cited = sources[source["ref"] - 1] if 0 < source["ref"] <= len(sources) else None
    return {
        "text": source["quote"],
        "where": source.get("where", ""),
        "source": cited["title"] if cited else f"source {source['ref']}",
        "cite": (cited["href"] if cited else "") or "",
    }


def _studied(case: CaseEntry, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the sources a summary's figures come from (the study), first cited first."""
    refs = sorted({o["source"]["ref"] for o in case.data["outcomes"] if o.get("source")})
    cited = [sources[ref - 1] for ref in refs if 0 < ref <= len(sources)]
    return cited or sources[:1]


def sample_text(sample: dict[str, int] | None) -> str:
    """Say how many people were recruited and analysed, and the attrition."""
    if not sample:
        return ""
    recruited, analysed = sample["recruited"], sample["analysed"]
    lost = round(100 * (1 - analysed / recruited)) if recruited else 0
    return f"{analysed} of {recruited} recruited were analysed ({lost}% not analysed)"


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
