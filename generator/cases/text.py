"""Render the text that case studies carry: safe Markdown, escaped plain text, inline text."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

# The Markdown subset of the case-study contract: paragraphs, emphasis, lists, links.
# Everything else (headings, quotes, tables, fences, raw HTML, images, autolinks,
# reference definitions) stays disabled, so it renders as literal paragraph text.
ENABLED_RULES = (
    "paragraph",
    "list",
    "text",
    "newline",
    "escape",
    "backticks",
    "emphasis",
    "link",
    "entity",
)
ALLOWED_TAGS = frozenset({"p", "em", "strong", "ul", "ol", "li", "a", "code", "br"})
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "nofollow noopener noreferrer ugc"

_WEB_LINK = re.compile(r"https?://", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]{1,9}")
# Autolink syntax that plain text keeps as the bare URL rather than dropping as a tag.
_AUTOLINK = re.compile(r"<(https?://[^<>\s]*)>", re.IGNORECASE)
# Tags left in plain text once Markdown is gone (`<b>`, `</p>`, `<!-- -->`, `<?x>`), and
# the brackets that could still open one after they are removed (`<<b>script>`).
_TAG_LIKE = re.compile(r"<[A-Za-z/!?][^<>]*>")
_TAG_OPENING = re.compile(r"<+(?=[A-Za-z/!?])")
# Braces become entities so no later template or macro pass can read the text as code.
_TEMPLATE_ENTITIES = str.maketrans({"{": "&#123;", "}": "&#125;"})
# Text that no enabled rule can touch: one line, no character that starts emphasis, code,
# a link, an escape or an entity, not opening a list, no space at either end. Its HTML is
# known without parsing (tests compare both ways on every such text they have).
_PLAIN = re.compile(r"(?![-+*](?:\s|$)|[0-9]{1,9}[.)](?:\s|$))[^\x00-\x1f\x7f-\x9f\\`*_\[\]&]+")
_PLAIN_ENTITIES = {
    **str.maketrans({"<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;"}),
    **_TEMPLATE_ENTITIES,
}


class _CaseMarkdown(MarkdownIt):
    """Markdown parser that only turns absolute http(s) URLs into links."""

    def validateLink(self, url: str) -> bool:
        """Accept only absolute http and https URLs; others stay literal text."""
        return _WEB_LINK.match(url) is not None


def _lowercase_scheme(url: str) -> str | None:
    """Return a web URL with its scheme in lowercase, or None for any other URL."""
    scheme = _WEB_LINK.match(url)
    return scheme.group().lower() + url[scheme.end() :] if scheme else None


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep a link only to a web URL and a list start only when it is a number.

    This also drops relative links, which nh3's scheme list lets through. Other
    attributes are already whitelisted; they include the `rel` that nh3 adds.
    """
    if tag == "a" and attribute == "href":
        return _lowercase_scheme(value)
    if tag == "ol" and attribute == "start":
        return value if _DIGITS.fullmatch(value) else None
    return value


def _build_markdown() -> MarkdownIt:
    """Build the one parser that every case field goes through."""
    options = {"html": False, "linkify": False, "typographer": False}
    return _CaseMarkdown("zero", options).enable(list(ENABLED_RULES))


def _sanitise(html: str) -> str:
    """Strip everything but the allowed tags, attributes and web links from HTML."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        # "*" empty overrides nh3's default of `title` and `lang` on every tag.
        attributes={"*": set(), **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}},
        attribute_filter=_keep_attribute,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
    )


_MARKDOWN = _build_markdown()


def render_markdown(text: str) -> Markup:
    """Render case-study Markdown to sanitised HTML."""
    if is_plain(text):
        return Markup(f"<p>{text.translate(_PLAIN_ENTITIES)}</p>\n")
    html = _sanitise(_MARKDOWN.render(text))
    return Markup(html.translate(_TEMPLATE_ENTITIES))


def is_plain(text: str) -> bool:
    """Return whether Markdown leaves the text as one paragraph of itself (see ``_PLAIN``)."""
    return _PLAIN.fullmatch(text) is not None and not text[0].isspace() and not text[-1].isspace()


def render_plain(text: str) -> Markup:
    """Escape plain case-study text for HTML."""
    return Markup(str(escape(text)).translate(_TEMPLATE_ENTITIES))


def _inline_pieces(tokens: list[Token]) -> Iterator[str]:
    """Yield the visible text of parsed Markdown, one piece per token."""
    for token in tokens:
        if token.children:
            yield from _inline_pieces(token.children)
        elif token.type in ("text", "code_inline"):
            yield token.content
        elif token.type in ("softbreak", "hardbreak", "paragraph_close", "list_item_close"):
            yield " "


def _strip_tags(text: str) -> str:
    """Remove tags, then any bracket that could still open one, so no HTML survives."""
    text = _TAG_LIKE.sub("", _AUTOLINK.sub(r"\1", text))
    return _TAG_OPENING.sub("", text)


# Unicode's control characters (category Cc) are exactly these; line and paragraph separators
# (Zl, Zp) are U+2028 and U+2029. One regex pass is ~20x faster than asking unicodedata per character.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_AND_SEPARATORS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@functools.lru_cache(maxsize=4096)
def inline_text(text: str) -> str:
    """Return a field's Markdown as one line of plain text without any HTML.

    Cached: a build asks for each summary's text several times (citation, feed, metadata).
    """
    plain = _strip_tags("".join(_inline_pieces(_MARKDOWN.parse(text))))
    return " ".join(_CONTROLS.sub(" ", plain).split())


def one_line(text: str) -> str:
    """Return text on one line: control and separator characters become single spaces."""
    return " ".join(_CONTROLS_AND_SEPARATORS.sub(" ", text).split())
