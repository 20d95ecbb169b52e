"""Problems found in case files: plain values, collected and reported together."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, located by line, column and field path."""

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    kind: str = field(default="schema", compare=False)

    def text(self) -> str:
        """Return the message and hint as one sentence-ended line."""
        return f"{self.message} {self.hint}".strip()


def format_path(parts: tuple[str | int, ...]) -> str:
    """Write a data path the way authors read it: ``outcomes[1].baseline.date``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
