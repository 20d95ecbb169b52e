"""Build the site with MkDocs into a temporary folder and move it into place only when it succeeds."""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import click
from mkdocs.__main__ import cli as mkdocs_cli

from generator.errors import BuildError

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

LOCK_SUFFIX = ".lock"


def run_mkdocs(arguments: list[str]) -> None:
    """Run an MkDocs command in this process; turn its failures into BuildError."""
    try:
        mkdocs_cli.main(arguments, prog_name="mkdocs", standalone_mode=False)
    except click.exceptions.Exit as done:
        if done.exit_code:
            raise BuildError(
                f"mkdocs {arguments[0]} exited with status {done.exit_code}."
            ) from None
    except click.ClickException as error:
        raise BuildError(error.format_message()) from None


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True) -> None:
    """Build into a sibling staging folder, then swap it for ``site_dir`` in two renames.

    The staging folders of builds that were killed (their lock is free) go first.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_staging(site_dir)
    with _staging_folder(site_dir) as staging:
        arguments = ["build", "--config-file", str(config_file), "--site-dir", str(staging)]
        run_mkdocs([*arguments, "--strict"] if strict else arguments)
        _swap_into_place(staging, site_dir)


def staging_prefix(site_dir: Path) -> str:
    """Return the name every staging folder of ``site_dir`` starts with (see .gitignore)."""
    return f".{site_dir.name}-building-"


@contextmanager
def _staging_folder(site_dir: Path) -> Iterator[Path]:
    """Make a staging folder beside the site, locked for as long as this build runs.

    The lock file comes first and the folder after it, so another build never sees this
    folder without its lock; both go when the build ends, the folder first.
    """
    handle, lock = _take_new_lock(site_dir)
    staging = lock.with_name(lock.name.removesuffix(LOCK_SUFFIX))
    try:
        staging.mkdir()
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        lock.unlink(missing_ok=True)
        os.close(handle)


def _take_new_lock(site_dir: Path) -> tuple[int, Path]:
    """Make a lock file beside the site and hold it (made anew if another build removed it)."""
    while True:
        handle, name = tempfile.mkstemp(
            prefix=staging_prefix(site_dir), suffix=LOCK_SUFFIX, dir=site_dir.parent
        )
        _lock(handle, blocking=True)
        try:  # still the file at that name: it was not removed before the lock was taken
            if os.stat(name).st_ino == os.fstat(handle).st_ino:
                return handle, Path(name)
        except FileNotFoundError:
            pass
        os.close(handle)


def remove_abandoned_staging(site_dir: Path) -> list[Path]:
    """Remove the staging folders that no running build holds; return them.

    A build killed outright leaves its staging folder (and the old site, mid-swap) beside the
    site; its lock died with it. Without file locks (Windows), nothing is removed.
    """
    if fcntl is None:
        return []
    removed = []
    prefix = staging_prefix(site_dir)
    for path in sorted(site_dir.parent.glob(f"{glob.escape(prefix)}*")):
        if path.name.endswith(LOCK_SUFFIX) or path.is_symlink() or not path.is_dir():
            continue
        lock = path.with_name(path.name + LOCK_SUFFIX)
        if lock.exists() and _held(lock):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    for lock in site_dir.parent.glob(f"{glob.escape(prefix)}*{LOCK_SUFFIX}"):
        _remove_unheld(lock)
    return removed


def _remove_unheld(lock: Path) -> None:
    """Remove a lock file that no build holds, holding it meanwhile."""
    try:
        handle = os.open(lock, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return
    try:
        if _lock(handle, blocking=False):
            lock.unlink(missing_ok=True)
    finally:
        os.close(handle)


def _held(lock: Path) -> bool:
    """Tell whether a running build holds this lock file."""
    try:
        handle = os.open(lock, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:  # gone since: its build has just finished
        return True
    try:
        return not _lock(handle, blocking=False)
    finally:
        os.close(handle)  # closing releases a lock taken here


def _lock(handle: int, *, blocking: bool) -> bool:
    """Lock an open file for this process; return False when another process holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def _swap_into_place(staging: Path, site_dir: Path) -> None:
    old = site_dir.with_name(f"{staging_prefix(site_dir)}old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
