"""The specs of the compare page's case-count charts: evidence map, principles, methods, years.

The evidence map and cases over time are drawn twice, wide and ``narrow`` (see style.NARROW);
principles and methods are drawn once, narrow enough for a phone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import altair as alt

from generator.charts.kit import (
    checked_once,
    finish,
    group,
    inline_data,
    lines_axis,
    text_width,
    unique,
    whole_values,
    wrap_to,
)
from generator.charts.style import (
    BLUE,
    CELL,
    DARK_BLUE,
    GRID,
    INK,
    KIND_TITLES,
    MUTED,
    NARROW,
    PADDING,
    RATING_COLOURS,
    RATINGS,
    STRENGTH_SHADES,
    WIDE,
    Row,
    Spec,
)

MATRIX_STEP = 30  # a narrow dot matrix's columns, labelled upright
ROW_STEP = 44  # a dot matrix's rows: a circle and its number
LABEL_GAP = 12  # between a row's label and the first column
ALL_AREAS = "All areas"


@dataclass(frozen=True)
class _Axes:
    """A dot matrix's rows (field and values, labelled on the left) and columns (on top)."""

    rows: str
    row_values: list[str]
    columns: str
    column_values: list[str]


@checked_once
def evidence_map_spec(rows: list[Row], narrow: bool = False) -> Spec:
    """Return the evidence map: service area by outcome domain, a circle per filled cell.

    Circle area is the number of cases; mean evidence strength is written under the
    circle (``strength_label``) and shades it, so it never rests on colour alone. Every
    area-domain pair gets a light cell, so pairs without cases show as gaps. Areas and
    domains keep the order they first appear in. Wide, domains are columns; ``narrow``,
    areas are, a few at a time, so that the drawing fits NARROW.
    """
    domains = unique(row["domain"] for row in rows)
    areas = unique(row["area"] for row in rows)
    keys = ("area", "domain", "cases", "strength", "strength_label")
    filled = [{key: row[key] for key in keys} for row in rows if row["cases"] > 0]
    shade = alt.Color(
        "strength:Q",
        scale=alt.Scale(domain=[1, 5], range=list(STRENGTH_SHADES)),
        legend=alt.Legend(
            title=["Mean evidence strength, 1 to 5", "(the number under each circle)"],
            gradientLength=160,
        ),
    )
    if narrow:
        axes = [_Axes("domain", domains, "area", block) for block in _blocks(areas, domains)]
    else:
        axes = [_Axes("area", areas, "domain", domains)]
    step = MATRIX_STEP if narrow else _wide_step(domains, areas)
    blocks = [_matrix(a, filled, shade, "strength_label:N", step) for a in axes]
    chart = blocks[0] if len(blocks) == 1 else alt.vconcat(*blocks, spacing=20)
    return finish(chart, legend_orient="bottom", stack_legends=narrow)


def _wide_step(columns: list[str], rows: list[str]) -> int:
    """Return the column width that fits a wide dot matrix in WIDE beside its row labels."""
    room = WIDE - 2 * PADDING - _label_width(rows) - LABEL_GAP
    return max(22, min(64, int(room // max(len(columns), 1))))


def _label_width(labels: Iterable[str]) -> float:
    """Return the width of the longest label."""
    return max((text_width(label) for label in labels), default=0.0)


def _blocks(columns: list[str], rows: list[str], step: int = 0) -> list[list[str]]:
    """Split columns into blocks that each fit NARROW beside the rows' labels."""
    room = NARROW - 2 * PADDING - _label_width(rows) - LABEL_GAP
    per_block = max(1, int(room // (step or MATRIX_STEP)))
    return [columns[n : n + per_block] for n in range(0, len(columns), per_block)] or [[]]


def _matrix(axes: _Axes, filled: list[Row], shade: Any, label: str, step: int) -> alt.LayerChart:
    """Return a dot matrix: light cells, a circle sized by cases in each filled one, a label."""
    rows, columns = axes.row_values, axes.column_values
    x = alt.X(
        f"{axes.columns}:N",
        sort=columns,
        scale=alt.Scale(domain=columns),
        title=None,
        axis=_column_axis(step, columns),
    )
    y = alt.Y(
        f"{axes.rows}:N",
        sort=rows,
        scale=alt.Scale(domain=rows),
        title=None,
        axis=alt.Axis(labelLimit=0, labelPadding=LABEL_GAP - 4),
    )
    cells = [{axes.rows: r, axes.columns: c} for r in rows for c in columns]
    shown = [row for row in filled if row[axes.columns] in columns and row[axes.rows] in rows]
    layers = _dot_matrix(cells, shown, (x, y), shade, label, step)
    matrix: alt.LayerChart = alt.layer(*layers).properties(
        width={"step": step}, height={"step": ROW_STEP}
    )
    return matrix


def _column_axis(step: int, columns: list[str]) -> alt.Axis:
    """Return a band axis on top: labels across where they fit their column, else turned."""
    fits = all(text_width(c) <= step - 4 for c in columns)
    angle = 0 if fits else (-40 if step >= 40 else -90)
    return alt.Axis(
        labelAngle=angle, labelLimit=0, orient="top", domain=False, ticks=False, labelPadding=4
    )


def _dot_matrix(
    cells: list[Row],
    filled: list[Row],
    xy: tuple[alt.X, alt.Y],
    shade: Any,
    label: str,
    step: int = 64,
) -> list[alt.Chart]:
    """Return a grid of light cells, a circle sized by cases in each filled one, a label."""
    x, y = xy
    grid = alt.Chart(inline_data(cells)).mark_rect(fill=CELL, stroke=GRID).encode(x=x, y=y)
    # Legend entries are whole counts that occur: Vega's own ticks for 1 to 1.5 read "1", "1".
    legend = alt.Legend(
        title="Number of cases",
        symbolFillColor=CELL,
        values=whole_values(filled, "cases"),
        format="d",
    )
    # The largest circle fills most of its cell, however narrow the cell.
    biggest = min(700, int(0.55 * (step - 4) ** 2))
    size = alt.Size(
        "cases:Q", scale=alt.Scale(zero=True, rangeMin=0, rangeMax=biggest), legend=legend
    )
    base = alt.Chart(inline_data(filled)).encode(x=x, y=y)
    circles = base.mark_circle(opacity=1, stroke=DARK_BLUE, strokeWidth=1, yOffset=-7)
    text = base.mark_text(yOffset=13, color=INK)
    tooltip = [x.shorthand, y.shorthand, "cases:Q", label]
    return [grid, circles.encode(size=size, color=shade, tooltip=tooltip), text.encode(text=label)]


@checked_once
def principles_spec(rows: list[Row]) -> Spec:
    """Return how many cases meet each principle: a block per principle, a bar per rating.

    Every principle gets every rating, 0 where no row gives one, so each count is shown;
    Unknown comes last, in grey. Ratings are named beside their bars, never told by colour.
    """
    principles = unique(row["principle"] for row in rows)
    extra = [r for r in unique(row["rating"] for row in rows) if r not in RATINGS]
    ratings = [*RATINGS, *extra]
    counts = {(row["principle"], row["rating"]): int(row["cases"]) for row in rows}
    data = [
        {"principle": p, "rating": r, "cases": counts.get((p, r), 0)}
        for p in principles
        for r in ratings
    ]
    label_width = _label_width(ratings) + 6
    y = alt.Y(
        "rating:N",
        sort=ratings,
        title=None,
        axis=alt.Axis(labelLimit=0, minExtent=label_width, maxExtent=label_width),
    )
    x = alt.X("cases:Q", title=None, axis=None, scale=alt.Scale(nice=False))
    colour = alt.Color(
        "rating:N", scale=alt.Scale(domain=list(RATINGS), range=list(RATING_COLOURS)), legend=None
    )
    zero = alt.Chart().mark_rule(color=MUTED).encode(x=alt.value(0))
    bars = alt.Chart().mark_bar(height={"band": 0.7}).encode(x=x, y=y, color=colour)
    labels = alt.Chart().mark_text(align="left", dx=4, color=INK).encode(x=x, y=y, text="cases:Q")
    header = alt.Header(
        labelFontWeight="bold", labelAnchor="start", labelOrient="top", labelAngle=0
    )
    facet = alt.Row("principle:N", sort=principles, title=None, header=header)
    width = NARROW - 2 * PADDING - label_width - 30  # room for the count after the longest bar
    chart = alt.layer(zero, bars, labels, data=inline_data(data))
    return finish(chart.properties(width=width, height={"step": 22}).facet(row=facet, spacing=16))


@checked_once
def methods_spec(rows: list[Row]) -> Spec:
    """Return how many cases used each design, method and evaluator, a panel per kind."""
    groups = dict(group(rows, "kind"))
    kinds = [kind for kind in unique([*KIND_TITLES, *groups]) if kind in groups]
    panels = [_count_bars(groups[kind], KIND_TITLES.get(kind, kind)) for kind in kinds]
    return finish(alt.vconcat(*panels, spacing=24).resolve_scale(x="shared"))


METHOD_LABEL_WIDTH = 150
METHOD_BARS = NARROW - 2 * PADDING - METHOD_LABEL_WIDTH - 8 - 30


def _count_bars(rows: list[Row], title: str) -> alt.LayerChart:
    """Return labelled horizontal bars, most cases first; long labels wrap onto more lines."""
    ordered = sorted(rows, key=lambda row: (-int(row["cases"]), str(row["label"])))
    data = [
        {
            "label": row["label"],
            "lines": "\n".join(wrap_to(str(row["label"]), METHOD_LABEL_WIDTH)),
            "cases": row["cases"],
        }
        for row in ordered
    ]
    lines = max((row["lines"].count("\n") + 1 for row in data), default=1)
    # One label width in every panel, so the panels' bars and titles line up.
    axis = lines_axis(minExtent=METHOD_LABEL_WIDTH, maxExtent=METHOD_LABEL_WIDTH)
    y = alt.Y("lines:N", sort=[row["lines"] for row in data], title=None, axis=axis)
    base = alt.Chart(inline_data(data)).encode(x=alt.X("cases:Q", title=None, axis=None), y=y)
    bars = base.mark_bar(color=BLUE, height={"band": 0.7})
    text = base.mark_text(align="left", dx=4, color=INK).encode(text="cases:Q")
    heading = alt.TitleParams(wrap_to(f"{title} (number of cases)", NARROW - 24), anchor="start")
    panel: alt.LayerChart = alt.layer(bars, text).properties(
        width=METHOD_BARS, height={"step": max(26, 14 * lines + 6)}, title=heading
    )
    return panel


@checked_once
def over_time_spec(rows: list[Row], narrow: bool = False) -> Spec:
    """Return cases by year: all cases each year, then circles for each area.

    Areas are told apart by position and name, not colour. Every year from the first to
    the last gets its place, so years without cases show as gaps. Wide, years are columns,
    under numbered bars of all cases; ``narrow``, years are rows, and the first column
    counts all areas.
    """
    years = [str(year) for year in _year_range(int(row["year"]) for row in rows)]
    areas = unique(row["area"] for row in rows)
    data = [
        {"area": row["area"], "year": str(row["year"]), "cases": row["cases"]}
        for row in rows
        if row["cases"] > 0
    ]
    if narrow:
        blocks = [
            _years_down(years, block, data) for block in _blocks([ALL_AREAS, *areas], years, 24)
        ]
        chart: Any = blocks[0] if len(blocks) == 1 else alt.vconcat(*blocks, spacing=20)
        return finish(chart, legend_orient="bottom", stack_legends=True)
    step = _wide_step(years, areas)
    x = alt.X("year:O", sort=years, scale=alt.Scale(domain=years), title=None)
    angle = 0 if text_width("0000") <= step - 4 else -90
    x_top = x.axis(orient="top", labelAngle=angle, domain=False, ticks=False)
    y = alt.Y("area:N", sort=areas, title=None, axis=alt.Axis(labelLimit=0))
    cells = [{"area": area, "year": year} for area in areas for year in years]
    matrix = alt.layer(*_dot_matrix(cells, data, (x_top, y), alt.value(BLUE), "cases:Q", step))
    chart = alt.vconcat(
        _year_totals(data, years, x.axis(None)).properties(width={"step": step}, height=90),
        matrix.properties(width={"step": step}, height={"step": ROW_STEP}),
        spacing=12,
    )
    return finish(chart.resolve_scale(x="shared"), legend_orient="bottom")


def _years_down(years: list[str], columns: list[str], rows: list[Row]) -> alt.LayerChart:
    """Return a narrow block: a row per year, the number of all cases, a circle per area."""
    step = 24
    x = alt.X(
        "area:N",
        sort=columns,
        scale=alt.Scale(domain=columns),
        title=None,
        axis=_column_axis(step, columns),
    )
    y = alt.Y("year:O", sort=years, scale=alt.Scale(domain=years), title=None)
    cells = [{"year": year, "area": area} for year in years for area in columns]
    grid = alt.Chart(inline_data(cells)).mark_rect(fill=CELL, stroke=GRID).encode(x=x, y=y)
    layers = [grid]
    if ALL_AREAS in columns:
        totals = [
            {"year": y_, "area": ALL_AREAS, "cases": n} for y_, n in _totals(rows, years).items()
        ]
        layers.append(
            alt.Chart(inline_data(totals))
            .mark_text(color=INK, fontWeight="bold")
            .encode(x=x, y=y, text="cases:Q")
        )
    shown = [row for row in rows if row["area"] in columns]
    legend = alt.Legend(title="Number of cases", values=whole_values(shown, "cases"), format="d")
    size = alt.Size("cases:Q", scale=alt.Scale(zero=True, rangeMin=0, rangeMax=220), legend=legend)
    layers.append(
        alt.Chart(inline_data(shown))
        .mark_circle(opacity=1, color=BLUE, stroke=DARK_BLUE, strokeWidth=1)
        .encode(x=x, y=y, size=size, tooltip=["year:O", "area:N", "cases:Q"])
    )
    block: alt.LayerChart = alt.layer(*layers).properties(width={"step": step}, height={"step": 26})
    return block


def _totals(rows: list[Row], years: list[str]) -> dict[str, int]:
    """Return the cases of all areas in each year, 0 included."""
    totals = dict.fromkeys(years, 0)
    for row in rows:
        totals[row["year"]] += int(row["cases"])
    return totals


def _year_totals(rows: list[Row], years: list[str], x: alt.X) -> alt.LayerChart:
    """Return numbered bars of all cases in each year, 0 included."""
    data = [{"year": year, "cases": cases} for year, cases in _totals(rows, years).items()]
    base = alt.Chart(inline_data(data)).encode(x=x, y=alt.Y("cases:Q", title=None, axis=None))
    bars = base.mark_bar(color=BLUE, width={"band": 0.6})
    text = base.mark_text(baseline="bottom", dy=-3, color=INK).encode(text="cases:Q")
    heading = alt.TitleParams(f"{ALL_AREAS} (number of cases)", anchor="start")
    totals_chart: alt.LayerChart = alt.layer(bars, text).properties(title=heading)
    return totals_chart


def _year_range(years: Iterable[int]) -> range:
    """Return every year from the first to the last."""
    known = list(years)
    return range(min(known), max(known) + 1) if known else range(0)
