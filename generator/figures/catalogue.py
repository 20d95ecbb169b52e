"""The catalogue: every valid case with its derived figures, ready for rendering.

It is built through the caches by ``generator.cache.catalogue.build_catalogue``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.figures.derive import CaseFigures


@dataclass(frozen=True)
class CaseEntry:
    """One case as written, with its figures and where it came from."""

    data: dict[str, Any]
    figures: CaseFigures
    source: Path

    @cached_property
    def id(self) -> str:
        """Return the case's id."""
        return str(self.data["id"])

    @property
    def title(self) -> str:
        """Return the case's title."""
        return str(self.data["title"])

    @property
    def is_example(self) -> bool:
        """Return True for an invented, illustrative case."""
        return bool(self.data["status"] == "example")

    @property
    def is_summary(self) -> bool:
        """Return True for a case written from a published evaluation by someone else."""
        return bool(self.data["status"] == "summary")

    @cached_property
    def area(self) -> str:
        """Return the service area code."""
        return str(self.data["service"]["area"])

    @cached_property
    def domains(self) -> list[str]:
        """Return the outcome domain codes, once each, in first-seen order."""
        return list(dict.fromkeys(o["domain"] for o in self.data["outcomes"]))

    @cached_property
    def domain_set(self) -> frozenset[str]:
        """Return the outcome domain codes as a set."""
        return frozenset(self.domains)

    @property
    def start_year(self) -> int:
        """Return the year the co-production started."""
        return int(str(self.data["coproduction"]["start"])[:4])

    @property
    def newest_date(self) -> str:
        """Return the date the case was last published or updated."""
        return str(self.data.get("updated") or self.data["submitted"])


@dataclass(frozen=True)
class Catalogue:
    """All cases, sorted by id, with the groupings pages need."""

    cases: tuple[CaseEntry, ...]

    @cached_property
    def by_id(self) -> dict[str, CaseEntry]:
        """Return cases by id."""
        return {case.id: case for case in self.cases}

    @cached_property
    def by_area(self) -> dict[str, list[CaseEntry]]:
        """Return cases grouped by service area code."""
        groups: dict[str, list[CaseEntry]] = defaultdict(list)
        for case in self.cases:
            groups[case.area].append(case)
        return dict(groups)

    @cached_property
    def by_domain(self) -> dict[str, list[CaseEntry]]:
        """Return cases grouped by outcome domain code."""
        groups: dict[str, list[CaseEntry]] = defaultdict(list)
        for case in self.cases:
            for domain in case.domains:
                groups[domain].append(case)
        return dict(groups)

    def newest(self, count: int) -> list[CaseEntry]:
        """Return the most recently published or updated cases."""
        return sorted(self.cases, key=lambda c: (c.newest_date, c.id), reverse=True)[:count]

    @cached_property
    def _ranked_groups(self) -> dict[tuple[str, str], list[CaseEntry]]:
        """Return cases by area and by domain, strongest evidence first (built once)."""

        def rank(cases: list[CaseEntry]) -> list[CaseEntry]:
            return sorted(cases, key=lambda c: (-c.figures.evidence.level, c.id))

        groups = {("area", k): rank(v) for k, v in self.by_area.items()}
        groups.update({("domain", k): rank(v) for k, v in self.by_domain.items()})
        return groups

    def related(self, case: CaseEntry, limit: int = 6, pool: int = 24) -> list[CaseEntry]:
        """Return up to ``limit`` other cases sharing the area or an outcome domain, closest first.

        Candidates are the strongest ``pool`` cases of the same area and of each shared domain,
        so the cost per case does not grow with the number of cases.
        """
        groups = self._ranked_groups
        keys = [("area", case.area)] + [("domain", d) for d in case.domains]
        candidates = {
            c.id: c for key in keys for c in groups.get(key, [])[:pool] if c.id != case.id
        }
        mine = case.domain_set

        def closeness(other: CaseEntry) -> tuple[int, int, str]:
            shared = len(mine & other.domain_set)
            return (
                -(2 * (other.area == case.area) + shared),
                -other.figures.evidence.level,
                other.id,
            )

        return sorted(candidates.values(), key=closeness)[:limit]
