"""The specs of the compare page's case-count charts: evidence map, principles, methods, years."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import altair as alt

from generator.charts.kit import checked_once, finish, group, inline_data, unique, whole_values
from generator.charts.style import (
    BLUE,
    CELL,
    DARK_BLUE,
    GRID,
    INK,
    KIND_TITLES,
    MUTED,
    RATING_COLOURS,
    RATINGS,
    STRENGTH_SHADES,
    Row,
    Spec,
)


@checked_once
def evidence_map_spec(rows: list[Row]) -> Spec:
    """Return the evidence map: service area by outcome domain, a circle per filled cell.

    Circle area is the number of cases; mean evidence strength is written under the
    circle (``strength_label``) and shades it, so it never rests on colour alone. Every
    area-domain pair gets a light cell, so pairs without cases show as gaps. Areas and
    domains keep the order they first appear in.
    """
    domains = unique(row["domain"] for row in rows)
    areas = unique(row["area"] for row in rows)
    x = alt.X("domain:N", sort=domains, title=None, axis=_column_axis(len(domains)))
    y = alt.Y("area:N", sort=areas, title=None, axis=alt.Axis(labelLimit=200))
    keys = ("area", "domain", "cases", "strength", "strength_label")
    filled = [{key: row[key] for key in keys} for row in rows if row["cases"] > 0]
    shade = alt.Color(
        "strength:Q",
        scale=alt.Scale(domain=[1, 5], range=list(STRENGTH_SHADES)),
        legend=alt.Legend(
            title=["Mean evidence strength, 1 to 5", "(the number under each circle)"]
        ),
    )
    cells = [{"area": area, "domain": domain} for area in areas for domain in domains]
    layers = _dot_matrix(cells, filled, (x, y), shade, "strength_label:N")
    step = max(36, min(64, 480 // max(len(domains), 1)))
    chart = alt.layer(*layers).properties(width={"step": step}, height={"step": 52})
    return finish(chart, legend_orient="bottom")


def _column_axis(count: int) -> alt.Axis:
    """Return a band axis on top whose labels turn to fit many narrow columns."""
    angle = 0 if count <= 5 else -40
    return alt.Axis(labelAngle=angle, labelLimit=160, orient="top", domain=False, ticks=False)


def _dot_matrix(
    cells: list[Row], filled: list[Row], xy: tuple[alt.X, alt.Y], shade: Any, label: str
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
    size = alt.Size("cases:Q", scale=alt.Scale(zero=True, rangeMin=0, rangeMax=700), legend=legend)
    base = alt.Chart(inline_data(filled)).encode(x=x, y=y)
    circles = base.mark_circle(opacity=1, stroke=DARK_BLUE, strokeWidth=1, yOffset=-8)
    text = base.mark_text(yOffset=16, color=INK, limit=60)
    tooltip = [x.shorthand, y.shorthand, "cases:Q", label]
    return [grid, circles.encode(size=size, color=shade, tooltip=tooltip), text.encode(text=label)]


@checked_once
def principles_spec(rows: list[Row]) -> Spec:
    """Return how many cases meet each principle: a column per rating, Unknown last, grey.

    Every principle gets every rating, 0 where no row gives one, so each count is shown.
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
    y = alt.Y("principle:N", sort=principles, title=None, axis=alt.Axis(labelLimit=160))
    x = alt.X("cases:Q", title=None, axis=None, scale=alt.Scale(nice=False))
    colour = alt.Color(
        "rating:N", scale=alt.Scale(domain=list(RATINGS), range=list(RATING_COLOURS)), legend=None
    )
    zero = alt.Chart().mark_rule(color=MUTED).encode(x=alt.value(0))
    bars = alt.Chart().mark_bar(height={"band": 0.7}).encode(x=x, y=y, color=colour)
    labels = alt.Chart().mark_text(align="left", dx=4, color=INK).encode(x=x, y=y, text="cases:Q")
    header = alt.Header(labelFontWeight="bold", labelAnchor="start", labelOrient="top")
    column = alt.Column("rating:N", sort=ratings, title=None, header=header)
    chart = alt.layer(zero, bars, labels, data=inline_data(data))
    return finish(chart.properties(width=70, height={"step": 30}).facet(column=column, spacing=14))


@checked_once
def methods_spec(rows: list[Row]) -> Spec:
    """Return how many cases used each design, method and evaluator, a panel per kind."""
    groups = dict(group(rows, "kind"))
    kinds = [kind for kind in unique([*KIND_TITLES, *groups]) if kind in groups]
    panels = [_count_bars(groups[kind], KIND_TITLES.get(kind, kind)) for kind in kinds]
    return finish(alt.vconcat(*panels, spacing=24).resolve_scale(x="shared"))


def _count_bars(rows: list[Row], title: str) -> alt.LayerChart:
    """Return labelled horizontal bars, most cases first."""
    ordered = sorted(rows, key=lambda row: (-int(row["cases"]), str(row["label"])))
    data = [{"label": row["label"], "cases": row["cases"]} for row in ordered]
    # One label width in every panel, so the panels' bars and titles line up.
    axis = alt.Axis(labelLimit=240, minExtent=240, maxExtent=240)
    y = alt.Y("label:N", sort=[row["label"] for row in data], title=None, axis=axis)
    base = alt.Chart(inline_data(data)).encode(x=alt.X("cases:Q", title=None, axis=None), y=y)
    bars = base.mark_bar(color=BLUE, height={"band": 0.7})
    text = base.mark_text(align="left", dx=4, color=INK).encode(text="cases:Q")
    heading = alt.TitleParams(f"{title} (number of cases)", anchor="start")
    panel: alt.LayerChart = alt.layer(bars, text).properties(
        width=300, height={"step": 26}, title=heading
    )
    return panel


@checked_once
def over_time_spec(rows: list[Row]) -> Spec:
    """Return cases by year: numbered bars of all cases, then a row of circles per area.

    Areas are told apart by position and name, not colour. Every year from the first to
    the last gets a column, so years without cases show as gaps.
    """
    years = [str(year) for year in _year_range(int(row["year"]) for row in rows)]
    areas = unique(row["area"] for row in rows)
    data = [
        {"area": row["area"], "year": str(row["year"]), "cases": row["cases"]}
        for row in rows
        if row["cases"] > 0
    ]
    x = alt.X("year:O", sort=years, scale=alt.Scale(domain=years), title=None)
    x_top = x.axis(orient="top", labelAngle=0, domain=False, ticks=False)
    y = alt.Y("area:N", sort=areas, title=None, axis=alt.Axis(labelLimit=200))
    cells = [{"area": area, "year": year} for area in areas for year in years]
    matrix = alt.layer(*_dot_matrix(cells, data, (x_top, y), alt.value(BLUE), "cases:Q"))
    step = max(34, min(56, 460 // max(len(years), 1)))
    chart = alt.vconcat(
        _year_totals(data, years, x.axis(None)).properties(width={"step": step}, height=90),
        matrix.properties(width={"step": step}, height={"step": 52}),
        spacing=12,
    )
    return finish(chart.resolve_scale(x="shared"), legend_orient="bottom")


def _year_totals(rows: list[Row], years: list[str], x: alt.X) -> alt.LayerChart:
    """Return numbered bars of all cases in each year, 0 included."""
    totals = dict.fromkeys(years, 0)
    for row in rows:
        totals[row["year"]] += int(row["cases"])
    data = [{"year": year, "cases": cases} for year, cases in totals.items()]
    base = alt.Chart(inline_data(data)).encode(x=x, y=alt.Y("cases:Q", title=None, axis=None))
    bars = base.mark_bar(color=BLUE, width={"band": 0.6})
    text = base.mark_text(baseline="bottom", dy=-3, color=INK).encode(text="cases:Q")
    heading = alt.TitleParams("All areas (number of cases)", anchor="start")
    totals_chart: alt.LayerChart = alt.layer(bars, text).properties(title=heading)
    return totals_chart


def _year_range(years: Iterable[int]) -> range:
    """Return every year from the first to the last."""
    known = list(years)
    return range(min(known), max(known) + 1) if known else range(0)
