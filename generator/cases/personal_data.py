"""Find personal data (emails, phone, NHS and NI numbers, postcodes) in free text.

``find_personal_data`` matches text as it is stored; the builder page runs the same patterns in
the browser. ``find_personal_data_as_read`` is what validation uses: it matches the text as a
reader sees it (see ``as_read``), so that a soft hyphen inside an address, a thin space or a
non-breaking hyphen inside a phone number, or a fullwidth ``@`` hides nothing, and it looks
into web addresses' queries and for phone numbers in international form (``wa.me/447700900123``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, unquote_plus, urlsplit

from generator.cases.rules import HIDDEN_CHARACTERS

LABELS = {
    "email": "an email address",
    "nhs-number": "an NHS number",
    "ni-number": "a National Insurance number",
    "phone": "a UK phone number",
    "postcode": "a full UK postcode",
}
# When two findings overlap, the kind listed first in LABELS wins.
_PRIORITY = {kind: rank for rank, kind in enumerate(LABELS)}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text, with its character offsets."""

    kind: str
    label: str
    start: int
    end: int
    text: str


# The lookbehinds also keep scanning linear: a match may only start where a token starts.
_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
    r"(?![\w-]|\.[A-Za-z0-9])"
)
# A UK number: +44, 0044 or 0, then 9 or 10 digits with single spaces, hyphens or brackets.
_PHONE = re.compile(
    r"(?<![\w£$€+.,/@-])"
    r"(?P<prefix>(?:\+|00)44[ \u00a0-]?(?:\(0\)[ \u00a0-]?)?|\(0(?=\d{2,5}\))|0)"
    r"(?P<number>\d(?:[ \u00a0-]?\)?[ \u00a0-]?\d){8,9})"
    r"(?![\w@]|[.,/-]\d)"
)
_NHS_NUMBER = re.compile(
    r"(?<![\w.,/-])\d{3}(?P<sep>[ \u00a0-]?)\d{3}(?P=sep)\d{4}(?![\w]|[.,/-]\d)"
)
_NI_NUMBER = re.compile(
    r"(?<![\w-])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w-])",
    re.IGNORECASE,
)
# Every UK postcode area (plus BF for BFPO and BX), so look-alike codes are not flagged.
_POSTCODE_AREAS = (
    "AB|AL|BA|BB|BD|BF|BH|BL|BN|BR|BS|BT|BX|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DH|DL|"
    "DN|DT|DY|EC|EH|EN|EX|FK|FY|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|KA|KT|KW|KY|"
    "LA|LD|LE|LL|LN|LS|LU|ME|MK|ML|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|RM|SA|SE|"
    "SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|WA|WC|WD|WF|WN|WR|WS|WV|"
    "YO|ZE|B|E|G|L|M|N|S|W"
)
# Uppercase only: lowercase look-alikes ("le1 7rh") are rare and mostly not postcodes.
_POSTCODE = re.compile(
    rf"(?<![\w-])(?:{_POSTCODE_AREAS})\d[\dA-Z]?[ \u00a0]?\d[ABD-HJLNP-UW-Z]{{2}}(?![\w-])"
)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_PHONE_FIRST_DIGITS = frozenset("1235789")
# The same patterns by kind, for the builder page to run in the browser (generator/builder.py).
PATTERNS = {
    "email": _EMAIL,
    "phone": _PHONE,
    "nhs-number": _NHS_NUMBER,
    "ni-number": _NI_NUMBER,
    "postcode": _POSTCODE,
}
URL_PATTERN = _URL
PHONE_FIRST_DIGITS = _PHONE_FIRST_DIGITS


def _finding(kind: str, match: re.Match[str]) -> Finding:
    """Turn a regex match into a finding of the given kind."""
    return Finding(kind, LABELS[kind], match.start(), match.end(), match.group())


def _find_emails(text: str) -> Iterator[Finding]:
    """Yield the email addresses in a text."""
    return (_finding("email", match) for match in _EMAIL.finditer(text))


def _digit_groups(match: re.Match[str]) -> list[str]:
    """Split a phone number into its national digit groups, leading zero included."""
    prefix, number = match.group("prefix", "number")
    if "44" not in prefix:
        return re.findall(r"\d+", "0" + number)
    groups = re.findall(r"\d+", number)
    return ["0" + groups[0], *groups[1:]]


def _is_uk_phone(match: re.Match[str]) -> bool:
    """Tell whether a phone-shaped match is grouped and numbered like a UK number."""
    whole = match.group()
    groups = _digit_groups(match)
    national = "".join(groups)
    if whole.count("(") != whole.count(")") or len(groups) > 4:
        return False
    if len(groups[0]) < 3 or any(len(group) < 3 for group in groups[1:]):
        return False
    if national[1] not in _PHONE_FIRST_DIGITS:
        return False
    return len(national) == 11 or national[1] in "18"


def _find_phones(text: str) -> Iterator[Finding]:
    """Yield the UK phone numbers in a text."""
    return (_finding("phone", m) for m in _PHONE.finditer(text) if _is_uk_phone(m))


def is_valid_nhs_number(digits: str) -> bool:
    """Tell whether ten digits pass the NHS number's modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    return check != 10 and check % 11 == int(digits[9])


def _find_nhs_numbers(text: str) -> Iterator[Finding]:
    """Yield the NHS numbers in a text, skipping numbers that fail the check digit."""
    for match in _NHS_NUMBER.finditer(text):
        if is_valid_nhs_number(re.sub(r"\D", "", match.group())):
            yield _finding("nhs-number", match)


def _find_ni_numbers(text: str) -> Iterator[Finding]:
    """Yield the National Insurance numbers in a text."""
    return (_finding("ni-number", match) for match in _NI_NUMBER.finditer(text))


def _find_postcodes(text: str) -> Iterator[Finding]:
    """Yield the full UK postcodes in a text."""
    return (_finding("postcode", match) for match in _POSTCODE.finditer(text))


_DETECTORS: tuple[Callable[[str], Iterable[Finding]], ...] = (
    _find_emails,
    _find_phones,
    _find_nhs_numbers,
    _find_ni_numbers,
    _find_postcodes,
)


def _inside_url(finding: Finding, urls: list[range]) -> bool:
    """Tell whether a non-email finding lies inside a web address."""
    return finding.kind != "email" and any(
        finding.start in url and finding.end - 1 in url for url in urls
    )


def _without_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep one finding per stretch of text: the longest, then the highest priority."""
    kept: list[Finding] = []
    ranked = sorted(findings, key=lambda f: (f.start, -(f.end - f.start), _PRIORITY[f.kind]))
    for finding in ranked:
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


def find_personal_data(text: str) -> list[Finding]:
    """Find the personal data in a free-text field, in order of position."""
    urls = [range(match.start(), match.end()) for match in _URL.finditer(text)]
    found = (finding for detect in _DETECTORS for finding in detect(text))
    return _without_overlaps(f for f in found if not _inside_url(f, urls))


# ---------------------------------------------------------------- text as a reader sees it

# A character with the combining marks after it: normalised together, so that NFKC composes
# "e" and U+0301 into "é" as it would in the whole text.
_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_CLUSTER = re.compile(f".{_MARKS}*", re.DOTALL)
# Dashes that are not the hyphen-minus: category Pd, and the minus sign and hyphen bullet.
EXTRA_DASHES = "\u2043\u2212"


Span = tuple[int, int]


@dataclass(frozen=True)
class Reading:
    """Text as a reader sees it (``text``), read from ``source``."""

    source: str
    text: str

    def original(self, start: int, end: int) -> Span:
        """Return the offsets in the source of ``text[start:end]``."""
        spans = _read_with_origins(self.source)[1]  # worked out only when something was found
        return spans[start][0], spans[end - 1][1]


@functools.lru_cache(maxsize=4096)
def _read_piece(piece: str) -> str:
    """Return what one character (with its combining marks) reads as, spaces and dashes folded."""
    piece = unicodedata.normalize("NFKC", HIDDEN_CHARACTERS.sub("", piece))
    out = []
    for character in piece:
        if character.isspace():
            out.append(" ")
        elif unicodedata.category(character) == "Pd" or character in EXTRA_DASHES:
            out.append("-")
        elif unicodedata.category(character) == "Nd":
            out.append(str(unicodedata.decimal(character)))
        else:
            out.append(character)
    return "".join(out)


class _Readings(dict[int, str]):
    """What each character reads as, worked out the first time it is met (for str.translate)."""

    def __missing__(self, code: int) -> str:
        self[code] = _read_piece(chr(code))
        return self[code]


_READINGS = _Readings()
_SPACES = re.compile(" {2,}")
_HAS_MARKS = re.compile(_MARKS)


@functools.lru_cache(maxsize=16)
def _read_with_origins(text: str) -> tuple[str, list[Span]]:
    """Return what text reads as, and the span in ``text`` of each character read."""
    chars: list[str] = []
    spans: list[Span] = []
    for found in _CLUSTER.finditer(text):
        for character in _read_piece(found[0]):
            if character == " " and chars and chars[-1] == " ":
                spans[-1] = (spans[-1][0], found.end())
                continue
            chars.append(character)
            spans.append((found.start(), found.end()))
    return "".join(chars), spans


def as_read(text: str) -> Reading:
    """Return text as a reader sees it, for matching: NFKC, hidden characters removed, every
    kind of space (runs of them, line breaks included) one space, every dash a hyphen-minus,
    and every decimal digit an ASCII one."""
    if _HAS_MARKS.search(text):  # marks compose with the character before them
        return Reading(text, _read_with_origins(text)[0])
    # One character at a time reads the same, and str.translate does that at C speed.
    return Reading(text, _SPACES.sub(" ", text.translate(_READINGS)))


# A UK number in international form without its "+" or "00", as links to messaging services
# write it (https://wa.me/447700900123, api.whatsapp.com/send?phone=447700900123): in a web
# address between any separators, in text as a number of its own.
_INTERNATIONAL_DIGITS = re.compile(r"(?<!\d)44\d{9,10}(?!\d)")
_INTERNATIONAL_IN_TEXT = re.compile(r"(?<![\w£$€+.,/@-])44\d{9,10}(?![\w@]|[.,/-]\d)")
_QUERY_SEPARATORS = re.compile(r"[&=;/?#,]")


def _in_web_address(url: str) -> Iterator[Finding]:
    """Yield the personal data in a web address's path, query and fragment.

    The query and the fragment hold what people typed (a name, an address, a number), so they
    are checked like text; paths are full of identifiers that look like numbers, so only phone
    numbers written in international form count there.
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # not a well-formed address ("https://[x"): all of it as typed text
        path, typed = "", unquote_plus(url.split("//", 1)[-1])
    else:
        path = unquote(parts.path)
        typed = " ".join((unquote_plus(parts.query), unquote(parts.fragment)))
    yield from find_personal_data(_QUERY_SEPARATORS.sub(" ", typed))
    for part in (path, typed):
        yield from _international_phones(_INTERNATIONAL_DIGITS, part)


def _international_phones(pattern: re.Pattern[str], text: str) -> Iterator[Finding]:
    """Yield the UK phone numbers written as 44 and the national number, with no "+"."""
    for match in pattern.finditer(text):
        if any(_find_phones(f"+{match[0]}")):
            yield _finding("phone", match)


def find_personal_data_as_read(text: str) -> list[Finding]:
    """Find the personal data a reader of a text would see, in order of position.

    Each finding quotes the original text it was found in (hidden characters and all); one found
    inside a web address's query, or in international form in its path, spans the address.
    """
    reading = as_read(text)
    found = []
    urls = [range(match.start(), match.end()) for match in _URL.finditer(reading.text)]
    international = _international_phones(_INTERNATIONAL_IN_TEXT, reading.text)
    in_text = [f for f in international if not _inside_url(f, urls)]
    for finding in [*find_personal_data(reading.text), *in_text]:
        start, end = reading.original(finding.start, finding.end)
        found.append(Finding(finding.kind, finding.label, start, end, text[start:end]))
    for url in _URL.finditer(reading.text):
        start, end = reading.original(url.start(), url.end())
        for finding in _in_web_address(url[0]):
            found.append(Finding(finding.kind, finding.label, start, end, finding.text))
    return _without_overlaps(found)
