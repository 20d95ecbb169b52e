"""Validate case files: load, check against the schema, then the cross-field rules."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from generator.cases.load import LoadedDocument, load_case_file, value_at
from generator.cases.messages import keep_written_text, translate
from generator.cases.personal_data import Finding, as_read, find_personal_data_as_read
from generator.cases.rules import check_rules
from generator.cases.text import inline_text
from generator.errors import Problem, format_path
from generator.schema import load_schema, pattern_of, string_field_patterns, walk

CASE_SUFFIXES = (".yaml", ".yml")
# Text fields a reader never sees as text (the id is a slug; a field path names a field).
# Names are checked too: "Jane Doe, jane.doe@example.org" is personal data in any field.
_NOT_PERSONAL = {
    ("id",),
    ("allowed_personal_data", "*", "field"),
}
_WEB_ADDRESS = re.compile(r"^\^https\?://")
# A file of broken list items can yield one schema error per item (tens of thousands, each
# costing about a millisecond to find and to word); the first ones are enough to act on.
MAX_SCHEMA_ERRORS = 200
# Limits for fields that set no maxLength or maxItems: no date is this long, no list this big.
LONGEST_PATTERNED_TEXT = 1000
LONGEST_UNIQUE_LIST = 100


def _pattern_within_length(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """Match a pattern only on text within its field's length: maxLength reports the rest.

    Patterns such as the web address one backtrack quadratically: a 64 KB value took 27 s.
    """
    limit = schema.get("maxLength", LONGEST_PATTERNED_TEXT)
    if isinstance(instance, str) and len(instance) > limit:
        if "maxLength" not in schema:
            yield ValidationError(f"{instance[:40]!r}... does not match {pattern!r}")
        return
    yield from _PATTERN(validator, pattern, instance, schema)


def _unique_within_size(
    validator: Any, unique: bool, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """Look for repeats only in lists within their field's size: maxItems reports the rest.

    jsonschema compares unsortable items pairwise: 4,000 sections took 52 s.
    """
    if isinstance(instance, list) and len(instance) > schema.get("maxItems", LONGEST_UNIQUE_LIST):
        return
    yield from _UNIQUE_ITEMS(validator, unique, instance, schema)


def _items_within_size(
    validator: Any, items: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """Check the items of a list only when it is within its size; maxItems reports the rest.

    Otherwise 10,000 broken items would bury the one problem to fix first under their own.
    """
    limit = schema.get("maxItems")
    if isinstance(instance, list) and limit is not None and len(instance) > limit:
        return
    yield from _ITEMS(validator, items, instance, schema)


_PATTERN = Draft202012Validator.VALIDATORS["pattern"]
_UNIQUE_ITEMS = Draft202012Validator.VALIDATORS["uniqueItems"]
_ITEMS = Draft202012Validator.VALIDATORS["items"]


class ValidationCache(Protocol):
    """A store of valid cases, so unchanged files are not checked again (``generator.cache``)."""

    def get(self, file: Path, name: str) -> LoadedDocument | None:
        """Return the kept document of an unchanged, valid file, or None."""

    def put(self, file: Path, doc: LoadedDocument) -> None:
        """Keep a valid document."""


@dataclass
class CheckedCase:
    """A case file after validation: its loaded document and every problem found."""

    doc: LoadedDocument
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when the case has no problems."""
        return not self.problems

    @property
    def data(self) -> Any:
        """Return the case's data (valid only when ``ok``)."""
        return self.doc.data


@dataclass
class ValidationReport:
    """The outcome of validating a set of files."""

    cases: list[CheckedCase]

    @property
    def problems(self) -> list[Problem]:
        """Return every problem, in file and line order."""
        return sorted(p for case in self.cases for p in case.problems)

    @property
    def ok(self) -> bool:
        """Return True when no file has a problem."""
        return all(case.ok for case in self.cases)

    def summary(self) -> str:
        """Say how many files and problems, e.g. "2 files, 3 problems in 1 file"."""
        files = len(self.cases)
        problems = self.problems
        bad = len({p.file for p in problems})
        noun = "file" if files == 1 else "files"
        if not problems:
            return f"{files} {noun} checked, no problems."
        return (
            f"{files} {noun} checked, {len(problems)} problem{'s' if len(problems) != 1 else ''} "
            f"in {bad} file{'s' if bad != 1 else ''}."
        )


_CODE_SETS: dict[int, frozenset[str] | None] = {}


def _code_set(options: list[Any]) -> frozenset[str] | None:
    """Return the codes of a ``oneOf`` made only of string ``const`` options, else None."""
    key = id(options)
    if key not in _CODE_SETS:
        consts = [o.get("const") for o in options if isinstance(o, dict)]
        simple = len(consts) == len(options) and all(isinstance(c, str) for c in consts)
        _CODE_SETS[key] = frozenset(consts) if simple else None  # type: ignore[arg-type]
    return _CODE_SETS[key]


def _one_of(validator: Any, options: list[Any], instance: Any, schema: dict[str, Any]) -> Any:
    """Check a code list by set membership; other ``oneOf`` schemas the standard way."""
    codes = _code_set(options)
    if codes is None:
        yield from _STANDARD_ONE_OF(validator, options, instance, schema)
    elif not (isinstance(instance, str) and instance in codes):
        yield ValidationError(f"{instance!r} is not one of the allowed codes")


_STANDARD_ONE_OF = Draft202012Validator.VALIDATORS["oneOf"]
# Code lists are most of the schema (about 250 countries): a set lookup instead of trying
# each option in turn makes validation several times faster, with the same errors.
CaseSchemaValidator = validators.extend(
    Draft202012Validator,
    {
        "oneOf": _one_of,
        # Guards against hostile files: quadratic regexes, pairwise comparisons, huge lists.
        "pattern": _pattern_within_length,
        "uniqueItems": _unique_within_size,
        "items": _items_within_size,
    },
)


class CaseValidator:
    """Check loaded cases against the schema and rules; build once, use for every file."""

    def __init__(self, schema: dict[str, Any] | None = None) -> None:
        self.schema = schema or load_schema()
        self.validator = CaseSchemaValidator(self.schema)

    @cached_property
    def free_text_patterns(self) -> set[tuple[str, ...]]:
        """Field patterns a reader reads, where personal data could hide: free text, names and
        web addresses (whose queries hold what people typed)."""
        found = set()
        for path, node in walk(self.schema):
            if node.get("type") != "string" or path in _NOT_PERSONAL:
                continue
            if "pattern" not in node or _WEB_ADDRESS.match(node["pattern"]):
                found.add(path)
        return found

    @cached_property
    def markdown_patterns(self) -> set[tuple[str, ...]]:
        """Field patterns holding Markdown, which readers see rendered."""
        return {
            path
            for path, node in walk(self.schema)
            if node.get("contentMediaType") == "text/markdown"
        }

    def check(self, doc: LoadedDocument, waived: Collection[str] | None = None) -> CheckedCase:
        """Return the case with every schema, rule and personal-data problem.

        ``waived``: the fields whose personal data a reviewer accepted; by default those the
        file's own ``allowed_personal_data`` names (intake passes only the published ones).
        """
        if not doc.ok:
            return CheckedCase(doc, list(doc.problems))
        keep_written_text(doc, string_field_patterns())
        problems = self._schema_problems(doc)
        problems += check_rules(doc)
        allowed = allowed_fields(doc.data) if waived is None else set(waived)
        problems += self._personal_data(doc, allowed)
        return CheckedCase(doc, _unique(problems))

    def _schema_problems(self, doc: LoadedDocument) -> list[Problem]:
        if not isinstance(doc.data, dict):
            return [
                doc.problem(
                    (),
                    "The file should be a set of fields such as `id:` and `title:`, one a line.",
                    "Start from the template: copro new <id>.",
                )
            ]
        found = list(itertools.islice(self.validator.iter_errors(doc.data), MAX_SCHEMA_ERRORS + 1))
        errors = sorted(found[:MAX_SCHEMA_ERRORS], key=lambda e: [str(p) for p in e.absolute_path])
        problems = [p for p in (translate(error, doc) for error in errors) if p is not None]
        if len(found) > MAX_SCHEMA_ERRORS:
            problems.append(
                doc.problem(
                    (),
                    f"There are more than {MAX_SCHEMA_ERRORS} problems; the first "
                    f"{MAX_SCHEMA_ERRORS} are shown.",
                    "Fix these (often one repeated mistake), then check the file again.",
                )
            )
        return problems

    def _personal_data(self, doc: LoadedDocument, allowed: set[str]) -> list[Problem]:
        problems = []
        for path in doc.source_text:
            value = value_at(doc.data, path)
            if not isinstance(value, str) or pattern_of(path) not in self.free_text_patterns:
                continue
            shown = format_path(path)
            if shown in allowed:
                continue
            markdown = pattern_of(path) in self.markdown_patterns
            for finding in _findings_as_read(value, markdown=markdown):
                problems.append(
                    doc.problem(
                        path,
                        f'This looks like {finding.label} ("{_one_line(finding.text)}"); '
                        "case studies must not publish personal data.",
                        "Remove it. If it is public (say, an organisation's switchboard), a reviewer can "
                        f"accept it by adding `- field: {shown}` with a `reason` under `allowed_personal_data`.",
                        kind="personal-data",
                    )
                )
        return problems


def _findings_as_read(text: str, *, markdown: bool) -> list[Finding]:
    """Find the personal data a reader sees in a field: Markdown both as written and rendered
    (``07700 *900* 123`` reads as a phone number)."""
    found = find_personal_data_as_read(text)
    if markdown:
        seen = {(f.kind, as_read(f.text).text) for f in found}
        rendered = inline_text(text)
        for finding in find_personal_data_as_read(rendered):
            if (finding.kind, as_read(finding.text).text) not in seen:
                found.append(Finding(finding.kind, finding.label, 0, len(text), finding.text))
    return found


_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")


def _one_line(text: str) -> str:
    """Return found text for a one-line message: line breaks become spaces."""
    return _LINE_BREAKS.sub(" ", text)


def reviewed_entries(case: Any) -> list[dict[str, Any]]:
    """Return a case's ``allowed_personal_data`` entries (those that are mappings)."""
    entries = case.get("allowed_personal_data") if isinstance(case, dict) else None
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def allowed_fields(case: Any) -> set[str]:
    """Return the fields a case's ``allowed_personal_data`` accepts personal data in."""
    return {e["field"] for e in reviewed_entries(case) if isinstance(e.get("field"), str)}


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, int, int, str]] = set()
    kept = []
    for problem in sorted(problems):
        key = (problem.path, problem.line, problem.column, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


class PathsError(Exception):
    """A path given to validate does not exist or holds no case files."""


def collect_case_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to the case files in them, sorted; refuse paths that do not exist.

    Everything in a folder named like a case file is listed, whatever it is: a broken link or a
    folder named ``x.yaml`` is reported by the loader rather than skipped without a word.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in CASE_SUFFIXES))
        elif path.is_dir() or path.is_file() or path.is_symlink():
            found.append(path)
        else:
            raise PathsError(f"{path}: no such file or folder.")
    return sorted(dict.fromkeys(found))


# File names come from pull requests too: an escape sequence in one could rewrite the
# reader's terminal, a bidi control reorder the report, bytes that are not UTF-8 garble it.
_UNSAFE_IN_NAMES = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def display_name(path: Path) -> str:
    """Name a file relative to the current folder where possible, control characters escaped."""
    try:
        name = os.path.relpath(path)
    except ValueError:
        name = str(path)
    return _UNSAFE_IN_NAMES.sub(lambda found: f"\\u{ord(found[0]):04x}", name)


def validate_files(
    files: list[Path], validator: CaseValidator | None = None, cache: ValidationCache | None = None
) -> ValidationReport:
    """Load and check every file, then the rules across files (unique ids)."""
    validator = validator or CaseValidator()
    cases = [_check_file(path, validator, cache) for path in files]
    for case, path in zip(cases, files, strict=False):
        if path.suffix != ".yaml":
            case.problems.insert(
                0,
                Problem(
                    case.doc.file,
                    1,
                    1,
                    "",
                    f"Case files end in .yaml, not {path.suffix}.",
                    f"Rename it to {path.stem}.yaml.",
                    "rule",
                ),
            )
    _check_unique_ids(cases)
    return ValidationReport(cases)


def _check_file(path: Path, validator: CaseValidator, cache: ValidationCache | None) -> CheckedCase:
    """Check one file, or take it from the cache when it is unchanged and was valid."""
    name = display_name(path)
    cached = cache.get(path, name) if cache is not None else None
    if cached is not None:
        return CheckedCase(cached)
    case = validator.check(load_case_file(path, name))
    if cache is not None and case.ok:
        cache.put(path, case.doc)
    return case


def _check_unique_ids(cases: list[CheckedCase]) -> None:
    first_by_id: dict[str, CheckedCase] = {}
    for case in cases:
        case_id = case.data.get("id") if isinstance(case.data, dict) else None
        if not isinstance(case_id, str):
            continue
        key = case_id.lower()
        if key in first_by_id:
            other = first_by_id[key].doc.file
            case.problems.append(
                case.doc.problem(
                    ("id",),
                    f"The id `{case_id}` is already used by {other}.",
                    "Every case needs its own id; choose another and rename the file to match.",
                    kind="rule",
                )
            )
        else:
            first_by_id[key] = case
