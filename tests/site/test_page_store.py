"""Tests for generator.site.PageStore: generated page bodies kept on disk."""

from __future__ import annotations

import gc
import tempfile
import weakref
from pathlib import Path

import pytest

from generator.site.page_store import PageStore


def test_pages_read_back_as_written_and_leave_with_pop() -> None:
    store = PageStore()
    store["a.md"] = "<p>caf\u00e9 \u25a0 \U0001f600</p>"
    store["b.md"] = "<p>b</p>"
    assert store["a.md"] == "<p>caf\u00e9 \u25a0 \U0001f600</p>"
    assert list(store) == ["a.md", "b.md"] and len(store) == 2 and "b.md" in store
    assert store.pop("a.md") == "<p>caf\u00e9 \u25a0 \U0001f600</p>"
    assert store.pop("a.md", None) is None
    store["c.md"] = "<p>c</p>"
    store["b.md"] = "<p>b again, longer than before</p>"  # rewritten: the new body wins
    assert store["c.md"] == "<p>c</p>"
    assert store["b.md"] == "<p>b again, longer than before</p>"
    store["d.md"] = "<p>d</p>"  # writing after reading keeps every page whole
    assert [store[uri] for uri in ("b.md", "c.md", "d.md")] == [
        "<p>b again, longer than before</p>",
        "<p>c</p>",
        "<p>d</p>",
    ]
    store.close()


def test_pages_leave_no_file_in_the_scratch_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    store = PageStore()
    for number in range(50):
        store[f"{number}.md"] = "<p>page</p>" * number
    assert list(tmp_path.iterdir()) == []  # one anonymous file, named nowhere
    assert store["49.md"] == "<p>page</p>" * 49
    store.close()


def test_close_forgets_every_page_and_closes_the_file() -> None:
    store = PageStore()
    store["a.md"] = "x"
    scratch = store._file
    assert scratch is not None
    store.close()
    assert scratch.closed and len(store) == 0
    with pytest.raises(KeyError):
        store["a.md"]
    store.close()  # twice is fine
    store["b.md"] = "y"  # and the store can be used again
    assert store["b.md"] == "y"
    store.close()


def test_an_unclosed_store_closes_its_file_when_it_goes() -> None:
    store = PageStore()
    store["a.md"] = "x"
    scratch = store._file
    assert scratch is not None
    gone = weakref.ref(scratch)
    del store, scratch
    gc.collect()
    assert gone() is None


def test_an_empty_store_makes_no_file() -> None:
    store = PageStore()
    assert store._file is None and len(store) == 0
    store.close()


def test_a_generated_body_waits_in_the_store_until_the_theme_renders_its_page() -> None:
    from mkdocs.plugins import PluginCollection

    from generator.plugin import CaseStudiesPlugin

    plugin = CaseStudiesPlugin()
    plugin.load_config({})
    plugin.site.pages["evaluations/a.md"] = "<p>the case</p>"
    plugins = PluginCollection()
    plugins["copro"] = plugin

    class File:
        src_uri = "evaluations/a.md"

    class Page:
        file = File()
        content: str | None = None

    page = Page()
    # While MkDocs holds every page (between reading them and rendering the first), it is empty.
    page.content = plugins.on_page_content("<p>stub</p>", page=page, config=None, files=None)  # type: ignore[arg-type]
    assert page.content == "" and "evaluations/a.md" in plugin.site.pages
    plugins.on_page_context({}, page=page, config=None, nav=None)  # type: ignore[arg-type]
    assert page.content == "<p>the case</p>" and "evaluations/a.md" not in plugin.site.pages
    plugin.site.pages.close()
