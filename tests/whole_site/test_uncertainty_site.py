"""End to end: intervals and certainty words on the built site match evaluations.json."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from generator.figures.words import AFTER_CAVEAT
from generator.vocabulary import DESIGNS_WITH_COMPARISON
from tests.conftest import ROOT, VALID_EXAMPLE
from tests.site_project import build_project, make_project

pytestmark = pytest.mark.slow

# A reviewer's kind of case: a comparison group, a score with sd, counts, small and large n.
HIDDEN_CASE = """
  - about: service
    domain: satisfaction
    measure: Residents satisfied with the service (%)
    unit: percent
    better: higher
    baseline: {value: 50, date: 2022-12, n: 400}
    results:
      - {value: 60, date: 2024-06, n: 380}
    comparison:
      label: Residents of the neighbouring borough
      baseline: {value: 52, date: 2022-12, n: 390}
      results:
        - {value: 54, date: 2024-06, n: 370}
    finding: Satisfaction rose more than next door.
  - about: participants
    domain: wellbeing
    measure: Mean wellbeing score (1-10)
    unit: score
    scale: {min: 1, max: 10}
    better: higher
    baseline: {value: 5.1, date: 2023-01, n: 30, sd: 1.8}
    results:
      - {value: 5.9, date: 2023-09, n: 28, sd: 1.7}
    finding: Wellbeing rose a little.
  - about: service
    domain: complaints
    measure: Complaints about the service a year
    unit: count
    better: lower
    baseline: {value: 40, date: 2022-12}
    results:
      - {value: 22, date: 2024-06}
    finding: Complaints fell.
"""


@pytest.fixture(scope="module")
def hidden_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a site from the contract's example turned into a comparison design with 3 more outcomes."""
    folder = tmp_path_factory.mktemp("hidden")
    text = VALID_EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("design: before-after", "design: before-after-with-comparison")
    text = text.replace("learning:\n", HIDDEN_CASE.lstrip("\n") + "learning:\n", 1)
    case = folder / "riverside-day-centre-redesign.yaml"
    case.write_text(text, encoding="utf-8")
    return build_project(make_project(folder / "project", [case]))


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(make_project(tmp_path_factory.mktemp("repo")))


def _verdicts(page: str) -> list[str]:
    found = re.findall(r'<p class="copro-verdict[^"]*">(.*?)</p>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in found]


def test_hidden_case_gets_the_contract_intervals_and_words(hidden_site: Path) -> None:
    page = (hidden_site / "evaluations/riverside-day-centre-redesign/index.html").read_text("utf-8")
    verdicts = _verdicts(page)
    data = json.loads((hidden_site / "data/evaluations.json").read_text("utf-8"))
    derived = data["cases"][0]["derived"]["outcomes"]
    # Contract's example outcomes: 58% to 81% with n, 12 to 6 complaints, 38% to 75% of 8.
    assert derived[0]["change"]["certainty"] == "clear"
    assert (
        round(derived[1]["change"]["interval"]["low"], 2),
        round(derived[1]["change"]["interval"]["high"], 2),
    ) == (0.15, 1.44)
    assert derived[2]["change"]["certainty"] == "could-be-chance"
    assert verdicts[2].startswith("Unclear: the change could be chance, after the co-production")
    assert "95% range \u22129.2 to 67 points" in verdicts[2]
    # The comparison outcome: the effect (10 - 2 = 8 points) decides.
    effect = derived[3]["effect"]
    assert effect["value"] == 8.0 and effect["certainty"] == "could-be-chance"
    low, high = effect["interval"]["low"], effect["interval"]["high"]
    assert (round(low, 2), round(high, 2)) == (-1.93, 17.93)  # 8 +/- 1.96 x 5.067, by hand
    assert verdicts[3].startswith(
        "Unclear: the change could be chance, compared with a group that did not take part: "
        "a change 8 points higher than the comparison group's (95% range \u22121.9 to 18 points)"
    )
    # The score with sd: Welch, and POMP on the 1-10 scale.
    wellbeing = derived[4]["change"]
    assert (round(wellbeing["interval"]["low"], 2), round(wellbeing["interval"]["high"], 2)) == (
        -0.12,
        1.72,
    )  # 0.8 +/- t(0.975, 56.0) 2.0032 x SE 0.4596, by hand
    assert wellbeing["pomp"] == pytest.approx(8.888889)
    assert "8.9% of the scale's range" in verdicts[4]
    # Counts: 40 to 22, exact ratio interval excluding 1.
    complaints = derived[5]["change"]
    assert complaints["certainty"] == "clear"
    # Before and after with no comparison group: very low certainty in GRADE's words (1.2).
    assert verdicts[5].startswith("Very uncertain: may have improved, after")
    assert "0.55 times the baseline" in verdicts[5]


def test_designs_without_comparison_say_after_with_the_caveat(repo_site: Path) -> None:
    data = json.loads((repo_site / "data/evaluations.json").read_text("utf-8"))
    compared = set(DESIGNS_WITH_COMPARISON)
    method = (ROOT / "docs/method.md").read_text("utf-8")
    assert " ".join(AFTER_CAVEAT.split()) in " ".join(method.split())
    for entry in data["cases"]:
        page = (repo_site / f"evaluations/{entry['id']}/index.html").read_text("utf-8")
        effects = [o["effect"] for o in entry["derived"]["outcomes"] if "effect" in o]
        by_change = any(e["design"] in ("change", "paired-change") for e in effects)
        uncompared = entry["case"]["evaluation"]["design"] not in compared
        assert (html.escape(AFTER_CAVEAT, quote=False) in page) == by_change
        for words in _verdicts(page):
            assert "because" not in words
            if uncompared:
                assert "compared with a group" not in words


def test_every_certainty_word_appears_across_the_examples(repo_site: Path) -> None:
    words = {
        w.split(",")[0]
        for p in (repo_site / "evaluations").glob("*/index.html")
        for w in _verdicts(p.read_text("utf-8"))
    }
    assert {
        "Very uncertain: may have improved",
        "Very uncertain: may have worsened",
        "Unclear: the change could be chance",
        "Very uncertain: may have improved (not tested for chance)",
        "Improved",  # a randomised comparison with enough people
    } <= words


def test_no_page_says_significant(repo_site: Path) -> None:
    """The hub's own words never say "significant"; a quote of a source may (contract 1.2)."""
    pattern = re.compile(r"\bsignificant(ly)?\b", re.IGNORECASE)
    quotes = re.compile(r"(?is)<(blockquote|q)\b.*?</\1>")
    pages = list(repo_site.rglob("*.html"))
    assert len(pages) > 20
    offenders = [
        str(p.relative_to(repo_site))
        for p in pages
        if pattern.search(re.sub(r"<[^>]+>", " ", quotes.sub(" ", p.read_text("utf-8"))))
    ]
    assert offenders == []
    quoted = [p for p in pages if pattern.search(p.read_text("utf-8"))]
    assert quoted, "a source's own words keep the word, shown as a quote"


def _table_rows(page: str, chart_id: str) -> list[list[str]]:
    table = page.split(f'id="{chart_id}', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_case_chart_tables_match_evaluations_json(repo_site: Path) -> None:
    """Each percentage in a case chart's table shows the Wilson range evaluations.json holds."""
    from generator.figures.words import format_bound

    data = json.loads((repo_site / "data/evaluations.json").read_text("utf-8"))
    checked = 0
    for entry in data["cases"]:
        page = (repo_site / f"evaluations/{entry['id']}/index.html").read_text("utf-8")
        if 'id="outcomes-chart' not in page:
            continue
        shown = {row[4] for row in _table_rows(page, "outcomes-chart") if len(row) > 4}
        for outcome in entry["derived"]["outcomes"]:
            for interval in outcome.get("ranges", {}).values():
                assert (
                    f"{format_bound(interval['low'])} to {format_bound(interval['high'])}" in shown
                )
                checked += 1
    assert checked > 30
