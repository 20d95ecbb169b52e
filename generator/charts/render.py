"""Render chart specs to static, safe SVG, cached and in parallel.

Every spec carries its data inline and has no params or selections, so the same rows
give the same spec. Text from case studies only ever travels as data values, titles or
a sort order (which Vega-Lite quotes as JSON strings inside an expression), never as
expression code, and Vega's SVG writer escapes it.

vl-convert renders with external data refused. Vega numbers clip paths and gradients
from a counter that lives as long as the converter, so ``render_svg`` renames them in
order of appearance, prefixed by a hash of the chart, which also keeps two charts on
one page from sharing an id. Rendered SVGs are cached on disk by a hash of the spec;
misses render here, or in worker processes when asked (see ``render_svgs``).
"""

import functools
import hashlib
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import vl_convert

from generator.cache.keys import VL_CONVERT_VERSION
from generator.cache.store import read_sealed, write_sealed
from generator.charts.case_spec import OutcomeChart
from generator.charts.kit import unique
from generator.charts.style import Spec
from generator.processes import worker_pool

CHART_CACHE_VERSION = "5"

# Rendering

_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'\sid="([^"]+)"')
_ID_USE = re.compile(r'(\sid="|url\(#|href="#)([^")]+)')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Vega-Lite writes a custom sort (the outcome panels' headings, a case's measures) into a
# Vega expression, whose parser ends a string at U+2028 or U+2029: the chart would fail.
_LINE_SEPARATORS = str.maketrans({"\u2028": " ", "\u2029": " "})


def render_svg(spec: Spec) -> str:
    """Render one spec to SVG text (deterministic)."""
    _use_bundled_fonts()
    # vl-convert aborts the whole process (a Rust panic) on text with a character XML
    # forbids, such as "\x07", so no such character may reach it from a case.
    svg = vl_convert.vegalite_to_svg(_xml_text(spec), allowed_base_urls=[])
    return _stable_ids(svg)


# vl-convert measures every label by laying it out with its font database, which it fills
# once per process from the system's fonts and from its own copy of Liberation Sans. A
# system font is read from its file at every measurement: with Debian's Liberation Sans
# installed, one chart opened and mapped that file about 2,000 times, half its render time
# in system calls. So the database is filled from an empty font configuration, leaving
# vl-convert's copy, held in memory: 30 case charts rendered in 3.2 s instead of 9.1 s, to
# the same bytes (measured on the build machine), and labels measure the same on every
# machine, whatever fonts it has. Readers' browsers still draw the text with CHART_FONT.
_NO_FONTS_CONFIG = '<?xml version="1.0"?>\n<fontconfig><dir>{}</dir></fontconfig>\n'
_PROBE: Spec = {
    "data": {"values": [{"a": "A"}]},
    "mark": "text",
    "encoding": {"text": {"field": "a", "type": "nominal"}},
}


@functools.cache
def _use_bundled_fonts() -> None:
    """Fill vl-convert's font database, once, without the system's fonts (see above)."""
    with tempfile.TemporaryDirectory(prefix="copro-fonts-") as folder:
        config = Path(folder) / "fonts.conf"
        config.write_text(_NO_FONTS_CONFIG.format(xml_escape(str(Path(folder) / "none"))))
        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(config)
        try:
            # The database is built at the first measurement and kept for the process.
            vl_convert.vegalite_to_svg(_PROBE, allowed_base_urls=[])
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before


def _xml_text(value: Any) -> Any:
    """Return a spec with every character that XML forbids removed from its strings.

    Line and paragraph separators become spaces (see ``_LINE_SEPARATORS``).
    """
    if isinstance(value, str):
        return _NOT_XML.sub("", value).translate(_LINE_SEPARATORS)
    if isinstance(value, dict):
        return {_xml_text(key): _xml_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_xml_text(item) for item in value]
    return value


def _stable_ids(svg: str) -> str:
    """Return the SVG with ids renamed in order, prefixed by a hash of the chart."""
    ids = unique(id_ for tag in _TAG.findall(svg) for id_ in _ID.findall(tag))
    if not ids:
        return svg
    draft = _rename_ids(svg, {old: f"chart-{n}" for n, old in enumerate(ids, 1)})
    prefix = "c" + hashlib.sha256(draft.encode()).hexdigest()[:10]
    return _rename_ids(svg, {old: f"{prefix}-{n}" for n, old in enumerate(ids, 1)})


def _rename_ids(svg: str, names: dict[str, str]) -> str:
    """Return the SVG with ids and references to them renamed, inside tags only."""

    def rename(match: re.Match[str]) -> str:
        return match[1] + names.get(match[2], match[2])

    return _TAG.sub(lambda tag: _ID_USE.sub(rename, tag[0]), svg)


def cache_key(spec: Spec | OutcomeChart) -> str:
    """Return a spec's cache key: it changes with the spec, vl-convert and this module."""
    if isinstance(spec, OutcomeChart):
        return spec.key
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    material = "\n".join((canonical, VL_CONVERT_VERSION, CHART_CACHE_VERSION))
    return hashlib.sha256(material.encode()).hexdigest()


def render_svgs(
    specs: Sequence[Spec | OutcomeChart],
    cache_dir: Path | None = None,
    workers: int | None = None,
    *,
    inert: bool = False,
) -> list[str]:
    """Render many specs, in order, reusing and filling the cache when given one.

    Misses render in this process; ``workers`` of 2 or more renders them in that many
    spawned processes once there are ``PARALLEL_MINIMUM`` of them (see the measurements).
    With ``inert``, SVGs are made inert before they are cached (see ``inert_svg``).
    """
    keys = [cache_key(spec) + ("-inert" if inert else "") for spec in specs]
    svgs = {key: svg for key in set(keys) if (svg := _read_cached(cache_dir, key)) is not None}
    missing = {
        key: spec.spec() if isinstance(spec, OutcomeChart) else spec
        for key, spec in zip(keys, specs, strict=True)
        if key not in svgs
    }
    rendered = _render_all(
        list(missing.values()), workers, render_inert_svg if inert else render_svg
    )
    for key, svg in zip(missing, rendered, strict=True):
        svgs[key] = svg
        if cache_dir is not None:
            write_sealed(cache_dir / f"{key}.svg", svg.encode("utf-8"))
    return [svgs[key] for key in keys]


# Measured on the 2-core build machine, rendering case charts (not building them), with
# labels measured from the bundled font: serial 2.7 s for 20, 4.5 s for 50, 11.0 s for 120;
# two spawned processes 3.3 s, 5.0 s and 8.1 s. Each worker spends about 2 s importing and
# warming its own engine (threads do not help: vl-convert converts one chart at a time).
# So misses render serially unless the caller asks for workers, and then only past about
# the break-even.
PARALLEL_MINIMUM = 60


def _render_all(specs: list[Spec], workers: int | None, render: Any = None) -> list[str]:
    """Render specs in order: here, or in ``workers`` spawned processes when asked."""
    render = render or render_svg
    count = workers or 1
    if count < 2 or len(specs) < PARALLEL_MINIMUM:
        return [render(spec) for spec in specs]
    # A forked child inherits the parent's engine without the thread that runs it, and
    # hangs on its first chart (seen), so workers are spawned: the program that calls
    # this must guard its entry point with ``if __name__ == "__main__"``. They end with
    # this process, even when it is killed outright.
    chunk = max(1, len(specs) // (count * 4))
    with worker_pool(count) as pool:
        return list(pool.map(render, specs, chunksize=chunk))


def _read_cached(cache_dir: Path | None, key: str) -> str | None:
    """Return the cached SVG for a key, or None (only SVGs this tool wrote and sealed are used)."""
    if cache_dir is None:
        return None
    content = read_sealed(cache_dir / f"{key}.svg")
    return content.decode("utf-8") if content is not None else None


# One labelled, inert image

SVG_NS = "http://www.w3.org/2000/svg"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# What Vega draws with. Anything else (script, foreignObject, style, animate, set, use,
# image, iframe...) is removed with all it contains.
SAFE_ELEMENTS = frozenset(
    {
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "defs", "clipPath", "linearGradient", "radialGradient", "stop",
        "title", "desc", "a",
    }
)  # fmt: skip
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
_SCRIPT_SCHEME = re.compile(r"(java|vb)script:|data:", re.IGNORECASE)


def accessible_svg(svg: str, label: str) -> str:
    """Return the SVG as one labelled image, scalable, with nothing that runs or fetches."""
    return label_svg(inert_svg(svg), label)


def inert_svg(svg: str) -> str:
    """Return the SVG scalable and with nothing that runs or fetches (the slow part: cache it)."""
    root = ET.fromstring(svg)
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document")
    _make_inert(root)
    _add_view_box(root)
    # Every element left is SVG, so one default namespace on the root names them all.
    attributes = {"xmlns": SVG_NS, **root.attrib}
    for name in ("role", "aria-label", "aria-labelledby", "aria-hidden"):
        attributes.pop(name, None)
    root.attrib.clear()
    root.attrib.update(attributes)
    return ET.tostring(root, encoding="unicode")


def label_svg(svg: str, label: str) -> str:
    """Name an inert SVG as one image: role="img" and an escaped aria-label on its root."""
    if not svg.startswith("<svg "):
        raise ValueError("not an inert SVG from inert_svg")
    name = xml_escape(label, {'"': "&quot;"})
    end = svg.index(">")  # ElementTree escapes ">" in attribute values: this ends the root's tag
    return f'{svg[:end]} role="img" aria-label="{name}"{svg[end:]}'


def render_inert_svg(spec: Spec) -> str:
    """Render one spec and make it inert."""
    return inert_svg(render_svg(spec))


def _make_inert(element: ET.Element) -> None:
    """Remove unsafe children and attributes, all the way down; drop namespace prefixes."""
    element.tag = _local(element.tag)
    for child in list(element):
        if _is_safe_element(child):
            _make_inert(child)
        else:
            element.remove(child)
    for name, value in list(element.attrib.items()):
        del element.attrib[name]
        kept = _safe_attribute(name, value)
        if kept is not None:
            element.set(*kept)


def _is_safe_element(element: ET.Element) -> bool:
    """Return whether an element is SVG that draws and can neither run nor fetch."""
    namespace = element.tag[1:].split("}")[0] if element.tag.startswith("{") else SVG_NS
    return namespace == SVG_NS and _local(element.tag) in SAFE_ELEMENTS


def _safe_attribute(name: str, value: str) -> tuple[str, str] | None:
    """Return the attribute to keep (an xlink:href becomes href), or None to drop it."""
    if name in ("href", XLINK_HREF):
        return ("href", value) if value.strip().startswith("#") else None
    if name.startswith("{") and not name.startswith(f"{{{XML_NS}}}"):
        return None
    if _local(name).lower().startswith("on") or _SCRIPT_SCHEME.search(value):
        return None
    if any(not url.strip().startswith("#") for url in _URL.findall(value)):
        return None
    return name, value


def _add_view_box(root: ET.Element) -> None:
    """Add a viewBox from width and height when there is none, so CSS can scale it."""
    if root.get("viewBox") is not None:
        return
    width, height = _pixels(root.get("width")), _pixels(root.get("height"))
    if width is not None and height is not None:
        root.set("viewBox", f"0 0 {width:g} {height:g}")


def _pixels(value: str | None) -> float | None:
    """Return a width or height in pixels, or None when it is not a plain number."""
    try:
        return float((value or "").strip().removesuffix("px"))
    except ValueError:
        return None


def _local(name: str) -> str:
    """Return a tag or attribute name without its namespace."""
    return name.rsplit("}", 1)[-1]
