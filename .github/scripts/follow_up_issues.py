"""Keep one open reminder issue per case due a follow-up; close those no longer due.

Usage: python .github/scripts/follow_up_issues.py FOLLOW_UPS_JSON [--dry-run]

FOLLOW_UPS_JSON is the output of `copro follow-ups --format json`. The open issues labelled
`follow-up-due` are read with the GitHub CLI (`gh`, authenticated by GH_TOKEN, repository GH_REPO);
each names its case in a hidden marker, so a reminder is found again however its title is edited.
`plan` decides what to do from the two lists alone (tested in tests/contribute/test_follow_up_issues.py);
`apply` only carries it out. Illustrative examples (status: example) get no reminder: they are
invented, so nobody can follow them up.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LABEL = "follow-up-due"
LABEL_COLOUR = "fbca04"
LABEL_DESCRIPTION = "A case study is due a follow-up result (opened by follow-ups.yml)"
MARKER = re.compile(r"<!-- copro-follow-up: ([a-z0-9]+(?:-[a-z0-9]+)*) -->")
TITLE = re.compile(r"^Follow-up due: ([a-z0-9]+(?:-[a-z0-9]+)*)$")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HANDLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
CLOSING_NOTE = (
    "A follow-up result 12 or more months after the co-production ended has landed (or the case "
    "study is no longer due one), so this reminder is closed. Thank you."
)


@dataclass(frozen=True)
class Action:
    """One change to the reminder issues: open one for a case, or close one by number."""

    kind: str  # "open" or "close"
    case_id: str
    title: str = ""
    body: str = ""
    number: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class Links:
    """Where a reminder points: the repository and, when it is known, the published site."""

    repo_url: str
    branch: str = "main"
    site_url: str = ""


def issue_case_id(issue: dict[str, Any]) -> str | None:
    """Return the case id a reminder issue is about (marker first, then title), or None."""
    found = MARKER.search(issue.get("body") or "")
    if found:
        return found.group(1)
    titled = TITLE.match(issue.get("title") or "")
    return titled.group(1) if titled else None


def code_span(text: str) -> str:
    """Return text as one inline code span, so Markdown, mentions and links in it stay inert."""
    line = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", line)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {line} {fence}"


def reminder_body(case: dict[str, Any], links: Links) -> str:
    """Write the reminder issue's text for a due case."""
    case_id = case["id"]
    handles = [f"@{h}" for h in case.get("github", []) if HANDLE.fullmatch(h)]
    greeting = f"{' '.join(handles)}: the" if handles else "The"
    latest = (
        f"its latest result is from {case['latest_result']} "
        f"({case['latest_result_months']} months after the end)"
        if case.get("latest_result")
        else "it has no result yet"
    )
    source = f"{links.repo_url}/blob/{links.branch}/evaluations/{case_id}.yaml"
    if links.site_url:
        site = links.site_url.rstrip("/")
        where = (
            f"- [Add a follow-up result]({site}/contribute/builder/?case={case_id}) with the "
            f"case builder\n- [The case study]({site}/evaluations/{case_id}/)\n"
        )
    else:
        where = ""
    guide = f"{links.repo_url}/blob/{links.branch}/CONTRIBUTING.md#status-licences-and-follow-ups"
    return (
        f"<!-- copro-follow-up: {case_id} -->\n"
        f"{greeting} case study {code_span(case['title'])} (`{case_id}`) is due a follow-up.\n\n"
        f"Its co-production ended in {case['end']}, {case['months_since_end']} months ago, and "
        f"{latest}. Change often shows only months after co-production ends: a result taken 12 "
        "months or more after the end shows whether it lasted.\n\n"
        f"{where}- [The case file]({source})\n- [How to add follow-up results]({guide})\n\n"
        "This issue closes itself when a result 12 or more months after the end is added."
    )


def plan(
    report: dict[str, Any],
    issues: list[dict[str, Any]],
    links: Links,
    include_examples: bool = False,
) -> list[Action]:
    """Return the actions that leave exactly one open reminder per due case and no other."""
    due = {
        case["id"]: case
        for case in report["due"]
        if SLUG.fullmatch(case["id"]) and (include_examples or case.get("status") != "example")
    }
    open_by_case: dict[str, list[int]] = {}
    for issue in sorted(issues, key=lambda issue: int(issue["number"])):
        case_id = issue_case_id(issue)
        if case_id is not None:
            open_by_case.setdefault(case_id, []).append(int(issue["number"]))
    actions = [
        Action("open", case_id, f"Follow-up due: {case_id}", reminder_body(case, links))
        for case_id, case in sorted(due.items())
        if case_id not in open_by_case
    ]
    for case_id, numbers in sorted(open_by_case.items()):
        keep = numbers[0] if case_id in due else None
        for number in numbers:
            if number != keep:
                comment = f"Duplicate of #{keep}." if keep is not None else CLOSING_NOTE
                actions.append(Action("close", case_id, number=number, comment=comment))
    return actions


def gh(*args: str, stdin: str | None = None) -> str:
    """Run the GitHub CLI with arguments (never through a shell) and return what it prints."""
    done = subprocess.run(["gh", *args], input=stdin, capture_output=True, text=True, check=True)
    return done.stdout


def open_reminders() -> list[dict[str, Any]]:
    """Return the open issues labelled as reminders."""
    listed = gh(
        "issue", "list", "--label", LABEL, "--state", "open",
        "--json", "number,title,body", "--limit", "1000",
    )  # fmt: skip
    issues: list[dict[str, Any]] = json.loads(listed)
    return issues


def apply(actions: list[Action]) -> None:
    """Carry out the planned actions with the GitHub CLI."""
    gh("label", "create", LABEL, "--color", LABEL_COLOUR, "--description", LABEL_DESCRIPTION,
       "--force")  # fmt: skip
    for action in actions:
        if action.kind == "open":
            gh("issue", "create", "--title", action.title, "--label", LABEL, "--body-file", "-",
               stdin=action.body)  # fmt: skip
        else:
            gh("issue", "close", str(action.number), "--comment", action.comment)


def links_from_environment() -> Links:
    """Return the links for reminders from the variables GitHub Actions sets."""
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    repository = os.environ.get("GH_REPO") or os.environ.get("GITHUB_REPOSITORY", "")
    return Links(f"{server}/{repository}", site_url=os.environ.get("SITE_URL", ""))


def main(argv: list[str]) -> int:
    """Read the follow-up report, plan and (unless --dry-run) apply; print each action."""
    if len(argv) < 1 or not Path(argv[0]).is_file():
        print("Usage: follow_up_issues.py FOLLOW_UPS_JSON [--dry-run]", file=sys.stderr)
        return 2
    report = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    dry_run = "--dry-run" in argv[1:]
    actions = plan(report, [] if dry_run else open_reminders(), links_from_environment())
    for action in actions:
        print(f"{action.kind} {action.case_id}" + (f" #{action.number}" if action.number else ""))
    if not dry_run:
        apply(actions)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
