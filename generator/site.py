"""Generate every page and file of the site from the catalogue, as plain data (no MkDocs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.catalogue import Catalogue
from generator.exports import data_files
from generator.pages import (
    ChartPlan,
    SiteSettings,
    case_list_page,
    case_page,
    data_page,
    home_stats,
    plan_case_chart,
    topic_codes,
    topic_page,
    topics_index_page,
    with_svg,
)

HOME_MARKER = "<!-- copro:home -->"


@dataclass
class GeneratedSite:
    """Generated pages (HTML by source path and title) and files (bytes by site path)."""

    pages: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    snippets: dict[str, str] = field(default_factory=dict)


def render_charts(plans: list[ChartPlan], cache_dir: Path | None) -> list[ChartPlan]:
    """Render every planned chart to SVG in one batch (cached, parallel)."""
    from generator.charts import accessible_svg, render_svgs

    svgs = render_svgs([p.spec for p in plans], cache_dir=cache_dir)
    return [with_svg(p, accessible_svg(svg, p.title)) for p, svg in zip(plans, svgs, strict=True)]


def generate_site(
    catalogue: Catalogue, settings: SiteSettings, cache_dir: Path | None
) -> GeneratedSite:
    """Generate the case pages, list, topics, home snippet and the case files for download."""
    site = GeneratedSite()
    plans = {case.id: plan_case_chart(case) for case in catalogue.cases}
    wanted = [p for p in plans.values() if p is not None]
    drawn = dict(zip([id(p) for p in wanted], render_charts(wanted, cache_dir), strict=True))
    for case in catalogue.cases:
        plan = plans[case.id]
        chart = drawn[id(plan)] if plan is not None else None
        uri = f"evaluations/{case.id}.md"
        site.pages[uri] = case_page(case, catalogue, settings, chart)
        site.titles[uri] = case.title
        site.files[f"data/cases/{case.id}.yaml"] = case.source.read_bytes()
    site.pages["evaluations/index.md"] = case_list_page(catalogue)
    site.titles["evaluations/index.md"] = "Case studies"
    site.pages["topics/index.md"] = topics_index_page(catalogue)
    site.titles["topics/index.md"] = "Topics"
    for kind, code in topic_codes(catalogue):
        folder = "areas" if kind == "area" else "outcomes"
        uri = f"topics/{folder}/{code}.md"
        site.pages[uri] = topic_page(kind, code, catalogue)
        site.titles[uri] = _first_heading(site.pages[uri])
    site.files.update(data_files(catalogue))
    site.pages["data/index.md"] = data_page(catalogue, site.files, settings)
    site.titles["data/index.md"] = "Data"
    site.snippets[HOME_MARKER] = home_stats(catalogue)
    return site


def _first_heading(html: str) -> str:
    import html as html_lib
    import re

    match = re.search(r"<h1>(.*?)</h1>", html, re.DOTALL)
    return html_lib.unescape(match.group(1)) if match else ""
