"""Worker processes end with the build that started them, even one killed with SIGKILL.

Issue #22, finding 4: a killed build left a worker of about 200 MB running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not Path("/proc").is_dir(), reason="reads processes from /proc (Linux)"
)


def alive(pid: int) -> bool:
    """Tell whether a process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def descendants(pid: int) -> list[int]:
    """Return the processes a process started, and theirs, as /proc shows them now."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def wait_until_gone(pids: list[int], seconds: float = 15) -> list[int]:
    """Return the processes still running once they are all gone or ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [pid for pid in pids if alive(pid)]
        if not left:
            return []
        time.sleep(0.1)
    return [pid for pid in pids if alive(pid)]


def run_parent(tmp_path: Path, body: str) -> tuple[subprocess.Popen[str], list[int]]:
    """Start a Python program that starts children and prints their ids; return it and them."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, subprocess, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "if __name__ == '__main__':\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
        + "    print('ready', flush=True)\n    time.sleep(120)\n",
        encoding="utf-8",
    )
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert parent.stdout is not None
    pids = []
    for line in parent.stdout:
        if line.strip() == "ready":
            break
        pids.append(int(line))
    assert pids, "the parent printed no child"
    return parent, pids


def kill_hard(parent: subprocess.Popen[str]) -> None:
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    assert parent.stdout is not None
    parent.stdout.close()


def test_pool_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    parent, workers = run_parent(
        tmp_path,
        "from generator.processes import worker_pool\n"
        "pool = worker_pool(2)\n"
        "pids = set()\n"
        "while len(pids) < 2:  # each task keeps a worker busy, so the next goes to the other\n"
        "    futures = [pool.submit(time.sleep, 0.5) for _ in range(2)]\n"
        "    pids |= {pool.submit(os.getpid).result() for _ in range(4)}\n"
        "for pid in sorted(pids):\n"
        "    print(pid, flush=True)",
    )
    assert len(workers) == 2 and all(alive(pid) for pid in workers)
    started = descendants(parent.pid)  # the workers and multiprocessing's resource tracker
    assert set(workers) < set(started)
    kill_hard(parent)
    assert wait_until_gone(started) == []


def test_a_guarded_program_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    parent, (child,) = run_parent(
        tmp_path,
        "from generator.processes import guarded_command\n"
        "child = subprocess.Popen(guarded_command(['/bin/sleep', '300']))\n"
        "time.sleep(1)\n"
        "print(child.pid, flush=True)",
    )
    assert alive(child)
    assert Path(f"/proc/{child}/cmdline").read_bytes().startswith(b"/bin/sleep")  # became it
    kill_hard(parent)
    assert wait_until_gone([child]) == []


def test_an_unguarded_program_outlives_its_killed_parent(tmp_path: Path) -> None:
    """The check above can fail: without the guard, the child lives on, orphaned."""
    parent, (child,) = run_parent(
        tmp_path,
        "child = subprocess.Popen(['/bin/sleep', '300'])\nprint(child.pid, flush=True)",
    )
    kill_hard(parent)
    try:
        assert wait_until_gone([child], seconds=2) == [child]
    finally:
        os.kill(child, signal.SIGKILL)
