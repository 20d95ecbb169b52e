"""Open-data exports: lossless JSON, a CSV row per case, a tidy CSV row per measurement, codebook, data package."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from generator.figures.catalogue import CaseEntry, Catalogue
from generator.figures.derive import CaseFigures, OutcomeFigures, measurements_of
from generator.figures.uncertainty import Interval
from generator.schema import codes_of, field_titles, load_schema, walk
from generator.vocabulary import PRINCIPLES

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATA_LICENCE = "CC-BY-4.0"


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
        "published (real) or example (invented; not evidence).",
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
        "outcomes_improved",
        "integer",
        "Of those, how many improved.",
        get=lambda c: sum(
            1 for f in c.figures.outcomes if f.change and f.change.verdict == "improved"
        ),
    ),
    Column(
        "outcomes_clearly_improved",
        "integer",
        "Of the measured outcomes, how many improved with a 95% interval that excludes no change "
        "(against the comparison group where there is one).",
        get=lambda c: _judged(c, ("improved", "clear")),
    ),
    Column(
        "outcomes_unclear",
        "integer",
        "Of the measured outcomes, how many changed by an amount that could be chance.",
        get=lambda c: sum(
            1 for f in c.figures.outcomes if f.judgement and f.judgement[1] == "could-be-chance"
        ),
    ),
    Column(
        "outcomes_not_tested",
        "integer",
        "Of the measured outcomes, how many could not be tested for chance (no interval).",
        get=lambda c: sum(
            1 for f in c.figures.outcomes if f.judgement and f.judgement[1] == "not-tested"
        ),
    ),
)


def _judged(case: CaseEntry, judgement: tuple[str, str]) -> int:
    """Count a case's outcomes with the given (verdict, certainty)."""
    return sum(1 for f in case.figures.outcomes if f.judgement == judgement)


OUTCOME_COLUMNS: tuple[Column, ...] = (
    Column("case_id", "string", "The case's identifier (evaluations.csv id)."),
    Column("case_status", "string", "published or example (invented; not evidence).", ("status",)),
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
        "Participants' change minus the comparison group's (difference in differences), or for "
        "counts the ratio of their ratios; same on every row of the outcome.",
    ),
    Column("effect_low", "number", "Low end of the effect's 95% interval."),
    Column("effect_high", "number", "High end of the effect's 95% interval."),
    Column("effect_scale", "string", "difference or ratio, as change_scale."),
    Column(
        "effect_certainty",
        "string",
        "clear, could-be-chance or not-tested; where there is an effect it, not the change alone, "
        "decides the outcome's certainty.",
    ),
    Column(
        "effect_pomp",
        "number",
        "For scores with a scale: the effect as percent of the scale's range.",
    ),
)
KIND_CODES = [("baseline", "Baseline"), ("result", "Result")]
VERDICT_CODES = [("improved", "Improved"), ("worsened", "Worsened"), ("no-change", "No change")]
TARGET_CODES = [("met", "Target met"), ("not-met", "Target not met")]
CERTAINTY_CODES = [
    ("clear", "Clear: the 95% interval excludes no change"),
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
}


def _total_participants(case: CaseEntry) -> int | str:
    counts = [p.get("count") for p in case.data["coproduction"]["participants"]]
    return sum(counts) if all(isinstance(n, int) for n in counts) else ""


def _score(figures: CaseFigures) -> float | str:
    return "" if figures.principles.score is None else round(figures.principles.score, 4)


def inert(value: Any) -> Any:
    """Make a text cell inert in spreadsheets: a leading = + - @ tab or CR gets an apostrophe.

    A number too big for a float (a derived change can overflow) is left empty, not "inf".
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return value


def finite(value: Any) -> Any:
    """Return JSON-ready data with every non-finite float as None (JSON has no inf or nan)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finite(item) for item in value]
    return value


def _csv(columns: tuple[Column, ...], rows: Iterator[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([inert(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def cases_csv(catalogue: Catalogue) -> bytes:
    """Return evaluations.csv: one row per case."""
    return _csv(
        CASE_COLUMNS,
        ([col.get(case) if col.get else "" for col in CASE_COLUMNS] for case in catalogue.cases),
    )


def measurement_rows(catalogue: Catalogue) -> Iterator[list[Any]]:
    """Yield one row per measurement (baseline and each result, both groups) of every outcome."""
    for case in catalogue.cases:
        for outcome, figures in zip(case.data["outcomes"], case.figures.outcomes, strict=True):
            change = figures.change
            shared = [
                outcome.get("target", ""),
                change.absolute if change else "",
                change.verdict if change else "",
                figures.target.status if figures.target else "",
            ]
            head = [
                case.id,
                case.data["status"],
                case.area,
                case.figures.evidence.level,
                figures.index + 1,
                outcome["about"],
                outcome["domain"],
                outcome.get("group", ""),
                outcome["measure"],
                outcome["unit"],
                outcome["better"],
            ]
            uncertainty = _uncertainty_cells(outcome, figures)
            months = dict(enumerate(figures.follow_up_months))
            for path, item in measurements_of(outcome):
                parts = path.split(".")
                kind = "baseline" if parts[-1] == "baseline" else "result"
                month = months.get(int(parts[-1])) if parts[0] == "results" else None
                interval = figures.ranges.get(path)
                yield [
                    *head,
                    *_measurement(kind, item, "" if month is None else month),
                    *shared,
                    item.get("note", ""),
                    "comparison" if parts[0] == "comparison" else "participants",
                    item.get("sd", ""),
                    interval.low if interval else "",
                    interval.high if interval else "",
                    *uncertainty,
                ]


def _uncertainty_cells(outcome: dict[str, Any], figures: OutcomeFigures) -> list[Any]:
    """Return the change's interval, certainty and POMP, then the effect's, as CSV cells."""
    change, effect = figures.change, figures.effect
    comparison = outcome.get("comparison") or {}
    return [
        *_interval_cells(change.interval if change else None),
        change.certainty if change else "",
        _blank(change.pomp if change else None),
        comparison.get("label", ""),
        _blank(effect.value if effect else None),
        *_interval_cells(effect.interval if effect else None),
        effect.certainty if effect else "",
        _blank(effect.pomp if effect else None),
    ]


def _interval_cells(interval: Interval | None) -> list[Any]:
    if interval is None:
        return ["", "", ""]
    return [interval.low, interval.high, interval.scale]


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _measurement(kind: str, item: Mapping[str, Any], months: int | str) -> list[Any]:
    return [kind, item["date"], item["value"], item.get("n", ""), months]


def outcomes_csv(catalogue: Catalogue) -> bytes:
    """Return outcomes.csv: tidy, one row per measurement."""
    return _csv(OUTCOME_COLUMNS, measurement_rows(catalogue))


def derived_figures(figures: CaseFigures) -> dict[str, Any]:
    """Return the derived figures of a case as plain JSON data."""
    return {
        "evidence_strength": asdict(figures.evidence),
        "principles_score": asdict(figures.principles),
        "outcomes": [
            {
                "outcome": f.index + 1,
                "change": _without_none(asdict(f.change), "pomp") if f.change else None,
                **({"effect": _without_none(asdict(f.effect), "pomp")} if f.effect else {}),
                "target_check": asdict(f.target) if f.target else None,
                "follow_up_months": list(f.follow_up_months),
                **({"ranges": {k: asdict(v) for k, v in f.ranges.items()}} if f.ranges else {}),
            }
            for f in figures.outcomes
        ],
        "experience": [
            {"answer": n + 1, "interval": asdict(i) if i else None}
            for n, i in enumerate(figures.experience)
        ],
    }


def _without_none(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Drop the given keys where their value is None (figures that apply to some outcomes only)."""
    return {k: v for k, v in record.items() if not (k in keys and v is None)}


def cases_json(catalogue: Catalogue) -> bytes:
    """Return evaluations.json: every case exactly as written, with derived figures beside it."""
    header = {
        "description": "Co-production evaluation case studies. `case` is each file exactly as written; "
        "`derived` holds the figures the hub computes (see the method page). Cases with "
        "status `example` are invented and are not evidence.",
        "schema_version": 1,
    }
    # One case a line: diffs between builds stay readable, and without `indent` json uses
    # its C encoder (at 1,000 cases, indent=1 spent about 2 s in the Python one).
    cases = ",\n".join(
        _compact({"id": c.id, "case": c.data, "derived": finite(derived_figures(c.figures))})
        for c in catalogue.cases
    )
    head = _compact(header)[:-1]
    return f'{head}, "cases": [\n{cases}\n]}}\n'.encode()


def _compact(value: Any) -> str:
    """Return JSON text on one line, keeping non-ASCII characters as they are."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def column_codes(column: Column) -> list[tuple[str, str]]:
    """Return the codes (with labels) a column may hold, or an empty list for free values."""
    return EXTRA_CODES.get(column.name) or (_codes(column.codes_from) if column.codes_from else [])


def _constraints(column: Column) -> dict[str, Any]:
    codes = column_codes(column)
    return {"enum": [code for code, _ in codes]} if codes else {}


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": column.description,
    }
    if constraints := _constraints(column):
        field["constraints"] = constraints
    return field


def datapackage(catalogue: Catalogue) -> bytes:
    """Return a Frictionless data package describing the two CSVs."""
    licences = sorted({c.data["licence"] for c in catalogue.cases})
    package = {
        "name": "coproduction-evidence-hub",
        "title": "Co-production evidence hub: case studies and outcome measurements",
        "description": "Evaluations of co-produced public services. Rows with status `example` are invented.",
        "licenses": [
            {
                "name": DATA_LICENCE,
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "x_case_licences": licences,
        "resources": [
            _resource(
                "evaluations", "evaluations.csv", "One row per case study.", CASE_COLUMNS, ["id"]
            ),
            _resource(
                "outcomes",
                "outcomes.csv",
                "One row per measurement (baseline or result) of each outcome.",
                OUTCOME_COLUMNS,
                None,
            ),
        ],
    }
    package["resources"][1]["schema"]["foreignKeys"] = [
        {"fields": "case_id", "reference": {"resource": "evaluations", "fields": "id"}}
    ]
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _resource(
    name: str, path: str, description: str, columns: tuple[Column, ...], key: list[str] | None
) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [_field(c) for c in columns], "missingValues": [""]}
    if key:
        schema["primaryKey"] = key
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "schema": schema,
    }


def codebook_rows() -> list[dict[str, str]]:
    """Return the codebook: every column of both CSVs with meaning, type and codes with labels."""
    rows = []
    for file, columns in (("evaluations.csv", CASE_COLUMNS), ("outcomes.csv", OUTCOME_COLUMNS)):
        for column in columns:
            codes = column_codes(column)
            source = field_titles().get(column.codes_from, "") if column.codes_from else ""
            rows.append(
                {
                    "file": file,
                    "column": column.name,
                    "type": column.type,
                    "meaning": column.description,
                    "schema_field": source,
                    "codes": "; ".join(f"{code} = {label}" for code, label in codes)
                    if len(codes) <= 20
                    else f"{len(codes)} codes (see evaluation.schema.json)",
                }
            )
    return rows


def codebook_csv() -> bytes:
    """Return the codebook as CSV."""
    rows = codebook_rows()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: inert(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


def data_files(catalogue: Catalogue) -> dict[str, bytes]:
    """Return every download by its path under data/."""
    schema_text = json.dumps(load_schema(), ensure_ascii=False, indent=2) + "\n"
    return {
        "data/evaluations.json": cases_json(catalogue),
        "data/evaluations.csv": cases_csv(catalogue),
        "data/outcomes.csv": outcomes_csv(catalogue),
        "data/codebook.csv": codebook_csv(),
        "data/datapackage.json": datapackage(catalogue),
        "data/evaluation.schema.json": schema_text.encode("utf-8"),
    }
