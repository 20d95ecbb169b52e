"""Take a case study pasted into the "Submit a case study" issue form: find, check and write it.

GitHub writes an issue form's answers as Markdown, each under a ``### <label>`` heading; a
textarea with ``render: yaml`` comes wrapped in a fenced ``yaml`` block. The file is checked
by the same loader and validator as ``copro validate``, as ``evaluations/<id>.yaml``, and the
outcome is worded as an issue comment. Nothing in the issue is trusted: the comment shows
problem text only inside a fenced block that no line of it can close.
"""

from __future__ import annotations

import enum
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.cache.store import write_atomically
from generator.cases.load import LoadedDocument, load_case_bytes, load_case_file
from generator.cases.reporters import neutralise
from generator.cases.rules import id_matches_file_name
from generator.cases.validate import CaseValidator, reviewed_entries
from generator.contribute.newcase import id_problem
from generator.errors import Problem
from generator.schema import load_schema

# The hidden line by which the workflow finds, and keeps updating, its one comment.
MARKER = "<!-- copro-intake -->"
# The label of the issue form's textarea (.github/ISSUE_TEMPLATE/submit-case.yml), its last field.
FILE_LABEL = "Case study file"
NO_RESPONSE = "_No response_"
# GitHub keeps at most 65,536 characters of an issue body (4 bytes each at most).
MAX_BODY_BYTES = 4 * 65_536
# A comment holds at most 65,536 characters; stop listing problems well before.
MAX_COMMENT_CHARS = 60_000
WRAP = 88
# A fenced file pasted into the form's fenced box is unwrapped; deeper nesting is not a file.
MAX_FENCES = 3

_HEADING = re.compile(r"^#{1,6}[ \t]+(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_LOOKS_LIKE_CASE = re.compile(r"^(schema_version|id|title)[ \t]*:", re.MULTILINE)
_BACKTICKS = re.compile(r"`+")


class Verdict(enum.IntEnum):
    """What intake made of an issue; the value is the exit status."""

    VALID = 0
    INVALID = 1
    NO_FILE = 2


@dataclass(frozen=True)
class Intake:
    """The outcome of taking one issue: verdict, comment, and the file written if any."""

    verdict: Verdict
    comment: str
    written: Path | None = None
    update: bool = False
    problems: list[Problem] = field(default_factory=list)


def read_body(path: Path) -> str:
    """Read an issue body; bytes that are not UTF-8 are kept, as surrogates, for the loader."""
    with path.open("rb") as handle:
        raw = handle.read(MAX_BODY_BYTES + 1)
    return raw.decode("utf-8", "surrogateescape")


def find_case_file(body: str) -> str | None:
    """Return the case file pasted in an issue body, or None when there is none."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    section = _form_section(text)
    if section is not None:
        found: str | None = _unfence(section)
    else:  # not the form's layout (an edited or hand-written body): a yaml block, or the body
        found = _first_fenced_block(text)
        if found is None and _LOOKS_LIKE_CASE.search(text):
            found = text
    if found is None or found.strip() in ("", NO_RESPONSE):
        return None
    return found if found.endswith("\n") else found + "\n"


def _form_section(text: str) -> str | None:
    """Return what follows the file's heading: the textarea is the form's last field."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading and heading[1].rstrip(" \t#").casefold() == FILE_LABEL.casefold():
            return "\n".join(lines[n + 1 :])
    return None


def _unfence(section: str) -> str | None:
    """Return the text inside the section's fenced block, or the section itself if unfenced.

    The closing fence is the last one in the section, so a pasted file that holds a line of
    backticks (its own fenced block) stays whole. A fenced file pasted into the fenced box is
    unwrapped too, a few levels deep at most.
    """
    lines = _trim_blank_lines(section.split("\n"))
    for _level in range(MAX_FENCES):
        opening = _FENCE.match(lines[0]) if lines else None
        if opening is None or ("`" in opening[2] and opening[1][0] == "`"):  # not a fence
            break
        end = next((n for n in range(len(lines) - 1, 0, -1) if _closes(lines[n], opening[1])), None)
        if end is None:  # never closed: the rest is the file
            return "\n".join(lines[1:])
        inner = lines[1:end]
        if not _is_one_block(inner):
            return "\n".join(inner)
        lines = _trim_blank_lines(inner)
    return "\n".join(lines) if lines else None


def _is_one_block(lines: list[str]) -> bool:
    trimmed = _trim_blank_lines(lines)
    if len(trimmed) < 2:
        return False
    opening = _FENCE.match(trimmed[0])
    return opening is not None and _closes(trimmed[-1], opening[1])


def _closes(line: str, fence: str) -> bool:
    closing = _FENCE.match(line)
    return (
        closing is not None
        and closing[1][0] == fence[0]
        and len(closing[1]) >= len(fence)
        and not closing[2].strip()
    )


def _first_fenced_block(text: str) -> str | None:
    """Return the first fenced block that holds a case (a ``yaml`` one, or one with its keys)."""
    lines = text.split("\n")
    start = 0
    while start < len(lines):
        opening = _FENCE.match(lines[start])
        if opening is None:
            start += 1
            continue
        end = next(
            (n for n in range(start + 1, len(lines)) if _closes(lines[n], opening[1])),
            len(lines),
        )
        inner = "\n".join(lines[start + 1 : end])
        if opening[2].strip().lower() in ("yaml", "yml") or _LOOKS_LIKE_CASE.search(inner):
            return inner
        start = end + 1
    return None


def _trim_blank_lines(lines: list[str]) -> list[str]:
    start = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
    end = next((n for n in range(len(lines), start, -1) if lines[n - 1].strip()), start)
    return lines[start:end]


def take_issue(
    body: str,
    folder: Path,
    validator: CaseValidator | None = None,
    *,
    submitter: str | None = None,
) -> Intake:
    """Find, check and (when valid) write the case file in an issue body.

    ``submitter``: the issue author's GitHub login; an update from someone who is not among the
    published case's authors is valid, and the comment says so for the reviewers.
    """
    if len(_to_bytes(body)) > MAX_BODY_BYTES:
        return _invalid([_too_long()])
    text = find_case_file(body)
    if text is None:
        return Intake(Verdict.NO_FILE, render_comment("missing"))
    raw = _to_bytes(text)
    doc, case_id = _load(raw)
    target = folder / f"{case_id}.yaml" if case_id is not None else None
    published = published_case(target) if target is not None else None
    problems = _check(doc, case_id, validator or CaseValidator(), published)
    if problems or target is None:
        return _invalid(problems)
    update = target.exists() or target.is_symlink()
    if update and not target.is_symlink() and target.is_file() and target.read_bytes() == raw:
        return Intake(Verdict.VALID, render_comment("unchanged", file=target.as_posix()), target)
    write_atomically(target, raw, mode=0o644)
    comment = render_comment(
        "valid",
        file=target.as_posix(),
        update=update,
        submitter=submitter or "",
        authors=_unlisted(submitter, published) if update else None,
    )
    return Intake(Verdict.VALID, comment, target, update)


def _unlisted(submitter: str | None, published: Any) -> list[str] | None:
    """Return the published case's authors' GitHub names when the submitter is not among them."""
    if not submitter:
        return None
    handles = author_handles(published)
    listed = {handle.casefold() for handle in handles}  # GitHub compares logins without case
    return None if submitter.casefold() in listed else handles


def is_github_login(text: str) -> bool:
    """Tell whether text is a GitHub login, as the schema's ``authors[].github`` allows it."""
    pattern = load_schema()["properties"]["authors"]["items"]["properties"]["github"]["pattern"]
    return re.fullmatch(pattern, text) is not None


def published_case(target: Path) -> Any:
    """Return the data of the case file already at ``target``, or None when there is none."""
    if target.is_symlink() or not target.is_file():
        return None
    return load_case_file(target).data


def author_handles(case: Any) -> list[str]:
    """Return the GitHub user names of a case's authors, in order."""
    authors = case.get("authors") if isinstance(case, dict) else None
    if not isinstance(authors, list):
        return []
    found = (a.get("github") for a in authors if isinstance(a, dict))
    return [handle for handle in found if isinstance(handle, str)]


def _to_bytes(text: str) -> bytes:
    """Encode text back to the bytes it was read from; stray surrogates stay invalid UTF-8."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _load(raw: bytes) -> tuple[LoadedDocument, str | None]:
    """Load the pasted file; name it after its id when that id can be a file name."""
    doc = load_case_bytes(raw, "case.yaml")
    case_id = doc.data.get("id") if isinstance(doc.data, dict) else None
    if isinstance(case_id, str) and id_problem(case_id) is None:
        doc.file = f"{case_id}.yaml"
        return doc, case_id
    return doc, None


def _check(
    doc: LoadedDocument, case_id: str | None, validator: CaseValidator, published: Any
) -> list[Problem]:
    """Check as `copro validate` does; the file is named after its id, so no name can differ.

    Only the ``allowed_personal_data`` entries of the published file excuse personal data: the
    section belongs to the maintainers, who add to it in review, so an entry the pasted file
    adds or changes is a problem, and the personal data it would excuse is reported too.
    """
    reviewed = reviewed_entries(published)
    kept = [entry for entry in reviewed_entries(doc.data) if entry in reviewed]
    waived = {entry["field"] for entry in kept if isinstance(entry.get("field"), str)}
    problems = validator.check(doc, waived=waived).problems
    if case_id is None and isinstance(doc.data, dict):
        naming = set(id_matches_file_name(doc, doc.data))
        problems = [p for p in problems if p not in naming]
    return sorted([*problems, *_self_granted(doc, reviewed)])


def _self_granted(doc: LoadedDocument, reviewed: list[dict[str, Any]]) -> Iterator[Problem]:
    """Yield a problem for each ``allowed_personal_data`` entry the published file lacks."""
    if not doc.ok or not isinstance(doc.data, dict):
        return
    entries = doc.data.get("allowed_personal_data")
    for n, entry in enumerate(entries if isinstance(entries, list) else []):
        if entry not in reviewed:
            yield doc.problem(
                ("allowed_personal_data", n),
                "Only a maintainer may add or change `allowed_personal_data`, in review: this "
                "entry is not in the published case study, so it cannot excuse personal data.",
                "Delete it (and `allowed_personal_data:` itself when no entry is left), and "
                "remove the personal data it was for. If that text is public, such as an "
                "organisation's switchboard number, say so in a comment on this issue: a "
                "maintainer can accept it in the pull request.",
                kind="personal-data",
            )


def _too_long() -> Problem:
    return Problem(
        "case.yaml",
        1,
        1,
        "",
        f"The issue's text is longer than {MAX_BODY_BYTES // 1024} KiB, more than an issue holds.",
        "Shorten the case study, or link to the full report under sources.",
        "file",
    )


def _invalid(problems: list[Problem]) -> Intake:
    return Intake(Verdict.INVALID, render_comment("invalid", problems=problems), problems=problems)


_ENV = Environment(
    loader=PackageLoader("generator", "templates"),
    # Markdown, not HTML: case text reaches the comment only inside `fenced`, below.
    autoescape=False,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def render_comment(
    verdict: str,
    *,
    problems: list[Problem] | None = None,
    file: str = "",
    update: bool = False,
    submitter: str = "",
    authors: list[str] | None = None,
) -> str:
    """Write the issue comment for a verdict: "valid", "unchanged", "invalid" or "missing".

    ``authors``: the published case's authors' GitHub names, given when ``submitter`` is not
    among them (the comment then says so, for the reviewers).
    """
    problems = problems or []
    return _ENV.get_template("intake_comment.md").render(
        marker=MARKER,
        verdict=verdict,
        label=FILE_LABEL,
        count=len(problems),
        problem_list=fenced(problem_list(problems)) if problems else "",
        file=file,
        update=update,
        submitter=submitter,
        authors=authors,
    )


def problem_list(problems: list[Problem], budget: int = MAX_COMMENT_CHARS - 4_000) -> str:
    """List problems in plain words with their line in the pasted file, as many as fit."""
    entries: list[str] = []
    size = 0
    for n, problem in enumerate(problems, 1):
        entry = _entry(n, problem)
        size += len(entry) + 2
        if size > budget:
            entries.append(
                f"... and {len(problems) - len(entries)} more: fix these first, "
                "then save the issue again."
            )
            break
        entries.append(entry)
    return "\n\n".join(entries)


def _entry(n: int, problem: Problem) -> str:
    """Word one problem: where it is, then what is wrong and what to do, wrapped."""
    where = f"{n}. Line {problem.line}, column {problem.column}"
    if problem.path:
        where += f", field {problem.path}"
    body = textwrap.fill(
        problem.text(),
        width=WRAP,
        initial_indent="   ",
        subsequent_indent="   ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    # Field names and values are echoed: hidden and control characters are shown as \uXXXX.
    return neutralise(f"{where}\n{body}")


def fenced(text: str) -> str:
    """Wrap text in a fenced code block that no line of it can close: GitHub shows it as is."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"
