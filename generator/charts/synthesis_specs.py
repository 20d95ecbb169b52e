"""Build the specs of the compare page's outcome charts with Altair (drawn by ``render``).

Rows arrive ready to draw from ``synthesis_plans``; nothing is computed here but layout.
Case text travels as data values only, and rows are ordered by numeric fields, so no
case text enters a Vega expression. Nothing is told by colour alone: arrows point,
certainty has its own shape and fill, and every chart has a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt

from generator.charts.kit import (
    checked_once,
    finish,
    forest_marks,
    forest_rows,
    inline_data,
    lines_axis,
    range_marks,
    unique,
    whole_values,
    wrap_to,
)
from generator.charts.style import (
    BLUE,
    CELL,
    GREY,
    GRID,
    INK,
    MUTED,
    NARROW,
    PADDING,
    VERMILLION,
    Row,
    Spec,
)

# Arrows drawn in Vega's symbol box, -1 to 1 each way (an SVG path, no case text).
ARROW_UP = "M0,-1L0.85,0L0.3,0L0.3,1L-0.3,1L-0.3,0L-0.85,0Z"
ARROW_DOWN = "M0,1L0.85,0L0.3,0L0.3,-1L-0.3,-1L-0.3,0L-0.85,0Z"
ARROW_SIDEWAYS = "M-1,0L-0.45,-0.75L-0.45,-0.28L0.45,-0.28L0.45,-0.75L1,0L0.45,0.75L0.45,0.28L-0.45,0.28L-0.45,0.75Z"
ARROWS = {
    "Improved": "Up: improved",
    "Worsened": "Down: worsened",
    "Mixed": "Sideways: mixed or no change",
    "No change": "Sideways: mixed or no change",
}
ARROW_NAMES = ("Up: improved", "Down: worsened", "Sideways: mixed or no change")
ARROW_SHAPES = (ARROW_UP, ARROW_DOWN, ARROW_SIDEWAYS)
ARROW_COLOURS = (BLUE, VERMILLION, GREY)
HOLLOW = "n not recorded"
FILLED = "n recorded"
SIZES = ("under 50", "50 to 300", "over 300", "not recorded")
SIZE_AREAS = (70, 200, 420, 200)
COLUMN_STEP = 46
ROW_STEP = 36
LABEL_WIDTH = 220
CASE_LABEL_WIDTH = 190  # organisation names, two lines
LINE_HEIGHT = 14  # of a 12 px label line
SUMMARY_LINES = ("Cases improved", "Share improved", "95% range, %", "Sign test P")
FOREST_WIDTH = NARROW - 2 * PADDING - 14  # room for the last axis label's overhang
# Padding in pixels keeps circles at the ends (100% improved, say) inside the plot.
SCORE_SCALE = alt.Scale(domain=[1, 4], nice=False, padding=20)
SHARE_SCALE = alt.Scale(domain=[0, 100], nice=False, padding=20)
SPREAD = 0.15  # score units between circles at one place: about 12 px
SCATTER_WIDTH = NARROW - 2 * PADDING - 50  # beside the share's axis and its title


def _label_axis(width: int = LABEL_WIDTH, **kwargs: Any) -> alt.Axis:
    """Return a left axis of fixed width, so stacked panels line up."""
    return alt.Axis(labelLimit=width, minExtent=width, maxExtent=width, **kwargs)


# a. Effect direction plot


@dataclass(frozen=True)
class _Layout:
    """How an effect direction plot is laid out: wide, or narrow enough for a phone."""

    column_step: int
    label_width: int
    column_angle: int
    per_block: int  # columns in one block; a panel with more is split into blocks


WIDE_LAYOUT = _Layout(COLUMN_STEP, CASE_LABEL_WIDTH, -40, 1000)
NARROW_COLUMN_STEP = 40
NARROW_LABEL_WIDTH = 120
NARROW_LAYOUT = _Layout(
    NARROW_COLUMN_STEP,
    NARROW_LABEL_WIDTH,
    -90,
    (NARROW - 2 * PADDING - NARROW_LABEL_WIDTH - 8) // NARROW_COLUMN_STEP,
)


@checked_once
def effect_direction_spec(cells: list[Row], tallies: list[Row], narrow: bool = False) -> Spec:
    """Return the effect direction plot: a block per panel, a strip per design, totals below.

    ``cells`` hold panel, design, rank, case, domain, direction, size and known; ``tallies``
    hold panel, domain and the four texts written under each column. ``narrow`` splits a
    panel's columns into blocks that fit NARROW, each with only the cases it has arrows for.
    """
    layout = NARROW_LAYOUT if narrow else WIDE_LAYOUT
    panels = unique([*(row["panel"] for row in tallies), *(row["panel"] for row in cells)])
    blocks = []
    for panel in panels:
        columns = [row["domain"] for row in tallies if row["panel"] == panel]
        parts = [
            columns[n : n + layout.per_block] for n in range(0, len(columns), layout.per_block)
        ]
        for n, part in enumerate(parts or [[]]):
            title = panel if len(parts) < 2 else f"{panel} ({n + 1} of {len(parts)})"
            blocks.append(
                _direction_block(
                    title,
                    [row for row in cells if row["panel"] == panel and row["domain"] in part],
                    [row for row in tallies if row["panel"] == panel and row["domain"] in part],
                    layout,
                )
            )
    chart = alt.vconcat(*blocks, spacing=30).resolve_scale(
        x="independent", shape="shared", size="shared", stroke="shared"
    )
    return finish(chart, legend_orient="bottom", stack_legends=narrow)


def _direction_block(
    panel: str, cells: list[Row], tallies: list[Row], layout: _Layout
) -> alt.VConcatChart:
    """Return one panel: its title, a strip of rows per design, and the column totals."""
    columns = [row["domain"] for row in tallies]
    designs = unique(row["design"] for row in sorted(cells, key=lambda r: r["rank"]))
    strips = [
        _design_strip(
            [row for row in cells if row["design"] == design], columns, design, n == 0, layout
        )
        for n, design in enumerate(designs)
    ]
    block = alt.vconcat(*strips, _totals(tallies, columns, layout), spacing=6)
    heading = wrap_to(panel, NARROW - 2 * PADDING, 14, bold=True)
    title = alt.TitleParams(heading, anchor="start", fontSize=14, fontWeight="bold", dy=-4)
    shared: alt.VConcatChart = block.properties(title=title).resolve_scale(x="shared")
    return shared


def _case_label(case: str, width: int) -> str:
    """Return a case's label lines, each wrapped to the label width."""
    return "\n".join(line for part in case.split("\n") for line in wrap_to(part, width))


def _design_strip(
    cells: list[Row], columns: list[str], design: str, top: bool, layout: _Layout
) -> alt.Chart:
    """Return one design's cases: a light grid of case by domain, an arrow where it has one.

    The grid is the view's fill and the axes' grid lines, not a mark per cell: at 1,000
    cases a rectangle per cell made the spec 1.4 MB.
    """
    cases = unique(row["case"] for row in cells)
    labels = {case: _case_label(case, layout.label_width - 6) for case in cases}
    lines = max((label.count("\n") + 1 for label in labels.values()), default=1)
    grid: dict[str, Any] = {
        "grid": True,
        "gridColor": GRID,
        "tickBand": "extent",
        "domain": False,
        "ticks": False,
    }
    axis = (
        alt.Axis(orient="top", labelAngle=layout.column_angle, labelLimit=0, **grid)
        if top
        else alt.Axis(labels=False, **grid)
    )
    x = alt.X("domain:N", sort=columns, scale=alt.Scale(domain=columns), title=None, axis=axis)
    # Rows keep the plan's order (designs strongest first, then titles) through a number.
    order = {case: n for n, case in enumerate(cases)}
    y = alt.Y(
        "label:N",
        sort=alt.EncodingSortField("order", op="min"),
        title=None,
        axis=lines_axis(
            LINE_HEIGHT,
            minExtent=layout.label_width,
            maxExtent=layout.label_width,
            labelPadding=6,
            **grid,
        ),
    )
    arrow_rows = [
        {**_arrow_row(row, order[row["case"]]), "label": labels[row["case"]]} for row in cells
    ]
    heading = alt.TitleParams(
        wrap_to(design, NARROW - 2 * PADDING),
        anchor="start",
        fontSize=12,
        fontWeight="bold",
        color=MUTED,
    )
    strip: alt.Chart = (
        alt.Chart(inline_data(arrow_rows))
        .mark_point(filled=True, opacity=1, strokeWidth=1.5)
        .encode(x=x, y=y, **_arrow_marks())
        .properties(
            width={"step": layout.column_step},
            height={"step": max(ROW_STEP, LINE_HEIGHT * lines + 8)},
            title=heading,
            view=alt.ViewBackground(fill=CELL, stroke=GRID),
        )
    )
    return strip


def _arrow_row(row: Row, order: int) -> Row:
    """Return an arrow's fields: where, which way, how big, and its tooltip text."""
    keys = ("case", "domain", "design", "direction", "size", "known", "outcomes", "n")
    arrow = ARROWS[row["direction"]]
    fill = FILLED if row["known"] else HOLLOW
    return {**{key: row[key] for key in keys}, "arrow": arrow, "fill": fill, "order": order}


def _arrow_marks() -> dict[str, Any]:
    """Return the arrow's shape and colour by direction, size by n, hollow when n is unknown."""
    legend = alt.Legend(title="Direction", orient="bottom", direction="vertical")
    colours = alt.Scale(domain=list(ARROW_NAMES), range=list(ARROW_COLOURS))
    size_legend = alt.Legend(
        title=["Arrow size: largest n", "(hollow: n not recorded)"],
        values=list(SIZES[:3]),
        symbolType=ARROW_UP,
        symbolFillColor=GREY,
        symbolStrokeColor=GREY,
        orient="bottom",
        direction="vertical",
    )
    return {
        "shape": alt.Shape(
            "arrow:N",
            scale=alt.Scale(domain=list(ARROW_NAMES), range=list(ARROW_SHAPES)),
            legend=legend,
        ),
        "stroke": alt.Stroke("arrow:N", scale=colours, legend=legend),
        "fill": alt.Fill("arrow:N", scale=colours, legend=legend),
        # Hollow where n is unknown: a field of its own, so no expression is needed.
        "fillOpacity": alt.FillOpacity(
            "fill:N", scale=alt.Scale(domain=[FILLED, HOLLOW], range=[1, 0]), legend=None
        ),
        "size": alt.Size(
            "size:N",
            scale=alt.Scale(domain=list(SIZES), range=list(SIZE_AREAS)),
            legend=size_legend,
        ),
        "tooltip": [
            alt.Tooltip("case:N", title="Case"),
            alt.Tooltip("domain:N", title="Outcome domain"),
            alt.Tooltip("direction:N", title="Direction"),
            alt.Tooltip("outcomes:N", title="Outcomes"),
            alt.Tooltip("n:N", title="Largest n"),
        ],
    }


def _totals(tallies: list[Row], columns: list[str], layout: _Layout) -> alt.Chart:
    """Return the figures under each column: k of m, share, its range and the sign test."""
    keys = dict(zip(SUMMARY_LINES, ("improved", "share", "range", "p"), strict=True))
    rows = [
        # The line's label says "Sign test P", so each column shows the number alone.
        {
            "domain": row["domain"],
            "line": line,
            "order": n,
            "text": str(row[key]).removeprefix("P = "),
        }
        for row in tallies
        for n, (line, key) in enumerate(keys.items())
    ]
    x = alt.X("domain:N", sort=columns, scale=alt.Scale(domain=columns), title=None, axis=None)
    y = alt.Y(
        "line:N",
        sort=list(SUMMARY_LINES),
        title=None,
        axis=_label_axis(layout.label_width, domain=False, ticks=False, labelFontWeight="bold"),
    )
    totals: alt.Chart = (
        alt.Chart(inline_data(rows))
        .mark_text(color=INK, fontSize=11)
        .encode(x=x, y=y, text="text:N")
        .properties(width={"step": layout.column_step}, height={"step": 18})
    )
    return totals


# b. Forest plot


@checked_once
def forest_spec(rows: list[Row]) -> Spec:
    """Return a panel per domain: each outcome's point and 95% range, improvement to the right.

    Rows hold domain, order, case, measure, kind, value, low, high and certainty. A row
    without a range (``low`` None) draws its point only. Certainty is told by shape and fill.
    Each row's words stand above its line, across the plot, so the drawing fits NARROW; a
    short upright mark at 0 on every row shows no change without crossing the words.
    """
    domains = unique(row["domain"] for row in sorted(rows, key=lambda r: r["order"]))
    texts, step, below = forest_rows([_forest_text(row) for row in rows])
    data = [
        {**row, "row": _forest_label(row), "text": text}
        for row, text in zip(rows, texts, strict=True)
    ]
    y = alt.Y("row:N", sort=alt.EncodingSortField("order", op="min"), title=None, axis=None)
    signed = "datum.value == 0 ? 'No change' : (datum.value > 0 ? '+' : '') + datum.label"
    x = alt.X(
        "value:Q",
        title=["Worse  \u2190  percentage points  \u2192  Better"],
        axis=alt.Axis(labelExpr=signed, tickCount=5, grid=True, labelOverlap=True),
        scale=alt.Scale(nice=True),
    )
    words, ranges, points = forest_marks(step, below)
    zero = alt.Chart().mark_tick(
        color=INK, thickness=1.5, size=18, orient="vertical", yOffset=below
    )
    header = alt.Header(
        labelAnchor="start",
        labelOrient="top",
        labelFontWeight="bold",
        labelFontSize=13,
        labelAngle=0,
    )
    facet = alt.Row("domain:N", sort=domains, title=None, header=header)
    chart = (
        alt.layer(
            words.encode(x=alt.value(0), y=y, text="text:N"),
            zero.encode(x=alt.datum(0), y=y),
            ranges.encode(x=alt.X("low:Q"), x2="high:Q", y=y),
            points.encode(x=x, y=y, **_certainty_marks()),
            data=inline_data(data),
        )
        .properties(width=FOREST_WIDTH, height={"step": step})
        .facet(row=facet, spacing=16)
        .resolve_scale(y="independent")
    )
    return finish(chart, legend_orient="top", stack_legends=True)


def _forest_label(row: Row) -> str:
    """Return a row's label lines: organisation; year, example and effect; the measure."""
    effect = ", effect vs comparison" if row["kind"].startswith("Effect") else ""
    return f"{row['case']}\n{row['when']}{effect}\n{row['measure']}"


def _forest_text(row: Row) -> list[str]:
    """Return the lines above a row's line: who and when, then the measure, wrapped."""
    effect = ", effect vs comparison" if row["kind"].startswith("Effect") else ""
    who = wrap_to(f"{row['case']}, {row['when']}{effect}", FOREST_WIDTH)
    return [*who, *wrap_to(row["measure"], FOREST_WIDTH)]


def _certainty_marks() -> dict[str, Any]:
    """Return shape and fill by certainty: filled circle, hollow circle, hollow diamond."""
    return range_marks(
        [
            alt.Tooltip("case:N", title="Case"),
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("kind:N", title="Figure"),
            alt.Tooltip("value:Q", title="Points (improvement positive)", format="+.1f"),
            alt.Tooltip("low:Q", title="95% range from", format="+.1f"),
            alt.Tooltip("high:Q", title="95% range to", format="+.1f"),
            alt.Tooltip("certainty:N", title="95% range"),
        ]
    )


# c. Principles score against service outcomes


@checked_once
def principles_services_spec(rows: list[Row]) -> Spec:
    """Return a circle per case: principles score across, share of service outcomes improved up.

    Circles at the same place are moved apart across by a small step (``spread``); the
    tooltip and the table keep the exact score.
    """
    data = [{**row, "spread": spread} for row, spread in zip(rows, _spread(rows), strict=True)]
    x = alt.X(
        "spread:Q",
        title="Principles score (1 to 4)",
        scale=SCORE_SCALE,
        axis=alt.Axis(values=[1, 1.5, 2, 2.5, 3, 3.5, 4], format=".1f"),
    )
    y = alt.Y(
        "share:Q",
        title="Service outcomes improved (%)",
        scale=SHARE_SCALE,
        axis=alt.Axis(values=[0, 25, 50, 75, 100]),
    )
    guides = alt.Chart(inline_data([{"x": 3, "y": 50}]))
    marks = (
        alt.Chart(inline_data(data))
        .mark_circle(color=BLUE, fillOpacity=0.3, stroke=BLUE, strokeWidth=2)
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "outcomes:Q",
                scale=alt.Scale(zero=True, rangeMin=0, rangeMax=320),
                legend=alt.Legend(
                    title="Service outcomes", values=whole_values(rows, "outcomes"), format="d"
                ),
            ),
            tooltip=[
                alt.Tooltip("case:N", title="Case"),
                alt.Tooltip("score:Q", title="Principles score", format=".2f"),
                alt.Tooltip("improved:Q", title="Improved"),
                alt.Tooltip("outcomes:Q", title="Service outcomes"),
                alt.Tooltip("clear:Q", title="Improved, range leaving out no change"),
            ],
        )
    )
    chart = alt.layer(
        guides.mark_rule(color=MUTED, strokeDash=[4, 4]).encode(x=alt.X("x:Q", scale=SCORE_SCALE)),
        guides.mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y=alt.Y("y:Q", scale=SHARE_SCALE)),
        marks,
    ).properties(width=SCATTER_WIDTH, height=260)
    return finish(chart, legend_orient="bottom")


def _spread(rows: list[Row]) -> list[float]:
    """Return each row's score, moved across by SPREAD for every earlier row at the same place."""
    seen: dict[tuple[float, float], int] = {}
    spread = []
    for row in rows:
        place = (float(row["score"]), float(row["share"]))
        n = seen.get(place, 0)
        seen[place] = n + 1
        # 0, +1, -1, +2, -2...: a pile stays centred on the true score.
        step = (n + 1) // 2 * (1 if n % 2 else -1)
        spread.append(round(place[0] + SPREAD * step, 3))
    return spread
