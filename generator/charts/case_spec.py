"""The spec of one case's outcomes chart: a panel per measure, participants and comparison group."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import altair as alt

from generator.cache.keys import chart_spec_digest
from generator.charts.kit import checked_once, finish, group, inline_data, unique, wrap, wrap_to
from generator.charts.style import (
    BLUE,
    COMPARISON,
    MUTED,
    PANEL_HEIGHT,
    PARTICIPANTS,
    PERIOD_FILL,
    PLOT_WIDTH,
    POINT_KINDS,
    TARGET,
    VERMILLION,
    Row,
    Spec,
)

# A panel's heading and verdict start where its plot does and are no wider.
TEXT_WIDTH = PLOT_WIDTH
HEADING_SIZE = 13
LINE_HEIGHT = 14


def outcome_chart_spec(rows: list[Row], title: str = "") -> Spec:
    """Return the spec for one case's outcomes: a panel per measure, one above another.

    Rows are Baseline, Result and Target points. A panel draws one horizontal Target
    rule, across its whole width, from its first Target row: further Target rows (one
    at each end of the period, say) are ignored, and a Target row's date is not used.
    One faceted chart holds every panel, so the spec costs the same to build for one
    measure as for twelve (a chart per panel costs about 80 ms each).
    """
    groups = group(rows, "panel")
    data = [row for panel, group in groups for row in _panel_rows(panel, group)]
    headings = unique(row["heading"] for row in data)
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
    """Return the kinds of point the chart draws, in the legend's order: only those."""
    drawn = {row["kind"] for row in data}
    return tuple(kind for kind in POINT_KINDS if kind in drawn)


@functools.cache
def _outcome_template(kinds: tuple[str, ...]) -> str:
    """Return the outcome chart's spec as JSON, built once by Altair from placeholder rows."""
    placeholder = [{"heading": "-", "date": "2000-01-01", "value": 0.0, "kind": "Result"}]
    return json.dumps(_outcome_chart(placeholder, ["-"], "", kinds))


@checked_once
def _outcome_chart(
    data: list[Row], headings: list[str], title: str, kinds: tuple[str, ...]
) -> Spec:
    """Build the outcome chart with Altair."""
    # Each panel's axis runs over its anchors (see _panel_rows) and its values, no further:
    # from zero, or across a score's scale, never from where the values happen to start.
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=False, nice=False))
    panel = alt.layer(*_outcome_layers(y.axis(tickCount=3), kinds), data=inline_data(data))
    header = alt.Header(
        labelExpr="split(datum.value, '\\n')",  # the lines _heading wrapped, no case text
        labelAngle=0,
        labelAnchor="start",
        labelOrient="top",
        labelFontWeight="bold",
        labelFontSize=HEADING_SIZE,
        labelPadding=4,
        labelBaseline="bottom",
        labelLineHeight=16,
    )
    row = alt.Row("heading:N", sort=headings, title=None, header=header)
    chart = panel.properties(width=PLOT_WIDTH, height=PANEL_HEIGHT).facet(row=row, spacing=28)
    chart = chart.resolve_scale(y="independent").resolve_axis(x="independent")
    if title:
        chart = chart.properties(title=alt.TitleParams(wrap(title), anchor="start"))
    return finish(chart)


def _panel_rows(panel: str, rows: list[Row]) -> list[Row]:
    """Return one panel's rows: points, ranges, period, one target, its verdict, axis anchors."""
    heading = "\n".join(wrap_to(panel, TEXT_WIDTH, HEADING_SIZE, bold=True))
    points = [_point(row) for row in rows if row["kind"] in POINT_KINDS]
    periods = [_period(row) for row in rows if row["kind"] == "Period"][:1]
    targets = [_target(row) for row in rows if row["kind"] == "Target"][:1]
    # A verdict of several lines is lifted by its extra lines: it ends just above the plot.
    # The target's value joins it there, where no point can hide it.
    verdict = [
        {"kind": "Verdict", "label": text, "lift": -5 - LINE_HEIGHT * text.count("\n")}
        for text in _verdicts(rows, [t["label"] for t in targets])
    ]
    anchors = [{"kind": "Range", "value": v} for v in axis_anchors(rows)]
    return [
        {**row, "heading": heading} for row in [*periods, *points, *targets, *verdict, *anchors]
    ]


def axis_anchors(rows: list[Row]) -> list[float]:
    """Return the values a panel's axis must reach: a score's scale, else 0 (and 100 for %).

    Invisible marks at these values stretch the panel's own scale, so a count, an amount of
    money or of days starts at zero and a score runs across its scale, whatever the values.
    """
    scale = next((row["scale"] for row in rows if row.get("scale")), None)
    if scale is not None:
        return [float(scale[0]), float(scale[1])]
    values = [float(row[k]) for row in rows for k in ("value", "low", "high") if k in row]
    percent = _is_percent(rows[0].get("unit", "")) and all(0 <= v <= 100 for v in values)
    return [0.0, 100.0] if percent else [0.0]


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
    """Return a Target row with its label (a no-break space keeps its words on one line)."""
    unit = "%" if _is_percent(row.get("unit", "")) else ""
    label = f"Target\u00a0{row['value']:g}{unit}\u00a0(dotted\u00a0line)"
    return {"kind": "Target", "value": row["value"], "label": label}


def _verdicts(rows: list[Row], targets: list[str]) -> list[str]:
    """Return the panel's verdicts and target in words, each once, wrapped; none when empty."""
    verdicts = [v for v in unique(str(row.get("verdict") or "") for row in rows) if v]
    words = " · ".join([*verdicts, *targets])
    return ["\n".join(wrap_to(words, TEXT_WIDTH))] if words else []


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
        target.mark_rule(color=TARGET, strokeDash=[2, 3], strokeWidth=2),
        _of_kind("Verdict")
        .mark_text(
            align="left", baseline="bottom", color=MUTED, lineBreak="\n", lineHeight=LINE_HEIGHT
        )
        .encode(x=alt.value(0), y=alt.Y("lift:Q", scale=None), text="label:N"),
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
    legend = alt.Legend(title=None, orient="top", direction="horizontal", columns=2)
    look = dict(
        zip(
            POINT_KINDS,
            (
                ("square", "white", BLUE),
                ("circle", BLUE, BLUE),
                ("diamond", "white", VERMILLION),
                ("triangle-up", VERMILLION, VERMILLION),
            ),
            strict=True,
        )
    )
    shapes = alt.Scale(domain=list(kinds), range=[look[k][0] for k in kinds])
    fills = alt.Scale(domain=list(kinds), range=[look[k][1] for k in kinds])
    colours = alt.Scale(domain=list(kinds), range=[look[k][2] for k in kinds])
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


@dataclass(frozen=True)
class OutcomeChart:
    """A case's outcome chart, keyed by its rows: the spec is built only to draw it.

    Building the spec costs ~1.2 ms a chart (1.2 s of a warm build at 1,000 cases) just to
    hash it; the rows and the code that turns them into a spec decide it as well.
    """

    rows: tuple[Row, ...]

    @functools.cached_property
    def key(self) -> str:
        """Return the cache key: the rows, the spec's code and vl-convert's version."""
        canonical = json.dumps(self.rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        material = "\n".join(("outcomes", canonical, chart_spec_digest()))
        return hashlib.sha256(material.encode()).hexdigest()

    def spec(self) -> Spec:
        """Build the chart's spec."""
        return outcome_chart_spec(list(self.rows))
