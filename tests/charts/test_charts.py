"""Tests for generator.charts: specs, deterministic SVG, the render cache, inert SVG."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest

from generator.charts import render
from generator.charts import style as charts
from generator.charts.case_spec import outcome_chart_spec
from generator.charts.compare_specs import (
    evidence_map_spec,
    methods_spec,
    over_time_spec,
    principles_spec,
)
from generator.charts.kit import whole_values
from generator.charts.render import accessible_svg, cache_key, render_svg, render_svgs
from generator.charts.style import CHART_FONT
from generator.charts.synthesis_specs import (
    ARROW_COLOURS,
    effect_direction_spec,
    forest_spec,
    principles_services_spec,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", "</text><script>alert(2)</script>"]


def outcome_rows(panel: str = "Satisfaction: Rating good (%)") -> list[dict[str, Any]]:
    """Return one percentage outcome with a baseline, two results and a target."""
    rows = [
        {"date": "2022-09-01", "value": 48.0, "kind": "Baseline"},
        {"date": "2023-09-01", "value": 61.0, "kind": "Result"},
        {"date": "2024-09-30", "value": 72.5, "kind": "Result"},
        {"date": "2022-09-01", "value": 70.0, "kind": "Target"},
        {"date": "2024-09-30", "value": 70.0, "kind": "Target"},
    ]
    return [{**row, "panel": panel, "unit": "%", "verdict": "Improved"} for row in rows]


def two_outcomes() -> list[dict[str, Any]]:
    """Return a percentage outcome and a count outcome whose value worsened."""
    waits = [
        {"date": "2022-10-01", "value": 12.0, "kind": "Baseline"},
        {"date": "2024-03-01", "value": 19.0, "kind": "Result"},
    ]
    count = {"panel": "Access: Days waited & <more>", "unit": "days", "verdict": "Worsened"}
    return outcome_rows() + [{**row, **count} for row in waits]


EVIDENCE = [
    {"area": "Health & care", "domain": "Trust", "cases": 3, "strength": 2.5, "strength_label": "2.5"},
    {"area": "Housing", "domain": "Wellbeing", "cases": 1, "strength": 4.0, "strength_label": "4.0"},
]  # fmt: skip
CELLS = [
    {"panel": "Outcomes for the service", "design": "Randomised", "rank": 0, "case": "Riverside\n2023",
     "domain": "Trust", "direction": "Improved", "size": "over 300", "known": True,
     "outcomes": "1 improved", "n": "400"},
    {"panel": "Outcomes for the service", "design": "Before and after", "rank": 2,
     "case": "Cedarford\n2022, example", "domain": "Access <fast>", "direction": "Mixed",
     "size": "not recorded", "known": False, "outcomes": "1 improved, 1 worsened", "n": ""},
    {"panel": "Outcomes for participants", "design": "Before and after", "rank": 2,
     "case": "Lowfield\n2021", "domain": "Wellbeing", "direction": "Worsened", "size": "under 50",
     "known": True, "outcomes": "1 worsened", "n": "12"},
]  # fmt: skip
TALLIES = [
    {"panel": "Outcomes for the service", "domain": "Trust", "improved": "10 of 12",
     "total": 12, "share": "83%", "range": "55\u201395", "p": "P = 0.039"},
    {"panel": "Outcomes for the service", "domain": "Access <fast>", "improved": "0 of 0",
     "total": 0, "share": "\u2013", "range": "\u2013", "p": "\u2013"},
    {"panel": "Outcomes for participants", "domain": "Wellbeing", "improved": "0 of 1",
     "total": 1, "share": "0%", "range": "0\u201379", "p": "\u2013"},
]  # fmt: skip
FOREST = [
    {"domain": "Trust", "order": 0, "case": "Riverside", "when": "2023", "measure": "Trust (%)",
     "kind": "Effect against comparison", "value": 12.0, "low": 2.0, "high": 22.0,
     "certainty": "Range leaves out no change"},
    {"domain": "Trust", "order": 1, "case": "Cedarford", "when": "2022, example",
     "measure": "Trust <staff> (%)", "kind": "Change", "value": 5.0, "low": -3.0, "high": 13.0,
     "certainty": "Could be chance"},
    {"domain": "Access", "order": 2, "case": "Lowfield", "when": "2021", "measure": "Seen (%)",
     "kind": "Change", "value": -4.0, "low": None, "high": None,
     "certainty": "Not tested for chance"},
]  # fmt: skip
SCORES = [
    {"case": "Riverside, 2023", "score": 3.0, "share": 100.0, "outcomes": 1, "improved": 1, "clear": 0},
    {"case": "Cedarford, 2022", "score": 3.0, "share": 100.0, "outcomes": 3, "improved": 3, "clear": 2},
    {"case": "Lowfield, 2021", "score": 2.25, "share": 50.0, "outcomes": 4, "improved": 2, "clear": 1},
]  # fmt: skip
PRINCIPLES = [
    {"principle": "Equality", "rating": "Fully met", "cases": 4},
    {"principle": "Equality", "rating": "Unknown", "cases": 1},
    {"principle": "Reciprocity", "rating": "Not met", "cases": 2},
]
METHODS = [
    {"kind": "Design", "label": "Before and after", "cases": 5},
    {"kind": "Method", "label": "Interviews", "cases": 3},
    {"kind": "Evaluator", "label": "Independent", "cases": 2},
]
OVER_TIME = [
    {"year": 2021, "area": "Health", "cases": 2},
    {"year": 2023, "area": "Transport", "cases": 1},
]

# Each builder, its rows, and texts from those rows that its SVG must show.
SPECS: dict[str, tuple[Callable[[list[dict[str, Any]]], dict[str, Any]], list[Any], list[str]]] = {
    "outcomes": (outcome_chart_spec, two_outcomes(), ["Satisfaction: Rating good (%)",
                 "Access: Days waited & <more>", "Improved", "Worsened", "Target\u00a070%",
                 "Baseline", "Result"]),
    "evidence map": (evidence_map_spec, EVIDENCE, ["Health & care", "Trust", "2.5", "Housing"]),
    "effect direction": (lambda rows: effect_direction_spec(rows, TALLIES), CELLS,
                         ["Access <fast>", "Trust", "Riverside", "2022, example", "10 of 12",
                          "55\u201395", "0.039", "Up: improved", "Down: worsened",
                          "Sideways: mixed or no change", "over 300", "Randomised",
                          "Outcomes for participants"]),
    "forest": (forest_spec, FOREST, ["Trust", "Access", "Riverside", "Trust <staff> (%)",
               "2023, effect vs comparison", "No change", "Range leaves out no change", "Could be chance",
               "Not tested for chance"]),
    "principles and services": (principles_services_spec, SCORES, ["Principles score (1 to 4)",
                                "Service outcomes improved (%)", "Service outcomes"]),
    "principles": (principles_spec, PRINCIPLES, ["Equality", "Reciprocity", "Unknown", "Not met"]),
    "methods": (methods_spec, METHODS, ["Evaluation design (number of cases)", "Interviews",
                "Independent"]),
    "over time": (over_time_spec, OVER_TIME, ["Health", "Transport", "2021", "2022", "2023"]),
}  # fmt: skip


def walk(value: Any) -> Iterator[tuple[str, Any]]:
    """Yield every key and value in a nested spec."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def contrast(colour: str) -> float:
    """Return a colour's WCAG contrast ratio against white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    """Render every chart once for the module's tests."""
    return {name: render_svg(build(rows)) for name, (build, rows, _) in SPECS.items()}


@pytest.mark.parametrize("name", SPECS)
def test_chart_renders_to_svg_showing_its_rows_text(name: str, rendered: dict[str, str]) -> None:
    svg = rendered[name]
    assert svg.startswith("<svg")
    for text in SPECS[name][2]:
        assert escape(text, quote=False) in svg, text
    ET.fromstring(svg)  # well-formed XML


@pytest.mark.parametrize("name", SPECS)
def test_same_rows_give_the_same_spec_and_byte_identical_svg(
    name: str, rendered: dict[str, str]
) -> None:
    build, rows, _ = SPECS[name]
    first, second = build(rows), build(rows)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert render_svg(second) == rendered[name]


@pytest.mark.parametrize("name", SPECS)
def test_spec_uses_the_site_font_white_background_and_readable_sizes(name: str) -> None:
    build, rows, _ = SPECS[name]
    spec = build(rows)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["config"]["font"] == CHART_FONT
    assert spec["config"]["background"] == "white"
    sizes = [value for key, value in walk(spec) if key.lower().endswith("fontsize")]
    assert sizes and min(sizes) >= 11
    keys = {key for key, _ in walk(spec)}
    assert "params" not in keys and "selection" not in keys
    assert not [value for key, value in walk(spec) if key == "url"]  # data travels inline


def test_font_is_a_generic_stack_with_no_web_font() -> None:
    assert CHART_FONT.rstrip().endswith("sans-serif")
    assert "url(" not in CHART_FONT and "//" not in CHART_FONT


@pytest.mark.parametrize(
    "colour",
    [
        charts.BLUE,
        charts.VERMILLION,
        charts.GREY,
        charts.TARGET,
        charts.DARK_BLUE,
        charts.MUTED,
        charts.INK,
        *ARROW_COLOURS,
        *charts.RATING_COLOURS,
    ],
)
def test_colours_that_draw_data_stand_out_from_white(colour: str) -> None:
    assert contrast(colour) >= 3


def test_svg_is_the_same_in_any_time_zone(rendered: dict[str, str]) -> None:
    code = (
        "import json, sys; from generator.charts.case_spec import outcome_chart_spec; from generator.charts.render import render_svg; "
        "print(render_svg(outcome_chart_spec(json.loads(sys.argv[1]))), end='')"
    )
    env = {**os.environ, "TZ": "America/Los_Angeles"}
    args = [sys.executable, "-c", code, json.dumps(two_outcomes())]
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    assert result.stdout == rendered["outcomes"]


def test_ids_are_renamed_in_order_and_every_reference_resolves() -> None:
    spec = evidence_map_spec(EVIDENCE)  # its strength legend is a gradient
    first, second = render_svg(spec), render_svg(spec)
    assert first == second
    ids = re.findall(r'\sid="([^"]+)"', first)
    assert ids and all(re.fullmatch(r"c[0-9a-f]{10}-[0-9]+", id_) for id_ in ids)
    assert set(re.findall(r"url\(#([^)]+)\)", first)) <= set(ids)


def test_two_different_charts_never_share_an_id() -> None:
    one = render_svg(evidence_map_spec(EVIDENCE))
    other = render_svg(evidence_map_spec(EVIDENCE[:1]))
    assert not set(re.findall(r'\sid="([^"]+)"', one)) & set(re.findall(r'\sid="([^"]+)"', other))


def test_outcome_panel_draws_one_target_and_a_full_percent_range() -> None:
    (rows,) = outcome_chart_spec(outcome_rows())["datasets"].values()
    assert [row["kind"] for row in rows].count("Target") == 1
    assert sorted(row["value"] for row in rows if row["kind"] == "Range") == [0, 100]


def test_evidence_map_size_legend_shows_whole_counts_that_occur() -> None:
    spec = evidence_map_spec([*EVIDENCE, {**EVIDENCE[1], "domain": "Skills", "cases": 2}])
    (legend,) = [v for k, v in walk(spec) if k == "legend" and v and "Number" in str(v)]
    assert legend["values"] == [1, 2, 3]
    assert whole_values([{"cases": n} for n in (1, 1, 1)], "cases") == [1]
    assert whole_values([{"cases": n} for n in (1, 2, 4, 7, 9)], "cases") == [1, 4, 9]


def test_evidence_map_legend_never_repeats_a_count() -> None:
    svg = render_svg(evidence_map_spec([{**row, "cases": 1} for row in EVIDENCE]))
    assert legend_labels(svg, "Number of cases") == ["1"]
    svg = render_svg(evidence_map_spec([EVIDENCE[0], {**EVIDENCE[1], "cases": 1}]))
    assert legend_labels(svg, "Number of cases") == ["1", "3"]


def legend_labels(svg: str, title: str) -> list[str]:
    """Return the labels of the legend with this title, in order."""
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if "role-legend" not in group.get("class", "") or "role-legend-" in group.get("class", ""):
            continue
        texts = [t for t in group.iter(f"{SVG}text")]
        if any(t.text == title for t in texts):
            return [t.text or "" for t in texts if t.text != title]
    raise AssertionError(f"no legend titled {title!r}")


def test_forest_draws_a_range_only_where_there_is_one() -> None:
    spec = forest_spec(FOREST)
    (rows,) = spec["datasets"].values()
    assert [row["low"] for row in rows] == [2.0, -3.0, None]
    assert rows[0]["row"] == "Riverside\n2023, effect vs comparison\nTrust (%)"
    shapes = next(v for k, v in walk(spec) if k == "shape" and "scale" in v)
    assert shapes["scale"]["range"] == ["circle", "circle", "diamond"]
    fills = next(v for k, v in walk(spec) if k == "fill" and isinstance(v, dict) and "scale" in v)
    assert fills["scale"]["range"][1:] == ["white", "white"]  # hollow: shape and fill, not colour


def test_coincident_circles_are_set_apart_around_the_true_score() -> None:
    spec = principles_services_spec(SCORES)
    rows = next(v for v in spec["datasets"].values() if "spread" in v[0])
    assert [row["spread"] for row in rows] == [3.0, 3.15, 2.25]
    assert [row["score"] for row in rows] == [3.0, 3.0, 2.25]


def test_effect_direction_arrows_are_hollow_only_where_n_is_unknown() -> None:
    spec = effect_direction_spec(CELLS, TALLIES)
    arrows = [row for rows in spec["datasets"].values() for row in rows if "arrow" in row]
    assert {row["case"]: row["fill"] for row in arrows} == {
        "Riverside\n2023": "n recorded",
        "Cedarford\n2022, example": "n not recorded",
        "Lowfield\n2021": "n recorded",
    }
    assert {row["arrow"] for row in arrows} == {
        "Up: improved",
        "Down: worsened",
        "Sideways: mixed or no change",
    }


@pytest.mark.parametrize(
    "build",
    [
        lambda text: outcome_chart_spec(outcome_rows(text), title=text),
        lambda text: evidence_map_spec([{**EVIDENCE[0], "area": text, "strength_label": text}]),
        lambda text: effect_direction_spec(
            [{**CELLS[0], "case": text, "domain": text}], [{**TALLIES[0], "domain": text}]
        ),
        lambda text: forest_spec([{**FOREST[0], "case": text, "measure": text}]),
        lambda text: principles_spec([{**PRINCIPLES[0], "principle": text}]),
        lambda text: methods_spec([{**METHODS[0], "label": text}]),
        lambda text: over_time_spec([{**OVER_TIME[0], "area": text}]),
    ],
)
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_rows_is_escaped_in_the_svg(
    build: Callable[[str], dict[str, Any]], text: str
) -> None:
    svg = render_svg(build(text))
    assert "<script" not in svg.lower()
    assert escape(text, quote=False) in svg or escape(text[:20], quote=False) in svg
    assert "<script" not in accessible_svg(svg, text).lower()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_case_names_stay_in_the_scatter_tooltips_only(text: str) -> None:
    spec = principles_services_spec([{**SCORES[0], "case": text}])
    svg = render_svg(spec)
    assert "<script" not in svg.lower() and "alert(" not in svg  # names show in tooltips only
    assert any(row.get("case") == text for rows in spec["datasets"].values() for row in rows)


def test_characters_xml_forbids_are_dropped_before_they_reach_vl_convert() -> None:
    # Any one of these made vl-convert abort the whole Python process.
    label = "Bell\x07 and\x1b escape\x00\ufffe\ud800"
    svg = render_svg(methods_spec([{**METHODS[0], "label": label}]))
    assert "Bell and escape" in svg
    ET.fromstring(svg)


# The cache


def specs_for_cache() -> list[dict[str, Any]]:
    """Return two different small specs and a repeat of the first."""
    first, second = methods_spec(METHODS), methods_spec(METHODS[:1])
    return [first, second, first]


def test_second_render_reads_every_svg_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = specs_for_cache()
    first = render_svgs(specs, cache_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{cache_key(spec)}.svg" for spec in specs[:2]
    )  # the repeat is rendered and stored once, and no temporary file is left behind

    def fail(spec: dict[str, Any]) -> str:
        raise AssertionError("rendered although cached")

    monkeypatch.setattr(render, "render_svg", fail)
    assert render_svgs(specs, cache_dir=tmp_path) == first
    assert first[0] == first[2] and first[0] != first[1]


def test_cache_renders_only_what_it_lacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second, _ = specs_for_cache()
    render_svgs([first], cache_dir=tmp_path)
    rendered: list[dict[str, Any]] = []

    def record(spec: dict[str, Any]) -> str:
        rendered.append(spec)
        return "<svg/>"

    monkeypatch.setattr(render, "render_svg", record)
    assert render_svgs([first, second], cache_dir=tmp_path)[1] == "<svg/>"
    assert rendered == [second]


def test_cache_key_follows_the_spec_not_its_key_order() -> None:
    spec = methods_spec(METHODS)
    reordered = json.loads(json.dumps(spec, sort_keys=True))
    changed = methods_spec([{**METHODS[0], "cases": 6}, *METHODS[1:]])
    assert cache_key(spec) == cache_key(reordered)
    assert cache_key(spec) != cache_key(changed)
    assert re.fullmatch(r"[0-9a-f]{64}", cache_key(spec))


def test_cache_key_changes_with_the_cache_version(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = methods_spec(METHODS)
    before = cache_key(spec)
    monkeypatch.setattr(render, "CHART_CACHE_VERSION", "next")
    assert cache_key(spec) != before


def test_without_a_cache_every_spec_renders_in_order() -> None:
    specs = specs_for_cache()
    assert render_svgs(specs) == [render_svg(spec) for spec in specs]


@pytest.mark.slow
def test_worker_processes_give_the_same_svgs_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    specs = specs_for_cache()
    monkeypatch.setattr(render, "PARALLEL_MINIMUM", 1)
    assert render_svgs(specs, workers=2) == [render_svg(spec) for spec in specs]


# Accessible, inert SVG

CRAFTED = """<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="200" height="100" onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url(https://tracker.example/x.css);</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs>
  <a href="javascript:alert(3)"><text x="1" y="20" onclick="alert(4)">Link text</text></a>
  <a xlink:href="https://elsewhere.example/"><text x="1" y="40">Away</text></a>
  <rect width="10" height="10" fill="url(#g)" style="fill: url(https://tracker.example/t.png)"/>
  <circle r="4" fill="url(#g)" ONMOUSEOVER="alert(5)"/>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
  <set attributeName="href" to="javascript:alert(6)"/>
  <image href="https://tracker.example/pixel.png" width="1" height="1"/>
  <use href="#g"/>
</svg>"""  # fmt: skip


def test_accessible_svg_labels_the_image_and_escapes_the_label() -> None:
    out = accessible_svg(CRAFTED, '<script>"&')
    root = ET.fromstring(out)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == '<script>"&'
    assert 'aria-label="&lt;script&gt;&quot;&amp;"' in out
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "200",
        "100",
        "0 0 200 100",
    )


def test_accessible_svg_removes_everything_that_runs_or_fetches() -> None:
    out = accessible_svg(CRAFTED, "Chart")
    lowered = out.lower()
    for needle in ("<script", "alert", "onload", "onclick", "onmouseover", "foreignobject",
                   "<style", "<set", "<image", "<use", "javascript:", "tracker.example",
                   "elsewhere.example", "xlink"):  # fmt: skip
        assert needle not in lowered, needle
    root = ET.fromstring(out)
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Link text", "Away"]
    assert root.find(f"{SVG}circle").get("fill") == "url(#g)"  # type: ignore[union-attr]


def test_accessible_svg_keeps_local_fragment_links_as_href() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    svg += '<a xlink:href="#part"><text>Part</text></a></svg>'
    out = accessible_svg(svg, "Chart")
    assert '<a href="#part">' in out


def test_accessible_svg_keeps_a_rendered_chart_whole(rendered: dict[str, str]) -> None:
    svg = rendered["evidence map"]
    out = accessible_svg(svg, "Evidence map")
    assert out.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert re.search(r'viewBox="0 0 [0-9.]+ [0-9.]+"', out)
    before = ET.fromstring(svg)
    after = ET.fromstring(out)
    assert len(list(after.iter())) == len(list(before.iter()))
    assert accessible_svg(svg, "Evidence map") == out


def test_accessible_svg_refuses_what_is_not_svg() -> None:
    with pytest.raises(ValueError, match="not an SVG"):
        accessible_svg("<html><body/></html>", "Chart")


FONT_PROBE = """
import json, os, sys
sys.path.insert(0, {root!r})
if {before!r} is not None:
    os.environ["FONTCONFIG_FILE"] = {before!r}
from generator.charts.case_spec import outcome_chart_spec
from generator.charts.render import render_svg
svg = render_svg(outcome_chart_spec(json.loads(sys.argv[1])))
print(json.dumps({{"env": os.environ.get("FONTCONFIG_FILE"), "svg": svg}}))
"""


@pytest.mark.parametrize("before", [None, "/etc/fonts/fonts.conf"])
def test_bundled_fonts_leave_the_environment_as_it_was(before: str | None) -> None:
    rows = [
        {"panel": "Trust: Feel heard (%)", "unit": "%", "date": "2023-01-01", "value": 40.0,
         "kind": "Baseline", "verdict": "Improved"},
        {"panel": "Trust: Feel heard (%)", "unit": "%", "date": "2024-01-01", "value": 60.0,
         "kind": "Result", "verdict": "Improved"},
    ]  # fmt: skip
    code = FONT_PROBE.format(root=str(Path(__file__).resolve().parent.parent.parent), before=before)
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(rows)],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"},
    )
    result = json.loads(done.stdout)
    assert result["env"] == before
    assert "Feel heard" in result["svg"] and "<text" in result["svg"]


def _encodings(spec: Any) -> list[dict[str, Any]]:
    """Return every encoding block in a spec, however deeply layered or faceted."""
    found = []
    if isinstance(spec, dict):
        if isinstance(spec.get("encoding"), dict):
            found.append(spec["encoding"])
        for value in spec.values():
            found += _encodings(value)
    elif isinstance(spec, list):
        for value in spec:
            found += _encodings(value)
    return found


def test_outcome_chart_draws_the_comparison_group_ranges_and_period() -> None:
    """Comparison points differ by shape and label; ranges, period and colours stay apart."""
    rows = outcome_rows()
    rows[1] |= {"low": 52.0, "high": 69.0}
    comparison = [
        {"date": "2022-09-01", "value": 50.0, "kind": "Comparison baseline"},
        {"date": "2024-09-30", "value": 53.0, "kind": "Comparison result", "low": 47, "high": 59},
        {"date": "2022-01-01", "value": 0.0, "kind": "Period", "end": "2022-08-01"},
    ]
    spec = outcome_chart_spec(rows + [{**r, "panel": rows[0]["panel"]} for r in comparison])
    (data,) = spec["datasets"].values()
    kinds = {row["kind"] for row in data}
    assert {"Comparison baseline", "Comparison result", "Period"} <= kinds
    assert {row.get("series") for row in data if row["kind"].startswith("Comparison")} == {
        "Comparison group"
    }
    shapes = next(e["shape"] for e in _encodings(spec) if "shape" in e)["scale"]
    assert len(set(shapes["range"])) == len(shapes["domain"]) == 4
    # One colour scale over one field: the points' kinds. Lines and ranges use `stroke`.
    colour_fields = {e["color"]["field"] for e in _encodings(spec) if "color" in e}
    assert colour_fields == {"kind"}
    assert render_svg(spec).startswith("<svg")


def test_outcome_chart_legend_names_only_the_kinds_a_case_has() -> None:
    spec = outcome_chart_spec(outcome_rows())
    shapes = next(e["shape"] for e in _encodings(spec) if "shape" in e)["scale"]
    assert shapes["domain"] == ["Baseline", "Result"]


def test_a_case_chart_is_keyed_by_its_rows_and_built_only_to_draw(tmp_path: Path) -> None:
    """A cached case chart is found without building its spec; other rows or code miss."""
    from generator.charts.case_spec import OutcomeChart

    chart = OutcomeChart(tuple(outcome_rows()))
    (first,) = render_svgs([chart], cache_dir=tmp_path)
    assert first == render_svg(chart.spec())
    built: list[int] = []

    class Watched(OutcomeChart):
        def spec(self) -> Any:
            built.append(1)
            return super().spec()

    (again,) = render_svgs([Watched(chart.rows)], cache_dir=tmp_path)
    assert again == first and built == []
    changed = Watched(tuple({**row, "value": row["value"] + 1} for row in chart.rows))
    assert changed.key != chart.key
    render_svgs([changed], cache_dir=tmp_path)
    assert built == [1]
