"""The copro CLI: exit codes 0/1/2 and the three report formats."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cases.reporters import escape_data, escape_property
from generator.cli import main
from tests.conftest import CASES, ROOT

BAD = CASES / "invalid" / "two-problems-in-one-file.yaml"
GOOD = CASES / "valid" / "riverside-day-centre-redesign.yaml"


def test_valid_file_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(GOOD)])
    assert result.exit_code == 0, result.output
    assert "1 file checked, no problems." in result.output


def test_repository_cases_are_valid(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(ROOT / "evaluations")])
    assert result.exit_code == 0, result.output


def test_problems_exit_1_with_located_text(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(BAD), str(GOOD)])
    assert result.exit_code == 1
    assert "two-problems-in-one-file.yaml:11:10: licence:" in result.output
    assert result.output.strip().endswith("2 files checked, 2 problems in 1 file.")
    assert "Traceback" not in result.output


def test_missing_path_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_empty_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2


def test_json_format(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--format", "json", str(BAD)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    assert [(p["line"], p["column"], p["path"]) for p in report["problems"]] == [
        (11, 10, "licence"),
        (18, 9, "organisation.type"),
    ]


def test_github_format_has_annotations_and_text(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--format", "github", str(BAD)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("::error file=")
    assert ",line=11,col=10,title=licence::" in lines[0]
    assert any(line.endswith("2 problems in 1 file.") for line in lines)


def test_github_escaping() -> None:
    assert escape_data("100% sure\nnext\r") == "100%25 sure%0Anext%0D"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_broken_files_never_give_a_traceback(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(CASES / "invalid")])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_validate_never_loads_statsmodels_or_scipy() -> None:
    """Validation is a contributor's quick check: the statistics libraries load only to derive."""
    import subprocess
    import sys

    script = (
        "import sys; from generator.cli import main\n"
        "try:\n"
        f"    main(['validate', {str(ROOT / 'evaluations')!r}])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'statsmodels', 'scipy'})\n"
        "print('loaded:', loaded)\n"
        "from generator.figures.derive import derive_change\n"
        "derive_change({'unit': 'count', 'better': 'lower', 'baseline': {'value': 4, 'date': '2022'},"
        " 'results': [{'value': 2, 'date': '2023'}]})\n"
        "print('after deriving:', 'scipy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "loaded: []" in result.stdout, result.stdout + result.stderr
    assert "after deriving: True" in result.stdout
