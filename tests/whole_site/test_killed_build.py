"""A build killed outright leaves no worker running, and the next build clears what it left.

Issue #22, finding 4: a killed `copro build` left `.site-building-*` folders (70-104 files) in
the repository, not ignored by git, and an orphaned worker of about 200 MB that lived on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT, VALID_EXAMPLE
from tests.site_project import make_project
from tests.test_processes import alive, descendants, wait_until_gone

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc (Linux)"),
]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def is_worker(pid: int) -> bool:
    """Tell whether a process is a chart or Vega worker, or Pagefind."""
    line = cmdline(pid)
    return "multiprocessing" in line or "pagefind" in line


def staging_folders(project: Path) -> list[Path]:
    return sorted(p for p in project.iterdir() if p.name.startswith(".site-building-"))


def test_a_build_killed_mid_way_leaves_no_worker_and_the_next_build_clears_up(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "project", [VALID_EXAMPLE])
    # An empty cache, so the build makes the Vega bundle in a worker, then runs Pagefind.
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    env |= {"XDG_STATE_HOME": str(tmp_path / "state")}
    command = [sys.executable, "-c", "from generator.cli import main; main()", "build"]
    build = subprocess.Popen(
        [*command, "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and build.poll() is None:
        workers = [pid for pid in descendants(build.pid) if is_worker(pid) and alive(pid)]
        if workers and staging_folders(project):
            break
        time.sleep(0.05)
    assert workers, "the build ended before a worker started"
    running = descendants(build.pid)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=10)

    assert wait_until_gone(running) == [], [cmdline(pid) for pid in running if alive(pid)]
    left = staging_folders(project)
    assert left  # what issue #22 found: the killed build's staging folder stays...
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *(p.name for p in left)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.stdout.split() == [p.name for p in left]  # ... ignored by git here ...
    result = CliRunner().invoke(
        main, ["build", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")]
    )
    assert result.exit_code == 0, result.output
    assert staging_folders(project) == []  # ... and removed by the next build
    assert (project / "site" / "index.html").is_file()
