"""Tests for the compare page's outcome charts: the effect direction rules and the three plans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.cache.catalogue import build_catalogue
from generator.charts.compare_plans import compare_plans
from generator.charts.synthesis_plans import (
    chart_names,
    direction_cells,
    effect_direction,
    forest,
    forest_rows,
    principles_services,
    score_rows,
    short_name,
)
from generator.figures.catalogue import CaseEntry
from generator.figures.derive import derive_case
from generator.figures.synthesis import share_improved
from tests.conftest import ROOT

Data = dict[str, Any]
RATINGS = ("equality", "diversity", "accessibility", "reciprocity")


def measurement(value: float, date: str, n: int | None = None) -> Data:
    """Return a measurement, with n only when given."""
    return {"value": value, "date": date, **({"n": n} if n is not None else {})}


def outcome(
    before: float,
    after: float,
    *,
    domain: str = "satisfaction",
    about: str = "service",
    unit: str = "percent",
    better: str = "higher",
    n: int | None = 100,
    comparison: tuple[float, float] | None = None,
    measured_before: bool = True,
) -> Data:
    """Return an outcome measured before and after (n on both), with a comparison when given."""
    built: Data = {
        "about": about,
        "domain": domain,
        "measure": f"{domain} measure",
        "unit": unit,
        "better": better,
        "baseline": measurement(before, "2022-01", n),
        "results": [measurement(after, "2023-01", n)],
    }
    if not measured_before:
        del built["baseline"]
    if comparison is not None:
        built["comparison"] = {
            "label": "A town nearby",
            "baseline": measurement(comparison[0], "2022-01", n),
            "results": [measurement(comparison[1], "2023-01", n)],
        }
    return built


def entry(
    name: str,
    outcomes: list[Data],
    *,
    design: str = "before-after",
    ratings: tuple[str, ...] = ("mostly-met",) * 4,
    example: bool = False,
) -> CaseEntry:
    """Return a catalogue entry with only the fields the compare plans read."""
    data: Data = {
        "id": name,
        "title": f"The {name} case",
        "status": "example" if example else "published",
        "organisation": {"name": f"{name.title()} Council"},
        "service": {"area": "health"},
        "coproduction": {"start": "2022-01", "end": "2022-12"},
        "evaluation": {"design": design, "evaluator": "internal"},
        "principles": {key: {"rating": r} for key, r in zip(RATINGS, ratings, strict=True)},
        "outcomes": outcomes,
    }
    return CaseEntry(data, derive_case(data), Path(f"{name}.yaml"))


# The rules


def test_a_cell_uses_the_effect_where_there_is_one() -> None:
    # Participants rose 10 points, the comparison group 30: the effect is 20 points worse.
    case = entry("kreek", [outcome(40, 50, comparison=(40, 70))], design="randomised")
    (figures,) = case.figures.outcomes
    assert figures.change is not None and figures.change.verdict == "improved"
    ((cell),) = direction_cells([case])
    assert (cell.verdicts, cell.direction) == (("worsened",), "worsened")
    assert share_improved(["improved", "worsened"]) == 0.5 and share_improved([]) is None


# a. Effect direction plot


def test_rows_group_cases_by_design_strongest_first() -> None:
    cases = [
        entry("alpha", [outcome(40, 50)]),
        entry("beta", [outcome(40, 50)], design="randomised"),
        entry(
            "gamma", [outcome(40, 50, comparison=(40, 45))], design="before-after-with-comparison"
        ),
        entry("delta", [outcome(40, 50, measured_before=False)], design="post-only"),
    ]
    cells = direction_cells(cases)
    assert [c.case.id for c in cells] == ["beta", "gamma", "alpha"]


def test_a_cell_counts_its_outcomes_and_takes_the_largest_n() -> None:
    case = entry(
        "mixed",
        [
            outcome(40, 50, n=20),
            outcome(40, 30, n=400),
            outcome(40, 50, domain="wellbeing", about="participants", unit="score", n=None),
        ],
    )
    satisfaction, wellbeing = direction_cells([case])
    assert (satisfaction.verdicts, satisfaction.direction) == (("improved", "worsened"), "mixed")
    assert satisfaction.largest_n == 400
    assert (wellbeing.direction, wellbeing.largest_n) == ("improved", None)
    plan = effect_direction([case])
    assert ("Satisfaction", "Outcomes for the service", "The mixed case", "Before and after",
            "Mixed", "1 improved, 1 worsened, 0 no change", "400") in plan.rows  # fmt: skip
    assert ("Wellbeing", "Outcomes for participants", "1 of 1", "100%", "21\u2013100",
            "\u2013") in plan.summary_rows  # fmt: skip
    arrows = [row for rows in plan.spec["datasets"].values() for row in rows if "arrow" in row]
    assert {row["size"]: row["fill"] for row in arrows} == {
        "over 300": "n recorded",
        "not recorded": "n not recorded",
    }


def test_column_total_says_ten_of_twelve_with_wilson_and_p() -> None:
    cases = [entry(f"c{i:02}", [outcome(40, 50)]) for i in range(10)]
    cases += [entry(f"w{i}", [outcome(50, 40)]) for i in range(2)]
    cases += [entry("m", [outcome(40, 50), outcome(50, 40)])]  # mixed: left out of m
    plan = effect_direction(cases)
    assert plan.summary_rows == (
        ("Satisfaction", "Outcomes for the service", "10 of 12", "83%", "55\u201395", "P = 0.039"),
    )
    words = "for the service, satisfaction 10 of 12 (95% range 55 to 95%, sign test P = 0.039)."
    assert words in plan.method
    assert "for the service, satisfaction 10 of 12." in plan.description


def test_p_is_shown_only_from_six_cases_with_a_direction() -> None:
    cases = [entry(f"c{i}", [outcome(40, 50)]) for i in range(5)]
    (row,) = effect_direction(cases).summary_rows
    assert row[2:] == ("5 of 5", "100%", "57\u2013100", "\u2013")
    (row,) = effect_direction([*cases, entry("six", [outcome(40, 50)])]).summary_rows
    assert row[5] == "P = 0.031"


def test_cases_without_a_measured_outcome_are_counted_as_having_no_row() -> None:
    unmeasured = entry("post", [outcome(40, 50, measured_before=False)], design="post-only")
    plan = effect_direction([entry("one", [outcome(40, 50)]), unmeasured])
    assert len(plan.rows) == 1
    assert "1 case with no outcome measured before and after has no row." in plan.description


def test_chart_names_are_short_distinct_and_mark_examples() -> None:
    one = entry("one", [outcome(40, 50)], example=True)
    two = entry("two", [outcome(40, 50)])
    twin = entry("two-again", [outcome(40, 50)])
    twin.data["organisation"]["name"] = "Two Council"
    names = chart_names([one, twin, two])
    assert names["one"] == ("One Council", "2022, example")
    assert names["two"] == ("Two Council", "2022")
    assert names["two-again"] == ("Two Council", "2022 [2]")


@pytest.mark.parametrize(
    ("organisation", "shown"),
    [
        ("Well London Alliance (London Health Commission, UEL)", "Well London Alliance"),
        ("Penn Center for Community Health Workers, University of Pennsylvania",
         "Penn Center for Community Health Workers"),
        ("Ekjut (Chakradharpur, Jharkhand) with University College London",
         "Ekjut (Chakradharpur, Jharkhand)"),
        ("Town of Cedarford", "Town of Cedarford"),
    ],
)  # fmt: skip
def test_charts_name_an_organisation_up_to_its_first_aside(organisation: str, shown: str) -> None:
    assert short_name(organisation) == shown


# b. Forest plot


def test_forest_keeps_percent_outcomes_and_uses_the_effect_where_present() -> None:
    case = entry(
        "forest",
        [
            outcome(40, 50, n=400),
            outcome(40, 60, comparison=(40, 45), domain="quality", n=400),
            outcome(12, 6, unit="count", domain="complaints", better="lower", n=None),
            outcome(30, 20, domain="access", better="lower", n=None),
        ],
        design="before-after-with-comparison",
    )
    rows = forest_rows([case])
    assert [(r.outcome["domain"], r.kind) for r in rows] == [
        ("satisfaction", "change"),
        ("quality", "effect"),
        ("access", "change"),
    ]
    effect = rows[1]
    assert effect.value == 15 and effect.certainty == case.figures.outcomes[1].effect.certainty
    assert rows[2].certainty == "not-tested" and rows[2].interval is None
    plan = forest([case])
    spec_rows = next(iter(plan.spec["datasets"].values()))
    access = next(r for r in spec_rows if r["domain"] == "Access")
    assert (access["value"], access["low"], access["certainty"]) == (
        10,
        None,
        "Not tested for chance",
    )
    quality = next(r for r in plan.rows if r[0] == "Quality")
    assert quality[4:6] == ("Effect against the comparison group", "+15")
    assert quality[8] == "Range leaves out no change"
    assert plan.more == ("method/", "no-pooled-average", "Why there is no pooled average")
    assert "no pooled average" in plan.description


def test_forest_turns_lower_is_better_and_orders_by_design_then_change() -> None:
    cases = [
        entry("small", [outcome(40, 45, n=400)]),
        entry("large", [outcome(40, 60, n=400)]),
        entry("fewer", [outcome(40, 30, better="lower", n=400)], design="randomised"),
    ]
    plan = forest(cases)
    rows = next(iter(plan.spec["datasets"].values()))
    assert [(r["case"], r["value"]) for r in rows] == [
        ("Fewer Council", 10),
        ("Large Council", 20),
        ("Small Council", 5),
    ]
    fewer = rows[0]
    low, high = (
        cases[2].figures.outcomes[0].change.interval.low,
        cases[2].figures.outcomes[0].change.interval.high,
    )
    assert (fewer["low"], fewer["high"]) == (-high, -low)
    assert plan.rows[0][5] == "\u221210"  # the table keeps the change as written


# c. Principles and services


def test_scatter_counts_cases_with_a_score_and_a_measured_service_outcome() -> None:
    measured = [outcome(40, 50, n=400), outcome(40, 45), outcome(50, 40)]  # the first is clear
    good = entry("good", measured, ratings=("fully-met",) * 4)
    weak = entry("weak", [outcome(50, 40)], ratings=("partly-met",) * 4)
    unknown = entry("unknown", [outcome(40, 50)], ratings=("unknown",) * 4)
    people = entry("people", [outcome(40, 50, domain="wellbeing", about="participants")])
    rows = score_rows([good, weak, unknown, people])
    assert [(r.case.id, r.score, r.outcomes, r.improved, round(r.share, 3)) for r in rows] == [
        ("weak", 2.0, 1, 0, 0.0),
        ("good", 4.0, 3, 2, 0.667),
    ]
    plan = principles_services([good, weak, unknown, people])
    assert (
        "Of the 1 case with a principles score of 3 or more, 1 had most of their service outcomes "
        "improve; of the 1 below 3, 0 did." in plan.description
    )
    assert "not a test" in plan.description and "not a cause" in plan.description
    assert plan.rows[1] == ("The good case", "Before and after", "4", "3", "2", "67%", "1")


# All three, on the repository's examples


@pytest.fixture(scope="module")
def plans() -> dict[str, Any]:
    catalogue = build_catalogue(ROOT / "evaluations")
    return {p.id: p for p in compare_plans(list(catalogue.cases))}


def test_compare_page_plans_the_three_outcome_charts(plans: dict[str, Any]) -> None:
    assert list(plans) == [
        "evidence-map",
        "effect-direction",
        "forest",
        "principles-services",
        "principles",
        "methods",
        "over-time",
    ]


@pytest.mark.parametrize("chart", ["effect-direction", "forest", "principles-services"])
def test_each_chart_has_words_a_table_and_the_examples_note(
    plans: dict[str, Any], chart: str
) -> None:
    plan = plans[chart]
    assert plan.title and plan.description and plan.rows
    assert all(len(row) == len(plan.columns) for row in plan.rows)
    assert "illustrative examples" in plan.example_note
    words = " ".join([plan.title, plan.description, plan.method, *(" ".join(r) for r in plan.rows)])
    assert "significan" not in words.lower()


def test_examples_show_every_certainty_word_in_the_forest(plans: dict[str, Any]) -> None:
    certainties = {row[-2] for row in plans["forest"].rows}
    assert certainties == {"Range leaves out no change", "Could be chance", "Not tested for chance"}


def test_plans_with_nothing_measured_say_so_and_still_draw() -> None:
    from generator.charts.render import render_svg

    case = entry("words", [outcome(40, 50, measured_before=False)], design="qualitative")
    for plan in (
        effect_direction([case]),
        forest([case]),
        principles_services([case]),
    ):
        assert plan.rows == ()
        assert "measured before and after" in plan.description
        assert render_svg(plan.spec).startswith("<svg")
