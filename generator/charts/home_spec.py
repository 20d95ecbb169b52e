"""The spec of the home page's answer: a named, numbered bar for each way an effect reads."""

from __future__ import annotations

import altair as alt

from generator.charts.kit import checked_once, finish, inline_data, lines_axis, wrap_to
from generator.charts.style import BLUE, GREY, INK, NARROW, PADDING, VERMILLION, Row, Spec

LABEL_WIDTH = 150
BARS = NARROW - 2 * PADDING - LABEL_WIDTH - 8 - 30  # room for the number after the longest bar
GROUPS = ("Points to an improvement", "Points to a worsening", "No clear change")


@checked_once
def effects_spec(rows: list[Row]) -> Spec:
    """Return horizontal bars, one per way an effect reads, in the rows' order, numbered.

    Rows hold words, outcomes and group. The group colours the bar (blue, orange, grey), but
    the bar's name says the same, so nothing rests on colour.
    """
    data = [{**row, "lines": "\n".join(wrap_to(str(row["words"]), LABEL_WIDTH))} for row in rows]
    lines = max((str(row["lines"]).count("\n") + 1 for row in data), default=1)
    y = alt.Y(
        "lines:N",
        sort=[row["lines"] for row in data],
        title=None,
        axis=lines_axis(minExtent=LABEL_WIDTH, maxExtent=LABEL_WIDTH, ticks=False),
    )
    x = alt.X("outcomes:Q", title=None, axis=None, scale=alt.Scale(zero=True, nice=False))
    colour = alt.Color(
        "group:N",
        scale=alt.Scale(domain=list(GROUPS), range=[BLUE, VERMILLION, GREY]),
        legend=None,
    )
    base = alt.Chart(inline_data(data)).encode(x=x, y=y)
    bars = base.mark_bar(height={"band": 0.7}).encode(color=colour)
    numbers = base.mark_text(align="left", dx=4, color=INK, fontWeight="bold").encode(
        text="outcomes:Q"
    )
    chart = alt.layer(bars, numbers).properties(
        width=BARS, height={"step": max(30, 14 * lines + 8)}
    )
    return finish(chart)
