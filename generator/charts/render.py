"""Build the site's chart specs with Altair and render them to static, safe SVG.

Every spec carries its data inline and has no params or selections, so the same rows
give the same spec. Text from case studies only ever travels as data values, titles or
a sort order (which Vega-Lite quotes as JSON strings inside an expression), never as
expression code, and Vega's SVG writer escapes it.

vl-convert renders with external data refused. Vega numbers clip paths and gradients
from a counter that lives as long as the converter, so ``render_svg`` renames them in
order of appearance, prefixed by a hash of the chart, which also keeps two charts on
one page from sharing an id. Rendered SVGs are cached on disk by a hash of the spec;
misses render here, or in worker processes when asked (see ``render_svgs``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import re
import tempfile
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import altair as alt
import vl_convert
from altair.utils.schemapi import debug_mode

from generator.sealing import sealed, unsealed

# Arial and Liberation Sans share their metrics, so labels that vl-convert measures with
# Liberation Sans fit the same way in a reader's browser, which finds Arial or Helvetica.
CHART_FONT = "Arial, Helvetica, 'Liberation Sans', 'Nimbus Sans', sans-serif"
CHART_CACHE_VERSION = "5"
VL_CONVERT_VERSION = importlib.metadata.version("vl-convert-python")

Row = dict[str, Any]
Spec = dict[str, Any]

# Every colour that draws data is at least 3:1 against white (tests check it).
INK = "#1a1a1a"
MUTED = "#595959"
CELL = "#f7f7f7"
GRID = "#d9d9d9"
BLUE = "#0072B2"  # Okabe-Ito blue
VERMILLION = "#D55E00"  # Okabe-Ito vermillion
GREY = "#6E6E6E"
TARGET = "#4D4D4D"
DARK_BLUE = "#1B4F8A"
# Strength shades circles that DARK_BLUE outlines, so the light end needs no contrast.
STRENGTH_SHADES = ("#9ECAE1", "#08306B")

PLOT_WIDTH = 450  # with y labels on the left and "Target" on the right: about 560
PANEL_HEIGHT = 110
TITLE_CHARACTERS = 70

POINT_KINDS = ("Baseline", "Result", "Comparison baseline", "Comparison result")
PARTICIPANTS = "Participants"
COMPARISON = "Comparison group"
PERIOD_FILL = "#ececec"
RATINGS = ("Not met", "Partly met", "Mostly met", "Fully met", "Unknown")
RATING_COLOURS = ("#5E8FC4", "#3D7DBF", "#2166AC", "#08306B", GREY)
KIND_TITLES = {"Design": "Evaluation design", "Method": "Methods", "Evaluator": "Evaluator"}


def _checked_once(build: Any) -> Any:
    """Build a spec with Altair checking it once, as a whole, rather than at every part.

    Altair's debug mode validates each object as it is made, inline data included; the
    finished spec is still validated by ``to_dict`` in ``_finish``. Rows travel beside the
    chart (see ``_data``) and join the spec after it, so Altair neither copies nor checks
    thousands of rows. At 1,000 cases the five compare specs took 1.4 s before (measured).
    """

    @functools.wraps(build)
    def quietly(*args: Any, **kwargs: Any) -> Any:
        _PENDING_ROWS.clear()
        try:
            with debug_mode(False):
                return build(*args, **kwargs)
        finally:
            _PENDING_ROWS.clear()

    return quietly


# Outcomes of one case


def outcome_chart_spec(rows: list[Row], title: str = "") -> Spec:
    """Return the spec for one case's outcomes: a panel per measure, one above another.

    Rows are Baseline, Result and Target points. A panel draws one horizontal Target
    rule, across its whole width, from its first Target row: further Target rows (one
    at each end of the period, say) are ignored, and a Target row's date is not used.
    One faceted chart holds every panel, so the spec costs the same to build for one
    measure as for twelve (a chart per panel costs about 80 ms each).
    """
    groups = _group(rows, "panel")
    data = [row for panel, group in groups for row in _panel_rows(panel, group)]
    headings = _unique(row["heading"] for row in data)
    kinds = _point_kinds(data)
    if title:
        chart: Spec = _outcome_chart(data, headings, title, kinds)
        return chart
    # Altair builds the same structure for every case; only the rows and panel order differ.
    spec: Spec = json.loads(_outcome_template(kinds))
    spec["data"] = {"name": "outcomes"}
    spec["datasets"] = {"outcomes": data}
    spec["facet"]["row"]["sort"] = headings
    return spec


def _point_kinds(data: list[Row]) -> tuple[str, ...]:
    """Return the kinds of point a legend needs: the comparison group's only where there is one."""
    compared = any(row["kind"].startswith("Comparison") for row in data)
    return POINT_KINDS if compared else POINT_KINDS[:2]


@functools.cache
def _outcome_template(kinds: tuple[str, ...]) -> str:
    """Return the outcome chart's spec as JSON, built once by Altair from placeholder rows."""
    placeholder = [{"heading": "-", "date": "2000-01-01", "value": 0.0, "kind": "Result"}]
    return json.dumps(_outcome_chart(placeholder, ["-"], "", kinds))


@_checked_once
def _outcome_chart(
    data: list[Row], headings: list[str], title: str, kinds: tuple[str, ...]
) -> Spec:
    """Build the outcome chart with Altair."""
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=False, nice=True))
    panel = alt.layer(*_outcome_layers(y.axis(tickCount=3), kinds), data=_data(data))
    header = alt.Header(
        labelExpr="split(datum.value, '\\n')",  # the lines _heading wrapped, no case text
        labelAngle=0,
        labelAnchor="start",
        labelOrient="top",
        labelFontWeight="bold",
        labelFontSize=13,
        labelPadding=0,
        labelBaseline="bottom",
    )
    row = alt.Row("heading:N", sort=headings, title=None, header=header)
    chart = panel.properties(width=PLOT_WIDTH, height=PANEL_HEIGHT).facet(row=row, spacing=28)
    chart = chart.resolve_scale(y="independent").resolve_axis(x="independent")
    if title:
        chart = chart.properties(title=alt.TitleParams(_wrap(title), anchor="start"))
    return _finish(chart)


def _panel_rows(panel: str, rows: list[Row]) -> list[Row]:
    """Return one panel's rows: points, ranges, period, one target, its verdict, for % 0 and 100."""
    heading = "\n".join(_wrap(panel))
    points = [_point(row) for row in rows if row["kind"] in POINT_KINDS]
    periods = [_period(row) for row in rows if row["kind"] == "Period"][:1]
    targets = [_target(row) for row in rows if row["kind"] == "Target"][:1]
    verdict = [{"kind": "Verdict", "label": text} for text in _verdicts(rows)]
    values = [float(row[k]) for row in rows for k in ("value", "low", "high") if k in row]
    # Invisible marks at 0 and 100 stretch a percentage panel's own scale to the whole range.
    fits = _is_percent(rows[0].get("unit", "")) and all(0 <= v <= 100 for v in values)
    anchors = [{"kind": "Range", "value": v} for v in (0, 100)] if fits else []
    return [
        {**row, "heading": heading} for row in [*periods, *points, *targets, *verdict, *anchors]
    ]


def _point(row: Row) -> Row:
    """Return a measurement row with only the fields the chart reads (and its range, if any)."""
    point = {"date": row["date"], "value": row["value"], "kind": row["kind"]}
    point["series"] = COMPARISON if row["kind"].startswith("Comparison") else PARTICIPANTS
    if row.get("low") is not None:
        point |= {"low": row["low"], "high": row["high"]}
    return point


def _period(row: Row) -> Row:
    """Return the co-production period: a shaded band from its start to its end."""
    return {"kind": "Period", "date": row["date"], "end": row["end"], "label": "Co-production"}


def _target(row: Row) -> Row:
    """Return a Target row with its label."""
    unit = "%" if _is_percent(row.get("unit", "")) else ""
    return {"kind": "Target", "value": row["value"], "label": f"Target {row['value']:g}{unit}"}


def _verdicts(rows: list[Row]) -> list[str]:
    """Return the panel's verdicts in words, each once, on one line; none when empty."""
    verdicts = [v for v in _unique(str(row.get("verdict") or "") for row in rows) if v]
    return [" · ".join(verdicts)] if verdicts else []


def _outcome_layers(y: alt.Y, kinds: tuple[str, ...]) -> list[alt.Chart]:
    """Return a panel's layers: period, ranges, lines, points, target, verdict, range anchors."""
    x = alt.X("date:T", title=None, scale=alt.Scale(type="utc", padding=10), axis=_date_axis())
    points = _of_kind(*POINT_KINDS)
    target = _of_kind("Target").encode(y=y)
    # Lines and ranges take their colour from `stroke`, points from `color`: layers share a
    # scale per channel, and one colour scale over both fields would mix their ranges.
    series = alt.Scale(domain=[PARTICIPANTS, COMPARISON], range=[BLUE, VERMILLION])
    period = _of_kind("Period")
    return [
        period.mark_rect(color=PERIOD_FILL).encode(x=x, x2="end:T"),
        period.mark_text(align="left", baseline="bottom", dx=3, color=MUTED, fontSize=11).encode(
            x=x, y=alt.value(PANEL_HEIGHT - 2), text="label:N"
        ),
        points.transform_filter("isValid(datum.low)")
        .mark_rule(strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("low:Q"),
            y2="high:Q",
            stroke=alt.Stroke("series:N", scale=series, legend=None),
        ),
        points.mark_line(strokeWidth=2).encode(
            x=x,
            y=y,
            stroke=alt.Stroke("series:N", scale=series, legend=None),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[PARTICIPANTS, COMPARISON], range=[[1, 0], [5, 3]]),
                legend=None,
            ),
        ),
        points.mark_point(size=80, strokeWidth=2, opacity=1).encode(x=x, y=y, **_kind_marks(kinds)),
        target.mark_rule(color=TARGET, strokeDash=[6, 4], strokeWidth=1.5),
        target.mark_text(align="left", dx=6, color=TARGET, limit=100).encode(
            x=alt.value(PLOT_WIDTH), text="label:N"
        ),
        _of_kind("Verdict")
        .mark_text(align="left", baseline="bottom", color=MUTED, limit=PLOT_WIDTH)
        .encode(x=alt.value(0), y=alt.value(-5), text="label:N"),
        _of_kind("Range").mark_rule(opacity=0).encode(y=y),
    ]


def _of_kind(*kinds: str) -> alt.Chart:
    """Return a chart of the rows of the given kinds."""
    chart: alt.Chart = alt.Chart().transform_filter(
        alt.FieldOneOfPredicate(field="kind", oneOf=list(kinds))
    )
    return chart


def _kind_marks(kinds: tuple[str, ...]) -> dict[str, Any]:
    """Return shape, fill and colour by kind: participants blue, the comparison group vermillion.

    Baselines are hollow, results filled; participants' are squares and circles, the
    comparison group's diamonds and triangles, so the groups differ by shape and label too.
    """
    legend = alt.Legend(title=None, orient="top", direction="horizontal")
    n = len(kinds)
    shapes = alt.Scale(domain=list(kinds), range=["square", "circle", "diamond", "triangle-up"][:n])
    fills = alt.Scale(domain=list(kinds), range=["white", BLUE, "white", VERMILLION][:n])
    colours = alt.Scale(domain=list(kinds), range=[BLUE, BLUE, VERMILLION, VERMILLION][:n])
    return {
        "shape": alt.Shape("kind:N", scale=shapes, legend=legend),
        "fill": alt.Fill("kind:N", scale=fills, legend=legend),
        "color": alt.Color("kind:N", scale=colours, legend=legend),
        "tooltip": [alt.Tooltip("kind:N", title="Point"), alt.Tooltip("date:T"), "value:Q"],
    }


def _date_axis() -> alt.Axis:
    """Return the time axis: month and year, never crowded."""
    return alt.Axis(format="%b %Y", labelOverlap=True, tickCount=6, grid=False)


def _is_percent(unit: str) -> bool:
    """Return whether a unit label means a percentage."""
    return unit.strip().lower() in {"%", "percent", "per cent"}


# Across cases, for the compare page


@_checked_once
def evidence_map_spec(rows: list[Row]) -> Spec:
    """Return the evidence map: service area by outcome domain, a circle per filled cell.

    Circle area is the number of cases; mean evidence strength is written under the
    circle (``strength_label``) and shades it, so it never rests on colour alone. Every
    area-domain pair gets a light cell, so pairs without cases show as gaps. Areas and
    domains keep the order they first appear in.
    """
    domains = _unique(row["domain"] for row in rows)
    areas = _unique(row["area"] for row in rows)
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
    return _finish(chart, legend_orient="bottom")


def whole_values(rows: list[Row], key: str) -> list[int]:
    """Return up to three whole numbers for a size legend: the smallest, middle and largest."""
    counts = sorted({int(row[key]) for row in rows})
    if len(counts) <= 3:
        return counts
    return [counts[0], counts[len(counts) // 2], counts[-1]]


def _column_axis(count: int) -> alt.Axis:
    """Return a band axis on top whose labels turn to fit many narrow columns."""
    angle = 0 if count <= 5 else -40
    return alt.Axis(labelAngle=angle, labelLimit=160, orient="top", domain=False, ticks=False)


def _dot_matrix(
    cells: list[Row], filled: list[Row], xy: tuple[alt.X, alt.Y], shade: Any, label: str
) -> list[alt.Chart]:
    """Return a grid of light cells, a circle sized by cases in each filled one, a label."""
    x, y = xy
    grid = alt.Chart(_data(cells)).mark_rect(fill=CELL, stroke=GRID).encode(x=x, y=y)
    # Legend entries are whole counts that occur: Vega's own ticks for 1 to 1.5 read "1", "1".
    legend = alt.Legend(
        title="Number of cases",
        symbolFillColor=CELL,
        values=whole_values(filled, "cases"),
        format="d",
    )
    size = alt.Size("cases:Q", scale=alt.Scale(zero=True, rangeMin=0, rangeMax=700), legend=legend)
    base = alt.Chart(_data(filled)).encode(x=x, y=y)
    circles = base.mark_circle(opacity=1, stroke=DARK_BLUE, strokeWidth=1, yOffset=-8)
    text = base.mark_text(yOffset=16, color=INK, limit=60)
    tooltip = [x.shorthand, y.shorthand, "cases:Q", label]
    return [grid, circles.encode(size=size, color=shade, tooltip=tooltip), text.encode(text=label)]


@_checked_once
def principles_spec(rows: list[Row]) -> Spec:
    """Return how many cases meet each principle: a column per rating, Unknown last, grey.

    Every principle gets every rating, 0 where no row gives one, so each count is shown.
    """
    principles = _unique(row["principle"] for row in rows)
    extra = [r for r in _unique(row["rating"] for row in rows) if r not in RATINGS]
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
    chart = alt.layer(zero, bars, labels, data=_data(data))
    return _finish(chart.properties(width=70, height={"step": 30}).facet(column=column, spacing=14))


@_checked_once
def methods_spec(rows: list[Row]) -> Spec:
    """Return how many cases used each design, method and evaluator, a panel per kind."""
    groups = dict(_group(rows, "kind"))
    kinds = [kind for kind in _unique([*KIND_TITLES, *groups]) if kind in groups]
    panels = [_count_bars(groups[kind], KIND_TITLES.get(kind, kind)) for kind in kinds]
    return _finish(alt.vconcat(*panels, spacing=24).resolve_scale(x="shared"))


def _count_bars(rows: list[Row], title: str) -> alt.LayerChart:
    """Return labelled horizontal bars, most cases first."""
    ordered = sorted(rows, key=lambda row: (-int(row["cases"]), str(row["label"])))
    data = [{"label": row["label"], "cases": row["cases"]} for row in ordered]
    # One label width in every panel, so the panels' bars and titles line up.
    axis = alt.Axis(labelLimit=240, minExtent=240, maxExtent=240)
    y = alt.Y("label:N", sort=[row["label"] for row in data], title=None, axis=axis)
    base = alt.Chart(_data(data)).encode(x=alt.X("cases:Q", title=None, axis=None), y=y)
    bars = base.mark_bar(color=BLUE, height={"band": 0.7})
    text = base.mark_text(align="left", dx=4, color=INK).encode(text="cases:Q")
    heading = alt.TitleParams(f"{title} (number of cases)", anchor="start")
    panel: alt.LayerChart = alt.layer(bars, text).properties(
        width=300, height={"step": 26}, title=heading
    )
    return panel


@_checked_once
def over_time_spec(rows: list[Row]) -> Spec:
    """Return cases by year: numbered bars of all cases, then a row of circles per area.

    Areas are told apart by position and name, not colour. Every year from the first to
    the last gets a column, so years without cases show as gaps.
    """
    years = [str(year) for year in _year_range(int(row["year"]) for row in rows)]
    areas = _unique(row["area"] for row in rows)
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
    return _finish(chart.resolve_scale(x="shared"), legend_orient="bottom")


def _year_totals(rows: list[Row], years: list[str], x: alt.X) -> alt.LayerChart:
    """Return numbered bars of all cases in each year, 0 included."""
    totals = dict.fromkeys(years, 0)
    for row in rows:
        totals[row["year"]] += int(row["cases"])
    data = [{"year": year, "cases": cases} for year, cases in totals.items()]
    base = alt.Chart(_data(data)).encode(x=x, y=alt.Y("cases:Q", title=None, axis=None))
    bars = base.mark_bar(color=BLUE, width={"band": 0.6})
    text = base.mark_text(baseline="bottom", dy=-3, color=INK).encode(text="cases:Q")
    heading = alt.TitleParams("All areas (number of cases)", anchor="start")
    totals_chart: alt.LayerChart = alt.layer(bars, text).properties(title=heading)
    return totals_chart


def _year_range(years: Iterable[int]) -> range:
    """Return every year from the first to the last."""
    known = list(years)
    return range(min(known), max(known) + 1) if known else range(0)


# Shared by every spec


def _finish(chart: Any, legend_orient: str = "right") -> Spec:
    """Return the chart as a spec with the site's font, text sizes and white background."""
    text = {"labelFontSize": 12, "titleFontSize": 12, "labelColor": INK, "titleColor": INK}
    spec: Spec = chart.configure(
        font=CHART_FONT,
        background="white",
        aria=False,  # the page gives the SVG one label and a table; marks need none
        padding=8,
        view={"stroke": None},
        axis={**text, "domainColor": MUTED, "tickColor": MUTED, "gridColor": "#e6e6e6"},
        legend={**text, "orient": legend_orient, "titleLimit": 400, "labelLimit": 300},
        header={**text, "titleFontSize": 12},
        title={"fontSize": 13, "subtitleFontSize": 12, "color": INK, "subtitleColor": MUTED},
        text={"fontSize": 12},
    ).to_dict()
    if _PENDING_ROWS:
        spec["datasets"] = {**spec.get("datasets", {}), **_PENDING_ROWS}
        _PENDING_ROWS.clear()
    return spec


# Rows of the spec being built, by dataset name, until ``_finish`` puts them in the spec.
_PENDING_ROWS: dict[str, list[Row]] = {}


def _data(rows: list[Row]) -> alt.NamedData:
    """Return a name for rows that ``_finish`` adds to the spec's datasets."""
    name = f"data-{len(_PENDING_ROWS)}"
    _PENDING_ROWS[name] = rows
    return alt.NamedData(name=name)


def _group(rows: list[Row], key: str) -> list[tuple[str, list[Row]]]:
    """Return rows grouped by one field, groups and rows in first-seen order."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return list(groups.items())


def _unique(values: Iterable[str]) -> list[str]:
    """Return values once each, in first-seen order."""
    return list(dict.fromkeys(values))


def _wrap(text: str) -> list[str]:
    """Return a title as lines short enough for the chart's width."""
    return textwrap.wrap(text, TITLE_CHARACTERS) or [""]


# Rendering

_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'\sid="([^"]+)"')
_ID_USE = re.compile(r'(\sid="|url\(#|href="#)([^")]+)')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Vega-Lite writes a custom sort (the outcome panels' headings, a case's measures) into a
# Vega expression, whose parser ends a string at U+2028 or U+2029: the chart would fail.
_LINE_SEPARATORS = str.maketrans({"\u2028": " ", "\u2029": " "})


def render_svg(spec: Spec) -> str:
    """Render one spec to SVG text (deterministic)."""
    _use_bundled_fonts()
    # vl-convert aborts the whole process (a Rust panic) on text with a character XML
    # forbids, such as "\x07", so no such character may reach it from a case.
    svg = vl_convert.vegalite_to_svg(_xml_text(spec), allowed_base_urls=[])
    return _stable_ids(svg)


# vl-convert measures every label by laying it out with its font database, which it fills
# once per process from the system's fonts and from its own copy of Liberation Sans. A
# system font is read from its file at every measurement: with Debian's Liberation Sans
# installed, one chart opened and mapped that file about 2,000 times, half its render time
# in system calls. So the database is filled from an empty font configuration, leaving
# vl-convert's copy, held in memory: 30 case charts rendered in 3.2 s instead of 9.1 s, to
# the same bytes (measured on the build machine), and labels measure the same on every
# machine, whatever fonts it has. Readers' browsers still draw the text with CHART_FONT.
_NO_FONTS_CONFIG = '<?xml version="1.0"?>\n<fontconfig><dir>{}</dir></fontconfig>\n'
_PROBE: Spec = {
    "data": {"values": [{"a": "A"}]},
    "mark": "text",
    "encoding": {"text": {"field": "a", "type": "nominal"}},
}


@functools.cache
def _use_bundled_fonts() -> None:
    """Fill vl-convert's font database, once, without the system's fonts (see above)."""
    with tempfile.TemporaryDirectory(prefix="copro-fonts-") as folder:
        config = Path(folder) / "fonts.conf"
        config.write_text(_NO_FONTS_CONFIG.format(xml_escape(str(Path(folder) / "none"))))
        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(config)
        try:
            # The database is built at the first measurement and kept for the process.
            vl_convert.vegalite_to_svg(_PROBE, allowed_base_urls=[])
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before


def _xml_text(value: Any) -> Any:
    """Return a spec with every character that XML forbids removed from its strings.

    Line and paragraph separators become spaces (see ``_LINE_SEPARATORS``).
    """
    if isinstance(value, str):
        return _NOT_XML.sub("", value).translate(_LINE_SEPARATORS)
    if isinstance(value, dict):
        return {_xml_text(key): _xml_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_xml_text(item) for item in value]
    return value


def _stable_ids(svg: str) -> str:
    """Return the SVG with ids renamed in order, prefixed by a hash of the chart."""
    ids = _unique(id_ for tag in _TAG.findall(svg) for id_ in _ID.findall(tag))
    if not ids:
        return svg
    draft = _rename_ids(svg, {old: f"chart-{n}" for n, old in enumerate(ids, 1)})
    prefix = "c" + hashlib.sha256(draft.encode()).hexdigest()[:10]
    return _rename_ids(svg, {old: f"{prefix}-{n}" for n, old in enumerate(ids, 1)})


def _rename_ids(svg: str, names: dict[str, str]) -> str:
    """Return the SVG with ids and references to them renamed, inside tags only."""

    def rename(match: re.Match[str]) -> str:
        return match[1] + names.get(match[2], match[2])

    return _TAG.sub(lambda tag: _ID_USE.sub(rename, tag[0]), svg)


def cache_key(spec: Spec | OutcomeChart) -> str:
    """Return a spec's cache key: it changes with the spec, vl-convert and this module."""
    if isinstance(spec, OutcomeChart):
        return spec.key
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    material = "\n".join((canonical, VL_CONVERT_VERSION, CHART_CACHE_VERSION))
    return hashlib.sha256(material.encode()).hexdigest()


@functools.cache
def _own_source() -> str:
    """Return a hash of this module's source: an outcome chart's key covers its spec builder."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@dataclass(frozen=True)
class OutcomeChart:
    """A case's outcome chart, keyed by its rows: the spec is built only to draw it.

    Building the spec costs ~1.2 ms a chart (1.2 s of a warm build at 1,000 cases) just to
    hash it; the rows and the code that turns them into a spec decide it as well.
    """

    rows: tuple[Row, ...]

    @functools.cached_property
    def key(self) -> str:
        """Return the cache key: the rows, this module's source and vl-convert's version."""
        canonical = json.dumps(self.rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        material = "\n".join(("outcomes", canonical, _own_source(), VL_CONVERT_VERSION))
        return hashlib.sha256(material.encode()).hexdigest()

    def spec(self) -> Spec:
        """Build the chart's spec."""
        return outcome_chart_spec(list(self.rows))


def render_svgs(
    specs: Sequence[Spec | OutcomeChart],
    cache_dir: Path | None = None,
    workers: int | None = None,
    *,
    inert: bool = False,
) -> list[str]:
    """Render many specs, in order, reusing and filling the cache when given one.

    Misses render in this process; ``workers`` of 2 or more renders them in that many
    spawned processes once there are ``PARALLEL_MINIMUM`` of them (see the measurements).
    With ``inert``, SVGs are made inert before they are cached (see ``inert_svg``).
    """
    keys = [cache_key(spec) + ("-inert" if inert else "") for spec in specs]
    svgs = {key: svg for key in set(keys) if (svg := _read_cached(cache_dir, key)) is not None}
    missing = {
        key: spec.spec() if isinstance(spec, OutcomeChart) else spec
        for key, spec in zip(keys, specs, strict=True)
        if key not in svgs
    }
    rendered = _render_all(
        list(missing.values()), workers, render_inert_svg if inert else render_svg
    )
    for key, svg in zip(missing, rendered, strict=True):
        svgs[key] = svg
        if cache_dir is not None:
            _write_cached(cache_dir, key, svg)
    return [svgs[key] for key in keys]


# Measured on the 2-core build machine, rendering case charts (not building them), with
# labels measured from the bundled font: serial 2.7 s for 20, 4.5 s for 50, 11.0 s for 120;
# two spawned processes 3.3 s, 5.0 s and 8.1 s. Each worker spends about 2 s importing and
# warming its own engine (threads do not help: vl-convert converts one chart at a time).
# So misses render serially unless the caller asks for workers, and then only past about
# the break-even.
PARALLEL_MINIMUM = 60


def _render_all(specs: list[Spec], workers: int | None, render: Any = None) -> list[str]:
    """Render specs in order: here, or in ``workers`` spawned processes when asked."""
    render = render or render_svg
    count = workers or 1
    if count < 2 or len(specs) < PARALLEL_MINIMUM:
        return [render(spec) for spec in specs]
    # A forked child inherits the parent's engine without the thread that runs it, and
    # hangs on its first chart (seen), so workers are spawned: the program that calls
    # this must guard its entry point with ``if __name__ == "__main__"``.
    context = multiprocessing.get_context("spawn")
    chunk = max(1, len(specs) // (count * 4))
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        return list(pool.map(render, specs, chunksize=chunk))


def _read_cached(cache_dir: Path | None, key: str) -> str | None:
    """Return the cached SVG for a key, or None when there is none."""
    if cache_dir is None:
        return None
    try:
        content = unsealed((cache_dir / f"{key}.svg").read_bytes())
    except OSError:
        return None
    # Only SVGs this tool wrote and sealed are used: a planted file is drawn anew.
    return content.decode("utf-8") if content is not None else None


def _write_cached(cache_dir: Path, key: str, svg: str) -> None:
    """Write an SVG to the cache atomically, so no reader ever sees half a file."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=f".{key}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(sealed(svg.encode("utf-8")))
        os.replace(temporary, cache_dir / f"{key}.svg")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# One labelled, inert image

SVG_NS = "http://www.w3.org/2000/svg"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# What Vega draws with. Anything else (script, foreignObject, style, animate, set, use,
# image, iframe...) is removed with all it contains.
SAFE_ELEMENTS = frozenset(
    {
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "defs", "clipPath", "linearGradient", "radialGradient", "stop",
        "title", "desc", "a",
    }
)  # fmt: skip
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
_SCRIPT_SCHEME = re.compile(r"(java|vb)script:|data:", re.IGNORECASE)


def accessible_svg(svg: str, label: str) -> str:
    """Return the SVG as one labelled image, scalable, with nothing that runs or fetches."""
    return label_svg(inert_svg(svg), label)


def inert_svg(svg: str) -> str:
    """Return the SVG scalable and with nothing that runs or fetches (the slow part: cache it)."""
    root = ET.fromstring(svg)
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document")
    _make_inert(root)
    _add_view_box(root)
    # Every element left is SVG, so one default namespace on the root names them all.
    attributes = {"xmlns": SVG_NS, **root.attrib}
    for name in ("role", "aria-label", "aria-labelledby", "aria-hidden"):
        attributes.pop(name, None)
    root.attrib.clear()
    root.attrib.update(attributes)
    return ET.tostring(root, encoding="unicode")


def label_svg(svg: str, label: str) -> str:
    """Name an inert SVG as one image: role="img" and an escaped aria-label on its root."""
    if not svg.startswith("<svg "):
        raise ValueError("not an inert SVG from inert_svg")
    name = xml_escape(label, {'"': "&quot;"})
    end = svg.index(">")  # ElementTree escapes ">" in attribute values: this ends the root's tag
    return f'{svg[:end]} role="img" aria-label="{name}"{svg[end:]}'


def render_inert_svg(spec: Spec) -> str:
    """Render one spec and make it inert."""
    return inert_svg(render_svg(spec))


def _make_inert(element: ET.Element) -> None:
    """Remove unsafe children and attributes, all the way down; drop namespace prefixes."""
    element.tag = _local(element.tag)
    for child in list(element):
        if _is_safe_element(child):
            _make_inert(child)
        else:
            element.remove(child)
    for name, value in list(element.attrib.items()):
        del element.attrib[name]
        kept = _safe_attribute(name, value)
        if kept is not None:
            element.set(*kept)


def _is_safe_element(element: ET.Element) -> bool:
    """Return whether an element is SVG that draws and can neither run nor fetch."""
    namespace = element.tag[1:].split("}")[0] if element.tag.startswith("{") else SVG_NS
    return namespace == SVG_NS and _local(element.tag) in SAFE_ELEMENTS


def _safe_attribute(name: str, value: str) -> tuple[str, str] | None:
    """Return the attribute to keep (an xlink:href becomes href), or None to drop it."""
    if name in ("href", XLINK_HREF):
        return ("href", value) if value.strip().startswith("#") else None
    if name.startswith("{") and not name.startswith(f"{{{XML_NS}}}"):
        return None
    if _local(name).lower().startswith("on") or _SCRIPT_SCHEME.search(value):
        return None
    if any(not url.strip().startswith("#") for url in _URL.findall(value)):
        return None
    return name, value


def _add_view_box(root: ET.Element) -> None:
    """Add a viewBox from width and height when there is none, so CSS can scale it."""
    if root.get("viewBox") is not None:
        return
    width, height = _pixels(root.get("width")), _pixels(root.get("height"))
    if width is not None and height is not None:
        root.set("viewBox", f"0 0 {width:g} {height:g}")


def _pixels(value: str | None) -> float | None:
    """Return a width or height in pixels, or None when it is not a plain number."""
    try:
        return float((value or "").strip().removesuffix("px"))
    except ValueError:
        return None


def _local(name: str) -> str:
    """Return a tag or attribute name without its namespace."""
    return name.rsplit("}", 1)[-1]
