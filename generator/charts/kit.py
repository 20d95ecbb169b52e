"""Building blocks of every chart spec: one check by Altair, rows beside the chart, the finish."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable
from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode

from generator.charts.style import (
    BLUE,
    CHART_FONT,
    FONT_SIZE,
    INK,
    MUTED,
    PADDING,
    TITLE_CHARACTERS,
    Row,
    Spec,
)
from generator.figures.words import CERTAINTY_LABELS

# The three ways a 95% range reads, in the order the marks below follow.
CERTAINTIES = tuple(CERTAINTY_LABELS.values())


def checked_once(build: Any) -> Any:
    """Build a spec with Altair checking it once, as a whole, rather than at every part.

    Altair's debug mode validates each object as it is made, inline data included; the
    finished spec is still validated by ``to_dict`` in ``finish``. Rows travel beside the
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


def finish(chart: Any, legend_orient: str = "right", stack_legends: bool = False) -> Spec:
    """Return the chart as a spec with the site's font, text sizes and white background.

    With ``stack_legends``, legends at the top or bottom go one under another, not side by
    side: a narrow drawing has no room for two abreast.
    """
    text = {
        "labelFontSize": FONT_SIZE,
        "titleFontSize": FONT_SIZE,
        "labelColor": INK,
        "titleColor": INK,
    }
    spec: Spec = chart.configure(
        font=CHART_FONT,
        background="white",
        aria=False,  # the page gives the SVG one label and a table; marks need none
        padding=PADDING,
        view={"stroke": None},
        axis={**text, "domainColor": MUTED, "tickColor": MUTED, "gridColor": "#e6e6e6"},
        legend={
            **text,
            "orient": legend_orient,
            "titleLimit": 0,
            "labelLimit": 0,
        },
        header={**text, "titleFontSize": 12},
        title={"fontSize": 13, "subtitleFontSize": 12, "color": INK, "subtitleColor": MUTED},
        text={"fontSize": FONT_SIZE},
    ).to_dict()
    if stack_legends:  # Vega's legend layout, which Altair's schema does not list
        spec["config"]["legend"]["layout"] = {
            side: {"anchor": "start", "direction": "vertical", "margin": 12}
            for side in ("top", "bottom")
        }
    if _PENDING_ROWS:
        spec["datasets"] = {**spec.get("datasets", {}), **_PENDING_ROWS}
        _PENDING_ROWS.clear()
    return spec


# Rows of the spec being built, by dataset name, until ``finish`` puts them in the spec.
_PENDING_ROWS: dict[str, list[Row]] = {}


def inline_data(rows: list[Row]) -> alt.NamedData:
    """Return a name for rows that ``finish`` adds to the spec's datasets."""
    name = f"data-{len(_PENDING_ROWS)}"
    _PENDING_ROWS[name] = rows
    return alt.NamedData(name=name)


def group(rows: list[Row], key: str) -> list[tuple[str, list[Row]]]:
    """Return rows grouped by one field, groups and rows in first-seen order."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return list(groups.items())


def unique(values: Iterable[str]) -> list[str]:
    """Return values once each, in first-seen order."""
    return list(dict.fromkeys(values))


def wrap(text: str) -> list[str]:
    """Return a title as lines short enough for the chart's width."""
    return textwrap.wrap(text, TITLE_CHARACTERS) or [""]


# Advance widths of Helvetica (Adobe's core font metrics, thousandths of an em), which Arial and
# Liberation Sans share: enough to wrap a label before vl-convert lays it out, never to cut it.
_WIDTHS = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        (
            278,
            278,
            355,
            556,
            556,
            889,
            667,
            191,
            333,
            333,
            389,
            584,
            278,
            333,
            278,
            278,
            *[556] * 10,
            278,
            278,
            584,
            584,
            584,
            556,
            1015,
            667,
            667,
            722,
            722,
            667,
            611,
            778,
            722,
            278,
            500,
            667,
            556,
            833,
            722,
            778,
            667,
            778,
            722,
            667,
            611,
            722,
            667,
            944,
            667,
            667,
            611,
            278,
            278,
            278,
            469,
            556,
            333,
            556,
            556,
            500,
            556,
            556,
            278,
            556,
            556,
            222,
            222,
            500,
            222,
            833,
            556,
            556,
            556,
            556,
            333,
            500,
            278,
            556,
            500,
            722,
            500,
            500,
            500,
            334,
            260,
            334,
            584,
        ),
        strict=True,
    )
)
_OTHER_WIDTH = 600  # letters outside ASCII: about an average capital
_BOLD = 1.1  # Helvetica Bold is about a tenth wider


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Return about how many pixels a line of text takes at this font size."""
    thousandths = sum(_WIDTHS.get(character, _OTHER_WIDTH) for character in text)
    return thousandths * size / 1000 * (_BOLD if bold else 1)


def wrap_to(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> list[str]:
    """Return text as lines that each fit ``width`` pixels, broken between words.

    A word longer than the width is broken inside, so no line ever needs cutting; a no-break
    space keeps two words together.
    """
    lines: list[str] = []
    for word in (w for w in text.replace("\n", " ").split(" ") if w):
        while text_width(word, size, bold) > width and len(word) > 1:
            cut = max(1, _fitting(word, width, size, bold))
            if lines and text_width(f"{lines[-1]} {word[:cut]}", size, bold) <= width:
                lines[-1] += " " + word[:cut]
            else:
                lines.append(word[:cut])
            word = word[cut:]
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _fitting(word: str, width: float, size: float, bold: bool) -> int:
    """Return how many of a word's first characters fit the width."""
    n = 0
    while n < len(word) and text_width(word[: n + 1], size, bold) <= width:
        n += 1
    return n


# A band axis's labels of several lines (wrapped by ``wrap_to``, joined by "\n"): Vega sets the
# first line at the band's middle, so each label is lifted by half its extra lines. The
# expressions read only the label's own lines: no case text enters them.
LINES_LABEL = "split(datum.label, '\\n')"
LINES_OFFSET = "-{half} * (length(split(datum.value, '\\n')) - 1)"


def lines_axis(line_height: float = 14, **kwargs: Any) -> alt.Axis:
    """Return a band axis whose labels are lines, each label centred on its band."""
    return alt.Axis(
        labelExpr=LINES_LABEL,
        labelOffset=alt.ExprRef(LINES_OFFSET.format(half=line_height / 2)),
        labelLimit=0,
        **kwargs,
    )


def whole_values(rows: list[Row], key: str) -> list[int]:
    """Return up to three whole numbers for a size legend: the smallest, middle and largest."""
    counts = sorted({int(row[key]) for row in rows})
    if len(counts) <= 3:
        return counts
    return [counts[0], counts[len(counts) // 2], counts[-1]]


def range_marks(tooltip: list[alt.Tooltip]) -> dict[str, Any]:
    """Return shape and fill by how the 95% range reads, the same in every forest plot.

    A filled circle's range leaves out no change, a hollow circle's includes it, a hollow
    diamond has no range; ``tooltip`` is the chart's own list.
    """
    legend = alt.Legend(title="95% range", orient="top", direction="vertical")
    return {
        "shape": alt.Shape(
            "certainty:N",
            scale=alt.Scale(domain=list(CERTAINTIES), range=["circle", "circle", "diamond"]),
            legend=legend,
        ),
        "fill": alt.Fill(
            "certainty:N",
            scale=alt.Scale(domain=list(CERTAINTIES), range=[BLUE, "white", "white"]),
            legend=legend,
        ),
        "tooltip": tooltip,
    }


# A forest plot's rows: each row's words stand above its line, across the plot, so the drawing
# fits NARROW; the line, its point and any short marks on it sit ``below`` the row's middle.
FOREST_LINE_HEIGHT = 14  # of a 12 px label line


def forest_rows(texts: list[list[str]]) -> tuple[list[str], int, int]:
    """Return each row's words as one text, the row's height (``step``) and the line's offset.

    Every row's words take as many lines (empty ones first), so each ends just above its line.
    """
    lines = max((len(text) for text in texts), default=1)
    step = FOREST_LINE_HEIGHT * lines + 22
    below = FOREST_LINE_HEIGHT * lines // 2 + 1
    return ["\n" * (lines - len(text)) + "\n".join(text) for text in texts], step, below


def forest_marks(step: int, below: int, data: Any = None) -> tuple[alt.Chart, alt.Chart, alt.Chart]:
    """Return a forest plot's words, 95% range and point marks for rows laid out by forest_rows."""
    base = alt.Chart() if data is None else alt.Chart(data)
    words = base.mark_text(
        align="left",
        baseline="top",
        color=INK,
        lineBreak="\n",
        lineHeight=FOREST_LINE_HEIGHT,
        dy=-step / 2 + 3,
    )
    ranges = base.mark_rule(color=BLUE, strokeWidth=2, yOffset=below)
    points = base.mark_point(size=90, strokeWidth=2, opacity=1, color=BLUE, yOffset=below)
    return words, ranges, points
