"""The exception tree: every error a user can cause is a click exception, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence

import click

from generator.problems import Problem


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
