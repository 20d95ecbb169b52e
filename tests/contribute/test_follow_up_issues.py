"""The follow-up reminder workflow: its plan from due cases and open issues, and the workflow file."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt

from generator.cli import main
from tests.conftest import ROOT
from tests.figures.test_followups import TODAY, make_case, write
from tests.test_workflows import zizmor
from tests.whole_site.test_adversarial import HOSTILE_TEXT

SCRIPT = ROOT / ".github" / "scripts" / "follow_up_issues.py"
WORKFLOW = ROOT / ".github" / "workflows" / "follow-ups.yml"
_spec = importlib.util.spec_from_file_location("follow_up_issues", SCRIPT)
assert _spec is not None and _spec.loader is not None
reminders = importlib.util.module_from_spec(_spec)
sys.modules["follow_up_issues"] = reminders  # dataclasses look their module up by name
_spec.loader.exec_module(reminders)

LINKS = reminders.Links("https://github.com/o/r")


def due_report(runner: CliRunner, folder: Path, today: str = TODAY) -> dict[str, Any]:
    """Run `copro follow-ups --format json` on a folder, as the workflow does."""
    result = runner.invoke(main, ["follow-ups", str(folder), "--today", today, "--format", "json"])
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


def issue(number: int, case_id: str, body: str | None = None) -> dict[str, Any]:
    """Return an open reminder as `gh issue list --json number,title,body` gives it."""
    if body is None:
        body = f"<!-- copro-follow-up: {case_id} -->\ntext"
    return {"number": number, "title": f"Follow-up due: {case_id}", "body": body}


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """Return a folder with the issue's due case (published) and one followed up a year on."""
    due = make_case("2024-03", ["2024-12"], "due-case", github="a-evaluator")
    due["status"] = "published"
    done = make_case("2024-03", ["2024-12", "2025-03"], "followed-up-case")
    done["status"] = "published"
    write(tmp_path, due)
    write(tmp_path, done)
    return tmp_path


def test_the_issues_case_gets_one_reminder(runner: CliRunner, published: Path) -> None:
    actions = reminders.plan(due_report(runner, published), [], LINKS)
    assert [(a.kind, a.case_id, a.title) for a in actions] == [
        ("open", "due-case", "Follow-up due: due-case")
    ]
    body = actions[0].body
    assert body.startswith("<!-- copro-follow-up: due-case -->\n@a-evaluator: the case study")
    assert "ended in 2024-03, 32 months ago" in body and "from 2024-12 (9 months" in body
    assert "https://github.com/o/r/blob/main/evaluations/due-case.yaml" in body
    assert "CONTRIBUTING.md#status-licences-and-follow-ups" in body


def test_a_reminder_is_never_duplicated(runner: CliRunner, published: Path) -> None:
    report = due_report(runner, published)
    assert reminders.plan(report, [issue(7, "due-case")], LINKS) == []
    # Found again by the marker even when someone retitled the issue.
    renamed = {**issue(7, "due-case"), "title": "Please add the 2026 survey"}
    assert reminders.plan(report, [renamed], LINKS) == []


def test_duplicates_are_closed_keeping_the_oldest(runner: CliRunner, published: Path) -> None:
    actions = reminders.plan(
        due_report(runner, published), [issue(9, "due-case"), issue(4, "due-case")], LINKS
    )
    assert [(a.kind, a.number, a.comment) for a in actions] == [("close", 9, "Duplicate of #4.")]


def test_the_reminder_closes_when_the_follow_up_lands(runner: CliRunner, published: Path) -> None:
    landed = make_case("2024-03", ["2024-12", "2025-06"], "due-case", github="a-evaluator")
    landed["status"] = "published"
    write(published, landed)
    actions = reminders.plan(due_report(runner, published), [issue(7, "due-case")], LINKS)
    assert [(a.kind, a.case_id, a.number) for a in actions] == [("close", "due-case", 7)]
    assert "has landed" in actions[0].comment


def test_issues_without_a_case_are_left_alone() -> None:
    stray = {"number": 3, "title": "Something else", "body": "labelled by hand"}
    assert reminders.plan({"due": []}, [stray], LINKS) == []


def test_illustrative_examples_get_no_reminder(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path, make_case("2024-03", ["2024-12"], "invented-case"))
    report = due_report(runner, tmp_path)
    assert [c["id"] for c in report["due"]] == ["invented-case"]
    assert reminders.plan(report, [], LINKS) == []
    assert len(reminders.plan(report, [], LINKS, include_examples=True)) == 1


def test_with_a_site_the_reminder_links_to_the_builder(runner: CliRunner, published: Path) -> None:
    links = reminders.Links("https://github.com/o/r", site_url="https://hub.example/")
    body = reminders.plan(due_report(runner, published), [], links)[0].body
    assert "(https://hub.example/contribute/builder/?case=due-case)" in body
    assert "(https://hub.example/evaluations/due-case/)" in body


def inline_tokens(markdown: str) -> list[str]:
    """Return the types of the inline tokens CommonMark reads in a text."""
    tokens = MarkdownIt("commonmark").parseInline(markdown)
    return [child.type for token in tokens for child in token.children or []]


@pytest.mark.parametrize("title", [*HOSTILE_TEXT[::3], "a `` b ``` c", "@everyone ping"])
def test_hostile_titles_stay_one_code_span(title: str) -> None:
    span = reminders.code_span(title)
    assert "\n" not in span
    assert inline_tokens(span) == ["code_inline"]


def test_only_valid_handles_are_mentioned() -> None:
    case = {
        "id": "x-case",
        "title": "T",
        "end": "2024-03",
        "months_since_end": 32,
        "latest_result": None,
        "github": ["good-name", "bad name @everyone", "-bad"],
    }
    body = reminders.reminder_body(case, LINKS)
    assert re.findall(r"@[\w-]+", body) == ["@good-name"]
    assert "it has no result yet" in body


def test_dry_run_prints_the_plan(runner: CliRunner, published: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(json.dumps(due_report(runner, published)), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(report), "--dry-run"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "open due-case\n"


def test_a_missing_report_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "none.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "Usage:" in done.stderr


# ---------------------------------------------------------------- the workflow file


def workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return data


def test_workflow_runs_monthly_and_by_hand() -> None:
    triggers = workflow()["on"]
    assert "workflow_dispatch" in triggers
    (schedule,) = triggers["schedule"]
    _minute, _hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("1", "*", "*")
    # A merged follow-up closes its reminder straight away.
    assert triggers["push"] == {"branches": ["main"], "paths": ["evaluations/**"]}


def test_workflow_has_least_permissions_and_pinned_actions() -> None:
    data = workflow()
    assert data["permissions"] == {}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    for step in job["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] == "false"
    scripts = "\n".join(step.get("run", "") for step in job["steps"])
    assert "${{" not in scripts
    assert "copro follow-ups" in scripts and "--format json" in scripts
    assert "follow_up_issues.py" in scripts


def test_pins_carry_their_version_in_a_comment() -> None:
    pins = re.findall(r"uses: \S+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", WORKFLOW.read_text(), re.M)
    assert len(pins) == 2


def test_zizmor_finds_nothing() -> None:
    program = zizmor()  # this environment's own, as in test_workflows
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("zizmor is not installed; CI installs it with the test extra")
        pytest.skip("zizmor is not installed (pip install -e '.[test]'); CI runs this test")
    done = subprocess.run(
        [program, "--offline", "--persona=pedantic", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


def test_the_script_calls_gh_to_label_open_and_close(
    runner: CliRunner, published: Path, tmp_path: Path
) -> None:
    """Run the script against a stand-in `gh` that records its calls and has one stale reminder."""
    log = tmp_path / "calls.jsonl"
    fake = tmp_path / "bin" / "gh"
    fake.parent.mkdir()
    fake.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"log = open({str(log)!r}, 'a')\n"
        "stdin = '' if sys.stdin.isatty() else sys.stdin.read()\n"
        "log.write(json.dumps({'args': sys.argv[1:], 'stdin': stdin}) + '\\n')\n"
        "if sys.argv[1:3] == ['issue', 'list']:\n"
        "    print(json.dumps([{'number': 5, 'title': 'Follow-up due: gone-case',"
        " 'body': '<!-- copro-follow-up: gone-case -->'}]))\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    report = tmp_path / "report.json"
    report.write_text(json.dumps(due_report(runner, published)), encoding="utf-8")
    env = {
        "PATH": f"{fake.parent}:/usr/bin:/bin",
        "GH_REPO": "o/r",
        "GITHUB_SERVER_URL": "https://github.com",
    }
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(report)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [call["args"][:2] for call in calls] == [
        ["issue", "list"],
        ["label", "create"],
        ["issue", "create"],
        ["issue", "close"],
    ]
    created = calls[2]
    assert created["args"][2:] == [
        "--title", "Follow-up due: due-case", "--label", "follow-up-due", "--body-file", "-"
    ]  # fmt: skip
    assert created["stdin"].startswith("<!-- copro-follow-up: due-case -->")
    assert "https://github.com/o/r/blob/main/evaluations/due-case.yaml" in created["stdin"]
    assert calls[3]["args"][2] == "5" and "--comment" in calls[3]["args"]
