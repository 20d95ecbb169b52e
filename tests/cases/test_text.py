"""Tests for generator.text: the Markdown subset, sanitising, escaping and plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator.cases.text import (
    _MARKDOWN,
    _TEMPLATE_ENTITIES,
    ALLOWED_TAGS,
    LINK_REL,
    _sanitise,
    inline_text,
    is_plain,
    render_markdown,
    render_plain,
)

FORBIDDEN_TAGS = {"script", "style", "iframe", "img", "svg", "object", "embed", "form"}

# Payloads from the OWASP XSS filter-evasion cheat sheet, plus Markdown forms of the same tricks.
HTML_PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp>"
    "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    '&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<svg/onload=alert('XSS')>",
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,'
    'PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9z'
    'dmciPjxzY3JpcHQ+YWxlcnQoMSk8L3NjcmlwdD48L3N2Zz4=" type="image/svg+xml"></EMBED>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="https://example.org" onclick="alert(1)">click</a>',
    "</p><script>alert(1)</script><p>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    '<IMG SRC=java\x00script:alert("XSS")>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<![CDATA[<script>alert(1)</script>]]>",
    "<base href=\"javascript:alert('XSS');//\">",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<x onclick=alert(1)>click",
    "<img src=x onerror=alert(1)",
    "    <img src=x onerror=alert(1)>",
]
MARKDOWN_PAYLOADS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click](file:///etc/passwd)",
    "[click](mailto:someone@example.org)",
    "[click](<javascript:alert(1)>)",
    "[click]( javascript:alert(1))",
    "[click](/relative/path)",
    "[click](//evil.example/x)",
    "[click](#fragment)",
    "![x](javascript:alert(1))",
    '![x](https://evil.example/x.png" onerror="alert(1))',
    '[x](https://ok.example/"onmouseover="alert(1))',
    "<javascript:alert(1)>",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "**<img src=x onerror=alert(1)>**",
    "- <svg onload=alert(1)>",
    "`<script>alert(1)</script>`",
    "[<img src=x onerror=alert(1)>](https://example.org)",
    '[x](https://example.org "<script>alert(1)</script>")',
    "```html\n<script>alert(1)</script>\n```",
    "# <script>alert(1)</script>",
    "> <iframe src=javascript:alert(1)>",
    "| <img src=x onerror=alert(1)> |\n|---|\n| x |",
]


class _Collector(HTMLParser):
    """Record the tags, attributes and text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Collector:
    """Parse an HTML fragment into what the tests look at."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def assert_safe(html: str) -> None:
    """Fail unless the HTML has only allowed tags, no handlers and only web links."""
    parsed = parse(html)
    assert not FORBIDDEN_TAGS & set(parsed.tags), html
    assert set(parsed.tags) <= ALLOWED_TAGS, html
    for tag, name, value in parsed.attributes:
        assert not name.startswith("on"), html
        if name == "href":
            assert value is not None and value.startswith(("http://", "https://")), html
        assert (tag, name) in {("a", "href"), ("a", "rel"), ("ol", "start")}, html
    # Every "<" left in the output opens or closes an allowed tag.
    for match in re.finditer(r"<(/?)([^\s>/]*)", html):
        assert match.group(2) in ALLOWED_TAGS, html


def visible_text(html: str) -> str:
    """Return the text a browser would show for an HTML fragment."""
    return "".join(parse(html).text)


@pytest.mark.parametrize("payload", HTML_PAYLOADS + MARKDOWN_PAYLOADS)
def test_xss_payload_is_neutralised(payload: str) -> None:
    assert_safe(render_markdown(payload))


@pytest.mark.parametrize("payload", HTML_PAYLOADS + MARKDOWN_PAYLOADS)
def test_xss_payload_inside_markdown_is_neutralised(payload: str) -> None:
    assert_safe(render_markdown(f"Some *text*\n\n- item {payload}\n- [ok](https://example.org)"))


@pytest.mark.parametrize(
    "payload",
    [
        "[click](javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](mailto:someone@example.org)",
        "[click](/relative/path)",
        "[click](//evil.example/x)",
    ],
)
def test_links_that_are_not_web_links_have_no_href(payload: str) -> None:
    assert "href" not in render_markdown(payload)


def test_script_tag_shows_as_text() -> None:
    html = render_markdown("<script>alert(1)</script>")
    assert visible_text(html).strip() == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "text",
    ["{{ 7*7 }}", "{% include 'secrets.txt' %}", "{# comment #}", '--8<-- "/etc/passwd"'],
)
def test_template_and_snippet_syntax_stays_literal(text: str) -> None:
    for render in (render_markdown, render_plain):
        html = render(text)
        assert visible_text(html).strip() == text
        assert "{" not in html
    assert "49" not in render_markdown("{{ 7*7 }}")


def test_snippet_line_is_escaped() -> None:
    html = render_markdown('--8<-- "/etc/passwd"')
    assert "--8&lt;--" in html


def test_emphasis_renders() -> None:
    html = render_markdown("Some *emphasis* and **strong** text with `code`.")
    assert "<em>emphasis</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<code>code</code>" in html


def test_lists_render() -> None:
    html = render_markdown("- one\n- two\n\n3. three\n4. four")
    assert parse(html).tags == ["ul", "li", "li", "ol", "li", "li"]
    assert '<ol start="3">' in html


def test_https_link_renders_with_rel() -> None:
    html = render_markdown("See [the report](https://example.org/report?a=1&b=2).")
    anchors = [attrs for attrs in parse(html).attributes if attrs[0] == "a"]
    assert ("a", "href", "https://example.org/report?a=1&b=2") in anchors
    assert ("a", "rel", LINK_REL) in anchors
    assert visible_text(html).strip() == "See the report."


def test_link_scheme_is_lowercased() -> None:
    html = render_markdown("[x](HTTPS://example.org)")
    assert 'href="https://example.org"' in html


def test_paragraphs_and_line_breaks_render() -> None:
    html = render_markdown("First line  \nsecond line\n\nSecond paragraph")
    assert parse(html).tags == ["p", "br", "p"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("# Heading", "# Heading"),
        ("## Heading", "## Heading"),
        ("> quoted", "> quoted"),
        ("---", "---"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |\n|---|---|\n| 1 | 2 |"),
        ("<div>block</div>", "<div>block</div>"),
        ("![alt](https://example.org/x.png)", "!alt"),
        ("<https://example.org>", "<https://example.org>"),
    ],
)
def test_structure_outside_the_subset_is_paragraph_text(text: str, shown: str) -> None:
    html = render_markdown(text)
    assert set(parse(html).tags) <= {"p", "a"}
    assert visible_text(html).strip() == shown


def test_fenced_code_is_plain_text() -> None:
    html = render_markdown("```python\nprint(1)\n```")
    assert set(parse(html).tags) <= {"p", "code"}
    assert "print(1)" in visible_text(html)


def test_render_markdown_returns_markup_and_is_deterministic() -> None:
    text = "A *b* [c](https://example.org)\n\n- d"
    assert isinstance(render_markdown(text), Markup)
    assert render_markdown(text) == render_markdown(text)


def test_render_plain_escapes() -> None:
    html = render_plain('<b>Tom & Jerry</b> "quoted"')
    assert isinstance(html, Markup)
    assert "<" not in html
    assert visible_text(html) == '<b>Tom & Jerry</b> "quoted"'


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Some *emphasis* and **strong** text.", "Some emphasis and strong text."),
        ("See [the report](https://example.org).", "See the report."),
        ("- one\n- two", "one two"),
        ("First paragraph.\n\nSecond   one.", "First paragraph. Second one."),
        ("Tom &amp; Jerry `code`", "Tom & Jerry code"),
        ("<script>alert(1)</script> text", "alert(1) text"),
        ("<<b>script>x", "script>x"),
        ("Aged <18 and >65", "Aged <18 and >65"),
        ("Link <https://example.org>", "Link https://example.org"),
        ("{{ 7*7 }}", "{{ 7*7 }}"),
        ("a\x00b\x07c", "a\ufffdb c"),
    ],
)
def test_inline_text(text: str, plain: str) -> None:
    assert inline_text(text) == plain


FRAGMENTS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "javascript:",
    "jav&#x09;ascript:",
    "&#106;",
    "data:text/html,",
    "[x](",
    "](",
    ")",
    "<",
    ">",
    '"',
    "'",
    "=",
    "**",
    "_",
    "`",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "# ",
    "> ",
    "    ",
    "\\",
    "&",
    "\x00",
    "\u202e",
    "\u2066",
    "\u200f",
    "{{",
    "--8<--",
    "https://example.org",
]
ARBITRARY_TEXT = st.lists(st.one_of(st.text(), st.sampled_from(FRAGMENTS))).map("".join)


@settings(max_examples=400, deadline=None)
@given(ARBITRARY_TEXT)
def test_render_markdown_is_always_safe(text: str) -> None:
    assert_safe(render_markdown(text))


@settings(max_examples=200, deadline=None)
@given(ARBITRARY_TEXT)
def test_render_plain_and_inline_text_never_yield_tags(text: str) -> None:
    assert "<" not in render_plain(text)
    assert re.search(r"<[A-Za-z/!?]", inline_text(text)) is None


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_sanitiser_alone_neutralises_raw_html(payload: str) -> None:
    # The second layer must hold even if the parser ever let raw HTML through.
    assert_safe(_sanitise(payload))


def parsed(text: str) -> str:
    """Return the HTML of the full path: parse, sanitise, brace entities."""
    return _sanitise(_MARKDOWN.render(text)).translate(_TEMPLATE_ENTITIES)


PLAIN_EDGES = [
    "Satisfaction rose from 61% to 78%",
    'He said "yes" <b>not bold</b> 5 > 3',
    "co-production's 1.5 times -5 points +2",
    "x\u00a0y {{ 7 }} {% raw %}",
    "1.",
    "1)",
    "-",
    "+",
    "2024.",
    "#",
    "# not a heading",
    "> not a quote",
    "---",
    "===",
    "a  b",
    "\u2003a",
    "a\u2003",
    "caf\u00e9 \u2014 na\u00efve \u0645\u0631\u062d\u0628\u0627 \u4f60\u597d \U0001f600",
    "!x ~y~ ^z^ ==w== $m$ @n :o: |p|",
]


@pytest.mark.parametrize("text", PLAIN_EDGES)
def test_plain_text_short_cut_matches_the_parser(text: str) -> None:
    assert str(render_markdown(text)) == parsed(text)


@given(st.text(alphabet="ab 1.)-+#>=|!~:<>\"'{}%\u00a0\u2003\t\u00e9", max_size=12))
@settings(max_examples=600, deadline=None)
def test_plain_text_short_cut_never_differs_from_the_parser(text: str) -> None:
    assert str(render_markdown(text)) == parsed(text)


def test_plain_text_short_cut_is_taken_for_ordinary_sentences() -> None:
    assert is_plain("Staff said the new rota was fairer (n = 40) - and 5 > 3.")
    assert not is_plain("Some *emphasis*")
    assert not is_plain("- a list")
    assert not is_plain("two\nlines")


def test_control_patterns_are_exactly_the_unicode_categories() -> None:
    """one_line and inline_text match Cc (and Zl, Zp) by regex: check every code point."""
    import sys
    import unicodedata

    from generator.cases.text import _CONTROLS, _CONTROLS_AND_SEPARATORS

    for point in range(sys.maxunicode + 1):
        character = chr(point)
        category = unicodedata.category(character)
        assert bool(_CONTROLS.match(character)) == (category == "Cc"), hex(point)
        assert bool(_CONTROLS_AND_SEPARATORS.match(character)) == (
            category in ("Cc", "Zl", "Zp")
        ), hex(point)
