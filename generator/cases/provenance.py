"""Summaries of published evaluations: every figure comes from a source and appears in its quote.

A case with ``status: summary`` is written from a published report by someone who did not run the
evaluation. Its figures are facts with a source: each outcome with a number names the source and
quotes the words that give it, and every number the outcome writes must be one of the numbers in
that quote, compared as numbers (``0.66`` is "0·66", "0.66" or ".66"; ``-1.7`` is "\u22121.70", with a minus sign; a
hyphen or dash between two numbers is a range, so "0·43-0·99" holds 0.43 and 0.99).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from generator.cases.load import DataPath, LoadedDocument
from generator.cases.parts import measurements, outcomes
from generator.errors import Problem

# Dots that sources print as a decimal point (The Lancet's middle dot among them).
_DECIMAL_POINTS = str.maketrans({"\u00b7": ".", "\u2219": ".", "\u22c5": "."})
# Signs a source may print as a minus: the hyphen, the minus sign and the dashes.
MINUS_SIGNS = "-\u2212\u2012\u2013\u2014\ufe63\uff0d"
# A number: digits with an optional thousands grouping and decimals, or decimals alone (".66").
NUMBER = re.compile(
    rf"(?P<sign>[{MINUS_SIGNS}+]?)\s?(?P<digits>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\.\d+)"
)
# What the builder needs to read numbers from a quote exactly as this module does.
NUMBER_SETTINGS = {
    "decimal_points": "\u00b7\u2219\u22c5",
    "minus": MINUS_SIGNS,
}
# Fields of a measurement and of `reported` that hold a figure (dates and the interval's level do not).
MEASUREMENT_FIGURES = ("value", "n", "count", "sd", "sd_change")
REPORTED_FIGURES = (("value",), ("ci", "low"), ("ci", "high"), ("p",), ("p_below",))


def numbers_in(text: str) -> list[Decimal]:
    """Return every number a source's words hold, as written (signs read the way a reader would).

    A sign counts as a minus only where no digit comes just before it: in "0.43-0.99" and
    "10-50" (hyphen or en dash) it joins a range; in "(-3.81 to 0.40)" and "by -1.7" (hyphen or
    minus sign) it is a minus.
    """
    text = text.translate(_DECIMAL_POINTS)
    found = []
    for match in NUMBER.finditer(text):
        before = text[: match.start()].rstrip()
        # A dash right after a digit joins a range's two ends.
        sign = "" if before and before[-1].isdigit() else match["sign"]
        try:
            number = Decimal(match["digits"].replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            continue
        found.append(-number if sign and sign != "+" else number)
    return found


def quote_holds(number: float, quoted: list[Decimal]) -> bool:
    """Return whether a written number is one of the quote's numbers.

    A negative number also matches its size printed without a sign ("fell by 1.7 points" for a
    difference of -1.7); a positive number never matches a negative one.
    """
    value = Decimal(repr(float(number))) if isinstance(number, float) else Decimal(number)
    return any(value == q or (value < 0 and -value == q) for q in quoted)


def figures_of(outcome: dict[str, Any]) -> Iterator[tuple[DataPath, Any]]:
    """Yield (path within the outcome, number) for every figure an outcome writes."""
    for path, item in measurements(outcome):
        for key in MEASUREMENT_FIGURES:
            if _is_number(item.get(key)):
                yield (*path, key), item[key]
    reported = outcome.get("reported")
    if isinstance(reported, dict):
        for keys in REPORTED_FIGURES:
            value: Any = reported
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            if _is_number(value):
                yield ("reported", *keys), value
    if _is_number(outcome.get("target")):
        yield ("target",), outcome["target"]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_summary(case: dict[str, Any]) -> bool:
    return case.get("status") == "summary"


def summary_has_a_source(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """A summary names at least one source that readers can find: a web address or a DOI."""
    if not _is_summary(case):
        return
    sources = case.get("sources")
    findable = isinstance(sources, list) and any(
        isinstance(s, dict) and (s.get("url") or s.get("doi")) for s in sources
    )
    if not findable:
        yield doc.problem(
            ("sources",) if "sources" in case else ("status",),
            "A summary of a published evaluation needs the source it was written from, with a "
            "web address or a DOI.",
            "Add `sources:` with the report's `title`, `type`, and its `url` or `doi`.",
            kind="rule",
        )


def source_refs_exist(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """An outcome's ``source.ref`` counts from 1 into the case's sources."""
    sources = case.get("sources")
    count = len(sources) if isinstance(sources, list) else 0
    for index, outcome in outcomes(case):
        source = outcome.get("source")
        ref = source.get("ref") if isinstance(source, dict) else None
        if isinstance(ref, int) and not isinstance(ref, bool) and ref > count:
            have = (
                f"the case lists {count} source{'s' if count != 1 else ''}"
                if count
                else ("the case lists no sources")
            )
            yield doc.problem(
                ("outcomes", index, "source", "ref"),
                f"`ref: {ref}` points at source {ref}, but {have}.",
                "Count the entries under `sources:` from 1, or add the source there.",
                kind="rule",
            )


def summary_figures_have_a_quote(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """In a summary, every outcome with a number says where it comes from, in the source's words."""
    if not _is_summary(case):
        return
    for index, outcome in outcomes(case):
        if next(figures_of(outcome), None) is None:
            continue
        source = outcome.get("source")
        if not (isinstance(source, dict) and isinstance(source.get("quote"), str)):
            yield doc.problem(
                ("outcomes", index),
                "This outcome has figures, but a summary must show where each comes from.",
                "Add `source:` with `ref` (which source, counting from 1), `where` (e.g. "
                '"Abstract" or "Table 2") and `quote` (the source\'s words that give the figures).',
                kind="rule",
            )


def summary_numbers_are_quoted(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """Every number a summary's outcome writes appears in that outcome's quote.

    The number of people (``n``) may come from another outcome's quote of the same case: a source
    often gives the sample once.
    """
    if not _is_summary(case):
        return
    quotes = {
        index: numbers_in(outcome["source"]["quote"])
        for index, outcome in outcomes(case)
        if isinstance(outcome.get("source"), dict)
        and isinstance(outcome["source"].get("quote"), str)
    }
    anywhere = [number for found in quotes.values() for number in found]
    for index, outcome in outcomes(case):
        if index not in quotes:
            continue  # reported by the rule above
        for path, number in figures_of(outcome):
            if quote_holds(number, quotes[index]):
                continue
            if path[-1] == "n" and quote_holds(number, anywhere):
                continue
            yield doc.problem(
                ("outcomes", index, *path),
                f"{_shown(number)} does not appear in this outcome's quote. A summary gives "
                "only the figures its source gives, never a number worked out, rounded or "
                "guessed.",
                "Copy the number exactly as the source prints it, widen `quote` to the words "
                "that give it, or leave the field out.",
                kind="rule",
            )


def _shown(number: Any) -> str:
    return f"The number {number:g}" if isinstance(number, float) else f"The number {number}"


PROVENANCE_RULES = (
    summary_has_a_source,
    source_refs_exist,
    summary_figures_have_a_quote,
    summary_numbers_are_quoted,
)
