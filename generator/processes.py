"""Child processes that end when the build that started them ends, however it ends.

A build killed outright (``kill -9``, an out-of-memory kill, a cancelled CI job) runs no
cleanup, and its worker processes lived on: a chart or Vega worker holds a JavaScript engine
of about 200 MB. So each child asks the kernel to kill it when its parent dies (Linux's
``PR_SET_PDEATHSIG``), and elsewhere watches its parent from a thread. Pagefind is a program,
not Python: it starts through a small Python guard that does the same and then becomes it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 1.0
# Run by ``sys.executable -c``: die with the parent (given as argv[1]), then become argv[2:].
GUARD = (
    "import ctypes, os, signal, sys\n"
    "try:\n"
    "    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)\n"
    "except (OSError, AttributeError):\n"
    "    pass\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    os._exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def end_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` (its parent's id) ends."""
    if not _kill_on_parent_death():
        watcher = threading.Thread(target=_watch, args=(parent,), name="end-with-parent")
        watcher.daemon = True
        watcher.start()
    if os.getppid() != parent:  # the parent died before this process could ask
        os._exit(1)


def _kill_on_parent_death() -> bool:
    """Ask Linux to kill this process when its parent dies; return False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    """End this process once its parent has gone (it is then adopted by another)."""
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Return a pool of spawned worker processes that end with this process.

    Spawned, not forked: a forked child inherits vl-convert's engine without the thread that
    runs it and hangs (so the program that calls this guards its entry point).
    """
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=end_with_parent,
        initargs=(os.getpid(),),
    )


def guarded_command(command: list[str]) -> list[str]:
    """Return ``command`` (a program's full path first) so that it ends with this process.

    On Linux; elsewhere the program outlives a build killed outright.
    """
    return [sys.executable, "-c", GUARD, str(os.getpid()), *command]
