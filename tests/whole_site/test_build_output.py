"""What `copro build` prints: a clean build raises no false alarm, a broken link still does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.site_project import make_project

pytestmark = pytest.mark.slow
FEW_CASES = sorted((ROOT / "evaluations").glob("*.yaml"))[:2]


def copro_build(project: Path, cache: Path) -> str:
    """Run ``copro build`` in the project as a person would; return what it printed."""
    copro = [sys.executable, "-c", "from generator.cli import main; main()"]
    command = [*copro, "build", "--site-dir", str(project / "site")]
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        command, cwd=project, env=environment, capture_output=True, text=True, timeout=600
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def test_a_clean_build_reports_no_missing_anchor(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FEW_CASES)
    output = copro_build(project, tmp_path / "cache")
    assert "no such anchor" not in output
    assert "WARNING" not in output
    # The anchor is there: the field reference, put into the page by the plugin.
    page = (project / "site" / "contribute" / "index.html").read_text(encoding="utf-8")
    assert 'id="field-reference"' in page


def test_a_link_to_a_missing_anchor_is_still_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FEW_CASES)
    contribute = project / "docs" / "contribute.md"
    text = contribute.read_text(encoding="utf-8")
    contribute.write_text(text + "\nSee [nowhere](#no-such-section).\n", encoding="utf-8")
    output = copro_build(project, tmp_path / "cache")
    lines = [line for line in output.splitlines() if "no such anchor" in line]
    assert len(lines) == 1 and "#no-such-section" in lines[0], output
