"""The search worker's own rules (#23), run in Node: which of Pagefind's matches count, where an
excerpt starts, and the badge of an example or a summary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from tests.conftest import ROOT

WORKER = ROOT / "site_theme" / "assets" / "copro" / "search-worker.js"
LOAD = (
    "const fs = require('fs'), vm = require('vm');\n"
    "const page = vm.createContext({self: {addEventListener() {}}});\n"
    f"vm.runInContext(fs.readFileSync({json.dumps(str(WORKER))}, 'utf8'), page);\n"
)


@pytest.fixture(scope="module")
def node() -> str:
    """Return the path of Node, or skip (fail under CI) when it is missing."""
    path = shutil.which("node")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("the search worker's tests need Node (apt-get install -y nodejs)")
        pytest.skip("the search worker's tests need Node")
    return path


def run(node: str, expression: str, *arguments: Any) -> Any:
    """Evaluate a JavaScript expression in the worker's scope, with ``args`` bound; return it."""
    script = (
        LOAD + "const args = JSON.parse(fs.readFileSync(0, 'utf8'));\n"
        f"const out = vm.runInContext({json.dumps(expression)}, Object.assign(page, {{args}}));\n"
        "process.stdout.write(JSON.stringify(out));"
    )
    done = subprocess.run(
        [node, "-e", script], input=json.dumps(list(arguments)), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("term", "word"),
    [
        ("loneliness", "Loneliness"),
        ("lonel", "loneliness"),  # typed so far
        ("running", "run"),  # the same stem
        ("happiness", "happy"),
        ("isolation", "isolated"),
        ("mindfulness", "Mind"),  # Pagefind's stemmer makes both "mind"
        ("co-production", "co-production,"),
        ("l", "L."),  # a letter typed alone still finds it
    ],
)
def test_a_match_counts_when_the_word_shares_the_query_words_stem(
    node: str, term: str, word: str
) -> None:
    assert run(node, "standsFor(plain(args[0]), plain(args[1]))", term, word)


@pytest.mark.parametrize(
    ("term", "word"),
    [
        ("loneliness", "L."),  # the example: an author's initial
        ("whq", "WH,"),  # initials in a list of authors
        ("xylophone", "x"),
        ("chenx", "Chen"),
        ("isolation", "ISO"),
    ],
)
def test_pagefinds_fallback_to_a_shorter_word_is_not_a_match(
    node: str, term: str, word: str
) -> None:
    assert not run(node, "standsFor(plain(args[0]), plain(args[1]))", term, word)


def test_a_page_counts_only_when_every_query_word_has_a_match(node: str) -> None:
    words = ["Written", "by", "M.", "Tuhiwai", "and", "L.", "Chen,", "with", "the"]
    words += ["loneliness", "scale."]
    kept = run(node, "genuineLocations(args[0], [3, 5, 9], ['loneliness'])", words)
    assert kept == [9]
    assert run(node, "genuineLocations(args[0], [5], ['loneliness'])", words) is None
    assert run(node, "genuineLocations(args[0], [6, 9], ['chen', 'loneliness'])", words) == [6, 9]


def test_a_part_of_a_compound_word_is_a_match_as_pagefind_indexes_it(node: str) -> None:
    words = ["OrganisationDepartment", "of", "co-production,", "L.", "WH,"]
    kept = run(node, "genuineLocations(args[0], [0, 2], ['department', 'production'])", words)
    assert kept == [0, 2]
    assert run(node, "genuineLocations(args[0], [3, 4], ['lwh'])", words) is None


def test_initials_and_abbreviations_do_not_end_a_sentence(node: str) -> None:
    ends = run(
        node,
        "args.map(endsSentence)",
        "L.",
        "al.",
        "e.g.",
        "p.",
        "report.",
        "better?",
        "(2024).",
        "done.”",
        "WH,",
    )
    assert ends == [False, False, False, False, True, True, True, True, False]


def test_an_excerpt_starts_where_its_sentence_starts(node: str) -> None:
    text = (
        "Illustrative example. This case study is invented. Residents and staff designed a "
        "repair hub next to the station over ten months, and volunteers now run it. Written "
        "by L. Chen et al. in 2024."
    )
    words = text.split()
    repair = words.index("repair")
    excerpt = run(node, "sentenceExcerpt(args[0], [args[1]], 0, args[0].length)", words, repair)
    assert excerpt.startswith("Residents and staff designed a <mark>repair</mark> hub")
    chen = words.index("Chen")
    later = run(node, "sentenceExcerpt(args[0], [args[1]], 0, args[0].length)", words, chen)
    assert later.startswith("Written by L. <mark>Chen</mark>")  # not "Chen et al." alone


def test_a_long_sentence_is_entered_at_a_clause_with_an_ellipsis(node: str) -> None:
    words = ("word " * 60 + "read the original: A pilot study of peer support.").split()
    peer = words.index("peer")
    excerpt = run(node, "sentenceExcerpt(args[0], [args[1]], 0, args[0].length)", words, peer)
    assert excerpt == "\u2026 A pilot study of <mark>peer</mark> support."


def test_a_section_excerpt_stays_in_its_section(node: str) -> None:
    words = ["Satisfaction", "rose", "and", "Learning", "peer", "support", "worked", "well."]
    excerpt = run(node, "sentenceExcerpt(args[0], [4], 3, args[0].length)", words)
    assert excerpt == "Learning <mark>peer</mark> support worked well."


def test_examples_and_summaries_carry_their_badge(node: str) -> None:
    shown = run(
        node,
        "args.map(badge)",
        {"status": "example", "status_label": "Illustrative example"},
        {"status": "summary", "status_label": "Summary of a published evaluation"},
        {"status": "published", "status_label": "Published by the organisation"},
        {"title": "Data"},
        {"status": "example", "status_label": "<img src=x onerror=alert(1)>"},
    )
    assert shown[0] == ' <span class="copro-badge copro-badge--example">Illustrative example</span>'
    assert 'copro-badge--summary">Summary of a published evaluation<' in shown[1]
    assert shown[2] == shown[3] == ""
    assert "<img" not in shown[4] and "&lt;img" in shown[4]
