"""The Jinja environment of generated pages: autoescaped, and case text is data, never template."""

from __future__ import annotations

import base64
import json
from html.parser import HTMLParser
from typing import Any

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from generator.figures.words import format_date, format_number, strength_dots
from generator.schema import label
from generator.settings import case_url, url_between


def make_environment() -> Environment:
    """Build the Jinja environment for generated pages."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=ChainableUndefined,  # optional fields of a case are simply absent
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Links from case data are checked by the schema; templates check again before printing them.
    env.tests["web_url"] = lambda value: (
        isinstance(value, str) and value.lower().startswith(("https://", "http://"))
    )
    env.globals.update(
        label=label,
        link=url_between,
        case_url=case_url,
        dots=strength_dots,
        date=format_date,
        number=format_number,
    )
    return env


ENV = make_environment()


def render(template: str, **context: Any) -> str:
    return ENV.get_template(template).render(**context)


def embed_json(value: Any) -> Markup:
    """Serialise JSON for a <script type="application/json"> block, unable to close the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def embed_base64_json(value: Any) -> Markup:
    """Serialise JSON as base64 of its UTF-8, for a record that only a script reads.

    The case record carries a summary's quotes word for word; as base64 the page holds none of
    their words outside the quote shown to readers, and nothing in it can close the element.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(base64.b64encode(text.encode("utf-8")).decode("ascii"))


class _AnchorCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


def anchor_ids(html: str) -> frozenset[str]:
    """Return the ids (and ``<a name>``s) in a piece of HTML: the anchors links may point to."""
    collector = _AnchorCollector()
    collector.feed(html)
    collector.close()
    return frozenset(collector.ids)
