"""Plan the compare page's outcome charts: effect direction, forest plot, principles and services.

Each plan reads the derived figures (``OutcomeFigures.judgement``, ``change``, ``effect``) and the
rules in ``synthesis``; nothing is computed again here, only chosen, ordered and put in words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.charts.plans import ChartPlan, example_note
from generator.charts.synthesis_specs import (
    effect_direction_spec,
    forest_spec,
    principles_services_spec,
)
from generator.figures.catalogue import CaseEntry
from generator.figures.derive import OutcomeFigures
from generator.figures.synthesis import (
    SIGN_TEST_MINIMUM,
    ColumnTally,
    cell_direction,
    largest_n,
    share_improved,
    size_bin,
    tally,
)
from generator.figures.uncertainty import Interval
from generator.figures.words import CERTAINTY_LABELS, LEVEL_WORDS, format_ends, format_number
from generator.schema import codes, label

ABOUT_PANELS = {"service": "Outcomes for the service", "participants": "Outcomes for participants"}
DIRECTION_WORDS = {
    "improved": "Improved",
    "worsened": "Worsened",
    "mixed": "Mixed",
    "no-change": "No change",
}
SIZE_WORDS = {
    "under 50": "under 50",
    "50 to 300": "50 to 300",
    "over 300": "over 300",
    "unknown": "not recorded",
}
GOOD_SCORE = 3.0
DASH = "\u2013"
NO_POOLING_LINK = ("method/", "no-pooled-average", "Why there is no pooled average")


def design_rank(case: CaseEntry) -> int:
    """Return a case's place when designs go strongest first: randomised is 0."""
    strongest_first = list(reversed(codes("evaluation", "design")))
    return strongest_first.index(case.data["evaluation"]["design"])


def case_name(case: CaseEntry) -> str:
    """Return a case's title, marked when it is an illustrative example or a summary."""
    if case.is_summary:
        return case.title + " (summary of a published evaluation)"
    return case.title + (" (illustrative example)" if case.is_example else "")


SHORT_NAME_MINIMUM = 8  # characters kept at least: "Ekjut (Chakradharpur, Jharkhand)" stays whole


def short_name(organisation: str) -> str:
    """Return an organisation's name up to its first aside: "Well London Alliance (London
    Health Commission, ...)" is "Well London Alliance". Charts show it; tables the full title."""
    depth = 0
    for at, character in enumerate(organisation):
        aside = organisation.startswith((" (", ", ", " with "), at) and depth == 0
        if aside and at >= SHORT_NAME_MINIMUM:
            return organisation[:at]
        depth += {"(": 1, ")": -1}.get(character, 0)
    return organisation


def chart_names(cases: list[CaseEntry]) -> dict[str, tuple[str, str]]:
    """Return two short label lines per case id: its organisation, then start year (and example)."""
    names: dict[str, tuple[str, str]] = {}
    taken: set[tuple[str, str]] = set()
    for case in sorted(cases, key=lambda c: c.id):
        second = f"{case.start_year}, example" if case.is_example else str(case.start_year)
        second = f"{case.start_year}, summary" if case.is_summary else second
        name, n = (short_name(case.data["organisation"]["name"]), second), 1
        while name in taken:  # two cases of one organisation starting in one year
            n += 1
            name = (name[0], f"{second} [{n}]")
        taken.add(name)
        names[case.id] = name
    return names


def design_name(case: CaseEntry) -> str:
    """Return a case's design in the schema's words."""
    return label("evaluation.design", case.data["evaluation"]["design"])


def judged(case: CaseEntry) -> Iterator[tuple[dict[str, Any], OutcomeFigures]]:
    """Yield each outcome of a case that has a verdict, with its figures."""
    for outcome, figures in zip(case.data["outcomes"], case.figures.outcomes, strict=True):
        if figures.judgement is not None:
            yield outcome, figures


def format_p(p_value: float | None) -> str:
    """Write a sign test P to three decimals, or a dash when it is not shown."""
    if p_value is None:
        return "\u2013"
    return "P < 0.001" if p_value < 0.001 else f"P = {p_value:.3f}"


def _whole_percent_range(interval: Interval | None, unit: str = "", sep: str = " to ") -> str:
    """Write a Wilson range of a share of cases in whole percent, "55 to 95%", or a dash."""
    if interval is None:
        return "\u2013"
    return f"{format_number(round(interval.low))}{sep}{format_number(round(interval.high))}{unit}"


def signed(value: float) -> str:
    """Write a change with its sign (a typographic minus) and at most two decimals: +23, 0."""
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "")  # typographic minus
    return sign + format_number(abs(value))


def plural(number: int, noun: str) -> str:
    """Return a number with its noun, plural unless the number is 1."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# a. Effect direction plot


@dataclass(frozen=True)
class DirectionCell:
    """One case's direction in one outcome domain."""

    case: CaseEntry
    about: str
    domain: str
    verdicts: tuple[str, ...]
    direction: str
    largest_n: int | None


def direction_cells(cases: list[CaseEntry]) -> list[DirectionCell]:
    """Return a cell per case and domain with a verdict, designs strongest first."""
    cells = []
    for case in sorted(cases, key=lambda c: (design_rank(c), c.title.lower(), c.id)):
        groups: dict[tuple[str, str], list[tuple[dict[str, Any], OutcomeFigures]]] = {}
        for outcome, figures in judged(case):
            groups.setdefault((outcome["about"], outcome["domain"]), []).append((outcome, figures))
        for (about, domain), members in groups.items():
            verdicts = tuple(f.judgement[0] for _, f in members if f.judgement)
            n = largest_n(o for o, _ in members)
            cells.append(DirectionCell(case, about, domain, verdicts, cell_direction(verdicts), n))
    return cells


def column_order(cells: list[DirectionCell]) -> list[tuple[str, str]]:
    """Return (about, domain) columns in the schema's order, service outcomes first."""
    domains = codes("outcomes", "*", "domain")
    present = {(c.about, c.domain) for c in cells}
    return [(a, d) for a in ABOUT_PANELS for d in domains if (a, d) in present]


def _cell_row(cell: DirectionCell, names: dict[str, tuple[str, str]]) -> dict[str, Any]:
    counts = {v: cell.verdicts.count(v) for v in ("improved", "worsened", "no-change")}
    size = size_bin(cell.largest_n)
    return {
        "panel": ABOUT_PANELS[cell.about],
        "design": design_name(cell.case),
        "rank": design_rank(cell.case),
        "case": "\n".join(names[cell.case.id]),
        "title": case_name(cell.case),
        "domain": label("outcomes.*.domain", cell.domain),
        "direction": DIRECTION_WORDS[cell.direction],
        "size": SIZE_WORDS[size],
        "known": size != "unknown",
        "outcomes": f"{counts['improved']} improved, {counts['worsened']} worsened, "
        f"{counts['no-change']} no change",
        "n": "" if cell.largest_n is None else format_number(cell.largest_n),
    }


def _tally_row(panel: str, domain: str, counted: ColumnTally) -> dict[str, Any]:
    share = f"{round(100 * counted.improved / counted.total)}%" if counted.total else "\u2013"
    return {
        "panel": panel,
        "domain": domain,
        "improved": f"{counted.improved} of {counted.total}",
        "total": counted.total,
        "share": share,
        "range": _whole_percent_range(counted.interval, sep="\u2013"),
        "p": format_p(counted.p_value),
    }


def effect_direction(cases: list[CaseEntry]) -> ChartPlan:
    """Plan the effect direction plot: a row per case, a column per domain, k of m under each."""
    cells = direction_cells(cases)
    names = chart_names(cases)
    rows = [_cell_row(cell, names) for cell in cells]
    tallies = []
    for about, domain in column_order(cells):
        counted = tally(c.direction for c in cells if (c.about, c.domain) == (about, domain))
        tallies.append(_tally_row(ABOUT_PANELS[about], label("outcomes.*.domain", domain), counted))
    table = tuple(
        (r["domain"], r["panel"], r["title"], r["design"], r["direction"], r["outcomes"], r["n"])
        for r in rows
    )
    summary = tuple(
        (t["domain"], t["panel"], t["improved"], t["share"], t["range"], t["p"]) for t in tallies
    )
    without = sum(1 for case in cases if not any(True for _ in judged(case)))
    return ChartPlan(
        "effect-direction",
        "Effect direction: which outcome domains improved, case by case",
        _direction_description(tallies, without),
        (
            "Outcome domain",
            "Outcomes for",
            "Case",
            "Design",
            "Direction",
            "Outcomes counted",
            "Largest n",
        ),
        table,
        effect_direction_spec(rows, tallies),
        example_note=example_note(cases),
        summary_title="Cases improved in each outcome domain",
        summary_columns=(
            "Outcome domain",
            "Outcomes for",
            "Cases improved (k of m)",
            "Share improved",
            "95% range (Wilson)",
            "Sign test",
        ),
        summary_rows=summary,
        method=_direction_method(tallies),
        narrow=effect_direction_spec(rows, tallies, narrow=True),
    )


def _direction_description(tallies: list[dict[str, Any]], without: int) -> str:
    """Say in plain words what the effect direction plot shows, then each column's count."""
    return (
        "Each row is a case, grouped by how it was evaluated, strongest design first; each "
        "column is an outcome domain (on a narrow screen, a few columns at a time). An arrow "
        "up means most of the case's outcomes in that domain improved; down, that most "
        "worsened; sideways, that they were mixed or did not change. A bigger arrow means more "
        "people were measured; a hollow one, that the number was not recorded. Under each "
        "column: how many of the cases with an up or down arrow improved. "
        + (
            _column_counts(tallies, _column_words)
            if tallies
            else "No case has an outcome measured before and after. "
        )
        + (
            f"{plural(without, 'case')} with no outcome measured before and after "
            f"{'has' if without == 1 else 'have'} no row."
            if without
            else ""
        )
    ).strip()


def _direction_method(tallies: list[dict[str, Any]]) -> str:
    """Say how the effect direction plot is worked out, with each column's range and P."""
    return (
        "This is the effect direction plot of the SWiM guideline (synthesis without "
        "meta-analysis). An arrow points up when 70% or more of the case's outcomes in the "
        "domain improved, down when 70% or more worsened, sideways otherwise. Each outcome "
        "counts by its verdict (against the comparison group where there is one), whether its "
        "change is clear, could be chance or was not tested for chance. Arrow size is the "
        "largest number measured (n): under 50, 50 to 300, over 300. Under each column, k of m "
        "counts only up and down arrows; the share's 95% range is Wilson's; where m is "
        f"{SIGN_TEST_MINIMUM} or more, a two-sided sign test gives P: a small P says that so "
        "many cases pointing one way would be unlikely by chance alone, not how large the "
        "change was. " + (_column_counts(tallies, _column_method) if tallies else "")
    ).strip()


def _column_counts(tallies: list[dict[str, Any]], words: Any) -> str:
    """Say each column in words, panel by panel: "for the service, satisfaction 4 of 4 ..."."""
    parts = []
    for panel in ABOUT_PANELS.values():
        columns = [words(t) for t in tallies if t["panel"] == panel]
        if columns:
            parts.append(f"{panel.replace('Outcomes ', '')}, " + ", ".join(columns))
    return "Cases improved: " + "; ".join(parts) + ". "


def _column_words(tally_row: dict[str, Any]) -> str:
    """Say one column's count: "satisfaction 4 of 4"."""
    return f"{tally_row['domain'].lower()} {tally_row['improved']}"


def _column_method(tally_row: dict[str, Any]) -> str:
    """Say one column's k of m, with its range and sign test where there are any."""
    extras = []
    if tally_row["total"]:
        extras.append(f"95% range {tally_row['range'].replace(DASH, ' to ')}%")
    if tally_row["p"] != DASH:
        extras.append(f"sign test {tally_row['p']}")
    words = f"{tally_row['domain'].lower()} {tally_row['improved']}"
    return words + (f" ({', '.join(extras)})" if extras else "")


# b. Forest plot of percentage-point changes and effects


@dataclass(frozen=True)
class ForestRow:
    """One percentage outcome's change, or its effect against a comparison group."""

    case: CaseEntry
    outcome: dict[str, Any]
    kind: str  # "change" or "effect"
    value: float
    interval: Interval | None
    certainty: str
    level: str = ""  # certainty of the evidence, where the figure is the one judged


POINT_STATISTICS = ("difference", "difference-in-differences", "risk-difference")


def forest_rows(cases: list[CaseEntry]) -> list[ForestRow]:
    """Return every percentage outcome whose effect is in percentage points.

    An effect the authors report as a ratio (an odds ratio, say) has no place on this axis; the
    hub's own figure in points stands in for it where there is one.
    """
    found = []
    for case in cases:
        for outcome, figures in judged(case):
            if outcome["unit"] != "percent":
                continue  # one unit per chart: percentage points only
            effect = next(
                (
                    e
                    for e in (figures.effect, figures.hub)
                    if e is not None and e.value is not None and e.statistic in POINT_STATISTICS
                ),
                None,
            )
            if effect is not None and effect.value is not None:
                kind = "effect" if effect.design == "comparison" else "change"
                judged_level = figures.certainty.level if figures.certainty else ""
                level = judged_level if effect is figures.effect else ""
                found.append(
                    ForestRow(
                        case, outcome, kind, effect.value, effect.interval, effect.certainty, level
                    )
                )
    return found


def turned(row: ForestRow) -> tuple[float, float | None, float | None]:
    """Return the value and interval signed so that improvement is positive."""
    sign = 1 if row.outcome["better"] == "higher" else -1
    if row.interval is None:
        return sign * row.value + 0.0, None, None
    low, high = sorted((sign * row.interval.low, sign * row.interval.high))
    return sign * row.value + 0.0, low + 0.0, high + 0.0


def _forest_row(row: ForestRow, order: int, names: dict[str, tuple[str, str]]) -> dict[str, Any]:
    value, low, high = turned(row)
    what = "Effect against comparison" if row.kind == "effect" else "Change"
    return {
        "domain": label("outcomes.*.domain", row.outcome["domain"]),
        "order": order,
        "case": names[row.case.id][0],
        "when": names[row.case.id][1],
        "measure": row.outcome["measure"],
        "kind": what,
        "value": value,
        "low": low,
        "high": high,
        "certainty": CERTAINTY_LABELS[row.certainty],
    }


def _forest_table_row(row: ForestRow) -> tuple[str, ...]:
    better = "Higher" if row.outcome["better"] == "higher" else "Lower"
    return (
        label("outcomes.*.domain", row.outcome["domain"]),
        case_name(row.case),
        design_name(row.case),
        row.outcome["measure"],
        "Effect against the comparison group" if row.kind == "effect" else "Change after",
        signed(row.value),
        format_ends(row.interval) if row.interval else DASH,
        better,
        CERTAINTY_LABELS[row.certainty],
        LEVEL_WORDS.get(row.level, "The hub's figure beside the authors' ratio"),
    )


def forest(cases: list[CaseEntry]) -> ChartPlan:
    """Plan the forest plot: a panel per domain, each percentage change with its 95% range."""
    domains = codes("outcomes", "*", "domain")
    found = sorted(
        forest_rows(cases),
        key=lambda r: (
            list(ABOUT_PANELS).index(r.outcome["about"]),  # service outcomes first, as above
            domains.index(r.outcome["domain"]),
            design_rank(r.case),
            -turned(r)[0],
            r.case.title.lower(),
            r.outcome["measure"],
        ),
    )
    names = chart_names(cases)
    rows = [_forest_row(row, order, names) for order, row in enumerate(found)]
    counts = {w: sum(1 for r in found if r.certainty == w) for w in CERTAINTY_LABELS}
    effects = sum(1 for r in found if r.kind == "effect")
    description = (
        "Each line is one outcome measured in percent: how many percentage points it changed, "
        "with its 95% range; one panel per outcome domain, cases with the strongest designs "
        "first. Improvement is always to the right of the short upright mark on each line, "
        "which means no change (outcomes where lower is better are turned round). Where a "
        "case has a comparison group, the line shows how much more the participants changed "
        "than that group. A filled circle's range leaves out no change; a hollow circle's "
        "includes it, so the change could be chance; a hollow diamond has no range (not tested "
        "for chance). "
        + (
            f"Of {plural(len(found), 'outcome')} ({effects} of them against a comparison "
            f"group): {counts['clear']} with a range that leaves out no change, "
            f"{counts['could-be-chance']} could be chance, {counts['not-tested']} not tested "
            "for chance. "
            if found
            else "No outcome in percent has been measured before and after yet. "
        )
        + "There is no pooled average: the cases chose themselves and most designs have no "
        "comparison group, so an average of their changes would look more certain than it is."
    )
    method = (
        "Against a comparison group, the figure is the effect: the participants' change minus "
        "the comparison group's (difference in differences), or the difference between the "
        "groups after randomisation; without one, the change since baseline. A change's 95% "
        "range is Newcombe's for two proportions (Zou and Donner's for the difference of two "
        "changes), from the numbers of respondents; with no number of respondents there is no "
        "range. The table gives each figure's certainty of evidence (GRADE)."
    )
    return ChartPlan(
        "forest",
        "Percentage-point changes with their 95% ranges, by outcome domain",
        description,
        (
            "Outcome domain",
            "Case",
            "Design",
            "Measure",
            "Figure",
            "Percentage points",
            "95% range",
            "Better is",
            "95% range and no change",
            "Certainty of evidence",
        ),
        tuple(_forest_table_row(row) for row in found),
        forest_spec(rows),
        example_note=example_note(cases),
        more=NO_POOLING_LINK,
        method=method,
    )


# c. Does better co-production go with better services?


@dataclass(frozen=True)
class ScoreRow:
    """A case's principles score beside how its service outcomes went."""

    case: CaseEntry
    score: float
    outcomes: int
    improved: int
    clear: int
    share: float


def score_rows(cases: list[CaseEntry]) -> list[ScoreRow]:
    """Return each case with a principles score and at least one service outcome with a verdict."""
    found = []
    for case in cases:
        score = case.figures.principles.score
        judgements = [f.judgement for o, f in judged(case) if o["about"] == "service"]
        share = share_improved([j[0] for j in judgements if j])
        if score is None or share is None:
            continue
        improved = [j for j in judgements if j and j[0] == "improved"]
        clear = sum(1 for j in improved if j[1] == "clear")
        found.append(ScoreRow(case, score, len(judgements), len(improved), clear, share))
    return sorted(found, key=lambda r: (r.score, r.share, r.case.title.lower()))


def _score_row(row: ScoreRow, names: dict[str, tuple[str, str]]) -> dict[str, Any]:
    return {
        "case": ", ".join(names[row.case.id]),
        "score": round(row.score, 2),
        "share": round(100 * row.share, 1),
        "outcomes": row.outcomes,
        "improved": row.improved,
        "clear": row.clear,
    }


def _score_table_row(row: ScoreRow) -> tuple[str, ...]:
    return (
        case_name(row.case),
        design_name(row.case),
        format_number(round(row.score, 2)),
        str(row.outcomes),
        str(row.improved),
        f"{round(100 * row.share)}%",
        str(row.clear),
    )


def _most_improved(rows: list[ScoreRow]) -> int:
    """Return how many cases had more than half their service outcomes improve."""
    return sum(1 for r in rows if r.share > 0.5)


def principles_services(cases: list[CaseEntry]) -> ChartPlan:
    """Plan principles score against service outcomes: counted and described, never tested."""
    found = score_rows(cases)
    names = chart_names(cases)
    high = [r for r in found if r.score >= GOOD_SCORE]
    low = [r for r in found if r.score < GOOD_SCORE]
    counts = (
        f"Of the {plural(len(high), 'case')} with a principles score of 3 or more, "
        f"{_most_improved(high)} had most of their service outcomes improve; of the "
        f"{len(low)} below 3, {_most_improved(low)} did."
    )
    description = (
        "Each circle is a case: across, its principles score (the mean of its known ratings, 1 to "
        "4); up, the share of its service outcomes that improved; its size, how many service "
        "outcomes it has with an effect. Circles at the same place are set slightly apart. "
        + (
            counts
            if found
            else "No case has both a principles score and a service outcome measured before and after."
        )
        + (
            f" This is not a test: {plural(len(found), 'case')}, each chose to publish and rated "
            "its own principles, so the picture may not hold elsewhere, and a link here would be "
            "an association, not a cause."
            if found
            else ""
        )
    )
    return ChartPlan(
        "principles-services",
        "Does better co-production go with better services?",
        description,
        (
            "Case",
            "Design",
            "Principles score (1 to 4)",
            "Service outcomes with a verdict",
            "Improved",
            "Share improved",
            "Of which the range leaves out no change",
        ),
        tuple(_score_table_row(row) for row in found),
        principles_services_spec([_score_row(row, names) for row in found]),
        example_note=example_note(cases),
        method="An outcome counts as improved whatever its certainty: whether its 95% range "
        "leaves out no change, includes it, or was not tested for chance (the table gives how "
        "many leave out no change). The dashed lines mark a score of 3 and half the outcomes "
        "improved. Nothing is tested: the chart shows an association, if any, not a cause.",
    )
