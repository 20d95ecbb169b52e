"""The validation cache: unchanged valid files are not checked again; any change misses it."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.cases.validate as validate_module
from generator.cache.cases import ValidationCache
from generator.cases.validate import validate_files
from tests.conftest import CASES

GOOD = CASES / "valid" / "riverside-day-centre-redesign.yaml"


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases" / GOOD.name
    path.parent.mkdir()
    path.write_bytes(GOOD.read_bytes())
    return path


def test_second_run_uses_the_cache(
    case_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ValidationCache(tmp_path / "cache")
    first = validate_files([case_file], cache=cache)
    assert first.ok
    monkeypatch.setattr(validate_module, "load_case_file", lambda *a: pytest.fail("loaded again"))
    second = validate_files([case_file], cache=cache)
    assert second.ok and second.cases[0].data == first.cases[0].data


def test_a_changed_file_is_checked_again(case_file: Path, tmp_path: Path) -> None:
    cache = ValidationCache(tmp_path / "cache")
    assert validate_files([case_file], cache=cache).ok
    case_file.write_text(case_file.read_text().replace("date: 2022-12}", "date: 2022-Q4}"))
    report = validate_files([case_file], cache=cache)
    assert [p.path for p in report.problems] == ["outcomes[1].baseline.date"]


def test_invalid_files_are_not_cached(tmp_path: Path) -> None:
    bad = CASES / "invalid" / "bad-date-quarter.yaml"
    cache = ValidationCache(tmp_path / "cache")
    validate_files([bad], cache=cache)
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_duplicate_ids_are_found_from_the_cache(case_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / case_file.name
    other.parent.mkdir()
    other.write_bytes(case_file.read_bytes())
    cache = ValidationCache(tmp_path / "cache")
    validate_files([case_file], cache=cache)
    report = validate_files([case_file, other], cache=cache)
    assert report.problems[0].message.startswith(
        "The id `riverside-day-centre-redesign` is already used"
    )
    assert report.problems[0].line == 3


def test_figures_cache_returns_equal_figures_without_deriving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.cache.figures as casecache_module
    from generator.cache.figures import FiguresCache
    from generator.figures.derive import derive_case
    from tests.conftest import ROOT

    cache = FiguresCache(tmp_path / "figures")
    cases = [
        validate_files([p]).cases[0].data for p in sorted((ROOT / "evaluations").glob("*.yaml"))
    ]
    first = [cache.figures(data) for data in cases]
    assert first == [derive_case(data) for data in cases]
    monkeypatch.setattr(casecache_module, "derive_case", lambda data: pytest.fail("derived again"))
    assert [cache.figures(data) for data in cases] == first


def test_figures_cache_misses_on_a_changed_case_and_ignores_planted_entries(
    tmp_path: Path,
) -> None:
    from generator.cache.figures import FiguresCache

    cache = FiguresCache(tmp_path / "figures")
    data = validate_files([GOOD]).cases[0].data
    cache.figures(data)
    for entry in (tmp_path / "figures").glob("*.json"):
        entry.write_text('{"evidence": {}}')  # planted: no seal
    changed = {
        **data,
        "outcomes": [dict(data["outcomes"][0], baseline={"value": 40, "date": "2022-11", "n": 64})],
    }
    assert cache.figures(changed).outcomes[0].change.baseline == 40.0
    assert cache.figures(data).outcomes[0].change.baseline == 58.0


def test_a_warm_run_loads_neither_statsmodels_nor_scipy(tmp_path: Path) -> None:
    """Figures and the compare page's counts come from the cache once they have been computed."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import sys; from pathlib import Path\n"
        "from generator.cache.figures import remembered_counts\n"
        "from generator.cache.catalogue import build_catalogue\n"
        "from generator.charts.compare_plans import compare_plans\n"
        f"cache = Path({str(tmp_path)!r})\n"
        f"catalogue = build_catalogue(Path({str(ROOT / 'evaluations')!r}), cache)\n"
        "with remembered_counts(cache / 'figures'):\n"
        "    plans = compare_plans(list(catalogue.cases))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'statsmodels', 'scipy'}))\n"
        "print(repr([p.rows for p in plans]))\n"
    )

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
        )
        return done.stdout.splitlines()

    cold, warm = run(), run()
    assert cold[0] == "['scipy', 'statsmodels']"
    assert warm[0] == "[]"
    assert warm[1] == cold[1]  # the same tables either way
