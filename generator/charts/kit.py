"""Building blocks of every chart spec: one check by Altair, rows beside the chart, the finish."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable
from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode

from generator.charts.style import CHART_FONT, INK, MUTED, TITLE_CHARACTERS, Row, Spec


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


def finish(chart: Any, legend_orient: str = "right") -> Spec:
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


def whole_values(rows: list[Row], key: str) -> list[int]:
    """Return up to three whole numbers for a size legend: the smallest, middle and largest."""
    counts = sorted({int(row[key]) for row in rows})
    if len(counts) <= 3:
        return counts
    return [counts[0], counts[len(counts) // 2], counts[-1]]
