"""Tests for generator.personal_data: what is flagged and what is left alone."""

from __future__ import annotations

import pytest

from generator.cases.personal_data import LABELS, Finding, find_personal_data, is_valid_nhs_number


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    """Return each finding in a text as (kind, matched text)."""
    return [(finding.kind, finding.text) for finding in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "kind", "match"),
    [
        ("Contact jo.bloggs@example.org for details.", "email", "jo.bloggs@example.org"),
        ("Email: Jo.Bloggs+copro@council.gov.uk.", "email", "Jo.Bloggs+copro@council.gov.uk"),
        ("Write to <a_b-c@sub.example.co.uk>", "email", "a_b-c@sub.example.co.uk"),
        ("mailto:someone@example.org", "email", "someone@example.org"),
        ("Call 07700 900123 today", "phone", "07700 900123"),
        ("Call 07700 900 123 today", "phone", "07700 900 123"),
        ("Call 07700-900-123 today", "phone", "07700-900-123"),
        ("Mobile:07700900123", "phone", "07700900123"),
        ("Ring +44 7700 900123", "phone", "+44 7700 900123"),
        ("Ring +447700900123", "phone", "+447700900123"),
        ("Ring 0044 7700 900123", "phone", "0044 7700 900123"),
        ("Ring +44 (0)20 7946 0958", "phone", "+44 (0)20 7946 0958"),
        ("Ring +44 20 7946 0958", "phone", "+44 20 7946 0958"),
        ("Ring (020) 7946 0958", "phone", "(020) 7946 0958"),
        ("Ring 020 7946 0958", "phone", "020 7946 0958"),
        ("Ring 020-7946-0958", "phone", "020-7946-0958"),
        ("Ring 0161 496 0000.", "phone", "0161 496 0000"),
        ("Ring (0161 496 0000)", "phone", "0161 496 0000"),
        ("Ring (01632) 960123", "phone", "(01632) 960123"),
        ("Ring 01632 960123", "phone", "01632 960123"),
        ("Freephone 0800 123 4567", "phone", "0800 123 4567"),
        ("Freephone 0800 123456", "phone", "0800 123456"),
        ("Helpline 0300 123 4567", "phone", "0300 123 4567"),
        ("NHS number 943 476 5919", "nhs-number", "943 476 5919"),
        ("NHS number 9434765919", "nhs-number", "9434765919"),
        ("NHS number 943-476-5919", "nhs-number", "943-476-5919"),
        ("NHS no. 401 023 2137", "nhs-number", "401 023 2137"),
        ("NI AB123456C", "ni-number", "AB123456C"),
        ("NI AB 12 34 56 C", "ni-number", "AB 12 34 56 C"),
        ("NI JT 123456 D", "ni-number", "JT 123456 D"),
        ("ni ab123456a", "ni-number", "ab123456a"),
        ("Lives at M1 1AE now", "postcode", "M1 1AE"),
        ("SW1A 1AA", "postcode", "SW1A 1AA"),
        ("Birmingham B33 8TH.", "postcode", "B33 8TH"),
        ("Croydon CR2 6XH,", "postcode", "CR2 6XH"),
        ("DN55 1PT", "postcode", "DN55 1PT"),
        ("EC1A 1BB", "postcode", "EC1A 1BB"),
        ("W1A 0AX", "postcode", "W1A 0AX"),
        ("Belfast BT1 5GS", "postcode", "BT1 5GS"),
        ("No space M11AE", "postcode", "M11AE"),
    ],
)
def test_personal_data_is_found(text: str, kind: str, match: str) -> None:
    assert kinds_and_texts(text) == [(kind, match)]


@pytest.mark.parametrize(
    "text",
    [
        "The project ran from 2019 to 2021 and again in 2023.",
        "In 1999 2000 2001 2002 2003 the service grew.",
        "The budget was £1,200,000 and later £250,000.",
        "Costs fell by $1,234,567 or €2,000,000.",
        "Satisfaction rose from 58% to 81% (0.58 to 0.81).",
        "From 2023-01-15 to 2024-09-30, then 2025-03.",
        "Dates 01/02/2023, 01-02-2023, 01.02.2023 and 15/06/24.",
        "We reached 1,250 people and 12,000 visits; 1,000,000 leaflets.",
        "Counted 01 02 03 04 05 06 in turn.",
        "Reference 0.12345678901 and ratio 0.0775.",
        "Invalid NHS-like 943 476 5918 and 9434765918.",
        "Random 1234567890 and 123 456 7890.",
        "Placeholder 0000000000 and 1111111111.",
        "Fourteen digits 94347659191234 and 11 digits 94347659190.",
        "NI-like but excluded QQ123456C, BG123456A, GB123456A, NK123456A, TN123456A, ZZ123456A.",
        "NI-like with bad letters DA123456A, FA123456A, AO123456A, AB123456E.",
        "Outward codes alone: M1, SW1A, B33 and CR2.",
        "Not postcodes: A1 1AA, Q1 1AA, M1 1CA, sw1a 1aa, COVID19 1AB.",
        "Model XAB123456C7 and hash eab123456c9.",
        "See https://example.org/cases/9434765919/M1-1AE?tel=07700900123 for data.",
        "See https://www.example.org/AB123456C and www.example.org/SW1A1AA.",
        "Follow https://medium.com/@jane/post for more.",
        "Version 1.07700900123 and code X07700900123.",
        "Schema version 1, id riverside-day-centre-redesign, n 64, value 58.",
        "ISBN 978-0-14-103614-4",
        "Twelve digits 077009001234 is too long.",
        "Unbalanced 0161) 496 0000 brackets.",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert find_personal_data(text) == []


def test_finding_has_offsets_and_label() -> None:
    text = "Call Jo on 07700 900123 or email jo@example.org."
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == ["phone", "email"]
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
        assert finding.label == LABELS[finding.kind]
    assert findings[0] == Finding("phone", "a UK phone number", 11, 23, "07700 900123")


def test_labels_are_plain_words() -> None:
    assert LABELS == {
        "email": "an email address",
        "nhs-number": "an NHS number",
        "ni-number": "a National Insurance number",
        "phone": "a UK phone number",
        "postcode": "a full UK postcode",
    }


def test_findings_come_in_text_order_without_overlaps() -> None:
    text = "SW1A 1AA, AB123456C, 943 476 5919, 020 7946 0958, a@b.org"
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == ["postcode", "ni-number", "nhs-number", "phone", "email"]
    ends = [f.end for f in findings]
    starts = [f.start for f in findings]
    assert all(end <= start for end, start in zip(ends, starts[1:], strict=False))


def test_number_that_is_both_phone_and_nhs_is_reported_once() -> None:
    # 0123456789 passes the NHS check and is also shaped like a 10-digit 01 number.
    assert len(find_personal_data("Number 0123456789 here")) == 1


def test_email_inside_web_address_is_still_flagged() -> None:
    text = "https://example.org/contact?to=jo@example.org"
    assert kinds_and_texts(text) == [("email", "jo@example.org")]


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9434765918", False),
        ("1234567890", False),  # check digit would be 10
        ("0000000000", False),
        ("943476591", False),
        ("94347659x9", False),
    ],
)
def test_nhs_number_check_digit(digits: str, valid: bool) -> None:
    assert is_valid_nhs_number(digits) is valid


def test_check_digit_eleven_means_zero() -> None:
    # A weighted sum divisible by 11 gives 11 - 0 = 11, which the check digit writes as 0.
    digits = next(
        f"{n:09d}0"
        for n in range(100000000, 100001000)
        if sum(int(d) * w for d, w in zip(f"{n:09d}", range(10, 1, -1), strict=True)) % 11 == 0
    )
    assert is_valid_nhs_number(digits)
    assert find_personal_data(f"NHS {digits}")[0].kind == "nhs-number"


def test_long_hostile_input_is_handled() -> None:
    text = "a" * 20_000 + "@" + "b." * 10_000 + " " + "0" * 20_000 + " " + "AB1" * 5_000
    assert find_personal_data(text) == []
