"""Find personal data (emails, phone, NHS and NI numbers, postcodes) in free text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

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
