"""Documentation that fails the tests when it falls behind the code (after datasette's)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cases.reporters import problem_line
from generator.cases.validate import validate_files
from generator.cli import main
from generator.plugin import CaseStudiesConfig
from generator.schema import codes_of, load_schema
from generator.site.builder_form import BUILDER_URI
from tests.conftest import ROOT, VALID_EXAMPLE

README = ROOT / "README.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
CONTRIBUTE_PAGE = ROOT / "docs" / "contribute.md"
COMMANDS = sorted(main.commands)
PLUGIN_OPTIONS = [name for name, _option in CaseStudiesConfig._schema]


def text_of(path: Path) -> str:
    """Return a documentation file's text."""
    return path.read_text(encoding="utf-8")


def mentions_command(text: str, command: str) -> bool:
    """Return True when the text shows the command as it is typed."""
    return re.search(rf"\bcopro {re.escape(command)}\b", text) is not None


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_the_readme(command: str) -> None:
    assert mentions_command(text_of(README), command), f"README.md does not mention copro {command}"


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_the_contributor_guides(command: str) -> None:
    guides = text_of(CONTRIBUTING) + text_of(CONTRIBUTE_PAGE)
    assert mentions_command(guides, command), f"no contributor guide mentions copro {command}"


def readme_commands() -> str:
    """Return the README's list of commands, the block under its "Commands" heading."""
    section = text_of(README).split("\n## Commands\n", 1)[1]
    return section.split("```text\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_is_in_the_readmes_command_list(command: str) -> None:
    line = next(
        (line for line in readme_commands().splitlines() if line.startswith(f"copro {command} ")),
        None,
    )
    assert line is not None, f"README.md's command list has no line for copro {command}"
    for param in main.commands[command].params:
        for name in [*param.opts, *param.secondary_opts]:
            if name.startswith("--") and name != "--help":
                assert name in line, f"README.md's copro {command} line lacks {name}"


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


@pytest.mark.parametrize("option", PLUGIN_OPTIONS)
def test_plugin_option_is_in_the_readme(option: str) -> None:
    assert re.search(rf"\b{re.escape(option)}\b", text_of(README)), (
        f"README.md does not document the plugin option {option}"
    )


def test_licences_on_the_contribute_page_are_the_schema_licences() -> None:
    page = text_of(CONTRIBUTE_PAGE)
    written = set(re.findall(r"^\| `([^`]+)` \|", page, re.MULTILINE))
    licence = load_schema()["properties"]["licence"]
    assert written == {code.code for code in codes_of(licence)}


def test_contribute_page_links_to_pages_that_exist() -> None:
    docs = ROOT / "docs"
    generated = {"evaluations/index.md", "topics/index.md", "data/index.md", BUILDER_URI}
    for target in re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", text_of(CONTRIBUTE_PAGE)):
        assert target in generated or (docs / target).is_file(), target


def test_contributing_links_to_files_that_exist() -> None:
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text_of(CONTRIBUTING)):
        assert (ROOT / target).exists(), target


def shown_problem(text: str) -> str:
    """Return a problem as the docs show it, without file, line and column, on one line."""
    one_line = " ".join(text.split())
    return re.sub(r"^\S+:\d+:\d+: ", "", one_line)


def problems_shown_in(path: Path) -> list[str]:
    """Return every problem quoted in a guide's text blocks."""
    quoted = re.findall(
        r"^ *(evaluations/my-id\.yaml:\d+:\d+: .*?)(?=\n *\n|\n *evaluations/|\n *```|\n *1 file)",
        text_of(path),
        re.MULTILINE | re.DOTALL,
    )
    return [shown_problem(q) for q in quoted]


def real_problems(tmp_path: Path) -> list[str]:
    """Return what copro validate says about the mistakes the guides use as examples."""
    text = text_of(VALID_EXAMPLE)
    baseline = "baseline: {value: 58, date: 2022-11, n: 64}"
    mistakes = text.replace(baseline, "baseline: {value: 58%, date: March 2022, n: 64}").replace(
        "evidence: Observation notes show staff and members chairing meetings in turn.",
        "evidence: Call the centre on 0161 496 0123 for the notes.",
    )
    case = tmp_path / "my-id.yaml"
    case.write_text(mistakes.replace("riverside-day-centre-redesign", "my-id"), encoding="utf-8")
    return [shown_problem(problem_line(p)) for p in validate_files([case]).problems]


@pytest.mark.parametrize("guide", [CONTRIBUTE_PAGE, CONTRIBUTING], ids=lambda p: p.name)
def test_problems_in_the_guides_are_what_validate_says(guide: Path, tmp_path: Path) -> None:
    shown = problems_shown_in(guide)
    assert shown, f"{guide.name} shows no example problem"
    real = real_problems(tmp_path)
    for problem in shown:
        assert problem in real, (
            f"{guide.name} shows a message copro validate no longer gives:\n{problem}"
        )
