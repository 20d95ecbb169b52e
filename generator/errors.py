"""Problems in case files (plain values, collected and reported together) and the error tree.

Every error a user can cause is a click exception, so users never see a traceback; a problem in a
case file is a value, located by file, line, column and field path, never an exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import click


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


class CoproError(click.ClickException):
    """Base of every error reported to a user; exits with status 1."""


class CaseProblemsError(CoproError):
    """Case files have problems; the report has been printed already."""

    def __init__(self, summary: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(summary)
        self.problems = tuple(problems)


class BuildError(CoproError):
    """The site could not be built."""


class UsageProblem(click.UsageError):
    """The command was called wrongly; exits with status 2."""
