"""The ``copro`` command: validate, create, build and preview case studies."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.reporters import REPORTER_BY_NAME
from generator.validate import PathsError, collect_case_files, validate_files


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="copro-evidence-hub", prog_name="copro")
def main() -> None:
    """Validate, create, build and preview co-production case studies."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTER_BY_NAME)),
    default="text",
    show_default=True,
    help="text for people, json for programs, github for pull-request annotations.",
)
def validate(paths: tuple[Path, ...], output_format: str) -> None:
    """Check case files (default: evaluations/) and report every problem.

    Exit status: 0 when every file is valid, 1 when problems were found, 2 on a usage error.

    \b
    Example:
        copro validate
        copro validate evaluations/riverside-day-centre-redesign.yaml
        copro validate --format github
    """
    try:
        files = collect_case_files(paths or (Path("evaluations"),))
    except PathsError as error:
        raise click.UsageError(str(error)) from None
    if not files:
        raise click.UsageError(
            f"No case files (*.yaml) found in {', '.join(map(str, paths or ('evaluations',)))}."
        )
    report = validate_files(files)
    click.echo(REPORTER_BY_NAME[output_format](report))
    if not report.ok:
        sys.exit(1)
