"""The Atom feed of case studies added and updated (``/feed.xml``), written with feedgen.

Deterministic: every date comes from the cases (an entry's ``updated`` is the case's
``updated`` or ``submitted``, the feed's is the newest of them), never from the clock.
Without a ``site_url`` the links are relative to the feed, and ids are name-based UUIDs.
"""

from __future__ import annotations

import datetime
import re
import uuid

from feedgen.feed import FeedGenerator

from generator.cases.text import inline_text, one_line
from generator.figures.catalogue import CaseEntry, Catalogue
from generator.figures.derive import month_key
from generator.figures.followups import newest_change
from generator.schema import label
from generator.settings import case_url

FEED_PATH = "feed.xml"
# XML 1.0 forbids these even as character references; lxml refuses them, so they become spaces.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Return text that XML 1.0 can hold, on one line."""
    return one_line(_NOT_XML.sub(" ", text))


def moment(date: str) -> datetime.datetime:
    """Return a YYYY[-MM[-DD]] date as midnight UTC, a partial date as its first day."""
    parts = str(date).split("-")
    year, month = month_key(date)
    day = int(parts[2]) if len(parts) > 2 else 1
    return datetime.datetime(year, month, day, tzinfo=datetime.timezone.utc)


def site_link(path: str, site_url: str) -> str:
    """Return a site path as an absolute URL, or relative to the feed at the site's root."""
    return f"{site_url.rstrip('/')}/{path}" if site_url else path or "./"


def entry_id(case: CaseEntry, site_url: str) -> str:
    """Return the entry's permanent id: the case page's URL, or a UUID named after the case."""
    if site_url:
        return site_link(case_url(case.id), site_url)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"copro-evidence-hub:case:{case.id}").urn


def entry_summary(case: CaseEntry) -> str:
    """Write an entry's plain-text summary: the case summary, then its key facts."""
    data = case.data
    evidence = case.figures.evidence
    facts = (
        f"Organisation: {one_line(data['organisation']['name'])}. "
        f"Area: {label('service.area', case.area)}. "
        f"Evidence strength: {evidence.level} of 5 ({evidence.name})."
    )
    example = "Illustrative example: invented, not evidence. " if case.is_example else ""
    if case.is_summary:
        example = (
            "Summary of a published evaluation: written from its report, not by the organisation. "
        )
    return xml_text(f"{example}{inline_text(str(data['summary']))} {facts}")


def entry_title(case: CaseEntry) -> str:
    """Return an entry's title, marked when the case is an illustrative example or a summary."""
    title = xml_text(case.title)
    if case.is_summary:
        return f"[Summary of a published evaluation] {title}"
    return f"[Illustrative example] {title}" if case.is_example else title


def add_entry(feed: FeedGenerator, case: CaseEntry, site_url: str) -> None:
    """Add one case to the feed."""
    data = case.data
    entry = feed.add_entry(order="append")
    entry.id(entry_id(case, site_url))
    entry.title(entry_title(case))
    entry.link(href=site_link(case_url(case.id), site_url), rel="alternate", type="text/html")
    entry.summary(entry_summary(case), type="text")
    entry.published(moment(str(data["submitted"])))
    entry.updated(moment(case.newest_date))
    for author in data["authors"]:
        entry.author(name=xml_text(author["name"]))
    entry.category(term=case.area, label=label("service.area", case.area))


def atom_feed(catalogue: Catalogue, site_name: str, site_url: str) -> bytes:
    """Return the Atom feed of every case, newest change first."""
    feed = FeedGenerator()
    feed.id(
        site_link("", site_url)
        if site_url
        else uuid.uuid5(uuid.NAMESPACE_URL, "copro-evidence-hub").urn
    )
    feed.title(xml_text(site_name))
    feed.subtitle("Case studies of co-produced public services, added and updated")
    feed.link(href=site_link(FEED_PATH, site_url), rel="self", type="application/atom+xml")
    feed.link(href=site_link("evaluations/", site_url), rel="alternate", type="text/html")
    feed.author(name=xml_text(site_name))
    feed.language("en")
    newest = newest_change(case.data for case in catalogue.cases)
    feed.updated(moment(newest or "1970-01-01"))
    cases = sorted(catalogue.cases, key=lambda c: (moment(c.newest_date), c.id), reverse=True)
    for case in cases:
        add_entry(feed, case, site_url)
    xml: bytes = feed.atom_str(pretty=True)
    return xml
