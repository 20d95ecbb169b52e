"""copro new: a template from the schema whose placeholders fail until they are filled in."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cases.load import load_case_file
from generator.cases.rules import RESERVED_IDS, id_is_not_reserved
from generator.cases.validate import validate_files
from generator.cli import main
from generator.contribute.newcase import (
    PLACEHOLDER,
    SCHEMA_COMMENT,
    case_template,
    id_problem,
    node_at,
)
from generator.schema import codes_of, load_schema, pattern_of, walk
from tests.conftest import ROOT

CASE_ID = "greenway-carers-hub"
WEB_TEMPLATE = ROOT / ".github" / "case-template.yaml"


def new_case(runner: CliRunner, folder: Path, *arguments: str, **kwargs: Any) -> Path:
    """Run copro new into ``folder`` and return the file it wrote."""
    result = runner.invoke(main, ["new", CASE_ID, "--folder", str(folder), *arguments], **kwargs)
    assert result.exit_code == 0, result.output
    return folder / f"{CASE_ID}.yaml"


def placeholder_lines(path: Path) -> dict[int, tuple[str | int, ...]]:
    """Return the line of every value still holding a placeholder, with its data path."""
    doc = load_case_file(path)
    found = {}
    for data_path, (line, _column) in doc.positions.items():
        value = _get(doc.data, data_path)
        if value is None or value in ("", PLACEHOLDER):
            found[line] = data_path
    return found


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


# A valid value for each kind of field, chosen so the cross-field rules hold: every date the same
# month (end not before start, results not before the baseline) except `updated` (today, as
# `submitted`), a score scale of 1-5 and every number 3 (within the scale and 0-100). The design
# and unit are the ones under which every field applies (a comparison group, a standard deviation).
FILLS: dict[tuple[str, ...], Any] = {
    ("evaluation", "design"): "before-after-with-comparison",
    ("outcomes", "*", "unit"): "score",
    ("authors", "*", "github"): "a-evaluator",
    ("outcomes", "*", "scale", "min"): 0,
    ("outcomes", "*", "scale", "max"): 10,
    ("outcomes", "*", "instrument"): "ons4-life-satisfaction",  # 0 to 10, higher is better
    ("outcomes", "*", "better"): "higher",
    ("outcomes", "*", "paired"): True,
    ("outcomes", "*", "source", "ref"): 1,
    ("outcomes", "*", "reported", "p"): 0.03,
    ("evaluation", "clusters", "unit"): "teams",
    ("sources", "*", "doi"): "10.1000/182",
    ("allowed_personal_data", "*", "field"): "summary",
    ("sources", "*", "year"): 2024,
}
# Fields the template offers as alternatives, which an author deletes when they do not apply:
# a count is for percentages, the spread of a change belongs on a paired result, and a P value
# is given once (as printed, or as below a threshold).
ALTERNATIVES = ("count", "p_below")


def fill_value(path: tuple[str | int, ...]) -> Any:
    """Return a valid value for the field at ``path``, read from the schema."""
    pattern = pattern_of(path)
    if pattern == ("updated",):
        return datetime.date.today().isoformat()
    if pattern in FILLS:
        return FILLS[pattern]
    node = node_at(pattern)
    codes = codes_of(node)
    if codes:
        return "GB" if pattern[-1] == "country" else codes[0].code
    if node.get("pattern", "").startswith("^[0-9]{4}"):
        return "2024-01"
    if node.get("pattern", "").startswith("^https?"):
        return "https://www.example.org/report"
    if node.get("type") in ("number", "integer"):
        return 3
    return "Filled in for the test: words about the co-production and what it found here."


def fill_placeholders(text: str, lines: dict[int, tuple[str | int, ...]]) -> str:
    """Replace each placeholder in the file's text, line by line, as an author would."""
    out = text.split("\n")
    for number, path in sorted(lines.items(), reverse=True):
        line = out[number - 1]
        value = json.dumps(fill_value(path))
        if line.endswith("|-"):
            indent = len(line) - len(line.lstrip(" -")) + 2
            out.insert(number, " " * indent + json.loads(value))
        elif line.rstrip().endswith(PLACEHOLDER):
            out[number - 1] = line.rstrip()[: -len(PLACEHOLDER)] + value
        else:
            out[number - 1] = f"{line.rstrip()} {value}"
    return "\n".join(out)


def test_template_starts_with_the_schema_and_the_fixed_fields(tmp_path: Path) -> None:
    path = new_case(CliRunner(), tmp_path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_COMMENT
    data = load_case_file(path).data
    assert data["id"] == CASE_ID
    assert data["schema_version"] == 1
    assert data["status"] == "published"
    assert data["submitted"] == datetime.date.today().isoformat()


def test_template_has_every_field_and_code_of_the_schema(tmp_path: Path) -> None:
    text = new_case(CliRunner(), tmp_path).read_text(encoding="utf-8")
    doc = load_case_file(tmp_path / f"{CASE_ID}.yaml")
    written = {pattern_of(p) for p in doc.positions}
    schema = load_schema()
    fields = {path for path, _node in walk(schema) if path}
    assert fields <= written
    for path, node in walk(schema):
        codes = codes_of(node)
        if 0 < len(codes) <= 20:
            for code in codes:
                assert f"#   {code.code}: {code.label}" in text, (path, code.code)


def comment_above(lines: list[str], field_line: str) -> str:
    """Return the comment block just above the first line that starts with ``field_line``."""
    number = next(n for n, line in enumerate(lines) if line.startswith(field_line))
    block = []
    for line in reversed(lines[:number]):
        if not line.lstrip().startswith("#"):
            break
        block.append(line)
    return "\n".join(reversed(block))


def test_optional_fields_are_marked_and_required_ones_are_not(tmp_path: Path) -> None:
    lines = new_case(CliRunner(), tmp_path).read_text(encoding="utf-8").splitlines()
    assert "(optional: delete if not needed)" in comment_above(lines, "updated:")
    assert "(optional: delete if not needed)" in comment_above(lines, "experience:")
    assert "(required)" in comment_above(lines, "title:")
    assert "(optional" not in comment_above(lines, "title:")


def test_placeholders_fail_validation_each_at_its_line(tmp_path: Path) -> None:
    path = new_case(CliRunner(), tmp_path)
    expected = placeholder_lines(path)
    report = validate_files([path])
    reported = {p.line for p in report.problems}
    assert expected, "the template has placeholders"
    assert set(expected) == reported


def test_filled_template_validates(tmp_path: Path) -> None:
    path = new_case(CliRunner(), tmp_path)
    path.write_text(fill_placeholders(path.read_text("utf-8"), placeholder_lines(path)), "utf-8")
    data = load_case_file(path).data
    drop_alternatives(data)
    path.write_text(json.dumps(data), "utf-8")  # JSON is YAML
    report = validate_files([path])
    assert report.ok, "\n".join(f"{p.line}: {p.path}: {p.message}" for p in report.problems)
    assert data["outcomes"][0]["scale"] == {"min": 0, "max": 10}


def drop_alternatives(data: Any, inside: str = "") -> None:
    """Delete the alternatives an author chooses between, and a baseline's spread of change."""
    if isinstance(data, list):
        for item in data:
            drop_alternatives(item, inside)
    elif isinstance(data, dict):
        for key in ALTERNATIVES:
            data.pop(key, None)
        if inside == "baseline":
            data.pop("sd_change", None)
        for key, value in data.items():
            drop_alternatives(value, key)


def test_required_fields_alone_validate(tmp_path: Path) -> None:
    """Deleting every optional field, as the comments invite, still leaves a valid case."""
    path = new_case(CliRunner(), tmp_path)
    path.write_text(fill_placeholders(path.read_text("utf-8"), placeholder_lines(path)), "utf-8")
    data = load_case_file(path).data
    drop_optional(data, ())
    data["outcomes"][0]["unit"] = "count"  # a score needs its (optional) scale
    path.write_text(json.dumps(data), "utf-8")  # JSON is YAML
    report = validate_files([path])
    assert report.ok, [p.message for p in report.problems]
    assert "experience" not in data and "baseline" not in data["outcomes"][0]


def drop_optional(data: Any, path: tuple[str, ...]) -> None:
    """Delete every field the schema does not require, all the way down."""
    if isinstance(data, list):
        for item in data:
            drop_optional(item, (*path, "*"))
    elif isinstance(data, dict):
        required = node_at(path).get("required", [])
        for key in [k for k in data if k not in required]:
            del data[key]
        for key, value in data.items():
            drop_optional(value, (*path, key))


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    path = new_case(runner, tmp_path)
    path.write_text("mine", encoding="utf-8")
    result = runner.invoke(main, ["new", CASE_ID, "--folder", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert path.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("bad_id", ["../x", "A B", "a--b", "a" * 81, "-a", "a.yaml"])
def test_refuses_ids_that_are_not_slugs(tmp_path: Path, bad_id: str) -> None:
    result = CliRunner().invoke(main, ["new", "--folder", str(tmp_path), "--", bad_id])
    assert result.exit_code == 2
    assert "lowercase letters a-z, digits and single hyphens" in result.output
    assert "at most 80 characters" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("reserved", ["aux", "index", "con", "nul", "com1", "lpt9"])
def test_refuses_the_ids_that_validate_refuses(tmp_path: Path, reserved: str) -> None:
    """Issue #22: `copro new aux` wrote a file that `copro validate` then refused."""
    result = CliRunner().invoke(main, ["new", "--folder", str(tmp_path), reserved])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"The id '{reserved}' is reserved" in result.output
    assert list(tmp_path.iterdir()) == []


def test_new_and_validate_agree_on_reserved_ids(tmp_path: Path) -> None:
    for case_id in [*sorted(RESERVED_IDS), "auxiliary-service", "index-linked-pensions"]:
        written = id_problem(case_id) is None
        (tmp_path / "x.yaml").write_text(f"id: {case_id}\n", encoding="utf-8")
        doc = load_case_file(tmp_path / "x.yaml")
        refused = bool(list(id_is_not_reserved(doc, doc.data)))
        assert written is not refused, case_id


def test_accepts_an_id_of_80_characters(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new", "a" * 80, "--folder", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_prints_the_next_steps(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new", CASE_ID, "--folder", str(tmp_path)])
    written = tmp_path / f"{CASE_ID}.yaml"
    assert f"copro validate {written}" in result.output
    assert "copro serve" in result.output
    assert f"http://127.0.0.1:8000/evaluations/{CASE_ID}/" in result.output


def test_interactive_fills_the_key_facts(tmp_path: Path) -> None:
    answers = [
        "Short",  # too short for a title: asked again
        'Carers design the Greenway hub: "a place of our own"',
        "Greenway Borough Council",
        "council",  # not a code: asked again
        "local-authority",
        "Greenway Carers Hub",
        "adult-social-care",
        "new",
        "gb",
    ]
    path = new_case(CliRunner(), tmp_path, "--interactive", input="\n".join(answers) + "\n")
    data = load_case_file(path).data
    assert data["title"] == 'Carers design the Greenway hub: "a place of our own"'
    assert data["organisation"] == {
        "name": "Greenway Borough Council",
        "type": "local-authority",
        "url": PLACEHOLDER,
    }
    assert {k: data["service"][k] for k in ("name", "area", "kind", "country")} == {
        "name": "Greenway Carers Hub",
        "area": "adult-social-care",
        "kind": "new",
        "country": "GB",
    }
    problem_paths = {p.path for p in validate_files([path]).problems}
    assert not problem_paths & {"title", "organisation.name", "service.area", "service.country"}


def test_web_template_is_the_generated_one() -> None:
    """The template offered for the GitHub web editor is what the schema generates today."""
    assert WEB_TEMPLATE.read_text(encoding="utf-8") == case_template(None, None), (
        "Regenerate it: python3 -c 'from generator.contribute.newcase import case_template; "
        'open(".github/case-template.yaml", "w").write(case_template(None, None))\''
    )


def test_web_template_fails_at_id_and_submitted(tmp_path: Path) -> None:
    path = tmp_path / "my-id.yaml"
    path.write_text(WEB_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    problems = {p.path for p in validate_files([path]).problems}
    assert {"id", "submitted"} <= problems
