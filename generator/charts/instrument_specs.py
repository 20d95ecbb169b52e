"""The spec of a forest plot per validated instrument: each case's effect in the instrument's units,
the minimal important difference where a source gives one, and the pooled estimate as a diamond
with its prediction interval as a line. Rows arrive ready to draw from ``instrument_plans``."""

from __future__ import annotations

from typing import Any

import altair as alt

from generator.charts.kit import (
    checked_once,
    finish,
    forest_marks,
    forest_rows,
    inline_data,
    range_marks,
    unique,
    wrap_to,
)
from generator.charts.style import (
    GREY,
    INK,
    MUTED,
    NARROW,
    PADDING,
    VERMILLION,
    Row,
    Spec,
)

WIDTH = NARROW - 2 * PADDING - 14  # room for the last axis label's overhang
DIAMOND_HEIGHT = 40


@checked_once
def instrument_forest_spec(
    rows: list[Row], pooled: list[Row], mid: float | None, unit_title: str
) -> Spec:
    """Return the forest plot: one panel per group of cases, then one per pooled estimate.

    ``rows`` hold group, order, label, value, low, high and certainty; ``pooled`` rows hold
    label, estimate, low, high, pi_low and pi_high. Values are in the instrument's own units.
    """
    values = [v for r in rows for v in (r["value"], r.get("low"), r.get("high")) if v is not None]
    values += [v for p in pooled for v in (p["pi_low"], p["pi_high"])]
    values += [0.0] + ([mid, -mid] if mid else [])
    domain = [min(values), max(values)]
    x_scale = alt.Scale(domain=domain, nice=True)
    panels = [
        _cases_panel(group, [r for r in rows if r["group"] == group], x_scale, mid, unit_title)
        for group in unique(r["group"] for r in sorted(rows, key=lambda r: r["order"]))
    ]
    panels += [_pooled_panel(p, x_scale, unit_title) for p in pooled]
    return finish(
        alt.vconcat(*panels, spacing=18).resolve_scale(x="shared"),
        legend_orient="top",
        stack_legends=True,
    )


def _guides(x_scale: alt.Scale, mid: float | None) -> list[alt.Chart]:
    """Return the line at no change and, where known, the minimal important difference."""
    zero = alt.Chart(inline_data([{"x": 0}])).mark_rule(color=INK, strokeWidth=1.5)
    guides = [zero.encode(x=alt.X("x:Q", scale=x_scale))]
    if mid:
        marks = [{"x": mid}, {"x": -mid}]
        guides.append(
            alt.Chart(inline_data(marks))
            .mark_rule(color=MUTED, strokeDash=[4, 3])
            .encode(x=alt.X("x:Q", scale=x_scale))
        )
    return guides


def _cases_panel(
    group: str, rows: list[Row], x_scale: alt.Scale, mid: float | None, unit_title: str
) -> alt.LayerChart:
    """Return one group's cases: a point and a 95% range each, certainty by shape and fill.

    Each case's name stands above its line, across the plot, so the drawing fits NARROW.
    """
    texts, step, below = forest_rows(
        [wrap_to(row["label"].replace("\n", ", "), WIDTH) for row in rows]
    )
    data = inline_data([{**row, "text": text} for row, text in zip(rows, texts, strict=True)])
    y = alt.Y("label:N", sort=alt.EncodingSortField("order", op="min"), title=None, axis=None)
    x = alt.X("value:Q", title=_title_lines(unit_title), scale=x_scale)
    words, ranges, points = forest_marks(step, below, data)
    words = words.encode(x=alt.value(0), y=y, text="text:N")
    ranges = ranges.encode(x=alt.X("low:Q", scale=x_scale), x2="high:Q", y=y)
    points = points.encode(x=x, y=y, **_certainty_marks())
    heading = alt.TitleParams(wrap_to(group, WIDTH, bold=True), anchor="start", fontWeight="bold")
    guides = _row_guides(rows, x_scale, mid, y, below)
    layered: alt.LayerChart = alt.layer(*guides, words, ranges, points).properties(
        width=WIDTH, height={"step": step}, title=heading
    )
    return layered


def _row_guides(
    rows: list[Row], x_scale: alt.Scale, mid: float | None, y: alt.Y, below: int
) -> list[alt.Chart]:
    """Return, on each case's line, a short mark at no change and at the minimal important
    difference each way: lines the height of the panel would cross the cases' names."""
    marks: list[tuple[float, str, list[int]]] = [(0.0, INK, [])] + (
        [(mid, MUTED, [4, 3]), (-mid, MUTED, [4, 3])] if mid else []
    )
    return [
        alt.Chart(
            inline_data([{"label": row["label"], "order": row["order"], "x": at} for row in rows])
        )
        .mark_tick(
            color=colour, thickness=1.5, size=18, orient="vertical", yOffset=below, strokeDash=dash
        )
        .encode(x=alt.X("x:Q", scale=x_scale), y=y)
        for at, colour, dash in marks
    ]


def _title_lines(title: str) -> list[str]:
    """Return an axis title as lines that fit the plot."""
    return wrap_to(title, WIDTH, bold=True)


def _pooled_panel(pooled: Row, x_scale: alt.Scale, unit_title: str) -> alt.LayerChart:
    """Return a pooled estimate: a diamond across its 95% interval, its prediction interval a line."""
    centre, half = 0.5, 0.4
    diamond = [
        {"x": pooled["low"], "top": centre, "bottom": centre},
        {"x": pooled["estimate"], "top": centre + half, "bottom": centre - half},
        {"x": pooled["high"], "top": centre, "bottom": centre},
    ]
    y_scale = alt.Scale(domain=[0, 1])
    shape = (
        alt.Chart(inline_data(diamond))
        .mark_area(color=VERMILLION, opacity=0.9, line={"color": INK, "strokeWidth": 1})
        .encode(
            x=alt.X("x:Q", scale=x_scale, title=_title_lines(unit_title)),
            y=alt.Y("top:Q", scale=y_scale, axis=None),
            y2="bottom:Q",
        )
    )
    line = (
        alt.Chart(inline_data([{"low": pooled["pi_low"], "high": pooled["pi_high"], "y": centre}]))
        .mark_rule(color=GREY, strokeWidth=2, strokeDash=[6, 3])
        .encode(
            x=alt.X("low:Q", scale=x_scale), x2="high:Q", y=alt.Y("y:Q", scale=y_scale, axis=None)
        )
    )
    zero = alt.Chart(inline_data([{"x": 0}])).mark_rule(color=INK, strokeWidth=1.5)
    heading = alt.TitleParams(
        wrap_to(pooled["label"], WIDTH, bold=True), anchor="start", fontWeight="bold"
    )
    layered: alt.LayerChart = alt.layer(
        zero.encode(x=alt.X("x:Q", scale=x_scale)), line, shape
    ).properties(width=WIDTH, height=DIAMOND_HEIGHT, title=heading)
    return layered


def _certainty_marks() -> dict[str, Any]:
    """Return shape and fill by whether the range leaves out no change (as the forest plot)."""
    return range_marks(
        [
            alt.Tooltip("label:N", title="Case"),
            alt.Tooltip("value:Q", title="Effect", format="+.2f"),
            alt.Tooltip("low:Q", title="95% range from", format="+.2f"),
            alt.Tooltip("high:Q", title="95% range to", format="+.2f"),
            alt.Tooltip("certainty:N", title="95% range"),
        ]
    )
