"""End to end: build the site from the repository's cases and check what a reader gets."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from generator.errors import BuildError
from generator.site.search import pagefind_command
from tests.conftest import CASES, ROOT
from tests.site_project import build_project, make_project

pytestmark = pytest.mark.slow
CASE_FILES = sorted((ROOT / "evaluations").glob("*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the repository's site once for this module."""
    return build_project(make_project(tmp_path_factory.mktemp("project")))


def _case(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_each_case_has_a_page_with_chart_table_and_banner(built: Path, path: Path) -> None:
    case = _case(path)
    page = _page(built, f"evaluations/{case['id']}")
    article = page.split('<article class="copro-case"', 1)[1]
    assert f"<h1>{_escape(case['title'])}</h1>" in article
    banner = {
        "example": "<strong>Illustrative example.</strong>",
        "summary": "<strong>Summary of a published evaluation:</strong> written from its report",
    }[case["status"]]  # every repository case is an example or a summary, labelled at the top
    assert article.split("<h1>", 1)[0].count(banner) == 1
    if case["status"] == "summary":  # each figure with the source's words, citing the source
        quoted = [o for o in case["outcomes"] if o.get("source")]
        assert article.count('<figure class="copro-quote"><blockquote cite="') == len(quoted)
    if any(o.get("results") for o in case["outcomes"]):
        assert "<svg" in article and 'role="img"' in article
        assert "Show the data as a table" in article
    else:
        assert "with no measurements to chart" in article
    first_measure = case["outcomes"][0]["measure"]
    assert _escape(first_measure) in article
    assert f"<title>{html.escape(case['title'])} - Co-production evidence hub</title>" in page


def _escape(text: str) -> str:
    return str(escape(text))


def test_numbers_in_chart_tables_match_the_case(built: Path) -> None:
    case = _case(ROOT / "evaluations" / "saltmarsh-home-care-visits.yaml")
    page = _page(built, "evaluations/saltmarsh-home-care-visits")
    figure = page.split('id="outcomes-chart"', 1)[1].split("</figure>", 1)[0]
    table = figure.split("<table>", 1)[1].split("</table>", 1)[0]
    for outcome in case["outcomes"]:
        for result in outcome.get("results", []):
            value = result["value"]
            shown = f"{int(value):,}" if float(value).is_integer() else str(value)
            assert f'<td data-label="Value">{shown}</td>' in table, (outcome["measure"], value)


def test_case_pages_stay_out_of_the_navigation(built: Path) -> None:
    for page in (built / "index.html", built / "evaluations" / "index.html"):
        nav = (
            page.read_text(encoding="utf-8")
            .split('<nav class="md-nav md-nav--primary"', 1)[1]
            .split("</nav>", 1)[0]
        )
        for path in CASE_FILES:
            assert f"{path.stem}/" not in nav


def test_case_list_lists_every_case(built: Path) -> None:
    page = _page(built, "evaluations")
    rows = re.findall(r'<tr data-id="([^"]+)"', page)
    assert sorted(rows) == sorted(p.stem for p in CASE_FILES)
    data = json.loads(
        re.search(
            r'<script type="application/json" id="copro-case-data">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert {r["id"] for r in data} == set(rows)


def test_pagefind_indexes_every_page(built: Path) -> None:
    entry = json.loads((built / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = [
        p
        for p in built.rglob("index.html")
        if 'class="md-content__inner' in p.read_text(encoding="utf-8")
    ]
    assert entry["languages"]["en"]["page_count"] == len(pages)
    # The theme's own index is left empty: readers never download the whole site's text.
    theme_index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert theme_index["docs"] == []
    config = json.loads(
        re.search(
            r'<script id="__config" type="application/json">(.*?)</script>',
            (built / "index.html").read_text(encoding="utf-8"),
            re.S,
        ).group(1)
    )
    assert config["search"].endswith("assets/copro/search-worker.js")


def _pagefind_pages(site: Path) -> dict[str, dict]:
    pages = {}
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(fragment.read_bytes())
        page = json.loads(raw.removeprefix(b"pagefind_dcd"))
        pages[page["url"]] = page
    return pages


def test_search_index_matches_an_index_of_the_built_pages(built: Path, tmp_path: Path) -> None:
    # The plugin indexes each article before the theme renders it; Pagefind run over the
    # finished site must find the same pages, titles and words.
    site = tmp_path / "site"
    shutil.copytree(built, site, ignore=shutil.ignore_patterns("pagefind"))
    subprocess.run(pagefind_command(site, site / "pagefind"), check=True, capture_output=True)
    early, late = _pagefind_pages(built), _pagefind_pages(site)
    assert sorted(early) == sorted(late)
    for url, page in late.items():
        assert early[url]["meta"]["title"] == page["meta"]["title"], url
        assert early[url]["content"] == page["content"], url


def test_search_index_finds_each_case_by_organisation_place_and_measure(built: Path) -> None:
    pages = _pagefind_pages(built)
    for path in CASE_FILES:
        case = _case(path)
        page = pages[f"/evaluations/{case['id']}/"]
        assert page["meta"]["title"] == case["title"]
        for words in (
            case["organisation"]["name"],
            case["service"].get("region", ""),
            case["outcomes"][0]["measure"],
        ):
            assert " ".join(words.split()) in page["content"], words


def test_topic_pages_count_cases(built: Path) -> None:
    page = _page(built, "topics/areas/environment")
    assert "1 case study" in page
    index = _page(built, "topics")
    assert "Adult social care" in index


def test_home_page_has_generated_numbers(built: Path) -> None:
    """The answer counts real cases only; examples are counted apart and said to be."""
    home = (built / "index.html").read_text(encoding="utf-8")
    statuses = [yaml.safe_load(p.read_text(encoding="utf-8"))["status"] for p in CASE_FILES]
    real = sum(1 for s in statuses if s != "example")
    examples = statuses.count("example")
    assert f'<span class="copro-stats__number">{real}</span> real case studies' in home
    assert f"The hub also holds {examples} illustrative examples" in home
    assert "not counted here" in home


def test_home_page_answers_first_with_a_chart_and_finds_compare_and_data(built: Path) -> None:
    """What the evidence says comes straight after the title, as a sentence and a chart."""
    home = (built / "index.html").read_text(encoding="utf-8")
    article = home[home.index("<article") :]
    says = article.index('id="evidence-says"')
    assert says < article.index('id="what-this-hub-is"') < article.index('id="newest"')
    assert article.count("<p>", 0, says) <= 1  # one short sentence between title and answer
    assert 'class="copro-answer">Of ' in article
    # Each count keeps its certainty words: "very uncertain" never joins "probably improved".
    from generator.cache.catalogue import build_catalogue
    from generator.figures.words import effect_counts

    cases = build_catalogue(ROOT / "evaluations").cases
    counts = effect_counts([f for c in cases if not c.is_example for f in c.figures.outcomes])
    answer = article.split('class="copro-answer">', 1)[1].split("</p>", 1)[0]
    for words, n in counts:
        short = words.removeprefix("very uncertain: ").removesuffix(" (could be chance)")
        assert f"{n} " in answer and short in answer, (words, answer)
    assert "point to an improvement" not in answer or not any(
        w.endswith("improved") for w, _ in counts
    )
    assert '<figure class="copro-figure" id="outcome-effects">' in article
    # The page's contents list names the answer and the newest cases, as it names the rest.
    toc = home[home.index('class="md-nav md-nav--secondary"') :]
    assert 'href="#evidence-says"' in toc and 'href="#newest"' in toc
    assert "Probably improved" in article  # the chart's table, in the certainty rules' words
    find_your_way = article[article.index('id="find-your-way"') :]
    assert 'href="compare/"' in find_your_way and 'href="data/"' in find_your_way


def test_case_yaml_is_downloadable_unchanged(built: Path) -> None:
    for path in CASE_FILES:
        assert (built / "data" / "cases" / path.name).read_bytes() == path.read_bytes()


def test_the_builder_ships_its_modules_and_its_checker(built: Path) -> None:
    theme = ROOT / "site_theme" / "assets" / "copro"
    shipped = [*sorted(theme.glob("builder/*.js")), theme / "vendor" / "ajv2020.min.js"]
    assert len(shipped) > 2
    for source in shipped:
        copy = built / source.relative_to(ROOT / "site_theme")
        assert copy.read_bytes() == source.read_bytes(), copy
    page = _page(built, "contribute/builder")
    for src in re.findall(r'<script[^>]* src="([^"]+)"', page):
        assert (built / "contribute" / "builder" / src).resolve().is_file(), src


def test_no_third_party_assets(built: Path) -> None:
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for match in re.findall(r'(?:src|href)="(https?://[^"]+)"', text):
            assert not re.search(r"\.(js|css|woff2?|ttf)(\?|$)", match), (page, match)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def _digest(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path: Path, built: Path) -> None:
    again = build_project(make_project(tmp_path / "again"))
    first, second = _digest(built), _digest(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_invalid_case_fails_the_build_and_keeps_the_old_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [CASES / "valid" / "riverside-day-centre-redesign.yaml"])
    site = build_project(project)
    marker = site / "index.html"
    before = marker.read_bytes()
    bad = CASES / "invalid" / "bad-date-quarter.yaml"
    (project / "evaluations" / bad.name).write_bytes(bad.read_bytes())
    with pytest.raises(BuildError):
        build_project(project)
    assert marker.read_bytes() == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]
