"""Staging folders: ignored by git, and removed by the next build unless a running build holds them."""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

from generator.site.staging import LOCK_SUFFIX, remove_abandoned_staging, staging_prefix
from tests.conftest import ROOT


def test_staging_folders_and_their_locks_are_ignored_by_git() -> None:
    names = [".site-building-abc123", ".site-building-abc123.lock", ".site-building-old"]
    names += [".public-building-xyz"]  # for --site-dir public
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == names
    kept = subprocess.run(
        ["git", "check-ignore", "--no-index", "site-building.md", "docs/building-x.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert kept.stdout == ""


def test_only_folders_no_running_build_holds_are_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    prefix = staging_prefix(site)
    assert prefix == ".site-building-"
    dead, live, old = (tmp_path / f"{prefix}{name}" for name in ("dead1234", "live5678", "old"))
    for folder in (site, dead, live, old, tmp_path / ".other-building-x"):
        (folder / "pages").mkdir(parents=True)
        (folder / "pages" / "index.html").write_text("page")
    (tmp_path / f"{prefix}dead1234{LOCK_SUFFIX}").touch()  # its build was killed: lock free
    live_lock = tmp_path / f"{prefix}live5678{LOCK_SUFFIX}"
    stray_lock = tmp_path / f"{prefix}gone0000{LOCK_SUFFIX}"
    stray_lock.touch()
    held = os.open(live_lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # a build that is running
        removed = remove_abandoned_staging(site)
        assert sorted(p.name for p in removed) == [dead.name, old.name]
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [".other-building-x", live.name, live_lock.name, "site"]
        )
        assert (live / "pages" / "index.html").read_text() == "page"
    finally:
        os.close(held)
    assert [p.name for p in remove_abandoned_staging(site)] == [live.name]  # once it has ended
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other-building-x", "site"]


def test_a_link_named_like_a_staging_folder_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    (target / "keep").mkdir(parents=True)
    (tmp_path / ".site-building-link").symlink_to(target, target_is_directory=True)
    assert remove_abandoned_staging(tmp_path / "site") == []
    assert (target / "keep").is_dir()
