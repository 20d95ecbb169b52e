"""End to end: the compare page's outcome charts say what evaluations.json says, in honest words."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.figures.synthesis import cell_direction
from tests.site_project import build_project, make_project

pytestmark = pytest.mark.slow
PERCENT_MINUS = str.maketrans({"-": "\u2212"})
CERTAINTY_WORDS = {
    "clear": "Range leaves out no change",
    "could-be-chance": "Could be chance",
    "not-tested": "Not tested for chance",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the repository's site once for this module."""
    return build_project(make_project(tmp_path_factory.mktemp("project")))


@pytest.fixture(scope="module")
def cases(built: Path) -> list[dict[str, Any]]:
    """Return evaluations.json's cases, each outcome's judged figure beside it."""
    data = json.loads((built / "data" / "evaluations.json").read_text(encoding="utf-8"))
    for entry in data["cases"]:
        for outcome, derived in zip(
            entry["case"]["outcomes"], entry["derived"]["outcomes"], strict=True
        ):
            derived["judged"] = _judged(entry["case"], outcome, derived)
    return list(data["cases"])


def _judged(case: dict[str, Any], outcome: dict[str, Any], derived: dict[str, Any]) -> Any:
    """Return the figure whose verdict is shown: the effect, which every outcome with a change
    or a comparison group has (contract 1.2), else nothing."""
    has_figures = derived["change"] is not None or bool(outcome.get("comparison"))
    assert ("effect" in derived) == (has_figures or "reported" in outcome)
    return derived.get("effect")


class Tables(HTMLParser):
    """Collect the text of every table cell inside one figure, table by table."""

    def __init__(self, figure: str) -> None:
        super().__init__()
        self.figure, self.inside, self.depth = figure, False, 0
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "figure" and ("id", self.figure) in attrs:
            self.inside = True
        if not self.inside:
            return
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.inside = False
        if self.cell is not None and tag in ("td", "th"):
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(built: Path, page: str, figure: str) -> list[list[list[str]]]:
    """Return the body rows of each table in a figure of a built page."""
    reader = Tables(figure)
    reader.feed((built / page / "index.html").read_text(encoding="utf-8"))
    return [table[1:] for table in reader.tables]  # without the header row


def title(entry: dict[str, Any]) -> str:
    case = entry["case"]
    marks = {
        "example": " (illustrative example)",
        "summary": " (summary of a published evaluation)",
    }
    return case["title"] + marks.get(case["status"], "")


def test_forest_table_matches_evaluations_json(built: Path, cases: list[dict[str, Any]]) -> None:
    expected, ranges = set(), {}
    for entry in cases:
        for outcome, derived in zip(
            entry["case"]["outcomes"], entry["derived"]["outcomes"], strict=True
        ):
            # The forest is in percentage points: the judged effect, or where the authors report
            # a ratio, the hub's own figure in points beside it.
            points = ("difference", "difference-in-differences", "risk-difference")
            judged = next(
                (
                    e
                    for e in (derived["judged"], derived.get("hub_effect"))
                    if e and e.get("value") is not None and e["statistic"] in points
                ),
                None,
            )
            if outcome["unit"] != "percent" or judged is None:
                continue
            value = judged["value"]
            key = (
                title(entry),
                outcome["measure"],
                ("+" if value > 0 else "-" if value < 0 else "").translate(PERCENT_MINUS)
                + f"{abs(value):,.2f}".rstrip("0").rstrip("."),
                CERTAINTY_WORDS[judged["certainty"]],
            )
            expected.add(key)
            ranges[key] = judged["interval"]
    (rows,) = tables(built, "compare", "forest")
    assert {(r[1], r[3], r[5], r[8]) for r in rows} == expected
    assert len(rows) == len(expected) > 0
    for row in rows:
        interval = ranges[(row[1], row[3], row[5], row[8])]
        if interval is None:
            assert row[6] == "\u2013"
            continue
        low, high = (float(end.replace("\u2212", "-")) for end in row[6].split(" to "))
        # Shown to a whole point from 10 up, a tenth below: never on the wrong side of 0.
        assert abs(low - interval["low"]) <= 0.5 and abs(high - interval["high"]) <= 0.5
        assert (low > 0) == (interval["low"] > 0) and (high < 0) == (interval["high"] < 0)


def test_effect_direction_tables_match_evaluations_json(
    built: Path, cases: list[dict[str, Any]]
) -> None:
    verdicts: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for entry in cases:
        for outcome, derived in zip(
            entry["case"]["outcomes"], entry["derived"]["outcomes"], strict=True
        ):
            if derived["judged"] is not None:
                verdicts[(title(entry), outcome["about"], outcome["domain"])].append(
                    derived["judged"]["verdict"]
                )
    cells, totals = tables(built, "compare", "effect-direction")
    assert len(cells) == len(verdicts) > 0
    words = {
        "improved": "Improved",
        "worsened": "Worsened",
        "mixed": "Mixed",
        "no-change": "No change",
    }
    shown = {(r[2], r[1], r[0]): r for r in cells}
    for (case, about, domain), found in verdicts.items():
        panel = "Outcomes for the service" if about == "service" else "Outcomes for participants"
        (row,) = [
            r for key, r in shown.items() if key[:2] == (case, panel) and _code(key[2]) == domain
        ]
        assert row[4] == words[cell_direction(found)]
        counts = (found.count("improved"), found.count("worsened"), found.count("no-change"))
        assert row[5] == "{} improved, {} worsened, {} no change".format(*counts)
    for total in totals:
        column = [r for r in cells if (r[0], r[1]) == (total[0], total[1])]
        improved = sum(1 for r in column if r[4] == "Improved")
        worsened = sum(1 for r in column if r[4] == "Worsened")
        assert total[2] == f"{improved} of {improved + worsened}"


def _code(domain_label: str) -> str:
    """Return a domain's code from its label (the schema's titles)."""
    from generator.schema import vocabulary

    return {c.label: c.code for c in vocabulary().codes(("outcomes", "*", "domain"))}[domain_label]


def test_principles_services_table_matches_evaluations_json(
    built: Path, cases: list[dict[str, Any]]
) -> None:
    expected = set()
    for entry in cases:
        score = entry["derived"]["principles_score"]["score"]
        judged = [
            d["judged"]
            for o, d in zip(entry["case"]["outcomes"], entry["derived"]["outcomes"], strict=True)
            if o["about"] == "service" and d["judged"] is not None
        ]
        if score is None or not judged:
            continue
        improved = [j for j in judged if j["verdict"] == "improved"]
        clear = [j for j in improved if j["certainty"] == "clear"]
        expected.add(
            (
                title(entry),
                f"{round(score, 2):g}",
                str(len(judged)),
                str(len(improved)),
                str(len(clear)),
            )
        )
    (rows,) = tables(built, "compare", "principles-services")
    assert {(r[0], r[2], r[3], r[4], r[6]) for r in rows} == expected
    assert len(rows) == len(expected) > 0


@pytest.mark.parametrize("page", ["compare", "compare/published"])
def test_compare_pages_never_say_significant(built: Path, page: str) -> None:
    assert "significan" not in (built / page / "index.html").read_text(encoding="utf-8").lower()


def test_forest_links_to_why_there_is_no_pooled_average(built: Path) -> None:
    page = (built / "compare" / "index.html").read_text(encoding="utf-8")
    figure = page.split('id="forest"', 1)[1].split("</figure>", 1)[0]
    assert '<a href="../method/#no-pooled-average">Why there is no pooled average</a>' in figure


def test_each_new_chart_has_a_static_svg_and_an_interactive_spec(built: Path) -> None:
    page = (built / "compare" / "index.html").read_text(encoding="utf-8")
    for chart in ("effect-direction", "forest", "principles-services"):
        figure = page.split(f'id="{chart}"', 1)[1].split("</figure>", 1)[0]
        assert "<svg " in figure and 'role="img"' in figure
        assert f'data-copro-interactive="{chart}"' in page
        assert f'<script type="application/json" id="{chart}-spec">' in page


def test_compare_counts_effects_in_certainty_words_real_and_examples_apart(built: Path) -> None:
    """Contract 1.2: the compare page counts each outcome's effect in GRADE's words."""
    from generator.cache.catalogue import build_catalogue
    from generator.figures.words import count_effects
    from tests.conftest import ROOT

    cases = build_catalogue(ROOT / "evaluations").cases
    real = count_effects([f for c in cases if not c.is_example for f in c.figures.outcomes])
    invented = count_effects([f for c in cases if c.is_example for f in c.figures.outcomes])
    page = (built / "compare" / "index.html").read_text(encoding="utf-8")
    sentence = (
        f"Outcomes with an effect, in the published and summary cases: {', '.join(real)}; in the "
        f"illustrative examples (invented, not evidence): {', '.join(invented)}."
    )
    assert html.escape(sentence, quote=False) in page
    published = (built / "compare" / "published" / "index.html").read_text(encoding="utf-8")
    assert "in the illustrative examples" not in published
    assert any(words.endswith("probably improved") for words in real)
