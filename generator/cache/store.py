"""The one sealed store behind every cache: entries are written whole and read only when sealed.

Every entry the build writes to a cache carries an HMAC made with a key kept in the user's own
cache folder, never beside the entries, so that files planted in a cache folder (say, by a pull
request) are not trusted: an entry without a valid seal is ignored and made anew. Each write goes
to a temporary file in the entry's folder and replaces the entry in one rename, so no reader ever
sees half an entry.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from functools import cache
from pathlib import Path

SEAL_LENGTH = 64  # hex characters of an HMAC-SHA256


def user_cache_dir() -> Path:
    """Return this tool's folder in the user's cache (XDG_CACHE_HOME or ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "copro-evidence-hub"


@cache
def _key() -> bytes:
    """Return the sealing key, made once per user; a key for this process alone if it cannot be stored."""
    path = user_cache_dir() / "seal.key"
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
