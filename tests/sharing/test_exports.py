"""Open data: lossless JSON, CSVs that match the cases, a data package that validates, compare tables."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cache.catalogue import build_catalogue
from generator.cases.validate import validate_files
from generator.charts.compare_plans import compare_plans
from generator.sharing.exports import cases_csv, cases_json, data_files, inert, outcomes_csv
from tests.conftest import CASES, ROOT

CASES_DIR = ROOT / "evaluations"


@pytest.fixture(scope="module")
def catalogue():
    return build_catalogue(CASES_DIR)


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_json_round_trip_loses_nothing(catalogue) -> None:
    exported = {c["id"]: c["case"] for c in json.loads(cases_json(catalogue))["cases"]}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        validated = validate_files([path]).cases[0].data
        written = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDatesLoader)
        assert exported[path.stem] == _as_text_dates(written, validated)


class _NoDatesLoader(yaml.SafeLoader):
    """YAML without timestamp resolution, so dates compare as the text written."""


_NoDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, regexp) for tag, regexp in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _as_text_dates(written: object, loaded: object) -> object:
    """Expect unquoted years (2023) as the text "2023" where the schema wants a date."""
    if isinstance(written, dict) and isinstance(loaded, dict):
        return {k: _as_text_dates(v, loaded.get(k)) for k, v in written.items()}
    if isinstance(written, list) and isinstance(loaded, list):
        return [_as_text_dates(a, b) for a, b in zip(written, loaded, strict=True)]
    if isinstance(written, int) and isinstance(loaded, str):
        return str(written)
    return written


def test_json_has_one_case_a_line(catalogue) -> None:
    lines = cases_json(catalogue).decode("utf-8").splitlines()
    case_lines = [line for line in lines if line.startswith('{"id": ')]
    assert [json.loads(line.rstrip(","))["id"] for line in case_lines] == [
        c.id for c in catalogue.cases
    ]
    assert len(lines) == len(catalogue.cases) + 2


def test_json_carries_derived_figures(catalogue) -> None:
    document = json.loads(cases_json(catalogue))
    for entry in document["cases"]:
        derived = entry["derived"]
        assert 1 <= derived["evidence_strength"]["level"] <= 5
        assert len(derived["outcomes"]) == len(entry["case"]["outcomes"])


def test_outcomes_csv_has_a_row_per_measurement(catalogue) -> None:
    rows = _rows(outcomes_csv(catalogue))
    expected = sum(
        (1 if owner.get("baseline") else 0) + len(owner.get("results", []))
        for c in catalogue.cases
        for o in c.data["outcomes"]
        for owner in (o, o.get("comparison") or {})
    )
    assert len(rows) == expected
    assert {r["measured_in"] for r in rows} == {"participants", "comparison"}
    by_case = {c.id: c for c in catalogue.cases}
    for row in rows:
        outcome = by_case[row["case_id"]].data["outcomes"][int(row["outcome"]) - 1]
        assert row["measure"] == outcome["measure"]
        owner = outcome["comparison"] if row["measured_in"] == "comparison" else outcome
        measured = [owner["baseline"]] if row["kind"] == "baseline" else owner["results"]
        assert any(  # a percentage given as a count of n: its value is 100 x count / n
            float(row["value"])
            == pytest.approx(m.get("value", 100 * m.get("count", 0) / m.get("n", 1)))
            and row["date"] == str(m["date"])
            and row["count"] == str(m.get("count", ""))
            for m in measured
        )


def test_outcomes_csv_carries_intervals_as_evaluations_json(catalogue) -> None:
    """Each row's change and effect columns are the figures in evaluations.json, to 6 decimals."""
    derived = {
        (e["id"], o["outcome"]): o
        for e in json.loads(cases_json(catalogue))["cases"]
        for o in e["derived"]["outcomes"]
    }
    checked = 0
    for row in _rows(outcomes_csv(catalogue)):
        figures = derived[(row["case_id"], int(row["outcome"]))]
        change, effect = figures["change"], figures.get("effect")
        interval = change["interval"] if change else None
        assert row["change_certainty"] == (change["certainty"] if change else "")
        if interval:
            assert float(row["change_low"]) == interval["low"]
            assert float(row["change_high"]) == interval["high"]
            assert row["change_scale"] == interval["scale"]
            checked += 1
        else:
            assert row["change_low"] == row["change_high"] == ""
        if effect:
            shown = "" if effect.get("value") is None else effect["value"]
            assert (float(row["effect"]) if row["effect"] else "") == shown
            assert row["effect_certainty"] == effect["certainty"]
            assert row["effect_statistic"] == effect["statistic"]
            assert row["effect_source"] == effect["source"]
            assert row["effect_verdict"] == effect["verdict"]
            assert row["evidence_certainty"] == figures["evidence_certainty"]["level"]
        else:
            assert row["effect"] == row["effect_source"] == row["evidence_certainty"] == ""
        hub = figures.get("hub_effect")
        assert row["hub_effect"] == (
            "" if not hub or hub.get("value") is None else str(hub["value"])
        )
    assert checked > 20


def test_cases_csv_has_a_row_per_case(catalogue) -> None:
    rows = _rows(cases_csv(catalogue))
    assert [r["id"] for r in rows] == [c.id for c in catalogue.cases]
    assert [r["status"] for r in rows] == [c.data["status"] for c in catalogue.cases]
    assert {r["status"] for r in rows} == {"example", "summary"}
    for row, case in zip(rows, catalogue.cases, strict=True):  # counts by the effect (1.2)
        effects = [f.effect for f in case.figures.outcomes if f.effect]
        assert int(row["outcomes_with_effect"]) == len(effects)
        assert int(row["outcomes_worsened"]) == sum(1 for e in effects if e.verdict == "worsened")
        levels = sum(
            int(row[f"outcomes_{lv}_certainty"]) for lv in ("high", "moderate", "low", "very_low")
        )
        assert levels == len(effects)


def test_a_worsened_effect_is_counted_as_worsened_not_improved(tmp_path: Path) -> None:
    """Contract 1.2 correction: participants +5 points against a comparison group's +20 counted
    as "improved" in evaluations.csv (by the change), and the worsened effect was in no column."""
    from generator.cache.catalogue import build_catalogue

    text = (CASES / "valid" / "riverside-day-centre-redesign.yaml").read_text("utf-8")
    text = text.replace("design: before-after\n", "design: before-after-with-comparison\n")
    text = text.replace(
        "    baseline: {value: 38, date: 2023-01, n: 8}\n    results:\n      - {value: 75, date: 2023-09, n: 8}\n",
        "    baseline: {value: 40, date: 2023-01, n: 80}\n    results:\n      - {value: 45, date: 2023-09, n: 80}\n"
        "    comparison:\n      label: People on the waiting list\n"
        "      baseline: {value: 40, date: 2023-01, n: 80}\n      results:\n        - {value: 60, date: 2023-09, n: 80}\n",
    )
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "riverside-day-centre-redesign.yaml").write_text(text, "utf-8")
    (row,) = _rows(cases_csv(build_catalogue(folder)))
    confidence = build_catalogue(folder).cases[0].figures.outcomes[2]
    assert confidence.change is not None and confidence.change.verdict == "improved"
    assert confidence.effect is not None and confidence.effect.verdict == "worsened"
    assert row["outcomes_worsened"] == "1"
    assert row["outcomes_improved"] == "2"  # satisfaction and complaints, not confidence


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+cmd", "-1+1", "@SUM(A1)", "\tx", "\rx"]
)
def test_formula_cells_are_made_inert(text: str) -> None:
    assert inert(text) == "'" + text
    assert inert(-5) == -5 and inert("safe") == "safe"


def test_datapackage_validates_with_frictionless(catalogue, tmp_path: Path) -> None:
    for name, content in data_files(catalogue).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
        cwd=tmp_path / "data",
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["valid"] is True, result.stdout[:2000]


def test_compare_charts_count_every_case(catalogue) -> None:
    plans = {p.id: p for p in compare_plans(list(catalogue.cases))}
    assert set(plans) == {
        "evidence-map",
        "effect-direction",
        "forest",
        "principles-services",
        "principles",
        "methods",
        "over-time",
    }
    # Every case contributes one rating per principle.
    principle_rows = plans["principles"].rows
    assert all(sum(int(n) for n in row[1:]) == len(catalogue.cases) for row in principle_rows)
    assert sum(int(r[2]) for r in plans["over-time"].rows) == len(catalogue.cases)
    designs = [r for r in plans["methods"].rows if r[0] == "Design"]
    assert sum(int(r[2]) for r in designs) == len(catalogue.cases)
    assert "illustrative examples" in plans["evidence-map"].example_note
