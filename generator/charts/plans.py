"""Chart plans: a chart to draw, with the words and table that say the same thing.

A plan is made from the figures (``case_plan``, ``compare_plans``, ``synthesis_plans``), drawn by
``render`` and shown by the site's pages; its spec comes from the matching ``*_spec(s)`` module.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.figures.catalogue import CaseEntry

if TYPE_CHECKING:
    from generator.charts.case_spec import OutcomeChart


@dataclass(frozen=True)
class ChartPlan:
    """A chart to draw: its spec, and the words and table that say the same thing."""

    id: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    spec: dict[str, Any] | OutcomeChart  # a case's outcome chart builds its spec only to draw
    svg: Markup = field(default_factory=Markup)
    example_note: str = ""
    # "How this is worked out": the technical names and rules behind the description.
    method: str = ""
    # A second drawing for narrow screens, of a chart too wide for a phone (see ``style.NARROW``).
    narrow: dict[str, Any] | None = None
    narrow_svg: Markup = field(default_factory=Markup)
    # A second table, for figures a chart shows beside its marks (totals under its columns).
    summary_title: str = ""
    summary_columns: tuple[str, ...] = ()
    summary_rows: tuple[tuple[str, ...], ...] = ()
    # A link after the description: (site page, anchor on it, link text).
    more: tuple[str, str, str] | tuple[()] = ()


def with_svg(plan: ChartPlan, svg: str, narrow_svg: str = "") -> ChartPlan:
    """Return the plan with its rendered SVG (and its narrow one, if any) attached."""
    return replace(plan, svg=Markup(svg), narrow_svg=Markup(narrow_svg))


def example_note(cases: list[CaseEntry]) -> str:
    """Say how many of the cases a chart counts are illustrative examples or summaries ("" when none)."""
    examples = sum(1 for c in cases if c.is_example)
    summaries = sum(1 for c in cases if c.is_summary)
    notes = []
    if examples == len(cases) and examples:
        notes.append(
            f"All {len(cases)} cases counted here are illustrative examples: invented, not evidence."
        )
    elif examples:
        notes.append(
            f"{examples} of the {len(cases)} cases counted here are illustrative examples "
            "(invented, not evidence)."
        )
    if summaries:
        notes.append(
            f"{summaries} of the {len(cases)} are summaries of published evaluations (written "
            "from their reports, not by the organisations)."
        )
    return " ".join(notes)
