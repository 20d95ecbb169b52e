"""The pages the browser tests visit: one of each kind, chosen from the repository's case files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.conftest import ROOT


@dataclass(frozen=True)
class SitePage:
    """A page of the site, or a state of one (the header search open with results)."""

    name: str
    path: str
    search: str | None = None
    search_finds: str | None = None
    kind: str = ""

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", self.name)


@dataclass(frozen=True)
class CaseFacts:
    """The few facts about a case file that the tests choose pages by."""

    id: str
    design: str
    area: str
    organisation: str
    status: str = ""
    quoted: bool = False  # an outcome quotes its source
    compared: bool = False  # an outcome has a comparison group


def read_cases(folder: Path = ROOT / "evaluations") -> list[CaseFacts]:
    """Read the id, design, area and organisation of every case file, sorted by id."""
    facts = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        outcomes = data.get("outcomes", [])
        facts.append(
            CaseFacts(
                id=data["id"],
                design=data["evaluation"]["design"],
                area=data["service"]["area"],
                organisation=data["organisation"]["name"],
                status=data["status"],
                quoted=any(o.get("source", {}).get("quote") for o in outcomes),
                compared=any("comparison" in o for o in outcomes),
            )
        )
    return facts


def one_case_per_design(cases: list[CaseFacts]) -> dict[str, CaseFacts]:
    """Return the first case (by id) of each evaluation design found."""
    chosen: dict[str, CaseFacts] = {}
    for case in cases:
        chosen.setdefault(case.design, case)
    return dict(sorted(chosen.items()))


def site_pages(cases: list[CaseFacts]) -> list[SitePage]:
    """Return every page the browser tests check: one of each kind, a case page per design,
    a summary that quotes its source and an example with a comparison group."""
    first, second = cases[0], cases[1]
    summary = next((c for c in cases if c.status == "summary" and c.quoted), None)
    example = next((c for c in cases if c.status == "example" and c.compared), None)
    pages = [
        SitePage("home", "/"),
        SitePage("case-list", "/evaluations/"),
        *(
            SitePage(f"case-{design}", f"/evaluations/{case.id}/", kind="case")
            for design, case in one_case_per_design(cases).items()
        ),
        *([SitePage("case-summary", f"/evaluations/{summary.id}/")] if summary else []),
        *([SitePage("case-example", f"/evaluations/{example.id}/")] if example else []),
        SitePage("compare", "/compare/"),
        SitePage("compare-published", "/compare/published/"),
        SitePage("side-by-side", f"/compare/cases/?ids={first.id},{second.id}"),
        SitePage("data", "/data/"),
        SitePage("contribute", "/contribute/"),
        SitePage("builder", "/contribute/builder/"),
        SitePage("builder-update", f"/contribute/builder/?case={first.id}", kind="builder"),
        SitePage("method", "/method/"),
        SitePage("topics", "/topics/"),
        SitePage("topic-area", f"/topics/areas/{first.area}/"),
        SitePage("search", "/", search=first.organisation, search_finds=first.id),
    ]
    return pages


CASES = read_cases()
PAGES = site_pages(CASES)
PAGE_IDS = [page.name for page in PAGES]
# The first page of each kind (a single case page stands for all of them).
PAGE_KINDS = list({page.kind: page for page in reversed(PAGES)}.values())[::-1]
