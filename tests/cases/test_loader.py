"""The loader: positions kept, unsafe or broken YAML refused with a located problem."""

from __future__ import annotations

import pytest

from generator.cases.load import MAX_BYTES, MAX_DEPTH, load_case_bytes


def test_positions_of_values_and_keys() -> None:
    doc = load_case_bytes(b"a: 1\nb:\n  - x: [2, 3]\n", "t.yaml")
    assert doc.ok
    assert doc.data == {"a": 1, "b": [{"x": [2, 3]}]}
    assert doc.positions[("b", 0, "x", 1)] == (3, 12)
    assert doc.key_positions[("b", 0, "x")] == (3, 5)


def test_scalars_resolve_the_yaml_1_2_way() -> None:
    doc = load_case_bytes(b"a: 2024-09-01\nb: NO\nc: 010\nd: yes\ne: 1.5\nf: ~\ng: '7'\n", "t.yaml")
    assert doc.data == {
        "a": "2024-09-01",
        "b": "NO",
        "c": 10,
        "d": "yes",
        "e": 1.5,
        "f": None,
        "g": "7",
    }


def test_bom_is_tolerated() -> None:
    assert load_case_bytes(b"\xef\xbb\xbfa: 1\n", "t.yaml").data == {"a": 1}


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        (b"a: &x [1]\nb: *x\n", 1, "anchors"),
        (b"a: *x\n", 1, "alias"),
        (b"a: !!python/name:os.system x\n", 1, "tag"),
        (b"a: !custom x\n", 1, "tag"),
        (b"a: 1\n---\nb: 2\n", 2, "more than one YAML document"),
        (b"a: 1\na: 2\n", 2, "appears twice"),
        (b"a: .inf\n", 1, "not a number"),
        (b"a: 1\nb: \xff\n", 2, "UTF-8"),
        (b"a: [1, 2\n", 2, "not closed"),
        (b"a:\n\t- b\n", 2, "tab"),
        (b"a: 'open\n", 2, "quote"),
        (b"a: \x07\n", 1, "control character"),
        (b"  \n", 1, "empty"),
        (b"a: " + b"[" * (MAX_DEPTH + 5) + b"\n", 1, "nested"),
    ],
)
def test_unsafe_or_broken_yaml_gets_a_located_problem(source: bytes, line: int, words: str) -> None:
    doc = load_case_bytes(source, "t.yaml")
    assert not doc.ok
    assert doc.problems[0].line == line
    assert words in doc.problems[0].text()


def test_oversized_file_is_refused() -> None:
    doc = load_case_bytes(b"a: '" + b"x" * MAX_BYTES + b"'\n", "t.yaml")
    assert "limit is 512 KiB" in doc.problems[0].message


def test_billion_laughs_is_refused_without_expanding() -> None:
    lol = b"a: &a ['lol','lol']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    doc = load_case_bytes(lol, "t.yaml")
    assert not doc.ok and doc.data is None
