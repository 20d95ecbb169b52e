"""The columns of the CSV downloads, each documented for the codebook and the data package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.figures.catalogue import CaseEntry
from generator.figures.derive import CaseFigures
from generator.figures.words import LEVEL_WORDS, STATISTIC_WORDS
from generator.schema import codes_of, load_schema, walk
from generator.vocabulary import PRINCIPLES


@dataclass(frozen=True)
class Column:
    """One column of a CSV export, documented for the codebook and the data package."""

    name: str
    type: str  # Frictionless type: string, integer, number, date, boolean
    description: str
    codes_from: tuple[str, ...] = ()  # schema field pattern whose codes constrain the column
    get: Callable[[CaseEntry], Any] | None = None


def _codes(pattern: tuple[str, ...]) -> list[tuple[str, str]]:
    nodes = dict(walk(load_schema()))
    return [(c.code, c.label) for c in codes_of(nodes[pattern])] if pattern in nodes else []


def _joined(values: list[str]) -> str:
    return ";".join(values)


CASE_COLUMNS: tuple[Column, ...] = (
    Column("id", "string", "The case's stable identifier.", get=lambda c: c.id),
    Column("title", "string", "The project's title.", get=lambda c: c.title),
    Column(
        "status",
        "string",
        "published (real, by the organisation), summary (real, written from a published "
        "evaluation) or example (invented; not evidence).",
        ("status",),
        lambda c: c.data["status"],
    ),
    Column(
        "submitted",
        "string",
        "When first published here (YYYY, YYYY-MM or YYYY-MM-DD).",
        get=lambda c: c.data["submitted"],
    ),
    Column(
        "updated",
        "string",
        "Last substantive change, if any.",
        get=lambda c: c.data.get("updated", ""),
    ),
    Column(
        "licence",
        "string",
        "Licence of the case study's content.",
        ("licence",),
        lambda c: c.data["licence"],
    ),
    Column(
        "organisation",
        "string",
        "Who ran the co-production.",
        get=lambda c: c.data["organisation"]["name"],
    ),
    Column(
        "organisation_type",
        "string",
        "Kind of organisation.",
        ("organisation", "type"),
        lambda c: c.data["organisation"]["type"],
    ),
    Column("service", "string", "The service's name.", get=lambda c: c.data["service"]["name"]),
    Column(
        "service_area",
        "string",
        "Area of public service.",
        ("service", "area"),
        lambda c: c.data["service"]["area"],
    ),
    Column(
        "service_kind",
        "string",
        "existing (redesigned) or new.",
        ("service", "kind"),
        lambda c: c.data["service"]["kind"],
    ),
    Column(
        "country",
        "string",
        "ISO 3166-1 alpha-2 country code.",
        ("service", "country"),
        lambda c: c.data["service"]["country"],
    ),
    Column(
        "region", "string", "Region, if given.", get=lambda c: c.data["service"].get("region", "")
    ),
    Column(
        "coproduction_start",
        "string",
        "When the co-production started.",
        get=lambda c: c.data["coproduction"]["start"],
    ),
    Column(
        "coproduction_end",
        "string",
        "When it ended; empty while ongoing.",
        get=lambda c: c.data["coproduction"].get("end", ""),
    ),
    Column(
        "level",
        "string",
        "Highest rung reached on the ladder of co-production.",
        ("coproduction", "level"),
        lambda c: c.data["coproduction"]["level"],
    ),
    Column(
        "stages",
        "string",
        "Stages covered, separated by semicolons.",
        get=lambda c: _joined(c.data["coproduction"]["stages"]),
    ),
    Column(
        "participant_groups",
        "string",
        "Groups who took part, separated by semicolons.",
        get=lambda c: _joined([p["group"] for p in c.data["coproduction"]["participants"]]),
    ),
    Column(
        "participants",
        "integer",
        "Number of participants, where every group gave a count; empty otherwise.",
        get=lambda c: _total_participants(c),
    ),
    Column(
        "reciprocity",
        "string",
        "What participants received back, separated by semicolons.",
        get=lambda c: _joined(c.data["coproduction"].get("reciprocity", [])),
    ),
    Column(
        "evaluator",
        "string",
        "Who evaluated.",
        ("evaluation", "evaluator"),
        lambda c: c.data["evaluation"]["evaluator"],
    ),
    Column(
        "design",
        "string",
        "Evaluation design.",
        ("evaluation", "design"),
        lambda c: c.data["evaluation"]["design"],
    ),
    Column(
        "methods",
        "string",
        "Methods used, separated by semicolons.",
        get=lambda c: _joined(c.data["evaluation"]["methods"]),
    ),
    *(
        Column(
            f"principle_{name}",
            "string",
            f"Rating of the {name} principle.",
            ("principles", name, "rating"),
            (lambda n: lambda c: c.data["principles"][n]["rating"])(name),
        )
        for name in PRINCIPLES
    ),
    Column(
        "principles_score",
        "number",
        "Mean of the known principle ratings, 1-4; empty when all are unknown.",
        get=lambda c: _score(c.figures),
    ),
    Column(
        "principles_unknown",
        "integer",
        "How many principles were rated unknown.",
        get=lambda c: c.figures.principles.unknown,
    ),
    Column(
        "evidence_strength",
        "integer",
        "Evidence strength, 1 (described) to 5 (independently compared).",
        get=lambda c: c.figures.evidence.level,
    ),
    Column(
        "evidence_strength_name",
        "string",
        "Name of the evidence strength level.",
        get=lambda c: c.figures.evidence.name,
    ),
    Column(
        "outcomes", "integer", "Number of outcomes reported.", get=lambda c: len(c.data["outcomes"])
    ),
    Column(
        "outcomes_measured",
        "integer",
        "Outcomes with a baseline and a result.",
        get=lambda c: sum(1 for f in c.figures.outcomes if f.change),
    ),
    Column(
        "outcomes_with_effect",
        "integer",
        "Outcomes with an effect to judge: the authors' reported estimate, a comparison with a "
        "group that did not take part, or a change since baseline.",
        get=lambda c: sum(1 for f in c.figures.outcomes if f.effect),
    ),
    Column(
        "outcomes_improved",
        "integer",
        "Of those, how many improved by their effect (against the comparison group where there "
        "is one), whatever its certainty.",
        get=lambda c: _effects(c, verdict="improved"),
    ),
    Column(
        "outcomes_worsened",
        "integer",
        "Of those, how many worsened by their effect, whatever its certainty.",
        get=lambda c: _effects(c, verdict="worsened"),
    ),
    Column(
        "outcomes_clearly_improved",
        "integer",
        "Of the outcomes with an effect, how many improved with a 95% interval that leaves out "
        "no change.",
        get=lambda c: _effects(c, verdict="improved", certainty="clear"),
    ),
    Column(
        "outcomes_clearly_worsened",
        "integer",
        "Of the outcomes with an effect, how many worsened with a 95% interval that leaves out "
        "no change.",
        get=lambda c: _effects(c, verdict="worsened", certainty="clear"),
    ),
    Column(
        "outcomes_unclear",
        "integer",
        "Of the outcomes with an effect, how many have a 95% interval that includes no change "
        "(could be chance).",
        get=lambda c: _effects(c, certainty="could-be-chance"),
    ),
    Column(
        "outcomes_not_tested",
        "integer",
        "Of the outcomes with an effect, how many could not be tested for chance (no interval).",
        get=lambda c: _effects(c, certainty="not-tested"),
    ),
    *(
        Column(
            f"outcomes_{level.replace('-', '_')}_certainty",
            "integer",
            f"Of the outcomes with an effect, how many have {words.lower()} certainty of "
            "evidence (see evidence_certainty in outcomes.csv).",
            get=(lambda lv: lambda c: _effects(c, level=lv))(level),
        )
        for level, words in LEVEL_WORDS.items()
    ),
)


def _effects(case: CaseEntry, *, verdict: str = "", certainty: str = "", level: str = "") -> int:
    """Count a case's outcomes whose effect has the given verdict, certainty and level."""
    return sum(
        1
        for f in case.figures.outcomes
        if f.effect is not None
        and verdict in ("", f.effect.verdict)
        and certainty in ("", f.effect.certainty)
        and level in ("", f.certainty.level if f.certainty else "")
    )


OUTCOME_COLUMNS: tuple[Column, ...] = (
    Column("case_id", "string", "The case's identifier (evaluations.csv id)."),
    Column(
        "case_status",
        "string",
        "published, summary (of a published evaluation) or example (invented; not evidence).",
        ("status",),
    ),
    Column(
        "service_area",
        "string",
        "The case's service area (repeated from evaluations.csv for convenience).",
        ("service", "area"),
    ),
    Column(
        "evidence_strength",
        "integer",
        "The case's evidence strength, 1 to 5 (repeated from evaluations.csv).",
    ),
    Column("outcome", "integer", "Position of the outcome in the case, from 1."),
    Column(
        "about",
        "string",
        "Outcome for participants or for the service.",
        ("outcomes", "*", "about"),
    ),
    Column("domain", "string", "Outcome domain.", ("outcomes", "*", "domain")),
    Column("group", "string", "Whose outcome, if given.", ("outcomes", "*", "group")),
    Column("measure", "string", "What was measured, in plain words."),
    Column("unit", "string", "Unit of the measure.", ("outcomes", "*", "unit")),
    Column("better", "string", "Which direction is an improvement.", ("outcomes", "*", "better")),
    Column("kind", "string", "baseline (before) or result (after).", ()),
    Column("date", "string", "When it was measured (YYYY, YYYY-MM or YYYY-MM-DD)."),
    Column("value", "number", "The measured value, in the unit."),
    Column("n", "integer", "Respondents or cases the value is based on, if given."),
    Column(
        "follow_up_months",
        "integer",
        "For results: months after the co-production ended (negative while it ran); empty while ongoing.",
    ),
    Column("target", "number", "Target set for the outcome, if any."),
    Column(
        "outcome_change",
        "number",
        "Latest result minus baseline, in the unit (percentage points for percent); same on every row of the outcome.",
    ),
    Column("outcome_verdict", "string", "improved, worsened or no-change, following better."),
    Column("target_status", "string", "met or not-met against the target, by the latest result."),
    Column("note", "string", "Note on this measurement."),
    Column(
        "measured_in",
        "string",
        "participants (the people or service that took part) or comparison (a group that did not).",
    ),
    Column("sd", "number", "Standard deviation of the values behind a mean, if given."),
    Column(
        "range_low",
        "number",
        "For a percentage with n: the low end of its 95% Wilson range, in percent.",
    ),
    Column(
        "range_high", "number", "For a percentage with n: the high end of its 95% Wilson range."
    ),
    Column(
        "change_low",
        "number",
        "Low end of the 95% interval of the outcome's change (see change_scale); empty when not tested.",
    ),
    Column("change_high", "number", "High end of the 95% interval of the outcome's change."),
    Column(
        "change_scale",
        "string",
        "difference (in the unit; percentage points for percent) or ratio (latest / baseline, for counts).",
    ),
    Column(
        "change_certainty",
        "string",
        "clear (the interval excludes no change), could-be-chance, or not-tested (no interval).",
    ),
    Column(
        "change_pomp",
        "number",
        "For scores with a scale: the change as percent of the scale's range (POMP).",
    ),
    Column("comparison_label", "string", "Who the comparison group is, if the outcome has one."),
    Column(
        "effect",
        "number",
        "The effect the outcome is judged by, chosen in the contract's order: the authors' "
        "reported estimate (on its own scale), else against the comparison group (difference in "
        "differences, or the difference at the latest result), else a paired change, else the "
        "change since baseline; see effect_statistic and effect_source. Same on every row of the "
        "outcome; empty where there is none or none can be formed.",
    ),
    Column("effect_low", "number", "Low end of the effect's 95% interval."),
    Column("effect_high", "number", "High end of the effect's 95% interval."),
    Column("effect_scale", "string", "difference (no change is 0) or ratio (no change is 1)."),
    Column(
        "effect_certainty",
        "string",
        "clear (the 95% interval leaves out no change), could-be-chance, or not-tested; the "
        "effect, not the change alone, decides the outcome's verdict.",
    ),
    Column(
        "effect_pomp",
        "number",
        "For scores with a scale: the effect as percent of the scale's range.",
    ),
    Column(
        "effect_statistic",
        "string",
        "What the effect is: the authors' statistic, or what the hub worked out.",
    ),
    Column(
        "effect_source",
        "string",
        "reported (the authors' own estimate) or hub (worked out here from the figures).",
    ),
    Column(
        "effect_verdict",
        "string",
        "improved, worsened or no-change: the effect's direction, following better.",
    ),
    Column(
        "evidence_certainty",
        "string",
        "Certainty of the evidence for the effect (GRADE, simplified; see the method page): "
        "high, moderate, low or very-low.",
    ),
    Column(
        "hub_effect",
        "number",
        "Where the effect is reported: the hub's own figure from the published numbers, beside it.",
    ),
    Column("hub_effect_low", "number", "Low end of the hub's own figure's 95% interval."),
    Column("hub_effect_high", "number", "High end of the hub's own figure's 95% interval."),
    Column("count", "integer", "For percentages: how many of n the value stands for, if given."),
    Column(
        "sd_change",
        "number",
        "On a result of a paired outcome: the standard deviation of each person's change.",
    ),
)
KIND_CODES = [("baseline", "Baseline"), ("result", "Result")]
VERDICT_CODES = [("improved", "Improved"), ("worsened", "Worsened"), ("no-change", "No change")]
TARGET_CODES = [("met", "Target met"), ("not-met", "Target not met")]
CERTAINTY_CODES = [
    ("clear", "Leaves out no change: the 95% interval excludes no change"),
    ("could-be-chance", "Could be chance: the 95% interval includes no change"),
    ("not-tested", "Not tested for chance: no interval"),
]
SCALE_CODES = [("difference", "Difference"), ("ratio", "Ratio")]
MEASURED_IN_CODES = [("participants", "Participants"), ("comparison", "Comparison group")]
EXTRA_CODES = {
    "kind": KIND_CODES,
    "outcome_verdict": VERDICT_CODES,
    "target_status": TARGET_CODES,
    "measured_in": MEASURED_IN_CODES,
    "change_scale": SCALE_CODES,
    "change_certainty": CERTAINTY_CODES,
    "effect_scale": SCALE_CODES,
    "effect_certainty": CERTAINTY_CODES,
    "effect_statistic": [(code, words) for code, words in STATISTIC_WORDS.items()],
    "effect_source": [("reported", "Reported by the authors"), ("hub", "Worked out by the hub")],
    "effect_verdict": VERDICT_CODES,
    "evidence_certainty": [(level, words) for level, words in LEVEL_WORDS.items()],
}


def _total_participants(case: CaseEntry) -> int | str:
    counts = [p.get("count") for p in case.data["coproduction"]["participants"]]
    return sum(counts) if all(isinstance(n, int) for n in counts) else ""


def _score(figures: CaseFigures) -> float | str:
    return "" if figures.principles.score is None else round(figures.principles.score, 4)


def column_codes(column: Column) -> list[tuple[str, str]]:
    """Return the codes (with labels) a column may hold, or an empty list for free values."""
    return EXTRA_CODES.get(column.name) or (_codes(column.codes_from) if column.codes_from else [])


SYNTHESIS_COLUMNS: tuple[Column, ...] = (
    Column(
        "instrument",
        "string",
        "The validated instrument the pooled cases share.",
        ("outcomes", "*", "instrument"),
    ),
    Column(
        "design_family",
        "string",
        "randomised (randomised comparisons) or non-randomised (everything else): never pooled together.",
    ),
    Column("k", "integer", "How many published or summary cases are pooled (examples never are)."),
    Column("cases", "string", "The pooled cases' ids, separated by semicolons."),
    Column("method", "string", "How they are pooled."),
    Column("estimate", "number", "The random-effects estimate, in the instrument's points."),
    Column("low", "number", "Low end of its 95% interval."),
    Column("high", "number", "High end of its 95% interval."),
    Column("tau2", "number", "Between-case variance (tau-squared), DerSimonian-Laird."),
    Column(
        "i2",
        "number",
        "I-squared, in percent: the share of variation between cases not due to chance.",
    ),
    Column(
        "pi_low",
        "number",
        "Low end of the 95% prediction interval (t on k - 2 degrees of freedom).",
    ),
    Column("pi_high", "number", "High end of the 95% prediction interval."),
    Column(
        "evidence_certainty",
        "string",
        "Certainty of the pooled evidence: high, moderate, low or very-low.",
    ),
)
EXTRA_CODES["design_family"] = [
    ("randomised", "Randomised comparisons"),
    ("non-randomised", "Not randomised"),
]
