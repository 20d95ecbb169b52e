"""The like-for-like forest plot: a plan per shared instrument, drawn, with its pooled diamond."""

from __future__ import annotations

from generator.charts.instrument_plans import EXAMPLE_GROUP, instrument_plans
from generator.charts.render import render_svg
from tests.figures.test_pooling import with_se


def test_a_shared_instrument_gets_a_forest_with_its_pooled_estimate_and_examples_apart() -> None:
    cases = [
        with_se("a", 2.0, 0.5),
        with_se("b", 3.0, 0.6),
        with_se("c", 1.0, 0.4),
        with_se("x", 9.0, 1.0, status="example"),
    ]
    (plan,) = instrument_plans(cases)
    assert plan.id == "instrument-qpr-15"
    assert "Pooled over 3 randomised comparisons" in plan.description
    assert "1.9 points, 95% interval 0.81 to 3.1" in plan.description
    assert "\u221211 to 15 (95% prediction interval)" in plan.description
    assert "grey marks on each side are the smallest change that matters" in plan.description
    assert "I-squared 75%" in plan.method and "DerSimonian-Laird" in plan.method
    (pooled,) = plan.summary_rows
    assert pooled[:2] == ("Randomised comparisons", "3") and pooled[6] == "75.3%"
    groups = {row.get("group") for rows in plan.spec["datasets"].values() for row in rows}
    assert EXAMPLE_GROUP in groups
    svg = render_svg(plan.spec)
    assert svg.startswith("<svg") and "Pooled, randomised comparisons" in svg
    words = " ".join([plan.description, plan.method, *(" ".join(r) for r in plan.rows)]).lower()
    assert "significan" not in words


def test_an_instrument_used_by_one_case_gets_no_forest() -> None:
    assert instrument_plans([with_se("a", 2.0, 0.5)]) == []
