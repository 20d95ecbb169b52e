"""GitHub workflows, issue forms and editor settings: valid, and doing what the docs say."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.contribute.intake import FILE_LABEL, MARKER
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
    """Return every action a workflow uses, without its version."""
    return {step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step}


def step_using(workflow: Path, action: str) -> dict[str, Any]:
    """Return the first step that uses an action."""
    return next(s for s in steps(workflow) if s.get("uses", "").split("@")[0] == action)


def jobs(workflow: Path) -> dict[str, dict[str, Any]]:
    """Return a workflow's jobs by id."""
    found: dict[str, dict[str, Any]] = load(workflow)["jobs"]
    return found


INTAKE = GITHUB / "workflows" / "intake.yml"
SUBMIT_FORM = GITHUB / "ISSUE_TEMPLATE" / "submit-case.yml"
# `uses: owner/name@<40 hex> # v1.2.3`, as GitHub's own docs pin actions.
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")


def test_there_are_workflows_and_forms() -> None:
    assert {"validate.yml", "publish.yml", "intake.yml", "follow-ups.yml"} <= {
        p.name for p in WORKFLOWS
    }
    assert {"correction.yml", "propose-case.yml", "submit-case.yml"} <= {
        p.name for p in ISSUE_FORMS
    }


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
    assert "python -m pip install --no-deps --no-build-isolation -e ." in script
    assert "GITHUB_STEP_SUMMARY" in script and "summarise_cases.py" in script
    assert {"actions/checkout", "actions/setup-python", "actions/upload-artifact"} <= uses(workflow)
    assert step_using(workflow, "actions/checkout")["with"]["fetch-depth"] == "0"


def test_publish_workflow_deploys_to_pages() -> None:
    workflow = GITHUB / "workflows" / "publish.yml"
    data = load(workflow)
    assert data["on"]["push"]["branches"] == ["main"] and "workflow_dispatch" in data["on"]
    deploy, build = jobs(workflow)["deploy"], jobs(workflow)["build"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "write" not in build["permissions"].values()  # the build runs the cases' code paths
    assert "group" in data["concurrency"]
    assert "copro build" in runs(workflow)
    assert {
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    } <= uses(workflow)


def test_setup_python_uses_the_projects_python() -> None:
    for workflow in WORKFLOWS:
        for step in steps(workflow):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["python-version"] == "3.11", workflow.name


def test_pull_request_and_publish_workflows_cache_pip_and_intake_does_not() -> None:
    """The intake job reads strangers' text: it saves no cache that main's builds would restore."""
    for name in ("validate.yml", "publish.yml"):
        setup = step_using(GITHUB / "workflows" / name, "actions/setup-python")
        assert setup["with"]["cache"] == "pip"
    assert "cache" not in step_using(INTAKE, "actions/setup-python")["with"]
    assert "actions/cache" not in uses(INTAKE)


# ---------------------------------------------------------------- the seal key and caches
# Issue #22, finding 1: the seal key sat in the cache folder that publish.yml and validate.yml
# saved and restored (`restore-keys: charts-`), so a copy of the cache carried the key that
# re-seals planted pages. The key is now made per job under $RUNNER_TEMP (COPRO_SEAL_KEY_FILE),
# and no cache written by a job that reads strangers' input reaches the publish job.

KEY_VARIABLE = "COPRO_SEAL_KEY_FILE"
RUNNER_TEMP = "${{ runner.temp }}"
UNTRUSTED_EVENTS = {"pull_request", "pull_request_target", "issues", "issue_comment"}
CACHE_ACTIONS = ("actions/cache", "actions/cache/restore", "actions/cache/save")
UPLOAD_ACTIONS = ("actions/upload-artifact", "actions/upload-pages-artifact")
BUILDS = re.compile(r"\b(?:copro|mkdocs) (?:build|serve)\b")


def action_of(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def saved_paths(workflow: Path) -> list[str]:
    """Return every path a workflow caches or uploads."""
    found = []
    for step in steps(workflow):
        if action_of(step) in CACHE_ACTIONS + UPLOAD_ACTIONS:
            found += [p.strip() for p in step.get("with", {}).get("path", "").splitlines()]
    return [p for p in found if p]


def within(path: str, folder: str) -> bool:
    """Tell whether ``path`` is ``folder`` or lies inside it (both as written in a workflow)."""
    path, folder = (p.replace("$RUNNER_TEMP", RUNNER_TEMP).rstrip("/") for p in (path, folder))
    return path == folder or path.startswith(folder + "/")


def cache_crossings(workflows: list[Path]) -> list[str]:
    """Say how a cache written by a pull-request or issue job could be restored by publish.yml."""
    written, problems = [], []
    for workflow in workflows:
        triggers = load(workflow)["on"]
        if UNTRUSTED_EVENTS & set(triggers if isinstance(triggers, (dict, list)) else [triggers]):
            for step in steps(workflow):
                if action_of(step) in CACHE_ACTIONS:
                    written.append((workflow.name, step["with"]["key"]))
    for workflow in workflows:
        if workflow.name != "publish.yml":
            continue
        for step in steps(workflow):
            if action_of(step) not in CACHE_ACTIONS or action_of(step).endswith("/save"):
                continue
            options = step.get("with", {})
            if options.get("restore-keys", "").strip():
                problems.append(f"publish.yml restores by prefix: {options['restore-keys']!r}")
            for name, key in written:
                if key.split("${{")[0] == options["key"].split("${{")[0]:
                    problems.append(
                        f"publish.yml restores {options['key']!r}; {name} saves {key!r}"
                    )
    return problems


def test_every_build_step_makes_its_own_seal_key_under_runner_temp() -> None:
    builds = 0
    for workflow in WORKFLOWS:
        for step in steps(workflow):
            if BUILDS.search(step.get("run", "")):
                builds += 1
                key = step.get("env", {}).get(KEY_VARIABLE, "")
                assert within(key, RUNNER_TEMP) and key != RUNNER_TEMP, (workflow.name, step)
    assert builds >= 2  # publish.yml and validate.yml


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_caches_or_uploads_a_seal_key(path: Path) -> None:
    keys = {
        s["env"][KEY_VARIABLE]
        for w in WORKFLOWS
        for s in steps(w)
        if KEY_VARIABLE in s.get("env", {})
    }
    # Where the key lives without the variable: the user's state folder.
    keys |= {"~/.local/state/copro-evidence-hub/seal.key"}
    for saved in saved_paths(path):
        for key in keys:
            assert not within(key, saved), f"{path.name} saves {saved}, which holds the key {key}"
        assert not within("~/.local/state", saved), saved


def test_no_cache_from_a_pull_request_or_issue_job_reaches_the_publish_job() -> None:
    assert cache_crossings(WORKFLOWS) == []


def test_the_crossing_check_finds_the_old_chart_cache(tmp_path: Path) -> None:
    """Issue #22's workflows, with `restore-keys: charts-` in both: the check above can fail."""
    old_step = (
        "      - name: Restore the chart cache\n"
        "        uses: actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae # v5.0.5\n"
        "        with:\n"
        "          path: ~/.cache/copro-evidence-hub\n"
        "          key: charts-${{ hashFiles('schema/**', 'generator/**') }}\n"
        "          restore-keys: charts-\n\n"
    )
    copies = []
    for name in ("validate.yml", "publish.yml"):
        text = (GITHUB / "workflows" / name).read_text(encoding="utf-8")
        text = text.replace(
            "      - name: Install the generator\n",
            old_step + "      - name: Install the generator\n",
        )
        (tmp_path / name).write_text(text, encoding="utf-8")
        copies.append(tmp_path / name)
    problems = cache_crossings(copies)
    assert any("restores by prefix" in p for p in problems)
    assert any("validate.yml saves" in p for p in problems)


# ---------------------------------------------------------------- supply chain


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        assert PINNED.match(line), f"{path.name}: not pinned to a full commit SHA: {line.strip()}"


def test_each_action_has_one_pin_across_workflows() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            found = PINNED.match(line)
            if found:
                pins.setdefault(found[1], set()).add((found[2], found[3]))
    assert pins and all(len(versions) == 1 for versions in pins.values()), pins


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(path: Path) -> None:
    for step in steps(path):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") == "false", path.name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_granted_per_job(path: Path) -> None:
    data = load(path)
    assert data["permissions"] == {}, "the workflow grants nothing; each job asks for its own"
    for name, job in data["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} states no permissions"
        assert "write-all" not in str(job["permissions"]) and "read-all" not in str(
            job["permissions"]
        )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_spliced_into_a_script(path: Path) -> None:
    """Text from issues and pull requests reaches scripts through files or variables only."""
    for step in steps(path):
        assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


def zizmor() -> str | None:
    """Return the zizmor program of this Python environment, or of PATH."""
    beside = Path(sys.executable).with_name("zizmor")
    return str(beside) if beside.is_file() else shutil.which("zizmor")


def run_zizmor(folder: Path) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    """Audit a workflows folder offline, ignoring any ignore comment or configuration."""
    program = zizmor()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("zizmor is not installed; CI installs it with the test extra")
        pytest.skip("zizmor is not installed (pip install -e '.[test]'); CI runs this test")
    result = subprocess.run(
        [program, "--offline", "--no-config", "--no-ignores", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return result, json.loads(result.stdout or "[]")


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    result, findings = run_zizmor(GITHUB / "workflows")
    assert findings == [], [
        f"{f['ident']}: {f['desc']} at {f['locations'][0]['concrete']['feature'][:80]!r}"
        for f in findings
    ]
    assert result.returncode == 0, result.stderr


def test_zizmor_would_catch_an_unpinned_action_and_kept_credentials(tmp_path: Path) -> None:
    """The audit above can fail: the same run flags a workflow with the old habits."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    text = (GITHUB / "workflows" / "validate.yml").read_text(encoding="utf-8")
    text = re.sub(r"actions/checkout@[0-9a-f]{40} # \S+", "actions/checkout@v4", text)
    (folder / "validate.yml").write_text(text.replace("persist-credentials: false", ""), "utf-8")
    result, findings = run_zizmor(folder)
    assert {"unpinned-uses", "artipacked"} <= {f["ident"] for f in findings}
    assert result.returncode != 0


# ---------------------------------------------------------------- pinned, hashed installs
# Issue #22, finding 6: the workflows ran `pip install -e .` with no pinned version or hash.

LOCK = ROOT / "requirements" / "ci.txt"
LOCK_COMMAND = (
    "pip-compile --all-build-deps --allow-unsafe --generate-hashes "
    "--index-url=https://pypi.org/simple --no-emit-index-url "
    "--output-file=requirements/ci.txt --strip-extras pyproject.toml"
)
PINNED_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$")


def locked() -> dict[str, tuple[str, int]]:
    """Return each package the lock pins: its version and how many hashes it gives."""
    found: dict[str, tuple[str, int]] = {}
    name = ""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        pinned = PINNED_LINE.match(line)
        if pinned:
            name = canonical(pinned[1])
            found[name] = (pinned[2], 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
        elif line and not line.startswith(("#", " ")):
            pytest.fail(f"requirements/ci.txt: not a pinned requirement: {line!r}")
    return found


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project_requirements() -> list[str]:
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [*data["project"]["dependencies"], *data["build-system"]["requires"]]


@pytest.mark.parametrize("requirement", project_requirements())
def test_the_lock_pins_every_dependency_of_pyproject_with_hashes(requirement: str) -> None:
    from packaging.requirements import Requirement

    wanted = Requirement(requirement)
    pins = locked()
    assert canonical(wanted.name) in pins, f"requirements/ci.txt lacks {wanted.name}: relock"
    version, hashes = pins[canonical(wanted.name)]
    assert wanted.specifier.contains(version, prereleases=True), (
        f"{wanted.name}=={version} does not satisfy {requirement}: relock (CONTRIBUTING.md)"
    )
    for extra in wanted.extras:  # pagefind[bin] brings pagefind-bin
        assert canonical(f"{wanted.name}-{extra}") in pins, f"{wanted.name}[{extra}]"
    assert hashes >= 1


def test_every_locked_package_has_a_hash_and_the_lock_says_how_it_was_made() -> None:
    pins = locked()
    assert len(pins) > 20
    assert all(hashes >= 1 for _, hashes in pins.values()), pins
    text = LOCK.read_text(encoding="utf-8")
    assert f"#    {LOCK_COMMAND}\n" in text
    guide = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert LOCK_COMMAND in guide, "CONTRIBUTING.md must say how to remake requirements/ci.txt"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_install_only_pinned_hashed_packages(path: Path) -> None:
    installs = [
        line.strip()
        for step in steps(path)
        for line in step.get("run", "").splitlines()
        if re.search(r"\bpip\b.*\binstall\b", line)
    ]
    assert installs == [
        "python -m pip install --require-hashes -r requirements/ci.txt",
        "python -m pip install --no-deps --no-build-isolation -e .",
    ]
    for step in steps(path):
        if step.get("uses", "").startswith("actions/setup-python@") and "cache" in step["with"]:
            assert step["with"]["cache-dependency-path"] == "requirements/ci.txt"


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
    assert "| ` riverside-day-centre-redesign ` | ` Redesigning Riverside Day Centre" in out
    assert "| ` example ` | 3: sustained | 3.0 of 4 |" in out


def test_summary_counts_problems_and_handles_no_files() -> None:
    bad = ROOT / "tests" / "cases" / "invalid" / "bad-date-quarter.yaml"
    assert "1 problem: see the annotations" in summarise(bad)
    assert "No case study was added or changed." in summarise()


def outside_code(markdown: str) -> str:
    """Return the text GitHub would render outside code in a summary (where it autolinks)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    found = []
    for token in parser.parse(markdown):
        for child in token.children or []:
            assert child.type not in ("link_open", "image", "html_inline"), child
            if child.type == "text":
                found.append(child.content)
    return " ".join(found)


HOSTILE_TITLE = (
    "Riverside | <img src=x> [link](https://example.org) `tick` ``two`` @octocat "
    "cc @coproduction-evidence-hub/maintainers, fixes #123 and GH-7 and octo/repo#9, see "
    "https://evil.example/x www.evil.example jo@example.org "
    "commit 1234567890abcdef1234567890abcdef12345678"
)


def test_summary_text_is_inert(tmp_path: Path) -> None:
    """Issue #22: @mentions, #123, addresses and commit ids in a case were live in the summary."""
    # The text goes where a case's own text goes: the title and the status (here, invalid).
    source = ROOT / "tests" / "cases" / "valid" / "riverside-day-centre-redesign.yaml"
    case = tmp_path / "riverside-day-centre-redesign.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace(
        "title: Redesigning Riverside Day Centre with the people who use it",
        f"title: {json.dumps(HOSTILE_TITLE)}",
    )
    case.write_text(text.replace("status: example", "status: '@octocat #5'"), encoding="utf-8")
    out = summarise(case)
    row = next(line for line in out.splitlines() if "octocat" in line)
    assert "``` Riverside \\| <img src=x>" in row  # one code span, its pipe escaped for the table
    plain = outside_code(out)
    assert "Riverside" not in plain  # every word of the title is inside code
    for live in ("@", "#1", "#9", "GH-7", "http", "www.", "1234567890abcdef", "<img"):
        assert live not in plain, live
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
    assert len(cells) == 5 and cells[2] == "` @octocat #5 `"
    assert cells[3].endswith("problems: see the annotations")  # too long a title, a bad status


def test_the_inertness_check_finds_live_text() -> None:
    """The check above can fail: the old escaping left @mentions and #123 outside code."""
    old_cell = re.sub(r"([\\`*_\[\]<>|#!&~])", r"\\\1", "see @octocat and #123")
    plain = outside_code(f"| a |\n| --- |\n| {old_cell} |\n")
    assert "@octocat" in plain and "#123" in plain


# ---------------------------------------------------------------- intake


def job_script(workflow: Path, job: str) -> str:
    """Return every `run:` script of one job, joined."""
    return "\n".join(step.get("run", "") for step in jobs(workflow)[job]["steps"])


def job_uses(workflow: Path, job: str) -> set[str]:
    """Return the actions one job uses, without their versions."""
    return {s["uses"].split("@")[0] for s in jobs(workflow)[job]["steps"] if "uses" in s}


def test_submit_form_asks_for_three_promises_then_the_file() -> None:
    form = load(SUBMIT_FORM)
    last = form["body"][-1]  # copro intake reads from the file's heading to the end
    assert (last["type"], last["id"]) == ("textarea", "case-file")
    assert last["attributes"]["label"] == FILE_LABEL
    assert last["attributes"]["render"] == "yaml"
    assert last["validations"]["required"] == "true"
    boxes = {item["id"]: item for item in form["body"] if item["type"] == "checkboxes"}
    assert set(boxes) == {"personal-data", "authority", "licence"}
    for box in boxes.values():
        assert [o["required"] for o in box["attributes"]["options"]] == ["true"]
    assert form["labels"] == ["case-submission"]


def test_intake_checks_labelled_issues_when_opened_or_edited() -> None:
    assert load(INTAKE)["on"]["issues"]["types"] == ["opened", "edited"]
    check = jobs(INTAKE)["check"]
    label = load(SUBMIT_FORM)["labels"][0]
    assert f"contains(github.event.issue.labels.*.name, '{label}')" in check["if"]
    assert check["permissions"] == {"contents": "read"}
    script = job_script(INTAKE, "check")
    assert """jq -r '.issue.body // ""' "$GITHUB_EVENT_PATH" >""" in script
    assert "copro intake" in script and "--comment" in script and "--folder evaluations" in script
    assert """submitter=$(jq -r '.issue.user.login' "$GITHUB_EVENT_PATH")""" in script
    assert '--submitter "$submitter"' in script


def test_intake_reads_the_issue_text_only_from_the_event_file() -> None:
    text = INTAKE.read_text(encoding="utf-8")
    for field in ("issue.body", "issue.title", "comment.body", "head_ref"):
        assert f"github.event.{field}" not in text


def test_intake_keeps_one_comment_and_runs_nothing_from_the_issue() -> None:
    comment = jobs(INTAKE)["comment"]
    assert comment["permissions"] == {"issues": "write"}
    assert job_uses(INTAKE, "comment") == {"actions/download-artifact"}  # no checkout, no copro
    script = job_script(INTAKE, "comment")
    assert f'startswith("{MARKER}")' in script and 'user.login == "github-actions[bot]"' in script
    assert "--method PATCH" in script and "--method POST" in script
    assert '-F "body=@$RUNNER_TEMP/intake/comment.md"' in script


def test_intake_opens_a_pull_request_with_the_apps_token() -> None:
    job = jobs(INTAKE)["pull-request"]
    assert job["if"] == "needs.check.outputs.status == '0'"
    assert job["permissions"] == {"contents": "read"}
    app = step_using(INTAKE, "actions/create-github-app-token")["with"]
    assert app["client-id"] == "${{ vars.INTAKE_APP_CLIENT_ID }}"
    assert app["private-key"] == "${{ secrets.INTAKE_APP_PRIVATE_KEY }}"
    assert {k: v for k, v in app.items() if k.startswith("permission-")} == {
        "permission-contents": "write",
        "permission-pull-requests": "write",
    }
    pull = step_using(INTAKE, "peter-evans/create-pull-request")["with"]
    assert pull["token"] == "${{ steps.app-token.outputs.token }}"
    assert pull["branch"] == "intake/${{ github.event.issue.number }}"
    assert "Closes #${{ github.event.issue.number }}" in pull["body"]
    assert "@${{ github.event.issue.user.login }}" in pull["body"]
    assert pull["author"].startswith("${{ github.event.issue.user.login }} <")


def test_the_intake_app_is_documented_for_maintainers() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    workflow = INTAKE.read_text(encoding="utf-8")
    for words in ("INTAKE_APP_CLIENT_ID", "INTAKE_APP_PRIVATE_KEY", "GITHUB_TOKEN"):
        assert words in guide and words in workflow
    assert "Maintainers: the intake workflow" in guide and "case-submission" in guide


# ---------------------------------------------------------------- intake scripts, run here


def step_script(workflow: Path, job: str, step_id: str) -> str:
    """Return the `run:` script of a job's step, found by its id or name."""
    return next(
        s["run"] for s in jobs(workflow)[job]["steps"] if step_id in (s.get("id"), s.get("name"))
    )


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a step's script as GitHub's runner does (`bash -eo pipefail`)."""
    if shutil.which("jq") is None and not os.environ.get("CI"):
        pytest.skip("jq is not installed; GitHub's runners and CI have it")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


COPRO = "from generator.cli import main; main(prog_name='copro')"


def fake_program(folder: Path, name: str, script: str) -> None:
    """Put a small shell program on a PATH folder."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("### Case study file\n\n```yaml\n{example}```\n", "0"),
        ("### Case study file\n\n```yaml\n{example}title: x\n```\n", "1"),
        ("### Case study file\n\n_No response_\n", "2"),
        ('$(touch pwned) `touch pwned` "; touch pwned; echo ${{{{ github.token }}}}', "2"),
    ],
    ids=["valid", "invalid", "no-file", "shell-text"],
)
def test_intake_check_step_runs_copro_on_the_event_file(
    body: str, status: str, tmp_path: Path
) -> None:
    example = (ROOT / "tests" / "cases" / "valid" / "riverside-day-centre-redesign.yaml").read_text(
        encoding="utf-8"
    )
    project, runner_temp, bin_dir = tmp_path / "repo", tmp_path / "runner", tmp_path / "bin"
    (project / "evaluations").mkdir(parents=True)
    runner_temp.mkdir()
    # `copro` as installed by the job, from this working copy.
    fake_program(bin_dir, "copro", f'PYTHONPATH="{ROOT}" exec "{sys.executable}" -c "{COPRO}" "$@"')
    event = tmp_path / "event.json"
    issue = {"number": 7, "body": body.format(example=example), "user": {"login": "a-submitter"}}
    event.write_text(json.dumps({"issue": issue}))
    outputs = tmp_path / "outputs"
    outputs.touch()
    env = {
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_OUTPUT": str(outputs),
        "RUNNER_TEMP": str(runner_temp),
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
    }
    result = run_step(step_script(INTAKE, "check", "intake"), project, env)
    assert result.returncode == 0, result.stderr
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert written["status"] == status
    comment = (runner_temp / "intake" / "out" / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith(MARKER)
    case_files = sorted(p.name for p in (runner_temp / "intake" / "out" / "case").iterdir())
    if status == "0":
        assert written["file"] == "evaluations/riverside-day-centre-redesign.yaml"
        assert case_files == ["riverside-day-centre-redesign.yaml"]
    else:
        assert "file" not in written and case_files == []
    assert not list(tmp_path.rglob("pwned"))


@pytest.mark.parametrize(("found", "method"), [("", "POST"), ("123\n456", "PATCH")])
def test_intake_comment_step_updates_its_own_comment(
    found: str, method: str, tmp_path: Path
) -> None:
    runner_temp, bin_dir, log = tmp_path / "runner", tmp_path / "bin", tmp_path / "gh.log"
    (runner_temp / "intake").mkdir(parents=True)
    (runner_temp / "intake" / "comment.md").write_text(f"{MARKER}\nhello\n", encoding="utf-8")
    answer = tmp_path / "answer"
    answer.write_text(found, encoding="utf-8")
    fake_program(
        bin_dir,
        "gh",
        f'printf "%s\\n" "$*" >> "{log}"\ncase "$*" in *--paginate*) cat "{answer}" ;; esac',
    )
    env = {
        "GH_TOKEN": "x",
        "REPO": "owner/repo",
        "ISSUE": "7",
        "RUNNER_TEMP": str(runner_temp),
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
    }
    result = run_step(
        step_script(INTAKE, "comment", "Post or update the intake comment"), tmp_path, env
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert len(calls) == 2 and calls[0].startswith(
        "api --paginate repos/owner/repo/issues/7/comments"
    )
    body = f"-F body=@{runner_temp}/intake/comment.md"
    if method == "PATCH":
        assert calls[1] == f"api --method PATCH repos/owner/repo/issues/comments/123 {body}"
    else:
        assert calls[1] == f"api --method POST repos/owner/repo/issues/7/comments {body}"


@pytest.mark.parametrize("exists", [False, True], ids=["new", "update"])
def test_intake_places_the_checked_file_for_the_pull_request(exists: bool, tmp_path: Path) -> None:
    project, runner_temp = tmp_path / "repo", tmp_path / "runner"
    (project / "evaluations").mkdir(parents=True)
    (runner_temp / "intake" / "case").mkdir(parents=True)
    (runner_temp / "intake" / "case" / "my-case.yaml").write_text("new text\n", encoding="utf-8")
    if exists:
        (project / "evaluations" / "my-case.yaml").write_text("old text\n", encoding="utf-8")
    outputs = tmp_path / "outputs"
    outputs.touch()
    env = {
        "FILE": "evaluations/my-case.yaml",
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_OUTPUT": str(outputs),
    }
    result = run_step(step_script(INTAKE, "pull-request", "place"), project, env)
    assert result.returncode == 0, result.stderr
    assert outputs.read_text() == f"action={'Update' if exists else 'Add'}\n"
    assert (project / "evaluations" / "my-case.yaml").read_text(encoding="utf-8") == "new text\n"
