"""The parts of a case the rules walk: its outcomes, and each outcome's measurements.

Rules run on data that may not match the schema yet, so each part is yielded only where it has
the shape a rule can read (a list of mappings), and silently skipped otherwise: the schema's
own problems say what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.cases.load import DataPath


def outcomes(case: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (position, outcome) for each outcome that is a mapping."""
    found = case.get("outcomes")
    if isinstance(found, list):
        for index, outcome in enumerate(found):
            if isinstance(outcome, dict):
                yield index, outcome


def measurements(outcome: dict[str, Any]) -> Iterator[tuple[DataPath, dict[str, Any]]]:
    """Yield (path within the outcome, measurement) for the participants' and comparison's."""
    owners: list[tuple[DataPath, Any]] = [((), outcome)]
    if isinstance(outcome.get("comparison"), dict):
        owners.append((("comparison",), outcome["comparison"]))
    for prefix, owner in owners:
        if isinstance(owner.get("baseline"), dict):
            yield (*prefix, "baseline"), owner["baseline"]
        results = owner.get("results")
        if isinstance(results, list):
            for n, result in enumerate(results):
                if isinstance(result, dict):
                    yield (*prefix, "results", n), result
