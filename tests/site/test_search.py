"""Tests for generator.search: the Pagefind run started early and collected after the build."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from generator.site import search
from generator.site.search import BackgroundIndex

PAGES = [
    ("index.html", "Home", "<p>Welcome to the hub</p>"),
    ("evaluations/a/index.html", "Alpha &amp; co", "<p>Saltmarsh wardens</p>"),
    ("evaluations/b/index.html", "Ignored title", "<h1>Beta</h1><p>Riverside tenants</p>"),
    ("404.html", "Not found", "<p>Not indexed: not an index.html page</p>"),
]


def test_index_holds_every_index_page_and_joins_the_site(tmp_path: Path) -> None:
    index = BackgroundIndex()
    index.start(PAGES)
    scratch = index._folder
    assert scratch is not None and scratch.is_dir()
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "stale.js").write_text("old")
    index.finish(tmp_path)
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3
    assert not (tmp_path / "pagefind" / "stale.js").exists()
    assert not scratch.exists()


def test_article_gets_the_page_title_only_when_it_has_no_heading(tmp_path: Path) -> None:
    index = BackgroundIndex()
    index.start(PAGES)
    assert index._folder is not None
    articles = index._folder / "articles"
    home = (articles / "index.html").read_text()
    beta = (articles / "evaluations/b/index.html").read_text()
    assert "<h1>Home</h1><p>Welcome" in home
    assert "Ignored title" not in beta and "<h1>Beta</h1>" in beta
    assert not (articles / "404.html").exists()
    index.cancel()
    assert not articles.exists()


def test_a_failing_pagefind_is_a_plugin_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = [sys.executable, "-c", "import sys; print('index broke'); sys.exit(3)"]
    monkeypatch.setattr(search, "pagefind_command", lambda site, output: failing)
    index = BackgroundIndex()
    index.start(PAGES)
    scratch = index._folder
    with pytest.raises(PluginError, match="index broke"):
        index.finish(tmp_path)
    assert scratch is not None and not scratch.exists()
    assert not (tmp_path / "pagefind").exists()


def test_cancel_stops_a_running_pagefind(monkeypatch: pytest.MonkeyPatch) -> None:
    slow = [sys.executable, "-c", "import time; time.sleep(60)"]
    monkeypatch.setattr(search, "pagefind_command", lambda site, output: slow)
    index = BackgroundIndex()
    index.start(PAGES)
    process = index._process
    assert process is not None and process.poll() is None
    index.cancel()
    assert process.poll() is not None


def test_finish_without_start_says_so(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="not started"):
        BackgroundIndex().finish(tmp_path)


def test_the_theme_search_plugin_sees_an_empty_body_and_the_theme_the_whole_page() -> None:
    from mkdocs.plugins import PluginCollection

    from generator.plugin import CaseStudiesPlugin

    seen: list[str] = []

    class ThemeSearch:  # stands in for mkdocs-material's search plugin at default priority
        def on_page_context(self, context: dict, page: object, **kwargs: object) -> dict:
            seen.append(page.content)  # type: ignore[attr-defined]
            return context

    plugin = CaseStudiesPlugin()
    plugin.load_config({})
    plugins = PluginCollection()
    plugins["search"] = ThemeSearch()  # type: ignore[assignment]
    plugins["copro"] = plugin

    class File:
        src_uri = "evaluations/a.md"

    class Page:
        file = File()
        content = "<p>whole body</p>"

    page = Page()
    plugins.on_page_context({}, page=page, config=None, nav=None)  # type: ignore[arg-type]
    assert seen == [""] and page.content == "<p>whole body</p>"
    plugin.config.search = "theme"  # the theme's own index reads every body
    plugins.on_page_context({}, page=page, config=None, nav=None)  # type: ignore[arg-type]
    assert seen == ["", "<p>whole body</p>"]


def test_articles_leave_out_chart_drawings_only() -> None:
    drawing = '<div class="copro-chart__drawing" aria-hidden="true">'
    content = (
        f'<p>Before</p><div class="copro-chart">{drawing}<svg><text>Axis</text></svg></div></div>'
        f"<p>Between</p>{drawing}<svg/></div><p>After</p>"
    )
    assert search.without_drawings(content) == (
        f'<p>Before</p><div class="copro-chart">{drawing}</div></div>'
        f"<p>Between</p>{drawing}</div><p>After</p>"
    )
    assert search.without_drawings("<p>No chart</p>") == "<p>No chart</p>"
    assert search.without_drawings(f"<p>x</p>{drawing}<svg>") == f"<p>x</p>{drawing}<svg>"


def test_a_synced_folder_holds_exactly_the_wanted_files(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    outside = tmp_path / "outside.html"
    outside.write_text("not ours")
    wanted = {"index.html": b"home", "a/index.html": b"alpha", "a/b/index.html": b"beta"}
    assert search.sync_folder(folder, wanted.items()) == 3
    assert search.sync_folder(folder, wanted.items()) == 0  # nothing changed: nothing written
    (folder / "stale").mkdir()
    (folder / "stale" / "index.html").write_text("gone")
    (folder / "a" / "extra.html").write_text("planted")
    (folder / "a" / "b" / "index.html").unlink()
    (folder / "a" / "b" / "index.html").symlink_to(outside)  # a link is removed, never followed
    (folder / "c").symlink_to(tmp_path, target_is_directory=True)
    wanted["a/index.html"] = b"alpha, changed"
    wanted["c/index.html"] = b"gamma"
    assert search.sync_folder(folder, wanted.items()) == 3
    found = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert found == wanted
    assert not any(p.is_symlink() for p in folder.rglob("*"))
    assert outside.read_text() == "not ours"


def test_kept_articles_are_rewritten_only_when_they_change(tmp_path: Path) -> None:
    keep = tmp_path / "keep"
    first = BackgroundIndex(keep)
    first.start(PAGES)
    assert first.written == 3 and (keep / "articles" / "evaluations/a/index.html").is_file()
    busy = BackgroundIndex(keep)  # while another build holds the kept folder, use a scratch one
    busy.start(PAGES)
    assert busy.written == 3 and busy._folder is not None
    assert (busy._folder / "articles" / "index.html").is_file()
    busy.cancel()
    first.finish(tmp_path / "one")
    again = BackgroundIndex(keep)
    again.start([*PAGES[:2], ("evaluations/b/index.html", "Beta", "<h1>Beta</h1><p>New</p>")])
    assert again.written == 1
    again.finish(tmp_path / "two")
    entry = json.loads((tmp_path / "two" / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3
    assert "New" in (keep / "articles" / "evaluations/b/index.html").read_text()
