"""The one sealed store behind every cache: entries are written whole and read only when sealed.

Every entry the build writes to a cache carries an HMAC made with a key that is never kept in a
cache folder, so that files planted in a cache folder (say, by a pull request, or in a cache that
CI saved and restored) are not trusted: an entry without a valid seal is ignored and made anew.
The key is the file named by ``COPRO_SEAL_KEY_FILE`` when that is set (CI makes a fresh one per
job under ``$RUNNER_TEMP``, so no job trusts what another left), else the user's state folder
(XDG_STATE_HOME or ~/.local/state): a cache folder that is copied, uploaded or restored never
carries the key that would let its contents be re-sealed. Each write goes to a temporary file in
the entry's folder and replaces the entry in one rename, so no reader ever sees half an entry.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from contextlib import suppress
from functools import cache
from pathlib import Path

SEAL_LENGTH = 64  # hex characters of an HMAC-SHA256
TOOL_FOLDER = "copro-evidence-hub"
SEAL_KEY_VARIABLE = "COPRO_SEAL_KEY_FILE"
KEY_NAME = "seal.key"


def user_cache_dir() -> Path:
    """Return this tool's folder in the user's cache (XDG_CACHE_HOME or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / TOOL_FOLDER


def seal_key_path() -> Path:
    """Return the sealing key's file: ``$COPRO_SEAL_KEY_FILE``, else in the user's state folder."""
    chosen = os.environ.get(SEAL_KEY_VARIABLE)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / TOOL_FOLDER / KEY_NAME


def _key() -> bytes:
    """Return the sealing key for the current settings (made once per key file)."""
    return _key_at(seal_key_path(), user_cache_dir())


@cache
def _key_at(path: Path, cache_folder: Path) -> bytes:
    """Return the key kept at ``path``, made there if absent.

    A key for this process alone when it cannot be stored, or when ``path`` lies inside the
    cache folder, which is what gets copied and restored.
    """
    # Earlier versions kept the key inside the cache folder, which CI saved and restored: a key
    # left there would let whoever reads a copy of the cache re-seal entries, so it goes.
    with suppress(OSError):
        (cache_folder / KEY_NAME).unlink(missing_ok=True)
    if path.resolve().is_relative_to(cache_folder.resolve()):
        return secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()
            if len(key) >= 32:
                return key
            raise OSError("short key") from None
        with os.fdopen(descriptor, "wb") as handle:
            key = secrets.token_bytes(32)
            handle.write(key)
        return key
    except OSError:
        return secrets.token_bytes(32)


def seal(content: bytes) -> str:
    """Return the seal of some content."""
    return hmac.new(_key(), content, hashlib.sha256).hexdigest()


def sealed(content: bytes) -> bytes:
    """Return content with its seal in front, for writing to a cache file."""
    return seal(content).encode("ascii") + b"\n" + content


def unsealed(stored: bytes) -> bytes | None:
    """Return the content of a cache file when its seal is valid, else None."""
    mark, _, content = stored.partition(b"\n")
    if len(mark) != SEAL_LENGTH or not hmac.compare_digest(
        mark.decode("ascii", "replace"), seal(content)
    ):
        return None
    return content


def read_sealed(path: Path) -> bytes | None:
    """Return a cache entry's content when it exists and its seal is valid, else None."""
    try:
        return unsealed(path.read_bytes())
    except OSError:
        return None


def write_sealed(path: Path, content: bytes) -> bool:
    """Seal and write a cache entry atomically; return False when it cannot be written.

    A cache that cannot be written only makes the next build slower, so this never raises.
    """
    try:
        write_atomically(path, sealed(content))
    except OSError:
        return False
    return True


def write_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write a file whole or not at all; a link in its place is replaced, never followed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if mode is not None:
            os.chmod(scratch, mode)
        os.replace(scratch, target)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
