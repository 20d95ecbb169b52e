"""The page store: generated page bodies kept on disk until MkDocs asks for them."""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Iterator, MutableMapping
from typing import BinaryIO


class PageStore(MutableMapping[str, str]):
    """Generated page bodies by source path, kept on disk as UTF-8 until MkDocs asks for them.

    Held in memory, 1,000 case pages took 110 MB (Python keeps text with any character
    beyond Latin-1 at two bytes a character), and memory must not grow with the number of
    cases faster than the site does. The bodies go one after another into a single anonymous
    scratch file, which has no name in any folder and goes with the store (or at ``close``):
    a file per page cost about 0.7 ms each to create on the benchmark machine.
    """

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        self._spans: dict[str, tuple[int, int]] = {}  # (offset, length in bytes) by page

    def __setitem__(self, uri: str, body: str) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="copro-pages-")  # noqa: SIM115  # closed by close()
            self._closer = weakref.finalize(self, self._file.close)
        data = body.encode("utf-8")
        offset = self._file.seek(0, os.SEEK_END)
        self._file.write(data)
        self._spans[uri] = (offset, len(data))  # a rewritten page's old bytes are simply unused

    def __getitem__(self, uri: str) -> str:
        offset, length = self._spans[uri]
        assert self._file is not None
        self._file.seek(offset)
        return self._file.read(length).decode("utf-8")

    def __delitem__(self, uri: str) -> None:
        del self._spans[uri]

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, uri: object) -> bool:
        return uri in self._spans

    def close(self) -> None:
        """Forget every page and remove the scratch file."""
        self._spans.clear()
        if self._file is not None:
            self._closer()
            self._file = None
