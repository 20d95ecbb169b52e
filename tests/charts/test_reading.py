"""Charts read at every width: drawn no wider than they are shown, text never under 11 px,
axes that start at zero or span a score's scale, and words that say what is drawn."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest

from generator.cache.catalogue import build_catalogue
from generator.charts.case_plan import plan_case_chart
from generator.charts.case_spec import axis_anchors
from generator.charts.compare_plans import compare_plans
from generator.charts.home_plan import answer_sentence, plan_effects_chart
from generator.charts.kit import text_width, wrap_to
from generator.charts.plans import ChartPlan
from generator.charts.render import render_svg
from generator.charts.style import NARROW, WIDE
from generator.figures.catalogue import Catalogue
from generator.figures.words import COUNT_ORDER
from tests.conftest import ROOT

SMALLEST_TEXT = 11  # CSS px: a drawing is never shown smaller than drawn (style.NARROW, WIDE)


@cache
def catalogue() -> Catalogue:
    """Return the repository's cases, checked and derived once."""
    return build_catalogue(ROOT / "evaluations")


def case(case_id: str) -> Any:
    """Return one of the repository's cases."""
    return next(c for c in catalogue().cases if c.id == case_id)


def size(svg: str) -> tuple[float, float]:
    """Return an SVG's drawn width and height."""
    found = re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg)
    assert found, "the SVG has no size"
    return float(found[1]), float(found[2])


def font_sizes(svg: str) -> list[float]:
    """Return every font size an SVG's text is drawn at."""
    return [float(px) for px in re.findall(r'font-size="([\d.]+)(?:px)?"', svg)]


def drawings(plan: ChartPlan) -> list[tuple[str, Any, float]]:
    """Return a plan's drawings with the widest each may be: one NARROW, or wide and narrow."""
    if plan.narrow is None:
        return [("only", plan.spec, NARROW)]
    return [("wide", plan.spec, WIDE), ("narrow", plan.narrow, NARROW)]


def all_plans() -> list[ChartPlan]:
    """Return every chart the repository's cases give, on every page."""
    cases = list(catalogue().cases)
    plans = [p for c in cases if (p := plan_case_chart(c)) is not None]
    plans += compare_plans(cases)
    answer = plan_effects_chart(cases)
    return plans + ([answer] if answer else [])


@pytest.fixture(scope="module")
def rendered() -> list[tuple[str, str, float]]:
    """Render every drawing once: (name, SVG, widest allowed)."""
    found = []
    for plan in all_plans():
        for variant, spec, widest in drawings(plan):
            build = spec.spec() if hasattr(spec, "spec") else spec
            found.append((f"{plan.title} ({variant})", render_svg(build), widest))
    return found


def test_every_drawing_fits_the_width_it_is_shown_at(
    rendered: list[tuple[str, str, float]],
) -> None:
    too_wide = [(name, size(svg)[0]) for name, svg, widest in rendered if size(svg)[0] > widest]
    assert not too_wide, too_wide


def test_no_drawing_has_text_under_11_px(rendered: list[tuple[str, str, float]]) -> None:
    small = [(name, min(font_sizes(svg))) for name, svg, _ in rendered]
    assert all(sizes for sizes in (font_sizes(svg) for _, svg, _ in rendered))
    assert not [(name, px) for name, px in small if px < SMALLEST_TEXT], small


def test_the_compare_charts_too_wide_for_a_phone_have_a_narrow_drawing() -> None:
    plans = {p.id: p for p in compare_plans(list(catalogue().cases))}
    assert {p for p, plan in plans.items() if plan.narrow is not None} == {
        "evidence-map",
        "effect-direction",
        "over-time",
    }


def panel_anchors(plan: ChartPlan) -> dict[str, list[float]]:
    """Return each panel's axis anchors, by the start of its heading, from the plan's spec."""
    spec = plan.spec.spec() if hasattr(plan.spec, "spec") else plan.spec
    (rows,) = spec["datasets"].values()
    found: dict[str, list[float]] = {}
    for row in rows:
        if row["kind"] == "Range":
            found.setdefault(row["heading"].replace("\n", " "), []).append(row["value"])
    return found


def y_scale(plan: ChartPlan) -> dict[str, Any]:
    """Return the y scale the case chart's panels share."""
    spec = plan.spec.spec() if hasattr(plan.spec, "spec") else plan.spec
    layers = spec["spec"]["layer"]
    return next(
        layer["encoding"]["y"]["scale"]
        for layer in layers
        if "scale" in layer.get("encoding", {}).get("y", {})
    )


def test_count_money_and_percent_panels_start_at_zero() -> None:
    plan = plan_case_chart(case("lowfield-homes-repairs-redesign"))
    assert plan is not None
    anchors = panel_anchors(plan)
    money = next(a for heading, a in anchors.items() if heading.startswith("Cost:"))
    count = next(a for heading, a in anchors.items() if heading.startswith("Complaints:"))
    percent = next(a for heading, a in anchors.items() if heading.startswith("Satisfaction:"))
    assert money == [0.0] and count == [0.0]  # £182 to £176 is no longer a full-height fall
    assert percent == [0.0, 100.0]
    # The axis reaches its anchors and the values, no further and no rounder.
    assert y_scale(plan) == {"zero": False, "nice": False}


def test_days_panel_starts_at_zero() -> None:
    rows = [
        {"kind": "Baseline", "value": 12.0, "unit": "Days"},
        {"kind": "Result", "value": 19.0, "unit": "Days"},
    ]
    assert axis_anchors(rows) == [0.0]


def test_score_panels_span_their_scale() -> None:
    plan = plan_case_chart(case("northbrook-valley-peer-employment-mentoring"))
    assert plan is not None
    anchors = panel_anchors(plan)
    confidence = next(a for h, a in anchors.items() if h.startswith("Self-confidence:"))
    wellbeing = next(a for h, a in anchors.items() if h.startswith("Wellbeing:"))
    assert confidence == [1.0, 5.0]  # a 1-5 score, not 2.4 to 3.3
    assert wellbeing == [0.0, 100.0]


def test_case_chart_words_name_only_what_is_drawn() -> None:
    compared = plan_case_chart(case("lowfield-homes-repairs-redesign"))
    targets = plan_case_chart(case("castlebrennan-youth-wellbeing-cafe"))
    assert compared is not None and targets is not None
    assert "hollow diamonds are the comparison group's baselines" in compared.description
    assert "a dashed line joins the comparison group's points" in compared.description
    assert "dotted line" not in compared.description  # it has no target
    assert "dotted line across a panel is its target" in targets.description
    assert "hollow squares" not in targets.description  # no baseline is drawn
    for plan in (compared, targets):
        assert "dashed lines targets" not in plan.description


def test_descriptions_are_plain_and_the_method_holds_the_technical_names() -> None:
    plans = {p.id: p for p in compare_plans(list(catalogue().cases))}
    direction = plans["effect-direction"]
    for name in ("k of m", "Wilson", "sign test"):
        assert name not in direction.description
        assert name in direction.method
    assert "Newcombe" in plans["forest"].method and "Newcombe" not in plans["forest"].description


def test_home_chart_counts_real_outcomes_in_the_certainty_words() -> None:
    cases = list(catalogue().cases)
    plan = plan_effects_chart(cases)
    assert plan is not None
    words = [row[0].lower() for row in plan.rows]
    assert words == [w for w in COUNT_ORDER if w in words]  # the rules' words, in their order
    real = [c for c in cases if not c.is_example]
    with_effect = sum(1 for c in real for f in c.figures.outcomes if f.effect is not None)
    assert sum(int(row[2]) for row in plan.rows) == with_effect
    examples = sum(1 for c in cases if c.is_example)
    assert f"{examples} illustrative examples are left out" in plan.example_note
    sentence = answer_sentence(cases)
    assert sentence.count(".") == 1 and f"{len(real)} real evaluations" in sentence
    assert "significan" not in (sentence + plan.description + plan.method).lower()


def test_home_chart_leaves_out_examples_entirely() -> None:
    examples = [c for c in catalogue().cases if c.is_example]
    assert plan_effects_chart(examples) is None
    assert answer_sentence(examples).startswith("None of the outcomes in 0 real evaluations")


@pytest.mark.parametrize("width", [40, 120, 300])
def test_wrapped_lines_fit_their_width_and_keep_every_word(width: int) -> None:
    text = "Line 7 passengers giving the line a mark of 7 or more out of 10 (%) Pneumonoultramicroscopic"
    lines = wrap_to(text, width)
    assert all(text_width(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_a_no_break_space_keeps_words_together() -> None:
    assert wrap_to("a Target\u00a070% (dotted\u00a0line)", 70) == [
        "a",
        "Target\u00a070%",
        "(dotted\u00a0line)",
    ]
