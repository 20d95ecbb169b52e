"""Seal cache entries, so that files planted in a cache folder (say, by a pull request) are not trusted.

Every entry the build writes to a cache carries an HMAC made with a key kept in the user's own
cache folder, never beside the entries. An entry without a valid seal is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
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
