"""Generate every page and file of the site from the catalogue, as plain data (no MkDocs)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.cache.figures import remembered_counts
from generator.cache.keys import data_digest, page_key
from generator.cache.pages import CasePageCache
from generator.charts.bundle import vega_bundle
from generator.charts.case_plan import case_words, plan_case_chart
from generator.charts.compare_plans import compare_plans
from generator.charts.home_plan import plan_effects_chart
from generator.charts.plans import ChartPlan, with_svg
from generator.figures.catalogue import Catalogue
from generator.figures.followups import FollowUp, judge_follow_up, reference_date
from generator.settings import SiteSettings
from generator.sharing.exports import data_files
from generator.sharing.feed import FEED_PATH, atom_feed
from generator.sharing.metadata import description
from generator.site.builder_form import BUILDER_URI, builder_page
from generator.site.builder_form import SKIP_LINK as BUILDER_SKIP_LINK
from generator.site.case_page import case_page
from generator.site.page_store import PageStore
from generator.site.pages import (
    case_list_page,
    compare_cases_page,
    compare_page,
    data_page,
    home_newest,
    home_stats,
    topic_codes,
    topic_page,
    topic_title,
    topics_index_page,
)
from generator.site.reference import MARKER as FIELD_REFERENCE_MARKER
from generator.site.reference import field_reference_html
from generator.site.side_by_side import side_by_side_records

HOME_MARKER = "<!-- copro:home -->"
NEWEST_MARKER = "<!-- copro:newest -->"
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass
class GeneratedSite:
    """Generated pages (HTML by source path and title) and files (bytes by site path)."""

    pages: PageStore = field(default_factory=PageStore)
    titles: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    snippets: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)  # plain text, by source path
    skip_links: dict[str, tuple[str, str]] = field(default_factory=dict)  # (#anchor, text)


def render_charts(plans: list[ChartPlan], cache_dir: Path | None) -> list[ChartPlan]:
    """Render every planned chart (and its narrow drawing, if any) to SVG in one batch."""
    from generator.charts.case_spec import OutcomeChart
    from generator.charts.render import label_svg, render_svgs
    from generator.charts.style import Spec

    specs: list[Spec | OutcomeChart] = [p.spec for p in plans]
    specs += [p.narrow for p in plans if p.narrow is not None]
    svgs = render_svgs(
        specs,
        cache_dir=cache_dir / "charts" if cache_dir else None,
        workers=os.cpu_count(),
        inert=True,
    )
    narrow_svgs = iter(svgs[len(plans) :])
    return [
        with_svg(
            p,
            label_svg(svg, p.title),
            label_svg(next(narrow_svgs), p.title) if p.narrow is not None else "",
        )
        for p, svg in zip(plans, svgs[: len(plans)], strict=True)
    ]


COMPARE_INTRO = (
    "Every chart compares all case studies at once, says in words what it shows, and has the "
    "same data as a table. Charts count what cases report; they do not weigh how strong each "
    "evaluation is, so read them with the evidence strength beside them."
)


def judge_follow_ups(catalogue: Catalogue, settings: SiteSettings) -> dict[str, FollowUp]:
    """Judge every case's follow-up on the settings' date, else on the newest case change."""
    today = settings.today or reference_date(case.data for case in catalogue.cases)
    if today is None:
        return {}
    return {case.id: judge_follow_up(case.data, today) for case in catalogue.cases}


def generate_site(
    catalogue: Catalogue, settings: SiteSettings, cache_dir: Path | None
) -> GeneratedSite:
    """Generate the case pages, list, topics, compare and data pages, and the downloads."""
    site = GeneratedSite()
    for case in catalogue.cases:
        if not SLUG.fullmatch(case.id):  # validated already; never let a case choose a path
            raise ValueError(f"refusing to write a page for id {case.id!r}")
    follow_ups = judge_follow_ups(catalogue, settings)
    # A case page is rendered only when its key misses the cache of pages (see pagecache).
    rendered = CasePageCache(cache_dir / "pages" if cache_dir else None)
    related = {case.id: catalogue.related(case) for case in catalogue.cases}
    digests = {case.id: data_digest(case.data) for case in catalogue.cases}
    keys = {
        case.id: page_key(
            digests[case.id],
            (digests[other.id] for other in related[case.id]),
            follow_ups.get(case.id),
            settings,
        )
        for case in catalogue.cases
    }
    to_render = []
    for case in catalogue.cases:  # a kept page goes straight to the page store, one at a time
        body = rendered.get(keys[case.id])
        if body is None:
            to_render.append(case)
        site.pages[f"evaluations/{case.id}.md"] = body or ""  # "" holds its place until rendered
    rendering = {case.id for case in to_render}
    views = {case.id: case_words(case) for case in to_render}
    plans = {case.id: plan_case_chart(case, views[case.id]) for case in to_render}
    published = [c for c in catalogue.cases if not c.is_example]
    with remembered_counts(cache_dir / "figures" if cache_dir else None):
        compare_all = compare_plans(list(catalogue.cases)) if catalogue.cases else []
        compare_published = compare_plans(published) if published else []
    answer = plan_effects_chart(list(catalogue.cases))
    home = [answer] if answer is not None else []
    wanted = [p for p in plans.values() if p is not None] + compare_all + compare_published + home
    drawn = dict(zip([id(p) for p in wanted], render_charts(wanted, cache_dir), strict=True))
    for case in catalogue.cases:
        uri = f"evaluations/{case.id}.md"
        if case.id in rendering:
            plan = plans[case.id]
            chart = drawn[id(plan)] if plan is not None else None
            body = case_page(
                case,
                catalogue,
                settings,
                chart,
                views[case.id],
                follow_ups.get(case.id),
                related=related[case.id],
            )
            rendered.put(keys[case.id], body)
            site.pages[uri] = body
        site.titles[uri] = case.title
        site.descriptions[uri] = description(case)
        site.files[f"data/cases/{case.id}.yaml"] = case.source.read_bytes()
    # The case charts' plans and drawings are done with: let them go before the downloads are
    # made (at 3,000 cases rendered anew they held about 300 MB).
    compare_drawn = {id(p): drawn[id(p)] for p in compare_all + compare_published}
    answer_drawn = drawn[id(answer)] if answer is not None else None
    del views, plans, wanted, drawn
    site.pages["evaluations/index.md"] = case_list_page(catalogue, follow_ups)
    site.titles["evaluations/index.md"] = "Case studies"
    site.pages["topics/index.md"] = topics_index_page(catalogue)
    site.titles["topics/index.md"] = "Topics"
    for kind, code in topic_codes(catalogue):
        folder = "areas" if kind == "area" else "outcomes"
        uri = f"topics/{folder}/{code}.md"
        site.pages[uri] = topic_page(kind, code, catalogue)
        site.titles[uri] = topic_title(kind, code)
    examples = len(catalogue.cases) - len(published)
    site.pages["compare/index.md"] = compare_page(
        [compare_drawn[id(p)] for p in compare_all],
        list(catalogue.cases),
        here="compare/",
        title="Compare",
        intro=COMPARE_INTRO,
        other_view={
            "url": "compare/published/",
            "text": "View the charts without illustrative examples",
        }
        if examples
        else None,
    )
    site.titles["compare/index.md"] = "Compare"
    site.pages["compare/published/index.md"] = compare_page(
        [compare_drawn[id(p)] for p in compare_published],
        published,
        here="compare/published/",
        title="Compare published cases",
        intro=COMPARE_INTRO + " This view leaves out illustrative examples.",
        other_view={"url": "compare/", "text": "View the charts with every case"},
    )
    site.titles["compare/published/index.md"] = "Compare published cases"
    site.pages["compare/cases/index.md"] = compare_cases_page(
        catalogue, side_by_side_records(list(catalogue.cases))
    )
    site.titles["compare/cases/index.md"] = "Compare cases side by side"
    site.files["assets/copro/vega-bundle.js"] = vega_bundle(cache_dir)
    site.files.update(data_files(catalogue))
    site.files[FEED_PATH] = atom_feed(catalogue, settings.site_name, settings.site_url)
    site.pages["data/index.md"] = data_page(catalogue, site.files, settings)
    site.titles["data/index.md"] = "Data"
    site.pages[BUILDER_URI] = builder_page(settings, (case.id for case in catalogue.cases))
    site.titles[BUILDER_URI] = "Build a case study"
    site.skip_links[BUILDER_URI] = BUILDER_SKIP_LINK
    site.snippets[HOME_MARKER] = home_stats(catalogue, answer_drawn)
    site.snippets[NEWEST_MARKER] = home_newest(catalogue)
    site.snippets[FIELD_REFERENCE_MARKER] = field_reference_html()
    rendered.forget_other_code()
    return site
