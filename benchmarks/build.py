"""Benchmark the site build against plain mkdocs-material, at several numbers of cases.

For each N it writes N synthetic, valid cases (benchmarks/synthetic.py), then measures, each in
a fresh process: our build cold (no chart cache), our build warm (second build, cache kept), and
a baseline: plain mkdocs-material building N Markdown pages of the same text, out of the nav.
It prints wall time, peak memory (RSS), total site bytes, bytes per case page and the bytes a
reader downloads for a first search (measured in chromium when it is installed), and the ratios.

    python benchmarks/build.py                 # N = 100, 1000, 3000
    python benchmarks/build.py --sizes 100 1000
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import write_cases  # noqa: E402

PROJECT_PARTS = ("mkdocs.yml", "docs", "site_theme", "schema")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Run:
    """One build's wall time and peak memory."""

    seconds: float
    build_mb: float  # the MkDocs process itself
    largest_mb: float  # the largest process of the build (the build, a chart worker or Pagefind)
    all_mb: float  # every process of the build at once


@dataclass
class Measure:
    """One build's measurements."""

    run: Run
    site_bytes: int
    page_bytes: float
    search_bytes: int | None


def run_build(project: Path, site: Path, cache: Path | None = None) -> Run:
    """Build in a fresh process; return its wall time and the peak RSS of its processes.

    ``cache`` becomes the build's user cache folder (XDG_CACHE_HOME), so a cold build starts
    from an empty one whatever earlier runs left in the user's own.
    """
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-q",
        "-f",
        str(project / "mkdocs.yml"),
        "-d",
        str(site),
    ]
    env = {**ENV, "XDG_CACHE_HOME": str(cache)} if cache else ENV
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = _TreePeak(process.pid)
    peak.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    peak.stop()
    if process.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{stderr.decode()[-3000:]}")
    mb = 1024 * 1024
    return Run(seconds, peak.root / mb, peak.largest / mb, peak.peak / mb)


def repeated(times: int, build: Callable[[], Run]) -> Run:
    """Run a build ``times`` times and return the run with the median wall time."""
    runs = sorted((build() for _ in range(times)), key=lambda run: run.seconds)
    return runs[len(runs) // 2]


class _TreePeak(threading.Thread):
    """Sample the summed RSS of a process and all its descendants (chart workers, Pagefind)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self._done = pid, threading.Event()
        self.root = self.largest = self.peak = 0

    def run(self) -> None:
        while not self._done.wait(0.05):
            sizes = [_rss(pid) for pid in _tree(self.pid)]
            self.root = max(self.root, sizes[0])
            self.largest = max(self.largest, *sizes)
            self.peak = max(self.peak, sum(sizes))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        queue.extend(int(child) for child in children)
    return found


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def site_bytes(site: Path) -> int:
    """Return the total size of a built site."""
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def mean_page_bytes(site: Path, folder: str, ids: list[str]) -> float:
    """Return the mean size of the case pages."""
    sizes = [(site / folder / case_id / "index.html").stat().st_size for case_id in ids]
    return sum(sizes) / len(sizes)


def first_search_bytes(site: Path, page: str, query: str) -> int | None:
    """Load a page in chromium, search, and add up what the search downloaded."""
    chromium = shutil.which("chromium")
    if not chromium:
        return None
    from playwright.sync_api import sync_playwright

    handler = partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: dict[str, int] = {}
    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=args)
            tab = browser.new_page()
            tab.on(
                "requestfinished", lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"])
            )
            tab.goto(base + page)
            tab.keyboard.press("/")
            tab.keyboard.type(query, delay=30)
            tab.wait_for_selector(".md-search-result__item", timeout=60000)
            tab.wait_for_timeout(1000)
            browser.close()
    finally:
        server.shutdown()
    searchy = ("/search/", "/pagefind/", "search-worker", "workers/search")
    return sum(size for url, size in sizes.items() if any(s in url for s in searchy))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def make_ours(folder: Path, n: int) -> list[str]:
    """Write our project with N synthetic cases; return the case ids."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / part)
    paths = write_cases(folder / "evaluations", n)
    return [p.stem for p in paths]


def make_baseline(folder: Path, cases: Path) -> None:
    """Write plain mkdocs-material with one Markdown page per case, the same text, out of the nav."""
    docs = folder / "docs"
    (docs / "cases").mkdir(parents=True)
    (docs / "index.md").write_text("# Baseline\n\nPlain mkdocs-material.\n")
    for path in sorted(cases.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts = list(_strings(case))
        (docs / "cases" / f"{path.stem}.md").write_text(
            f"# {case['title']}\n\n" + "\n\n".join(texts) + "\n"
        )
    (folder / "mkdocs.yml").write_text(
        "site_name: Baseline\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "nav:\n  - Home: index.md\nnot_in_nav: |\n  /cases/*\n"
    )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def bench(n: int, work: Path, times: int = 1) -> tuple[Measure, Measure, Measure]:
    """Measure our cold and warm builds and the baseline for N cases (warm and baseline: median of ``times``)."""
    ours = work / f"ours-{n}"
    ours.mkdir()
    ids = make_ours(ours, n)
    query = _query(ours / "evaluations" / f"{ids[0]}.yaml")
    cache = work / f"cache-{n}"
    cold = run_build(ours, ours / "site", cache)
    warm = repeated(times, lambda: run_build(ours, ours / "site", cache))
    size, page = site_bytes(ours / "site"), mean_page_bytes(ours / "site", "evaluations", ids)
    search = first_search_bytes(ours / "site", f"evaluations/{ids[0]}/", query)
    baseline = work / f"baseline-{n}"
    baseline.mkdir()
    make_baseline(baseline, ours / "evaluations")
    base = repeated(times, lambda: run_build(baseline, baseline / "site"))
    base_site = baseline / "site"
    return (
        Measure(cold, size, page, search),
        Measure(warm, size, page, search),
        Measure(
            base,
            site_bytes(base_site),
            mean_page_bytes(base_site, "cases", ids),
            first_search_bytes(base_site, f"cases/{ids[0]}/", query),
        ),
    )


def _query(path: Path) -> str:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    return str(case["organisation"]["name"]).split()[0]


def _fmt_bytes(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value / 1024 / 1024:.1f} MB" if value >= 1024 * 1024 else f"{value / 1024:.0f} KB"


def report(results: dict[int, tuple[Measure, Measure, Measure]]) -> str:
    """Format the measurements as a Markdown table."""
    lines = [
        "| N | build | wall s | time vs baseline | peak RSS MB: build process | largest process | all at once "
        "| site | per case page | first search |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, (cold, warm, base) in results.items():
        for name, m in (("ours, cold", cold), ("ours, warm", warm), ("baseline", base)):
            r = m.run
            lines.append(
                f"| {n} | {name} | {r.seconds:.1f} | {r.seconds / base.run.seconds:.2f}x | {r.build_mb:.0f} | "
                f"{r.largest_mb:.0f} | {r.all_mb:.0f} | {_fmt_bytes(m.site_bytes)} | {_fmt_bytes(m.page_bytes)} | "
                f"{_fmt_bytes(m.search_bytes)} |"
            )
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--keep", type=Path, help="keep the built projects in this folder")
    parser.add_argument(
        "--repeat", type=int, default=1, help="warm and baseline builds: median of this many"
    )
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="copro-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = {}
    started = time.perf_counter()
    for n in options.sizes:
        results[n] = bench(n, work, options.repeat)
        print(f"N={n} done after {time.perf_counter() - started:.0f} s", flush=True)
    print(report(results))
    if len(results) > 1:
        first, last = min(results), max(results)
        growth = results[last][0].page_bytes / results[first][0].page_bytes - 1
        print(f"bytes per case page, N={first} to N={last}: {growth:+.1%} (target: within 10%)")
    if 1000 in results:
        cold, warm, base = results[1000]
        print(
            f"N=1000: warm {warm.run.seconds / base.run.seconds:.2f}x baseline (target <= 1.3x), "
            f"cold {cold.run.seconds / base.run.seconds:.2f}x (target <= 2.5x)"
        )
    top = max(results)
    cold, warm, _ = results[top]
    print(
        f"N={top}: peak RSS {max(cold.run.build_mb, warm.run.build_mb):.0f} MB build process, "
        f"{max(cold.run.largest_mb, warm.run.largest_mb):.0f} MB largest process, "
        f"{max(cold.run.all_mb, warm.run.all_mb):.0f} MB all at once (target <= 1 GB at 3000); "
        f"first search {_fmt_bytes(warm.search_bytes)} (target <= 300 KB at 3000)"
    )
    print(
        f"total benchmark time: {time.perf_counter() - started:.0f} s; own peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    if not options.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
