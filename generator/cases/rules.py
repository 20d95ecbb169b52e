"""Cross-field rules that a JSON Schema cannot state, each a small function yielding problems."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.cases.load import DataPath, LoadedDocument, value_at
from generator.cases.measures import MEASURE_RULES
from generator.cases.parts import measurements, outcomes
from generator.cases.provenance import PROVENANCE_RULES
from generator.errors import Problem, format_path
from generator.vocabulary import (
    DESIGNS_WITH_COMPARISON,
    DOMAINS_FOR,
    UNIT_WITH_SCALE,
    UNITS_WITH_SD,
)

Rule = Callable[[LoadedDocument, dict[str, Any]], Iterator[Problem]]


def _date_key(value: Any) -> tuple[int, int, int] | None:
    """Return (year, month, day) for a valid date string, months/days missing as 0."""
    if not isinstance(value, str):
        return None
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return None
    if len(numbers) == 3:
        try:
            datetime.date(*numbers)
        except ValueError:
            return None
    return ([*numbers, 0, 0])[:3] if 1 <= len(numbers) <= 3 else None  # type: ignore[return-value]


def _comparable(
    a: tuple[int, int, int], b: tuple[int, int, int]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Cut two dates to their common precision (2024 vs 2024-03 compare by year)."""
    depth = min(sum(1 for x in a if x), sum(1 for x in b if x))
    return a[:depth], b[:depth]


def id_matches_file_name(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """The id equals the file name without .yaml."""
    stem = Path(doc.file).stem
    case_id = case.get("id")
    if isinstance(case_id, str) and case_id != stem:
        yield doc.problem(
            ("id",),
            f"The id `{case_id}` differs from the file name `{Path(doc.file).name}`.",
            f"Make them the same: write `id: {stem}` or rename the file to `{case_id}.yaml`.",
            kind="rule",
        )


# An id becomes a page and a file name: `index` would take the case list's place (the case
# would silently vanish), and Windows cannot check out a file named after a device.
RESERVED_IDS = frozenset(
    {"index", "con", "prn", "aux", "nul"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(1, 10)}
)


def id_is_not_reserved(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """The id names no other page of the site and no Windows device."""
    case_id = case.get("id")
    if isinstance(case_id, str) and case_id in RESERVED_IDS:
        yield doc.problem(
            ("id",),
            f"The id `{case_id}` is reserved: the site or Windows uses this name for something else.",
            "Choose an id that names the project, e.g. `riverside-day-centre-redesign`, "
            "and rename the file to match.",
            kind="rule",
        )


# Characters that make text read differently from what it holds. Unicode's bidirectional
# controls (the Bidi_Control property) can reverse a file name or a sentence ("Trojan Source");
# zero-width, format and filler characters can hide words, or split an email address or a
# phone number so that the personal-data check misses it (issue #22: a soft hyphen inside an
# address, a Hangul filler as a title). So every format character (Unicode category Cf) is
# refused, with the invisible characters of other categories: the combining grapheme joiner,
# variation selectors, the Hangul fillers and the blank braille pattern. The marks U+200E and
# U+200F are refused too: case studies are written for the site's English pages, where a mark
# only reorders what readers see. The price: emoji joined with U+200D (families), emoji with
# the presentation selector U+FE0F (write the symbol alone) and tag flags (England, Scotland,
# Wales). This is the one list: the validator, the personal-data check (which reads text
# without them) and the builder page (``generator.site.builder_form.check_settings``) use it.
HIDDEN_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x0600, 0x0605),  # Arabic number signs (format characters)
    (0x061C, 0x061C),  # Arabic letter mark
    (0x06DD, 0x06DD),  # Arabic end of ayah (format character)
    (0x070F, 0x070F),  # Syriac abbreviation mark (format character)
    (0x0890, 0x0891),  # Arabic pound and piastre marks above (format characters)
    (0x08E2, 0x08E2),  # Arabic disputed end of ayah (format character)
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    (0x202A, 0x202E),  # bidirectional embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # bidirectional isolates; deprecated format characters
    (0x2800, 0x2800),  # braille pattern blank
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # zero-width no-break space (byte order mark)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF9, 0xFFFB),  # interlinear annotation controls
    (0x110BD, 0x110BD),  # Kaithi number sign (format character)
    (0x110CD, 0x110CD),  # Kaithi number sign above (format character)
    (0x13430, 0x1343F),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format characters
    (0xE0000, 0xE007F),  # tag characters
    (0xE0100, 0xE01EF),  # variation selectors supplement
)
HIDDEN_CHARACTERS = re.compile(
    "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in HIDDEN_RANGES) + "]"
)


def text_has_no_hidden_characters(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """No text or field name holds a bidirectional control or a zero-width character."""
    # The text as written: a value holding one of these never reads as a number or a date.
    for path, text in doc.source_text.items():
        if HIDDEN_CHARACTERS.search(text):
            yield _hidden_problem(doc, path, text, "This text", key=False)
    for path in doc.key_positions:
        if path and isinstance(path[-1], str) and HIDDEN_CHARACTERS.search(path[-1]):
            yield _hidden_problem(doc, path, path[-1], "This field name", key=True)


def _hidden_problem(
    doc: LoadedDocument, path: DataPath, text: str, what: str, *, key: bool
) -> Problem:
    found = list(HIDDEN_CHARACTERS.finditer(text))
    first = found[0]
    more = len(found) - 1
    also = f" It holds {more} more further on." if more else ""
    return doc.problem(
        path,
        f"{what} holds an invisible character that can reverse or hide text "
        f"({describe_character(first[0])}) at character {first.start() + 1}.{also}",
        "Delete it; retype the text if you pasted it.",
        kind="rule",
        key=key,
    )


def describe_character(character: str) -> str:
    """Name a character by code point and Unicode name, e.g. ``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    return f"U+{ord(character):04X} {unicodedata.name(character, 'unnamed character')}"


def text_is_visible(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """Text holds a letter, digit, punctuation mark or symbol, not only spaces or invisibles.

    Ten spaces pass a title's minimum length, and would make an empty heading and a link
    with no name in the case list; fifty zero-width spaces would make an empty summary.
    Text holding a hidden character is reported once, by the rule above.
    """
    for path in doc.source_text:
        value = value_at(case, path)
        if (
            isinstance(value, str)
            and value
            and not any(map(_is_visible, value))
            and not HIDDEN_CHARACTERS.search(value)
        ):
            yield doc.problem(
                path,
                "This holds only spaces or invisible characters.",
                "Write the text, or leave the field out if it is optional.",
                kind="rule",
            )


# Unicode's general categories of visible characters: letters, numbers, punctuation, symbols.
VISIBLE_CATEGORIES = "LNPS"


def _is_visible(character: str) -> bool:
    return unicodedata.category(character)[0] in VISIBLE_CATEGORIES


def dates_are_real(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """Full dates exist in the calendar (no 30 February)."""
    for path, _text in doc.source_text.items():
        value = value_at(case, path)
        if isinstance(value, str) and _looks_like_full_date(value) and _date_key(value) is None:
            yield doc.problem(
                path, f"`{value}` is not a real date.", "Check the day and month.", kind="rule"
            )


def _looks_like_full_date(value: str) -> bool:
    return (
        len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and value.replace("-", "").isdigit()
    )


def end_not_before_start(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """coproduction.end is not before coproduction.start."""
    copro = case.get("coproduction")
    if not isinstance(copro, dict):
        return
    start, end = _date_key(copro.get("start")), _date_key(copro.get("end"))
    if start and end:
        a, b = _comparable(start, end)
        if b < a:
            yield doc.problem(
                ("coproduction", "end"),
                f"The end ({copro['end']}) is before the start ({copro['start']}).",
                "Check both dates.",
                kind="rule",
            )


def updated_not_before_submitted(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """updated is not before submitted."""
    submitted, updated = _date_key(case.get("submitted")), _date_key(case.get("updated"))
    if submitted and updated:
        a, b = _comparable(submitted, updated)
        if b < a:
            yield doc.problem(
                ("updated",),
                f"`updated` ({case['updated']}) is before `submitted` ({case['submitted']}).",
                "`updated` is the date of the last change after first publication.",
                kind="rule",
            )


def domain_fits_about(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """An outcome's domain comes from the list for its ``about``."""
    for index, outcome in outcomes(case):
        about, domain = outcome.get("about"), outcome.get("domain")
        allowed = DOMAINS_FOR.get(about) if isinstance(about, str) else None
        if allowed and isinstance(domain, str) and domain not in allowed:
            other = "service" if about == "participants" else "participants"
            if domain in DOMAINS_FOR[other]:
                yield doc.problem(
                    ("outcomes", index, "domain"),
                    f"`{domain}` is an outcome for the {other}, but this outcome is about the {about}.",
                    f"Either write `about: {other}`, or use one of: "
                    + ", ".join(f"`{d}`" for d in allowed)
                    + ".",
                    kind="rule",
                )


def baseline_has_results(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """An outcome with a baseline has at least one result."""
    for index, outcome in outcomes(case):
        if isinstance(outcome.get("baseline"), dict) and not outcome.get("results"):
            yield doc.problem(
                ("outcomes", index, "baseline"),
                "This outcome has a baseline but no results after it.",
                "Add `results:` with at least one measurement, or remove the baseline.",
                kind="rule",
            )


def results_not_before_baseline(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """No result is dated before the baseline."""
    for index, outcome in outcomes(case):
        yield from _results_after_baseline(doc, outcome, ("outcomes", index))


def _results_after_baseline(
    doc: LoadedDocument, owner: dict[str, Any], at: tuple[str | int, ...]
) -> Iterator[Problem]:
    baseline = owner.get("baseline")
    base = _date_key(baseline.get("date")) if isinstance(baseline, dict) else None
    results = owner.get("results")
    if not base or not isinstance(results, list):
        return
    for n, result in enumerate(results):
        date = _date_key(result.get("date")) if isinstance(result, dict) else None
        if date:
            a, b = _comparable(base, date)
            if b < a:
                yield doc.problem(
                    (*at, "results", n, "date"),
                    f"This result ({result['date']}) is dated before the baseline ({owner['baseline']['date']}).",
                    "A baseline is measured before the co-production; check both dates.",
                    kind="rule",
                )


def scale_for_scores(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """Score outcomes give a scale, the scale runs low to high, and values sit inside it."""
    for index, outcome in outcomes(case):
        scale = outcome.get("scale")
        if outcome.get("unit") == UNIT_WITH_SCALE and scale is None:
            yield doc.problem(
                ("outcomes", index, "unit"),
                "A score needs its scale.",
                "Add `scale: {min: 1, max: 5}` (with your scale's lowest and highest scores).",
                kind="rule",
            )
        if isinstance(scale, dict) and _numbers(scale.get("min"), scale.get("max")):
            low, high = scale["min"], scale["max"]
            if low >= high:
                yield doc.problem(
                    ("outcomes", index, "scale"),
                    f"The scale runs from {low} to {high}.",
                    "`min` must be lower than `max`.",
                    kind="rule",
                )
            else:
                yield from _values_within(doc, outcome, index, low, high, "scale")


def percent_within_range(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """Percentages lie between 0 and 100."""
    for index, outcome in outcomes(case):
        if outcome.get("unit") == "percent":
            yield from _values_within(doc, outcome, index, 0, 100, "percent")


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _values_within(
    doc: LoadedDocument, outcome: dict[str, Any], index: int, low: float, high: float, what: str
) -> Iterator[Problem]:
    for sub, item in measurements(outcome):
        value = item.get("value") if isinstance(item, dict) else None
        if isinstance(value, (int, float)) and _numbers(value) and not low <= value <= high:
            where = (
                "a percentage must be between 0 and 100"
                if what == "percent"
                else f"the scale runs from {low} to {high}"
            )
            yield doc.problem(
                ("outcomes", index, *sub, "value"),
                f"The value {value} is outside the range: {where}.",
                "Check the value and the unit.",
                kind="rule",
            )


def sd_fits_unit(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """A standard deviation is given only for means, and only with the n behind it."""
    for index, outcome in outcomes(case):
        unit = outcome.get("unit")
        for sub, item in measurements(outcome):
            if "sd" not in item:
                continue
            if unit in ("percent", "count"):
                yield doc.problem(
                    ("outcomes", index, *sub, "sd"),
                    f"A standard deviation does not apply to a {unit} outcome: its range comes "
                    "from the number of respondents or cases.",
                    "Remove `sd`, and give `n` (how many respondents or cases) if you know it.",
                    kind="rule",
                )
            elif isinstance(unit, str) and unit not in UNITS_WITH_SD:
                yield doc.problem(
                    ("outcomes", index, *sub, "sd"),
                    f"A standard deviation does not apply to a {unit} outcome: it is only for "
                    "means, in the units " + ", ".join(f"`{u}`" for u in UNITS_WITH_SD) + ".",
                    "Remove `sd`.",
                    kind="rule",
                )
            elif "n" not in item:
                yield doc.problem(
                    ("outcomes", index, *sub, "sd"),
                    "A standard deviation needs the number of respondents or cases it comes from.",
                    "Add `n:` to this measurement (e.g. `n: 24`), or remove `sd`.",
                    kind="rule",
                )


def comparison_fits_design(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """A comparison group is recorded only under a design that has one."""
    evaluation = case.get("evaluation")
    design = evaluation.get("design") if isinstance(evaluation, dict) else None
    if design in DESIGNS_WITH_COMPARISON:
        return
    for index, outcome in outcomes(case):
        if "comparison" in outcome:
            yield doc.problem(
                ("outcomes", index, "comparison"),
                f"A comparison group needs a design with one, but `evaluation.design` is "
                f"`{design}`.",
                "Write the design that compared groups under `evaluation` ("
                + ", ".join(f"`{d}`" for d in DESIGNS_WITH_COMPARISON)
                + "), or remove `comparison`.",
                kind="rule",
            )


def comparison_results_not_before_baseline(
    doc: LoadedDocument, case: dict[str, Any]
) -> Iterator[Problem]:
    """No comparison result is dated before the comparison baseline."""
    for index, outcome in outcomes(case):
        comparison = outcome.get("comparison")
        if isinstance(comparison, dict):
            yield from _results_after_baseline(doc, comparison, ("outcomes", index, "comparison"))


def reviewed_fields_exist(doc: LoadedDocument, case: dict[str, Any]) -> Iterator[Problem]:
    """Each allowed_personal_data entry names a field that exists."""
    entries = case.get("allowed_personal_data")
    if not isinstance(entries, list):
        return
    known = {format_path(path) for path in doc.positions}
    for n, entry in enumerate(entries):
        field = entry.get("field") if isinstance(entry, dict) else None
        if isinstance(field, str) and field not in known:
            yield doc.problem(
                ("allowed_personal_data", n, "field"),
                f"There is no field `{field}` in this file.",
                "Copy the field path exactly as the personal-data message showed it.",
                kind="rule",
            )


RULES: tuple[Rule, ...] = (
    id_matches_file_name,
    id_is_not_reserved,
    text_has_no_hidden_characters,
    text_is_visible,
    dates_are_real,
    end_not_before_start,
    updated_not_before_submitted,
    domain_fits_about,
    baseline_has_results,
    results_not_before_baseline,
    scale_for_scores,
    percent_within_range,
    sd_fits_unit,
    comparison_fits_design,
    comparison_results_not_before_baseline,
    reviewed_fields_exist,
    *MEASURE_RULES,
    *PROVENANCE_RULES,
)


def check_rules(doc: LoadedDocument) -> list[Problem]:
    """Run every cross-field rule on a loaded case."""
    case = doc.data
    if not isinstance(case, dict):
        return []
    return [problem for rule in RULES for problem in rule(doc, case)]
