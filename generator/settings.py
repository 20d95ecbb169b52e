"""The site's settings and addresses: what every stage that writes output knows about the site."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mkdocs.utils import get_relative_url


@dataclass(frozen=True)
class SiteSettings:
    """What pages need to know about the site: where its source lives."""

    repo_url: str = ""
    branch: str = "main"
    cases_folder: str = "evaluations"
    site_name: str = "Co-production evidence hub"
    site_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    today: str = ""  # the reference date for follow-ups; empty: the newest case change


def url_between(target: str, source: str) -> str:
    """Return the relative link from page URL ``source`` to page URL ``target`` (both site-relative)."""
    link = get_relative_url(target or ".", source or ".")
    return link if link.endswith("/") or "." in link.rsplit("/", 1)[-1] else link + "/"


def case_url(case_id: str) -> str:
    """Return a case page's site-relative URL."""
    return f"evaluations/{case_id}/"
