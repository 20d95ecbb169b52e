"""The sealed store: its key never lives where a cache is copied, uploaded or restored.

Issue #22, finding 1: the key sat in ``~/.cache/copro-evidence-hub/seal.key``, the folder CI saved
and restored, so whoever read a restored cache could re-seal a case page or the Vega bundle with
a ``<script>`` in front, and the next build published it.
"""

from __future__ import annotations

import hashlib
import hmac
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cache import store
from generator.cache.pages import CasePageCache
from generator.cache.store import (
    SEAL_KEY_VARIABLE,
    read_sealed,
    seal_key_path,
    user_cache_dir,
    write_sealed,
)
from generator.charts.bundle import vega_bundle
from tests.conftest import ROOT
from tests.site_project import build_project, make_project

PLANTED = b'<script>alert("planted")</script>'


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Give the store a user cache and state folder of its own, with no key file chosen."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv(SEAL_KEY_VARIABLE, raising=False)
    store._key_at.cache_clear()
    yield tmp_path
    store._key_at.cache_clear()


def resealed(content: bytes, key: bytes) -> bytes:
    """Seal content as an attacker holding ``key`` would."""
    return hmac.new(key, content, hashlib.sha256).hexdigest().encode("ascii") + b"\n" + content


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def test_the_key_lives_outside_the_cache_folder(home: Path) -> None:
    assert not seal_key_path().is_relative_to(user_cache_dir())
    assert seal_key_path() == home / "state" / "copro-evidence-hub" / "seal.key"
    write_sealed(user_cache_dir() / "entry", b"content")
    assert seal_key_path().is_file()
    assert [p.name for p in files_under(user_cache_dir())] == ["entry"]


def test_a_key_file_chosen_by_the_environment_is_used(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI makes a fresh key per job: what one job sealed, the next does not trust."""
    entry = user_cache_dir() / "entry"
    monkeypatch.setenv(SEAL_KEY_VARIABLE, str(home / "job-1" / "seal.key"))
    write_sealed(entry, b"made by job 1")
    assert read_sealed(entry) == b"made by job 1"
    assert (home / "job-1" / "seal.key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv(SEAL_KEY_VARIABLE, str(home / "job-2" / "seal.key"))
    assert read_sealed(entry) is None


def test_a_key_file_inside_the_cache_folder_is_never_used(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = user_cache_dir() / "keys" / "seal.key"
    monkeypatch.setenv(SEAL_KEY_VARIABLE, str(inside))
    entry = user_cache_dir() / "entry"
    write_sealed(entry, b"content")
    assert not inside.exists()  # the key of this process was never written into the cache


def test_a_key_left_in_the_cache_folder_by_an_older_version_is_removed_and_not_trusted(
    home: Path,
) -> None:
    legacy = user_cache_dir() / "seal.key"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"k" * 32)
    entry = user_cache_dir() / "entry"
    entry.write_bytes(resealed(PLANTED, b"k" * 32))
    assert read_sealed(entry) is None
    assert not legacy.exists()


def test_a_cache_restored_with_every_file_in_it_gives_no_key_to_reseal_with(home: Path) -> None:
    """The attack, at the store: every file of a saved cache folder tried as the key."""
    pages = CasePageCache(user_cache_dir() / "pages")
    pages.put("a" * 64, "<article>the page a reviewer saw</article>")
    write_sealed(user_cache_dir() / "charts" / "chart.svg", b"<svg/>")
    saved = home / "saved"  # what a workflow's cache step would save, and restore elsewhere
    shutil.copytree(user_cache_dir(), saved)
    key = seal_key_path().read_bytes()
    candidates = [path.read_bytes() for path in files_under(saved)]
    assert candidates and not any(key in candidate for candidate in candidates)
    for candidate in candidates:
        pages.folder.joinpath("a" * 64 + ".html").write_bytes(resealed(PLANTED, candidate))  # type: ignore[union-attr]
        assert pages.get("a" * 64) is None
    # The same plant made with the real key would be served: the check above can fail.
    pages.folder.joinpath("a" * 64 + ".html").write_bytes(resealed(PLANTED, key))  # type: ignore[union-attr]
    assert pages.get("a" * 64) == PLANTED.decode()


@pytest.mark.slow
def test_a_build_from_a_restored_cache_never_serves_a_resealed_page_or_bundle(
    home: Path,
) -> None:
    """The attack of issue #22 end to end: re-seal every cached page and the bundle, rebuild."""
    project = make_project(
        home / "project", [ROOT / "tests/cases/valid/riverside-day-centre-redesign.yaml"]
    )
    build_project(project)
    cache = user_cache_dir()
    candidates = [path.read_bytes() for path in files_under(cache)]
    planted_entries = [*cache.glob("pages/*/*.html"), *cache.glob("vega-bundle-*.js")]
    assert len(planted_entries) >= 2
    originals = {entry: read_sealed(entry) for entry in planted_entries}
    assert None not in originals.values()
    for n, entry in enumerate(planted_entries):  # each file of the cache tried as the key
        for candidate in candidates[n :: len(planted_entries)]:
            entry.write_bytes(resealed(PLANTED + (originals[entry] or b""), candidate))
            assert read_sealed(entry) is None
    site = build_project(project)
    for path in files_under(site):
        assert PLANTED not in path.read_bytes(), path
    assert PLANTED not in vega_bundle(cache)
