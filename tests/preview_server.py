"""Run ``copro serve`` on a small project at a free loopback port, and always stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT
from tests.site_project import make_project

HOST = "127.0.0.1"
START_SECONDS = 180  # the first build of a one-case site takes a few seconds; CI can be slow
REQUEST_SECONDS = 30  # a request waits for a rebuild under way, never longer than this
STOP_SECONDS = 20
CANNOT_BUILD = "The preview cannot be built yet"


class NoAnswer(AssertionError):
    """The preview did not answer a request in time: the hang this feature removes."""


@dataclass
class Preview:
    """A running ``copro serve``: its project, its address and its log."""

    project: Path
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, timeout: float = REQUEST_SECONDS) -> tuple[int, str]:
        """Request a path; return the status and the body, or raise NoAnswer after ``timeout``."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except urllib.error.URLError as error:
            if not isinstance(error.reason, TimeoutError):
                raise
            raise NoAnswer(f"no answer to {path} within {timeout} s\n{self.log_tail()}") from error
        except TimeoutError as error:
            raise NoAnswer(f"no answer to {path} within {timeout} s\n{self.log_tail()}") from error

    def wait_for(self, path: str, text: str, seconds: float = 90) -> str:
        """Request ``path`` until its body holds ``text``; return that body."""
        deadline = time.monotonic() + seconds
        body = ""
        while time.monotonic() < deadline:
            self.check_running()
            _, body = self.get(path)
            if text in body:
                return body
            time.sleep(0.25)
        raise AssertionError(f"{path} never showed {text!r}\n{body[:2000]}\n{self.log_tail()}")

    def check_running(self) -> None:
        """Fail with the server's log when it has stopped."""
        if self.process.poll() is not None:
            raise AssertionError(
                f"copro serve stopped ({self.process.returncode})\n{self.log_tail()}"
            )

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the server's log."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """Return a loopback port that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_preview(folder: Path, cases: list[Path]) -> Iterator[Preview]:
    """Start ``copro serve`` on a copy of the site with ``cases``; stop it however the test ends."""
    project = make_project(folder / "project", cases)
    port = free_port()
    log = folder / "serve.log"
    command = [
        sys.executable,
        "-c",
        "from generator.cli import main; main(prog_name='copro')",
        "serve",
        "--config-file",
        str(project / "mkdocs.yml"),
        "--dev-addr",
        f"{HOST}:{port}",
    ]
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=project,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": path},
        )
    preview = Preview(project, f"http://{HOST}:{port}", process, log)
    try:
        _wait_until_up(preview)
        yield preview
    finally:
        _stop(process)


def _wait_until_up(preview: Preview) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        preview.check_running()
        try:
            if preview.get("/", timeout=5)[0] == 200:
                return
        except (NoAnswer, urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.25)
    raise AssertionError(
        f"copro serve did not start within {START_SECONDS} s\n{preview.log_tail()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop as Ctrl+C does, so MkDocs removes its temporary site; kill it if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
