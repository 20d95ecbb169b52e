"""Property tests: any mutation of a valid case is either valid or reported, never a crash.

Hypothesis mutates the contract's example (deletes keys, changes types, cuts the file at
any byte, inserts hostile Unicode, swaps list items). ``copro validate`` must then exit 0,
or exit 1 with every problem located by file, line and column; and any mutation that
still validates must go through the generation stages (catalogue, pages, charts, data
files) without an exception.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.cache.catalogue import build_catalogue
from generator.cases.load import load_case_bytes
from generator.cases.validate import CaseValidator, validate_files
from generator.cli import main
from generator.settings import SiteSettings
from generator.site.generate import generate_site
from tests.conftest import VALID_EXAMPLE

NAME = VALID_EXAMPLE.name
EXAMPLE_BYTES = VALID_EXAMPLE.read_bytes()
EXAMPLE: dict[str, Any] = load_case_bytes(EXAMPLE_BYTES, NAME).data
Path_ = tuple[str | int, ...]


def nodes(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Yield (path, value) for every value in a case, the root included."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from nodes(value, (*path, index))


ALL = [path for path, _ in nodes(EXAMPLE) if path]
SCALARS = [path for path, value in nodes(EXAMPLE) if not isinstance(value, (dict, list))]
LISTS = [path for path, value in nodes(EXAMPLE) if isinstance(value, list) and len(value) > 1]
FREE_TEXT = sorted(
    (
        path
        for path, value in nodes(EXAMPLE)
        if isinstance(value, str)
        and tuple("*" if isinstance(p, int) else p for p in path)
        in CaseValidator().free_text_patterns
    ),
    key=str,
)
NUMBERS = [
    path
    for path, value in nodes(EXAMPLE)
    if isinstance(value, (int, float)) and path[-1] in ("value", "target")
]
OPTIONAL = [
    ("organisation", "url"),
    ("service", "region"),
    ("coproduction", "end"),
    ("coproduction", "reciprocity"),
    ("coproduction", "accessibility"),
    ("coproduction", "inclusion"),
    ("coproduction", "participants", 0, "count"),
    ("evaluation", "limitations"),
    ("experience",),
    ("experience", 0, "question"),
    ("outcomes", 0, "attribution"),
    ("outcomes", 0, "baseline", "n"),
    ("outcomes", 2, "group"),
    ("learning", "changes_made"),
    ("sources",),
    ("authors", 0, "role"),
]
assert FREE_TEXT and NUMBERS and LISTS

# Characters that have broken parsers, terminals, pages and charts before.
HOSTILE_PIECES = [
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\x85",
    "\x00",
    "\x07",
    "\x1b[2J",
    "\x9b",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\U0001f600",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "e\u0301",
    "\r",
    "\t",
    "\n",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    '--8<-- "/etc/passwd"',
    "&amp;",
    "'",
    '"',
    "\\",
    ": ",
    " #",
    "- ",
    "*a",
    "&a ",
    "!!python/object/apply:os.system",
    "%",
    "@",
    "`",
    "=1+1",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=6)), min_size=1, max_size=4
).map("".join)
any_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        hostile_text,
        st.sampled_from(["2024-09", "2024-02-30", "1e400", "0x10", "NO", "yes", "~", ""]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)
    ),
    max_leaves=6,
)


def _parent(case: Any, path: Path_) -> Any:
    for part in path[:-1]:
        case = case[part]
    return case


def _exists(case: Any, path: Path_) -> bool:
    try:
        _parent(case, path)[path[-1]]
    except (KeyError, IndexError, TypeError):
        return False
    return True


@st.composite
def mutated_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Return the example with one to three mutations of any kind."""
    case = copy.deepcopy(EXAMPLE)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "retype", "insert", "swap"]))
        pool = {"delete": ALL, "retype": ALL, "insert": SCALARS, "swap": LISTS}[kind]
        path = draw(st.sampled_from(pool))
        if not _exists(case, path):
            continue
        parent, key = _parent(case, path), path[-1]
        if kind == "delete":
            del parent[key]
        elif kind == "retype":
            parent[key] = draw(any_value)
        elif kind == "insert":
            text = str(parent[key])
            at = draw(st.integers(0, len(text)))
            parent[key] = text[:at] + draw(hostile_text) + text[at:]
        elif isinstance(parent[key], list) and len(parent[key]) > 1:
            items = parent[key]
            i, j = draw(st.permutations(range(len(items))))[:2]
            items[i], items[j] = items[j], items[i]
    return case


def as_bytes(case: dict[str, Any]) -> bytes:
    """Write a case as YAML; text with lone surrogates becomes bytes that are not UTF-8."""
    text = yaml.safe_dump(case, sort_keys=False, allow_unicode=True)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated_files(draw: st.DrawFn) -> bytes:
    """Return a mutated case as bytes, sometimes cut at a random byte or with bytes inserted."""
    data = as_bytes(draw(mutated_cases())) if draw(st.booleans()) else EXAMPLE_BYTES
    edit = draw(st.sampled_from(["none", "truncate", "insert"]))
    at = draw(st.integers(0, len(data)))
    if edit == "truncate":
        return data[:at]
    if edit == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return data


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutations")


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=mutated_files())
def test_validate_reports_every_mutation_or_accepts_it(folder: Path, source: bytes) -> None:
    path = folder / NAME
    path.write_bytes(source)
    runner = CliRunner()
    result = runner.invoke(main, ["validate", "--format", "json", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    event(f"exit {result.exit_code}")
    report = json.loads(result.output)
    assert report["ok"] is (result.exit_code == 0)
    for problem in report["problems"]:
        assert problem["file"].endswith(NAME)
        assert problem["line"] >= 1 and problem["column"] >= 1, problem
        assert problem["message"]
    if result.exit_code == 1:
        assert report["problems"]
        text = runner.invoke(main, ["validate", str(path)])
        assert text.exit_code == 1 and "Traceback" not in text.output


@st.composite
def gently_mutated_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Return the example with mutations that mostly keep it valid: text, numbers, order."""
    case = copy.deepcopy(EXAMPLE)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "number", "delete", "swap", "code"]))
        if kind == "text":
            path = draw(st.sampled_from(FREE_TEXT))
            if not _exists(case, path):
                continue
            parent, key = _parent(case, path), path[-1]
            at = draw(st.integers(0, len(parent[key])))
            parent[key] = parent[key][:at] + draw(hostile_text) + parent[key][at:]
        elif kind == "number":
            path = draw(st.sampled_from(NUMBERS))
            if _exists(case, path):
                number = st.floats(-1e12, 1e12, allow_nan=False) | st.integers(-(10**12), 10**12)
                value = draw(number | st.floats(0, 100, allow_nan=False))
                _parent(case, path)[path[-1]] = value
        elif kind == "delete":
            path = draw(st.sampled_from(OPTIONAL))
            if _exists(case, path):
                del _parent(case, path)[path[-1]]
        elif kind == "swap":
            path = draw(st.sampled_from(LISTS))
            if _exists(case, path):
                items = _parent(case, path)[path[-1]]
                items.reverse()
        else:
            field, codes = draw(
                st.sampled_from(
                    [
                        (("status",), ["published", "example"]),
                        (("evaluation", "design"), ["qualitative", "randomised", "post-only"]),
                        (("evaluation", "evaluator"), ["internal", "independent", "peer"]),
                        (("principles", "equality", "rating"), ["unknown", "not-met"]),
                        (("outcomes", 1, "better"), ["higher", "lower"]),
                        (("outcomes", 0, "unit"), ["count", "currency", "other"]),
                    ]
                )
            )
            _parent(case, field)[field[-1]] = draw(st.sampled_from(codes))
    return case


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=gently_mutated_cases())
def test_every_valid_mutation_generates_a_site(folder: Path, case: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        cases = Path(scratch) / "evaluations"
        cases.mkdir()
        (cases / NAME).write_bytes(as_bytes(case))
        report = validate_files([cases / NAME])
        event("valid" if report.ok else "invalid")
        if not report.ok:
            return
        catalogue = build_catalogue(cases)
        site = generate_site(catalogue, SiteSettings(), cache_dir=folder / "charts")

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    exported = json.loads(site.files["data/evaluations.json"], parse_constant=refuse)
    assert exported["cases"][0]["case"] == report.cases[0].data
    assert f"evaluations/{case['id']}.md" in site.pages
