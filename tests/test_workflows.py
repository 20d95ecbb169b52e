"""GitHub workflows, issue forms and editor settings: valid, and doing what the docs say."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.schema import codes_of, load_schema
from tests.conftest import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
SCRIPT = GITHUB / "scripts" / "summarise_cases.py"


def check_jsonschema(builtin: str, path: Path) -> subprocess.CompletedProcess[str]:
    """Validate a file against one of check-jsonschema's vendored schemas (offline)."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", builtin, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def load(path: Path) -> Any:
    """Read a YAML file the way GitHub does (YAML 1.1; `on` stays a key here)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def steps(workflow: Path) -> list[dict[str, Any]]:
    """Return every step of every job."""
    jobs = load(workflow)["jobs"].values()
    return [step for job in jobs for step in job.get("steps", [])]


def runs(workflow: Path) -> str:
    """Return every `run:` script of a workflow, joined."""
    return "\n".join(step.get("run", "") for step in steps(workflow))


def uses(workflow: Path) -> set[str]:
    """Return every action a workflow uses."""
    return {step["uses"] for step in steps(workflow) if "uses" in step}


def test_there_are_workflows_and_forms() -> None:
    assert {p.name for p in WORKFLOWS} >= {"validate.yml", "publish.yml", "follow-ups.yml"}
    assert {p.name for p in ISSUE_FORMS} == {"correction.yml", "propose-case.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "builtin", ["vendor.github-workflows", "custom.github-workflows-require-timeout"]
)
def test_workflow_is_valid(path: Path, builtin: str) -> None:
    result = check_jsonschema(builtin, path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_form_is_valid(path: Path) -> None:
    result = check_jsonschema("vendor.github-issue-forms", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_config_is_valid() -> None:
    result = check_jsonschema(
        "vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_workflow_checks_builds_and_summarises() -> None:
    workflow = GITHUB / "workflows" / "validate.yml"
    assert "pull_request" in load(workflow)["on"]
    script = runs(workflow)
    assert "copro validate --format github" in script
    assert "mkdocs build --strict" in script
    assert "python -m pip install -e ." in script
    assert "GITHUB_STEP_SUMMARY" in script and "summarise_cases.py" in script
    assert {
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/upload-artifact@v4",
    } <= uses(workflow)


def test_publish_workflow_deploys_to_pages() -> None:
    workflow = GITHUB / "workflows" / "publish.yml"
    data = load(workflow)
    assert data["on"]["push"]["branches"] == ["main"] and "workflow_dispatch" in data["on"]
    assert data["permissions"]["pages"] == "write" and data["permissions"]["id-token"] == "write"
    assert "group" in data["concurrency"]
    assert "copro build" in runs(workflow)
    assert {
        "actions/configure-pages@v5",
        "actions/upload-pages-artifact@v3",
        "actions/deploy-pages@v4",
        "actions/cache@v4",
    } <= uses(workflow)
    cache = next(s for s in steps(workflow) if s.get("uses") == "actions/cache@v4")
    assert ".cache" in cache["with"]["path"]
    assert "schema/" in cache["with"]["key"] and "generator/" in cache["with"]["key"]


def test_setup_python_caches_pip() -> None:
    for workflow in WORKFLOWS:
        setup = next(
            s for s in steps(workflow) if s.get("uses", "").startswith("actions/setup-python@")
        )
        assert setup["with"]["python-version"] == "3.11" and setup["with"]["cache"] == "pip"


def test_correction_form_is_prefilled_by_the_case_link() -> None:
    form = load(GITHUB / "ISSUE_TEMPLATE" / "correction.yml")
    ids = [item.get("id") for item in form["body"]]
    assert "case" in ids
    case = form["body"][ids.index("case")]
    assert case["type"] == "input"


def test_proposal_areas_are_the_schema_areas() -> None:
    form = load(GITHUB / "ISSUE_TEMPLATE" / "propose-case.yml")
    area = next(item for item in form["body"] if item.get("id") == "area")
    schema_area = load_schema()["properties"]["service"]["properties"]["area"]
    assert area["attributes"]["options"] == [f"{c.label} ({c.code})" for c in codes_of(schema_area)]


def test_proposal_asks_for_consent_and_no_personal_data() -> None:
    form = load(GITHUB / "ISSUE_TEMPLATE" / "propose-case.yml")
    checkboxes = {item["id"] for item in form["body"] if item["type"] == "checkboxes"}
    assert {"consent", "personal-data"} <= checkboxes


def test_pull_request_template_has_the_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    for words in ("Licence", "consent", "personal data", "`example`", "copro validate", "Sources"):
        assert words in text
    assert text.count("- [ ]") >= 5


def test_pre_commit_hook_validates_case_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "copro-validate")
    assert hook["entry"] == "copro validate" and hook["language"] == "python"
    assert hook["files"] == r"^evaluations/.*\.ya?ml$"
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = next(repo for repo in config["repos"] if repo["repo"] == "local")
    used = next(h for h in local["hooks"] if h["id"] == "copro-validate")
    assert used["entry"] == "copro validate" and used["files"] == hook["files"]


def test_vscode_maps_case_files_to_the_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schema/evaluation.schema.json"] == ["evaluations/*.yaml"]
    assert (ROOT / "schema" / "evaluation.schema.json").is_file()


def summarise(*paths: Path) -> str:
    """Run the job-summary script as the workflow does."""
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout


def test_summary_lists_cases_with_evidence_strength() -> None:
    case = ROOT / "tests" / "cases" / "valid" / "riverside-day-centre-redesign.yaml"
    out = summarise(case)
    assert "| Case | Title | Status | Evidence strength | Principles score |" in out
    assert "| riverside-day-centre-redesign | Redesigning Riverside Day Centre" in out
    assert "| example | 3: sustained | 3.0 of 4 |" in out


def test_summary_counts_problems_and_handles_no_files() -> None:
    bad = ROOT / "tests" / "cases" / "invalid" / "bad-date-quarter.yaml"
    assert "1 problem: see the annotations" in summarise(bad)
    assert "No case study was added or changed." in summarise()


def test_summary_text_is_inert(tmp_path: Path) -> None:
    source = ROOT / "tests" / "cases" / "valid" / "riverside-day-centre-redesign.yaml"
    case = tmp_path / "riverside-day-centre-redesign.yaml"
    text = source.read_text(encoding="utf-8")
    case.write_text(
        text.replace(
            "title: Redesigning Riverside Day Centre with the people who use it",
            "title: Riverside | <img src=x> [link](https://example.org)",
        ),
        encoding="utf-8",
    )
    out = summarise(case)
    assert "Riverside \\| \\<img src=x\\> \\[link\\](https" in out  # shown as text, not markup
    assert not re.search(r"(?<!\\)<img", out) and not re.search(r"(?<!\\)\]\(", out)
