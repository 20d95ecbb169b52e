"""The exception tree: every error a user can cause is a click exception, never a traceback."""

from __future__ import annotations

import click


class CoproError(click.ClickException):
    """Base of every error reported to a user; exits with status 1."""


class CaseProblemsError(CoproError):
    """Case files have problems; the report has been printed already."""

    def __init__(self, summary: str) -> None:
        super().__init__(summary)


class BuildError(CoproError):
    """The site could not be built."""


class UsageProblem(click.UsageError):
    """The command was called wrongly; exits with status 2."""
