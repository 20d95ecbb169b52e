"""Tests for generator.site.PageStore: generated page bodies kept on disk."""

from __future__ import annotations

import gc

import pytest

from generator.site import PageStore


def test_pages_read_back_as_written_and_leave_with_pop() -> None:
    store = PageStore()
    store["a.md"] = "<p>caf\u00e9 \u25a0 \U0001f600</p>"
    store["b.md"] = "<p>b</p>"
    assert store["a.md"] == "<p>caf\u00e9 \u25a0 \U0001f600</p>"
    assert list(store) == ["a.md", "b.md"] and len(store) == 2 and "b.md" in store
    assert store.pop("a.md") == "<p>caf\u00e9 \u25a0 \U0001f600</p>"
    assert store.pop("a.md", None) is None
    store["c.md"] = "<p>c</p>"  # a new page never takes the file of one still kept
    store["b.md"] = "<p>b again</p>"
    assert store["b.md"] == "<p>b again</p>" and store["c.md"] == "<p>c</p>"
    store.close()


def test_close_removes_the_folder_and_every_page() -> None:
    store = PageStore()
    store["a.md"] = "x"
    folder = store._folder
    assert folder is not None and folder.is_dir()
    store.close()
    assert not folder.exists() and len(store) == 0
    with pytest.raises(KeyError):
        store["a.md"]
    store.close()  # twice is fine


def test_an_unclosed_store_cleans_up_when_it_goes() -> None:
    store = PageStore()
    store["a.md"] = "x"
    folder = store._folder
    assert folder is not None
    del store
    gc.collect()
    assert not folder.exists()


def test_an_empty_store_makes_no_folder() -> None:
    store = PageStore()
    assert store._folder is None and len(store) == 0
    store.close()
