"""Report validation results as text, JSON or GitHub annotations."""

from __future__ import annotations

import json
import re
import secrets
import textwrap
from collections.abc import Callable

from generator.cases.rules import HIDDEN_CHARACTERS
from generator.cases.validate import ValidationReport
from generator.errors import Problem

Reporter = Callable[[ValidationReport], str]


def problem_line(problem: Problem) -> str:
    """Write one problem as ``file:line:col: path: message hint``."""
    where = f"{problem.file}:{problem.line}:{problem.column}:"
    field = f" {problem.path}:" if problem.path else ""
    body = textwrap.fill(
        f"{where}{field} {problem.text()}",
        width=100,
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return body


# Echoed field names and values may hold terminal escapes or bidi controls: show them as \uXXXX.
_UNSHOWABLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f]|{HIDDEN_CHARACTERS.pattern}")


def neutralise(text: str) -> str:
    """Keep echoed case text from reading as a CI command or rewriting what the reader sees."""
    text = _UNSHOWABLE.sub(lambda found: f"\\u{ord(found[0]):04x}", text)
    return text.replace("::", ": :").replace("##[", "## [")


def text_report(report: ValidationReport) -> str:
    """Return the human report: one entry per problem, then a summary line."""
    lines = [neutralise(problem_line(p)) for p in report.problems]
    return "\n".join([*lines, report.summary()])


def json_report(report: ValidationReport) -> str:
    """Return the machine-readable report."""
    return json.dumps(
        {
            "ok": report.ok,
            "files": [case.doc.file for case in report.cases],
            "problems": [
                {
                    "file": p.file,
                    "line": p.line,
                    "column": p.column,
                    "path": p.path,
                    "kind": p.kind,
                    "message": p.message,
                    "hint": p.hint,
                }
                for p in report.problems
            ],
            "summary": report.summary(),
        },
        indent=2,
        ensure_ascii=False,
    )


def escape_data(text: str) -> str:
    """Escape an annotation's message as GitHub's workflow commands require."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape an annotation property (file, title) as GitHub's workflow commands require."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, message: str, **properties: str | int) -> str:
    """Write one GitHub workflow annotation (``::error``, ``::notice``) with case text made inert."""
    fields = ",".join(
        f"{name}={escape_property(neutralise(str(value)))}" for name, value in properties.items()
    )
    return f"::{command} {fields}::{escape_data(neutralise(message))}"


def github_report(report: ValidationReport) -> str:
    """Return one ``::error`` annotation per problem, then the full text report."""
    annotations = [
        annotation(
            "error",
            p.text(),
            file=p.file,
            line=p.line,
            col=p.column,
            title=neutralise(p.path) or "case study",
        )
        for p in report.problems
    ]
    return with_commands_stopped(annotations, text_report(report))


def with_commands_stopped(annotations: list[str], text: str) -> str:
    """Return annotations, then text that GitHub reads as no command (it echoes case text)."""
    token = secrets.token_hex(16)
    return "\n".join([*annotations, f"::stop-commands::{token}", text, f"::{token}::"])


REPORTER_BY_NAME: dict[str, Reporter] = {
    "text": text_report,
    "json": json_report,
    "github": github_report,
}
