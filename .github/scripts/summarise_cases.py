"""Print a Markdown table of the given case files for a pull request's job summary.

Usage: python .github/scripts/summarise_cases.py evaluations/a.yaml evaluations/b.yaml ...
Each row gives the case's id, title, status, evidence strength and principles score, or says how
many problems the file has (the annotations and the validate step show them).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from generator.cases.validate import CheckedCase, validate_files
from generator.figures.derive import derive_case

HEADER = (
    "| Case | Title | Status | Evidence strength | Principles score |\n"
    "| --- | --- | --- | --- | --- |"
)


_BACKTICKS = re.compile(r"`+")


def cell(text: object) -> str:
    """Make text from a pull request inert in a Markdown table cell: one line, in a code span.

    A code span shows its text as it is, with no markup, and GitHub links nothing inside one: no
    web or email address, @mention, #123 reference or commit id (issue #22). A pipe is escaped
    for the table, and the span's fence is longer than any run of backticks in the text.
    """
    line = " ".join(str(text).split())
    if not line:
        return ""
    fence = "`" * (1 + max((len(run) for run in _BACKTICKS.findall(line)), default=0))
    escaped = line.replace("|", "\\|")
    return f"{fence} {escaped} {fence}"


def case_row(case: CheckedCase) -> str:
    """Write one case as a table row."""
    data = case.data if isinstance(case.data, dict) else {}
    case_id = cell(data.get("id") or Path(case.doc.file).stem)
    title = cell(data.get("title", ""))
    if not case.ok:
        count = len(case.problems)
        problems = f"{count} problem{'s' if count != 1 else ''}: see the annotations"
        return f"| {case_id} | {title} | {cell(data.get('status', ''))} | {problems} | |"
    figures = derive_case(data)
    evidence = f"{figures.evidence.level}: {figures.evidence.name}"
    score = figures.principles
    shown = "unknown" if score.score is None else f"{score.score:.1f} of 4"
    if score.unknown:
        shown += f" ({score.unknown} unknown)"
    return f"| {case_id} | {title} | {cell(data['status'])} | {evidence} | {shown} |"


def summarise(paths: list[Path]) -> str:
    """Return the Markdown summary of the given case files."""
    lines = ["## Case studies in this pull request", ""]
    if not paths:
        return "\n".join([*lines, "No case study was added or changed."])
    report = validate_files(paths)
    rows = [case_row(case) for case in report.cases]
    return "\n".join([*lines, HEADER, *rows, "", report.summary()])


def main(arguments: list[str]) -> int:
    """Print the summary of the case files named in ``arguments``."""
    paths = [Path(a) for a in arguments if Path(a).suffix in (".yaml", ".yml")]
    print(summarise([p for p in paths if p.is_file()]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
