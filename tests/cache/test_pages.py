"""Tests for generator.pagecache: case pages are rendered again exactly when they would change."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cache import keys as pagecache
from generator.cache.catalogue import build_catalogue
from generator.cache.keys import data_digest, page_key
from generator.cache.pages import CasePageCache
from generator.figures.followups import FollowUp
from generator.settings import SiteSettings
from generator.site.generate import generate_site
from tests.conftest import ROOT

SETTINGS = SiteSettings(repo_url="https://example.org/hub", site_url="https://hub.example/")


def _follow_up(**changes: object) -> FollowUp:
    base = FollowUp("a", True, "no result since the end", "2026-11-01", "2025-01", 22, None, None)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_the_key_changes_with_each_thing_a_page_shows() -> None:
    case, other = data_digest({"id": "a", "title": "A"}), data_digest({"id": "b", "title": "B"})
    key = page_key(case, [other], _follow_up(), SETTINGS)
    assert key == page_key(case, [other], _follow_up(), SETTINGS)
    changed = [
        page_key(data_digest({"id": "a", "title": "A2"}), [other], _follow_up(), SETTINGS),
        page_key(case, [data_digest({"id": "b", "title": "B2"})], _follow_up(), SETTINGS),
        page_key(case, [], _follow_up(), SETTINGS),
        page_key(case, [other, other], _follow_up(), SETTINGS),
        page_key(case, [other], _follow_up(due=False), SETTINGS),
        page_key(case, [other], _follow_up(today="2026-12-01"), SETTINGS),
        page_key(case, [other], None, SETTINGS),
        page_key(case, [other], _follow_up(), dataclasses.replace(SETTINGS, site_name="Hub")),
        page_key(case, [other], _follow_up(), dataclasses.replace(SETTINGS, branch="trunk")),
        page_key(case, [other], _follow_up(), dataclasses.replace(SETTINGS, extra={"x": 1})),
    ]
    assert key not in changed and len(set(changed)) == len(changed)


def test_the_code_fingerprint_covers_templates_and_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    first = pagecache.rendering_digest()
    pagecache.rendering_digest.cache_clear()
    real_read = Path.read_bytes

    def read(path: Path) -> bytes:
        content = real_read(path)
        return content + b"<!-- edited -->" if path.name == "case.html" else content

    monkeypatch.setattr(Path, "read_bytes", read)
    try:
        assert pagecache.rendering_digest() != first
    finally:
        pagecache.rendering_digest.cache_clear()


def test_pages_come_back_as_kept_and_planted_ones_are_refused(tmp_path: Path) -> None:
    cache = CasePageCache(tmp_path)
    assert cache.get("k") is None
    cache.put("k", "<p>caf\u00e9</p>")
    assert cache.get("k") == "<p>caf\u00e9</p>" and cache.hits == 1
    assert cache.folder is not None
    (cache.folder / "planted.html").write_bytes(b"0" * 64 + b"\n<script>alert(1)</script>")
    assert cache.get("planted") is None
    assert CasePageCache(None).get("k") is None  # caching off
    CasePageCache(None).put("k", "x")


def test_pages_of_other_code_are_removed(tmp_path: Path) -> None:
    cache = CasePageCache(tmp_path)
    cache.put("k", "<p>now</p>")
    (tmp_path / ("0" * 32)).mkdir()
    (tmp_path / ("0" * 32) / "old.html").write_text("old")
    cache.forget_other_code()
    assert [p.name for p in tmp_path.iterdir()] == [cache.folder.name]  # type: ignore[union-attr]
    assert cache.get("k") == "<p>now</p>"


def _case_pages(cases: Path, cache: Path | None) -> tuple[dict[str, str], int]:
    site = generate_site(build_catalogue(cases), SETTINGS, cache)
    pages = {uri: site.pages[uri] for uri in site.pages if uri.startswith("evaluations/")}
    site.pages.close()
    kept = sum(1 for _ in cache.joinpath("pages").rglob("*.html")) if cache else 0
    return pages, kept


@pytest.mark.slow
def test_a_build_with_kept_pages_equals_one_without(tmp_path: Path) -> None:
    cases = tmp_path / "evaluations"
    shutil.copytree(ROOT / "evaluations", cases)
    cache = tmp_path / "cache"
    fresh, _ = _case_pages(cases, None)
    first, kept = _case_pages(cases, cache)
    second, _ = _case_pages(cases, cache)
    assert first == fresh and second == fresh
    assert kept == len(list(cases.glob("*.yaml")))  # every case page was kept once

    # A changed title shows on its own page and on every page that lists the case as related.
    path = sorted(cases.glob("*.yaml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(
        path.read_text(encoding="utf-8").replace(data["title"], data["title"] + " (revised)"),
        encoding="utf-8",
    )
    changed, _ = _case_pages(cases, cache)
    assert changed == _case_pages(cases, None)[0]
    differs = {uri for uri in fresh if fresh[uri] != changed[uri]}
    assert f"evaluations/{data['id']}.md" in differs and len(differs) > 1


def test_cached_pages_are_the_ones_rendered(tmp_path: Path) -> None:
    cases = tmp_path / "evaluations"
    cases.mkdir()
    for path in sorted((ROOT / "evaluations").glob("*.yaml"))[:3]:
        shutil.copy(path, cases / path.name)
    cache = tmp_path / "cache"
    rendered, _ = _case_pages(cases, cache)
    (folder,) = (cache / "pages").iterdir()
    for kept in folder.glob("*.html"):  # tamper with every kept page, keeping its seal
        kept.write_bytes(kept.read_bytes().replace(b"</article>", b"</article><!--x-->"))
    again, _ = _case_pages(cases, cache)
    assert again == rendered  # a page whose seal no longer matches is rendered anew
