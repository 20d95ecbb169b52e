"""Cite a case study: suggested text, BibTeX and RIS, with case text made inert in each format.

BibTeX counts every brace, escaped or not, so braces, backslashes and the other characters
LaTeX reads as commands are written as brace-balanced commands (``\\textbraceleft{}``); a name
that holds the word "and" gets it braced so it does not split into two authors. RIS is one
tag a line, so line breaks and other control characters become spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from generator.cases.text import inline_text, one_line
from generator.figures.catalogue import CaseEntry
from generator.schema import label
from generator.settings import SiteSettings, case_url

EXAMPLE_NOTE = "Illustrative example: an invented case, not evidence"
SUMMARY_NOTE = "Summary of a published evaluation, written from its report"
BIBTEX_TYPES = {"article": "article", "report": "techreport"}
RIS_TYPES = {"article": "JOUR", "report": "RPRT", "dataset": "DATA", "presentation": "SLIDE"}
# Characters LaTeX reads as commands, written so that every brace in the output is balanced.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "$": r"\$",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_LATEX_SPECIAL = re.compile("|".join(map(re.escape, _LATEX)))
_AND = re.compile(r"\band\b", re.IGNORECASE)


@dataclass(frozen=True)
class SourceReference:
    """The published evaluation a summary was written from, as one-line plain text."""

    key: str
    authors: tuple[str, ...]
    year: str
    title: str
    published_in: str
    doi: str
    url: str
    type: str


@dataclass(frozen=True)
class Reference:
    """What every citation format needs from a case, as one-line plain text."""

    key: str
    authors: tuple[str, ...]
    year: str
    title: str
    publisher: str
    url: str
    version: str
    abstract: str
    keywords: tuple[str, ...]
    example: bool
    source: SourceReference | None = None  # for a summary: the study, cited first


def absolute_case_url(case_id: str, site_url: str) -> str:
    """Return a case page's URL: absolute with a site URL, else site-relative."""
    return f"{site_url.rstrip('/')}/{case_url(case_id)}" if site_url else case_url(case_id)


def reference(case: CaseEntry, site_name: str, site_url: str, keywords: Iterable[str]) -> Reference:
    """Collect what a citation of the case says."""
    data = case.data
    return Reference(
        key=case.id,
        authors=tuple(one_line(a["name"]) for a in data["authors"]),
        year=str(data["submitted"])[:4],
        title=one_line(case.title),
        publisher=one_line(site_name),
        url=absolute_case_url(case.id, site_url),
        version=case.newest_date,
        abstract=inline_text(str(data["summary"])),
        keywords=tuple(one_line(k) for k in keywords),
        example=case.is_example,
        source=summarised_source(case) if case.is_summary else None,
    )


def summarised_source(case: CaseEntry) -> SourceReference | None:
    """Return the study a summary was written from: the first source its figures cite."""
    sources = case.data.get("sources") or []
    cited = [o["source"]["ref"] for o in case.data["outcomes"] if o.get("source")]
    index = min(cited) - 1 if cited else 0
    if not 0 <= index < len(sources):
        return None
    source = sources[index]
    doi = one_line(str(source.get("doi", "")))
    return SourceReference(
        key=f"{case.id}-source",
        authors=tuple(one_line(a) for a in source.get("authors") or []),
        year=str(source.get("year", "")),
        title=one_line(str(source["title"])),
        published_in=one_line(str(source.get("published_in", ""))),
        doi=doi,
        url=f"https://doi.org/{doi}" if doi else one_line(str(source.get("url", ""))),
        type=str(source["type"]),
    )


def source_citation(source: SourceReference) -> str:
    """Write a study's citation: authors (year). Title. Where published. DOI or address."""
    title = source.title if source.title.endswith((".", "?", "!")) else source.title + "."
    authors = ", ".join(source.authors) or "Anonymous"
    year = f" ({source.year})" if source.year else ""
    where = f" {source.published_in}." if source.published_in else ""
    return f"{authors}{year}. {title}{where} {source.url}".rstrip()


def citation_text(ref: Reference, version: str) -> str:
    """Write the suggested citation: authors (year). Title. Publisher. URL (version of date).

    A summary cites the study first, then the hub's summary of it.
    """
    note = " [Illustrative example]" if ref.example else ""
    title = ref.title if ref.title.endswith((".", "?", "!")) else ref.title + "."
    hub = (
        f"{'; '.join(ref.authors)} ({ref.year}). {title}{note} {ref.publisher}. {ref.url} "
        f"(version of {version})."
    )
    if ref.source is None:
        return hub
    return f"{source_citation(ref.source)}. Summarised in the hub by {hub}"


def latex(text: str) -> str:
    """Escape text for a braced BibTeX field."""
    return _LATEX_SPECIAL.sub(lambda found: _LATEX[found.group()], one_line(text))


def bibtex_name(name: str) -> str:
    """Escape one author's name, bracing any "and" so it cannot split the name in two."""
    return _AND.sub(lambda found: "{" + found.group() + "}", latex(name))


def bibtex(ref: Reference) -> str:
    """Write a BibTeX @misc entry for the case; a summary's study comes first, as its own entry."""
    study = bibtex_source(ref.source) if ref.source else ""
    return study + bibtex_case(ref)


def bibtex_source(source: SourceReference) -> str:
    """Write the study a summary was written from as a BibTeX entry."""
    kind = BIBTEX_TYPES.get(source.type, "misc")
    venue = {"article": "journal", "techreport": "institution"}.get(kind, "howpublished")
    fields = [
        ("author", " and ".join(bibtex_name(name) for name in source.authors)),
        ("title", "{" + latex(source.title) + "}"),
        ("year", source.year),
        (venue, latex(source.published_in)),
        ("doi", latex(source.doi)),
        ("url", latex(source.url)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{source.key},\n{body}\n}}\n\n"


def bibtex_case(ref: Reference) -> str:
    """Write the hub's case study as a BibTeX @misc entry."""
    note = f"Version of {ref.version}" + (f". {EXAMPLE_NOTE}" if ref.example else "")
    if ref.source is not None:
        note += f". {SUMMARY_NOTE} ({ref.source.key})"
    fields = [
        ("author", " and ".join(bibtex_name(name) for name in ref.authors)),
        ("title", "{" + latex(ref.title) + "}"),  # double braces keep the title's capitals
        ("year", ref.year),
        ("publisher", latex(ref.publisher)),
        ("howpublished", latex(ref.publisher)),
        ("url", latex(ref.url)),
        ("note", latex(note)),
        ("keywords", latex(", ".join(ref.keywords))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{ref.key},\n{body}\n}}\n"


def ris(ref: Reference) -> str:
    """Write a RIS record (type RPRT, a report) for the case; a summary's study comes first."""
    study = ris_source(ref.source) if ref.source else ""
    return study + ris_case(ref)


def ris_source(source: SourceReference) -> str:
    """Write the study a summary was written from as a RIS record."""
    lines = [("TY", RIS_TYPES.get(source.type, "GEN")), ("ID", source.key)]
    lines += [("AU", name) for name in source.authors]
    lines += [("TI", source.title)]
    lines += [(tag, value) for tag, value in (("PY", source.year), ("T2", source.published_in),
              ("DO", source.doi), ("UR", source.url)) if value]  # fmt: skip
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)


def ris_case(ref: Reference) -> str:
    """Write the hub's case study as a RIS record (type RPRT, a report)."""
    year, _, rest = ref.version.partition("-")
    month, _, day = rest.partition("-")
    lines = [("TY", "RPRT"), ("ID", ref.key)]
    lines += [("AU", name) for name in ref.authors]
    lines += [
        ("TI", ref.title),
        ("PY", ref.year),
        ("DA", f"{year}/{month}/{day}/"),
        ("PB", ref.publisher),
        ("UR", ref.url),
        ("AB", ref.abstract),
    ]
    lines += [("KW", keyword) for keyword in ref.keywords]
    if ref.example:
        lines.append(("N1", EXAMPLE_NOTE))
    if ref.source is not None:
        lines.append(("N1", f"{SUMMARY_NOTE}: {source_citation(ref.source)}"))
    lines.append(("ER", ""))
    # One line per tag: nothing in a value can start a tag of its own.
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)


def case_reference(case: CaseEntry, settings: SiteSettings) -> Reference:
    """Collect what the citations of a case say, with its area and domains as keywords."""
    keywords = [label("service.area", case.area), "co-production"]
    keywords += [label("outcomes.*.domain", d) for d in case.domains if d != "other"]
    return reference(case, settings.site_name, settings.site_url, dict.fromkeys(keywords))


CITATION_TYPES = {"bib": "application/x-bibtex", "ris": "application/x-research-info-systems"}


def cite_files(ref: Reference) -> dict[str, str]:
    """Return a case's citation as BibTeX and RIS, by file extension."""
    return {"bib": bibtex(ref), "ris": ris(ref)}


def cite_links(files: dict[str, str]) -> dict[str, str]:
    """Return each citation file as a data: address, downloaded from the page with no file per case.

    Two files a case cost the build about 1 ms each to write (2 s at 1,000 cases).
    """
    return {
        extension: f"data:{CITATION_TYPES[extension]};charset=utf-8,{quote(text, safe='')}"
        for extension, text in files.items()
    }
