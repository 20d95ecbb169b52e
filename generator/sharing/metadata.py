"""Metadata other tools read: schema.org JSON-LD for cases and the data, and link previews.

JSON-LD goes into the page through ``pages.embed_json``, which escapes ``<``, ``>`` and ``&``,
so no case text can close the ``<script>`` element. Links are absolute when the site has a
``site_url``, else relative to the page, which JSON-LD resolves against the page's address.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from generator.cases.text import inline_text, one_line
from generator.figures.catalogue import CaseEntry, Catalogue
from generator.figures.followups import newest_change
from generator.schema import label
from generator.settings import case_url, url_between

LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "OGL-UK-3.0": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
DATA_LICENCE = LICENCE_URLS["CC-BY-4.0"]
SOURCE_TYPES = {
    "report": "Report",
    "article": "ScholarlyArticle",
    "dataset": "Dataset",
    "presentation": "PresentationDigitalDocument",
    "video": "VideoObject",
    "other": "CreativeWork",
}
ENCODING_FORMATS = {".csv": "text/csv", ".json": "application/json", ".yaml": "application/yaml"}
EXAMPLE_LABEL = "Illustrative example (invented, not evidence)"
SUMMARY_LABEL = (
    "Summary of a published evaluation (written from its report, not by the organisation)"
)
DESCRIPTION_LIMIT = 300


def link_to(target: str, here: str, site_url: str) -> str:
    """Return a site-relative path as an absolute URL with a site URL, else relative to here."""
    return f"{site_url.rstrip('/')}/{target}" if site_url else url_between(target, here)


def description(case: CaseEntry) -> str:
    """Return the case's summary as one line of plain text, labelled if it is an example."""
    text = inline_text(str(case.data["summary"]))
    if len(text) > DESCRIPTION_LIMIT:
        text = text[: DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0] + "\u2026"
    if case.is_example:
        return f"Illustrative example. {text}"
    return f"Summary of a published evaluation. {text}" if case.is_summary else text


def organisation(name: str, url: str = "") -> dict[str, Any]:
    """Return a schema.org Organization."""
    node: dict[str, Any] = {"@type": "Organization", "name": one_line(name)}
    if url.lower().startswith(("https://", "http://")):
        node["url"] = url
    return node


def person(author: dict[str, Any]) -> dict[str, Any]:
    """Return a case author as a schema.org Person."""
    node: dict[str, Any] = {"@type": "Person", "name": one_line(author["name"])}
    if author.get("organisation"):
        node["affiliation"] = organisation(author["organisation"])
    if author.get("role"):
        node["jobTitle"] = one_line(author["role"])
    return node


def source(item: dict[str, Any]) -> dict[str, Any]:
    """Return a case's source as the schema.org work it is based on."""
    node: dict[str, Any] = {
        "@type": SOURCE_TYPES.get(item["type"], "CreativeWork"),
        "name": one_line(item["title"]),
    }
    if str(item.get("url", "")).lower().startswith(("https://", "http://")):
        node["url"] = item["url"]
    if item.get("year"):
        node["datePublished"] = str(item["year"])
    if item.get("authors"):
        node["author"] = [{"@type": "Person", "name": one_line(a)} for a in item["authors"]]
    if item.get("doi"):
        doi = one_line(str(item["doi"]))
        node["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": doi}
        node["sameAs"] = f"https://doi.org/{quote(doi, safe='/:;()._-')}"
    if item.get("published_in"):
        node["publisher"] = organisation(item["published_in"])
    return node


def place(case: CaseEntry) -> dict[str, Any]:
    """Return where the service is as a schema.org Place."""
    service = case.data["service"]
    address = {"@type": "PostalAddress", "addressCountry": service["country"]}
    if service.get("region"):
        address["addressRegion"] = one_line(service["region"])
    name = label("service.country", service["country"])
    if service.get("region"):
        name = f"{one_line(service['region'])}, {name}"
    return {"@type": "Place", "name": name, "address": address}


def about(case: CaseEntry) -> list[dict[str, Any]]:
    """Return what the case is about: the service, its area and its outcome domains."""
    data = case.data
    service = {
        "@type": "Service",
        "name": one_line(data["service"]["name"]),
        "serviceType": label("service.area", data["service"]["area"]),
        "provider": organisation(data["organisation"]["name"], data["organisation"].get("url", "")),
    }
    topics = [label("service.area", case.area), "Co-production"]
    topics += [label("outcomes.*.domain", d) for d in case.domains]
    return [service, *({"@type": "Thing", "name": t} for t in dict.fromkeys(topics))]


def case_jsonld(case: CaseEntry, site_name: str, site_url: str) -> dict[str, Any]:
    """Return the schema.org Report that describes one case study."""
    data = case.data
    here = case_url(case.id)
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": one_line(case.title),
        "headline": one_line(case.title)[:110],
        "description": description(case),
        "url": link_to(here, here, site_url),
        "inLanguage": "en",
        "author": [person(a) for a in data["authors"]],
        "publisher": organisation(site_name, site_url),
        "datePublished": str(data["submitted"]),
        "dateModified": case.newest_date,
        "license": LICENCE_URLS[data["licence"]],
        "isAccessibleForFree": True,
        "about": about(case),
        "spatialCoverage": place(case),
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": link_to(f"data/cases/{case.id}.yaml", here, site_url),
            "encodingFormat": "application/yaml",
        },
    }
    if data.get("sources"):
        node["isBasedOn"] = [source(s) for s in data["sources"]]
    if case.is_example:
        node["creativeWorkStatus"] = EXAMPLE_LABEL
    elif case.is_summary:
        node["creativeWorkStatus"] = SUMMARY_LABEL
        node["isBasedOn"].sort(key=lambda work: "sameAs" not in work and "url" not in work)
    return node


def dataset_jsonld(
    catalogue: Catalogue,
    downloads: Sequence[tuple[str, str, str, int]],
    site_name: str,
    site_url: str,
) -> dict[str, Any]:
    """Return the schema.org Dataset of the data page, a DataDownload per file."""
    here = "data/"
    examples = sum(1 for case in catalogue.cases if case.is_example)
    summaries = sum(1 for case in catalogue.cases if case.is_summary)
    text = (
        f"{len(catalogue.cases)} evaluations of co-produced public services in one comparable "
        "shape, published by the organisations that ran them or summarised from published "
        "reports, with derived figures: change from baseline, effects and their certainty, "
        "follow-up months, evidence strength and principles score."
    )
    if summaries:
        text += (
            f" {summaries} of them are summaries of published evaluations (status summary), "
            "each figure quoted from its source."
        )
    if examples:
        text += f" {examples} of them are illustrative examples (status example), not evidence."
    newest = newest_change(case.data for case in catalogue.cases)
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"{one_line(site_name)}: co-production evaluation case studies",
        "description": text,
        "url": link_to(here, here, site_url),
        "license": DATA_LICENCE,
        "isAccessibleForFree": True,
        "creator": organisation(site_name, site_url),
        "publisher": organisation(site_name, site_url),
        "keywords": ["co-production", "public services", "evaluation", "open data"],
        "spatialCoverage": [
            {"@type": "Place", "name": label("service.country", country)}
            for country in sorted({c.data["service"]["country"] for c in catalogue.cases})
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": name,
                "description": inline_text(about_file),
                "contentUrl": link_to(path, here, site_url),
                "encodingFormat": ENCODING_FORMATS.get(path[path.rfind(".") :], "text/plain"),
                "contentSize": f"{size} bytes",
            }
            for path, name, about_file, size in downloads
        ],
    }
    if newest is not None:
        node["dateModified"] = newest
    return node
