"""Time validation of synthetic cases: copro validate, check-jsonschema and validate_files.

Prints measured numbers only; it never fails on speed. Each timing is the best of --runs.

Example:
    python benchmarks/validate.py -n 1000
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from generator.cases.validate import validate_files

try:
    from benchmarks.synthetic import write_cases
except ImportError:  # run as a script: this folder, not the repository, is on sys.path
    from synthetic import write_cases

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "evaluation.schema.json"


@dataclass(frozen=True)
class Timing:
    """The best wall time of one way of validating, and what it said."""

    name: str
    files: int
    seconds: float
    note: str = ""

    @property
    def per_second(self) -> float:
        """Return cases validated per second."""
        return self.files / self.seconds if self.seconds else float("inf")


def best_of(runs: int, action: Callable[[], str]) -> tuple[float, str]:
    """Run ``action`` ``runs`` times; return the fastest wall time and the last run's note."""
    best, note = float("inf"), ""
    for _ in range(runs):
        started = time.perf_counter()
        note = action()
        best = min(best, time.perf_counter() - started)
    return best, note


def run_command(command: list[str], ok_note: str) -> Callable[[], str]:
    """Return an action that runs a command and says whether it accepted every file."""

    def action() -> str:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return ok_note
        lines = (done.stdout + done.stderr).strip().splitlines()
        return f"exit {done.returncode}: {lines[-1] if lines else 'no output'}"

    return action


def time_copro(folder: Path, files: int, runs: int) -> Timing:
    """Time ``copro validate DIR`` as a subprocess."""
    copro = shutil.which("copro")
    if copro is None:
        return Timing("copro validate DIR", files, float("nan"), "copro not found on PATH")
    seconds, note = best_of(runs, run_command([copro, "validate", str(folder)], "no problems"))
    return Timing("copro validate DIR (subprocess)", files, seconds, note)


def time_check_jsonschema(paths: list[Path], runs: int) -> Timing:
    """Time ``check-jsonschema --schemafile ... FILES`` as a subprocess."""
    tool = shutil.which("check-jsonschema")
    if tool is None:
        return Timing("check-jsonschema", len(paths), float("nan"), "not found on PATH")
    command = [tool, "--schemafile", str(SCHEMA), *map(str, paths)]
    seconds, note = best_of(runs, run_command(command, "all files valid"))
    return Timing("check-jsonschema FILES (subprocess)", len(paths), seconds, note)


def time_in_process(paths: list[Path], runs: int) -> Timing:
    """Time ``validate_files`` in this process: what the CLI does, minus interpreter start."""

    def action() -> str:
        report = validate_files(paths)
        return "no problems" if report.ok else f"{len(report.problems)} problems"

    seconds, note = best_of(runs, action)
    return Timing("validate_files (in-process)", len(paths), seconds, note)


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def print_environment() -> None:
    """Say where and when the numbers were measured."""
    print(
        f"date:               {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}"
    )
    print(f"python:             {platform.python_implementation()} {platform.python_version()}")
    print(f"platform:           {platform.platform()}")
    print(f"cpu count:          {os.cpu_count()}")
    for package in ("copro-evidence-hub", "jsonschema", "check-jsonschema", "pyyaml"):
        print(f"{package + ':':<20}{_version(package)}")


def print_table(timings: Sequence[Timing]) -> None:
    """Print the timings as a small aligned table."""
    print(f"{'method':<38} {'files':>6} {'wall s':>8} {'cases/s':>9}  result")
    for t in timings:
        print(f"{t.name:<38} {t.files:>6} {t.seconds:>8.2f} {t.per_second:>9.1f}  {t.note}")


def main(argv: Sequence[str] | None = None) -> None:
    """Write synthetic cases to a temporary folder and time three ways of validating them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="how many cases (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--runs", type=int, default=3, help="runs per method; best is kept")
    args = parser.parse_args(argv)
    print_environment()
    with tempfile.TemporaryDirectory(prefix="copro-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        paths = write_cases(folder, args.n, args.seed)
        print(
            f"generated:          {len(paths)} cases in {time.perf_counter() - started:.2f} s "
            f"(seed {args.seed}), best of {args.runs} runs each\n"
        )
        timings = [
            time_copro(folder, len(paths), args.runs),
            time_check_jsonschema(paths, args.runs),
            time_in_process(paths, args.runs),
        ]
    print_table(timings)
    refused = [t.name for t in timings if t.note.startswith("exit")]
    if refused:
        print(f"\nNot comparable: {', '.join(refused)} reported problems in the synthetic files.")


if __name__ == "__main__":
    main()
