"""Open-data exports: lossless JSON, a CSV row per case, a tidy CSV row per measurement, codebook, data package."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from typing import Any

from generator.figures.catalogue import Catalogue
from generator.figures.derive import CaseFigures, OutcomeFigures, measurements_of
from generator.figures.effects import Effect
from generator.figures.pooling import PooledEstimate, syntheses
from generator.figures.uncertainty import Interval, value_of
from generator.schema import field_titles, load_schema
from generator.sharing.columns import (
    CASE_COLUMNS,
    OUTCOME_COLUMNS,
    SYNTHESIS_COLUMNS,
    Column,
    column_codes,
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATA_LICENCE = "CC-BY-4.0"


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
                    *_measurement(kind, item, "" if month is None else month, outcome["unit"]),
                    *shared,
                    item.get("note", ""),
                    "comparison" if parts[0] == "comparison" else "participants",
                    item.get("sd", ""),
                    interval.low if interval else "",
                    interval.high if interval else "",
                    *uncertainty,
                    item.get("count", ""),
                    item.get("sd_change", ""),
                ]


def _uncertainty_cells(outcome: dict[str, Any], figures: OutcomeFigures) -> list[Any]:
    """Return the change's interval, certainty and POMP, then the effect's, as CSV cells."""
    change, effect, hub = figures.change, figures.effect, figures.hub
    comparison = outcome.get("comparison") or {}
    return [
        *_interval_cells(change.interval if change else None),
        change.certainty if change else "",
        _blank(change.pomp if change else None),
        comparison.get("label", ""),
        _blank(effect.value if effect else None),
        *_ends(effect.interval if effect else None),
        effect.scale if effect else "",
        effect.certainty if effect else "",
        _blank(effect.pomp if effect else None),
        effect.statistic if effect else "",
        effect.source if effect else "",
        effect.verdict if effect else "",
        figures.certainty.level if figures.certainty else "",
        _blank(hub.value if hub else None),
        *_ends(hub.interval if hub else None),
    ]


def _ends(interval: Interval | None) -> list[Any]:
    return ["", ""] if interval is None else [interval.low, interval.high]


def _interval_cells(interval: Interval | None) -> list[Any]:
    if interval is None:
        return ["", "", ""]
    return [interval.low, interval.high, interval.scale]


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _measurement(kind: str, item: Mapping[str, Any], months: int | str, unit: str) -> list[Any]:
    return [kind, item["date"], value_of(item, unit), item.get("n", ""), months]


def synthesis_record(pooled: PooledEstimate) -> dict[str, Any]:
    """Return one pooled estimate as the row of syntheses.csv (and the JSON) says it."""
    return {
        "instrument": pooled.instrument,
        "design_family": pooled.family,
        "k": pooled.k,
        "cases": ";".join(pooled.cases),
        "method": pooled.method,
        "estimate": pooled.estimate,
        "low": pooled.low,
        "high": pooled.high,
        "tau2": pooled.tau2,
        "i2": pooled.i2,
        "pi_low": pooled.pi_low,
        "pi_high": pooled.pi_high,
        "evidence_certainty": pooled.certainty.level,
    }


def syntheses_csv(pooled: list[PooledEstimate]) -> bytes:
    """Return syntheses.csv: one row per pooled estimate (instrument and design family)."""
    return _csv(
        SYNTHESIS_COLUMNS,
        ([synthesis_record(p)[c.name] for c in SYNTHESIS_COLUMNS] for p in pooled),
    )


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
                **({"effect": _effect_record(f.effect)} if f.effect else {}),
                **({"hub_effect": _effect_record(f.hub)} if f.hub else {}),
                **({"evidence_certainty": asdict(f.certainty)} if f.certainty else {}),
                **({"why_no_effect": f.why_none} if f.why_none else {}),
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


def _effect_record(effect: Effect) -> dict[str, Any]:
    """Return an effect as JSON data, leaving out the fields that do not apply to it."""
    optional = ("pomp", "people", "events", "p", "p_below", "ci_low", "ci_high")
    record = _without_none(asdict(effect), *optional)
    return {
        k: v for k, v in record.items() if not (k in ("adjusted_for", "analysis", "note") and not v)
    }


def _without_none(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Drop the given keys where their value is None (figures that apply to some outcomes only)."""
    return {k: v for k, v in record.items() if not (k in keys and v is None)}


def cases_json(catalogue: Catalogue, pooled: list[PooledEstimate] | None = None) -> bytes:
    """Return evaluations.json: every case exactly as written, with derived figures beside it,
    and the pooled estimates of cases that share an instrument."""
    header = {
        "description": "Co-production evaluation case studies. `case` is each file exactly as written; "
        "`derived` holds the figures the hub computes (see the method page). Cases with "
        "status `summary` were written from a published evaluation by someone who did not run "
        "it, each figure quoted from its source; cases with status `example` are invented and "
        "are not evidence.",
        "schema_version": 1,
    }
    # One case a line: diffs between builds stay readable, and without `indent` json uses
    # its C encoder (at 1,000 cases, indent=1 spent about 2 s in the Python one).
    cases = ",\n".join(
        _compact({"id": c.id, "case": c.data, "derived": finite(derived_figures(c.figures))})
        for c in catalogue.cases
    )
    header["syntheses"] = [finite(synthesis_record(p)) for p in pooled or []]
    head = _compact(header)[:-1]
    return f'{head}, "cases": [\n{cases}\n]}}\n'.encode()


def _compact(value: Any) -> str:
    """Return JSON text on one line, keeping non-ASCII characters as they are."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


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
        "description": "Evaluations of co-produced public services. Rows with status `summary` "
        "are written from published evaluations; rows with status `example` are invented.",
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
            _resource(
                "syntheses",
                "syntheses.csv",
                "One row per pooled estimate: published and summary cases sharing an instrument, "
                "by design family (exploratory).",
                SYNTHESIS_COLUMNS,
                ["instrument", "design_family"],
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
    for file, columns in (
        ("evaluations.csv", CASE_COLUMNS),
        ("outcomes.csv", OUTCOME_COLUMNS),
        ("syntheses.csv", SYNTHESIS_COLUMNS),
    ):
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
    pooled = syntheses(catalogue.cases)
    return {
        "data/evaluations.json": cases_json(catalogue, pooled),
        "data/syntheses.csv": syntheses_csv(pooled),
        "data/evaluations.csv": cases_csv(catalogue),
        "data/outcomes.csv": outcomes_csv(catalogue),
        "data/codebook.csv": codebook_csv(),
        "data/datapackage.json": datapackage(catalogue),
        "data/evaluation.schema.json": schema_text.encode("utf-8"),
    }
