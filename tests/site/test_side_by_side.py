"""The side-by-side view's data: the latest result by date, dates in words, certainty words."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from generator.cases.load import load_case_file
from generator.figures.catalogue import CaseEntry
from generator.figures.derive import derive_case
from generator.site.side_by_side import side_by_side_records
from tests.conftest import VALID_EXAMPLE


def entry(change: Any) -> CaseEntry:
    data = copy.deepcopy(load_case_file(VALID_EXAMPLE).data)
    change(data)
    return CaseEntry(data, derive_case(data), Path(f"{data['id']}.yaml"))


def test_the_latest_result_is_the_latest_by_date_not_the_last_listed() -> None:
    """Contract 1.2 correction: results listed out of date order showed the last listed."""

    def out_of_order(data: dict[str, Any]) -> None:
        data["outcomes"][0]["results"] = [
            {"value": 81, "date": "2024-09", "n": 61},
            {"value": 74, "date": "2023-11", "n": 59},  # earlier, listed last
        ]

    (record,) = side_by_side_records([entry(out_of_order)])
    first = record["outcomes"][0]
    assert (first["latest"], first["latest_date"]) == ("81%", "September 2024")
    assert (record["start"], record["end"]) == ("January 2023", "September 2023")


def test_verdicts_carry_the_certainty_of_the_evidence() -> None:
    (record,) = side_by_side_records([entry(lambda data: None)])
    satisfaction = record["outcomes"][0]
    # Before and after with no comparison group: very low certainty, in GRADE's words.
    assert satisfaction["verdict"] == "Very uncertain: may have improved"
    assert satisfaction["certainty"] == "Very low"
    assert satisfaction["change"].startswith("23 points higher (95% range")
