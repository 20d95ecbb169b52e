"""The ``copro`` command: validate, create, build and preview case studies."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from generator.cases.reporters import REPORTER_BY_NAME, text_report
from generator.cases.validate import PathsError, collect_case_files, validate_files
from generator.contribute.followup_report import FOLLOW_UP_REPORTER_BY_NAME, follow_up_report
from generator.contribute.intake import is_github_login, read_body, take_issue
from generator.contribute.newcase import ask_key_facts, case_template, id_problem, write_case
from generator.errors import CoproError
from generator.figures.followups import reference_date
from generator.site.staging import build_site, run_mkdocs


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="copro-evidence-hub", prog_name="copro")
def main() -> None:
    """Validate, create, build and preview co-production case studies."""


def case_files(paths: tuple[Path, ...]) -> list[Path]:
    """Return the case files in the given files or folders (default evaluations/), or a usage error."""
    try:
        files = collect_case_files(paths or (Path("evaluations"),))
    except PathsError as error:
        raise click.UsageError(str(error)) from None
    if not files:
        raise click.UsageError(
            f"No case files (*.yaml) found in {', '.join(map(str, paths or ('evaluations',)))}."
        )
    return files


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
    files = case_files(paths)
    report = validate_files(files)
    click.echo(REPORTER_BY_NAME[output_format](report))
    if not report.ok:
        sys.exit(1)


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date. Write YYYY-MM-DD, e.g. 2026-11-29.", ctx, param
        ) from None


@main.command("follow-ups")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    callback=_check_date,
    help="The date to judge on. Default: the newest submitted or updated date of the cases.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(FOLLOW_UP_REPORTER_BY_NAME)),
    default="text",
    show_default=True,
    help="text for people, json for programs (the reminder workflow), github for annotations.",
)
def follow_ups(paths: tuple[Path, ...], today: str | None, output_format: str) -> None:
    """List the cases due a follow-up (default: evaluations/).

    A case is due when its co-production ended 12 or more months ago, it has an outcome with
    numbers, and no result was taken 12 or more months after the end. Files with problems are
    reported on standard error and left out.

    Exit status: 0 whether or not any case is due, 1 when a file has problems, 2 on a usage error.

    \b
    Example:
        copro follow-ups
        copro follow-ups --today 2026-11-29
        copro follow-ups evaluations/riverside-day-centre-redesign.yaml --format json
    """
    files = case_files(paths)
    checked = validate_files(files)
    cases = [case.data for case in checked.cases if case.ok]
    when = today or reference_date(cases)
    if when is None:
        raise click.UsageError("No valid case to take a date from; give one with --today.")
    click.echo(FOLLOW_UP_REPORTER_BY_NAME[output_format](follow_up_report(cases, when)))
    if not checked.ok:
        click.echo(
            "These files have problems and were left out; fix them (copro validate):\n"
            + text_report(checked),
            err=True,
        )
        sys.exit(1)


CONFIG_FILE_OPTION = click.option(
    "--config-file",
    "-f",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default="mkdocs.yml",
    show_default=True,
    help="The MkDocs configuration.",
)


@main.command()
@CONFIG_FILE_OPTION
@click.option(
    "--site-dir",
    "-d",
    type=click.Path(path_type=Path, file_okay=False),
    default="site",
    show_default=True,
    help="Where to write the site.",
)
@click.option("--strict/--no-strict", default=True, show_default=True, help="Fail on any warning.")
def build(config_file: Path, site_dir: Path, strict: bool) -> None:
    """Validate every case and build the site; the old site stays until the new one is complete.

    \b
    Example:
        copro build
        copro build --site-dir public
    """
    build_site(config_file, site_dir, strict=strict)
    click.echo(f"Site built in {site_dir}/")


@main.command()
@CONFIG_FILE_OPTION
@click.option(
    "--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="Address to serve on."
)
def serve(config_file: Path, dev_addr: str) -> None:
    """Preview the site, rebuilding when a case file, page or the schema changes.

    \b
    Example:
        copro serve
        copro serve --dev-addr 127.0.0.1:8080
    """
    run_mkdocs(["serve", "--config-file", str(config_file), "--dev-addr", dev_addr])


def _check_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    problem = id_problem(value)
    if problem:
        raise click.BadParameter(problem, ctx, param)
    return value


@main.command()
@click.argument("case_id", metavar="ID", callback=_check_id)
@click.option(
    "--folder",
    type=click.Path(path_type=Path, file_okay=False),
    default="evaluations",
    show_default=True,
    help="Where to write the case file.",
)
@click.option(
    "--interactive",
    "-i",
    is_flag=True,
    help="Ask for the title, organisation, service, area, kind and country, and fill them in.",
)
def new(case_id: str, folder: Path, interactive: bool) -> None:
    """Start a case study: write ID.yaml with every field explained, ready to fill in.

    ID names the case: lowercase letters, digits and single hyphens, at most 80 characters.
    The file never overwrites another; every TODO and empty field in it fails
    `copro validate` until you fill it in.

    \b
    Example:
        copro new riverside-day-centre-redesign
        copro new riverside-day-centre-redesign --interactive
    """
    target = folder / f"{case_id}.yaml"
    if target.exists():
        raise click.ClickException(
            f"{target} already exists; copro new never overwrites a case study. "
            "Edit that file, or choose another id."
        )
    facts = ask_key_facts() if interactive else {}
    today = datetime.date.today().isoformat()
    text = case_template(case_id, today, facts, folder=folder.as_posix())
    try:
        written = write_case(folder, case_id, text)
    except FileExistsError:
        raise click.ClickException(f"{target} already exists; nothing was written.") from None
    click.echo(
        f"Created {written}.\n"
        "Next:\n"
        f"  1. Open {written} in your editor.\n"
        "     Replace every TODO and fill in every empty field; the comment above each field\n"
        '     says what to write. Delete the fields marked "optional: delete if not needed"\n'
        "     that you do not use.\n"
        f"  2. Check it: copro validate {written}\n"
        "  3. Preview it: copro serve\n"
        f"     then open http://127.0.0.1:8000/evaluations/{case_id}/"
    )


def _check_login(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None or is_github_login(value):
        return value
    raise click.BadParameter(f"{value!r} is not a GitHub login.", ctx, param)


@main.command()
@click.argument("body_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--folder",
    type=click.Path(path_type=Path, file_okay=False),
    default="evaluations",
    show_default=True,
    help="Where case files live; a valid file is written here as ID.yaml.",
)
@click.option(
    "--comment",
    "comment_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the issue comment (Markdown) to this file instead of printing it; "
    "a valid file's path is printed instead.",
)
@click.option(
    "--submitter",
    metavar="LOGIN",
    callback=_check_login,
    help="The issue author's GitHub login: the comment notes an update to a case whose "
    "authors' github names do not include it.",
)
def intake(body_file: Path, folder: Path, comment_file: Path | None, submitter: str | None) -> None:
    """Check a case study pasted into the "Submit a case study" issue form, and write it if valid.

    BODY_FILE holds the issue's text. The file is found under the form's "Case study file"
    heading (or in a ```yaml block), checked as FOLDER/ID.yaml with the id it gives, and
    written only when it has no problem; an id that already exists is an update. The comment
    for the issue says what happens next, or lists every problem with its line in the pasted
    file.

    Exit status: 0 when the file is valid and written, 1 when it has problems (nothing is
    written), 2 when the issue holds no case file (or on a usage error).

    \b
    Example:
        copro intake issue.md
        copro intake issue.md --folder evaluations --comment comment.md --submitter a-evaluator
    """
    try:
        body = read_body(body_file)
    except OSError as error:
        raise click.UsageError(f"Cannot read {body_file}: {error.strerror}.") from None
    try:
        result = take_issue(body, folder, submitter=submitter)
    except OSError as error:
        raise CoproError(f"Cannot write in {folder}: {error.strerror}.") from None
    if comment_file is None:
        click.echo(result.comment, nl=False)
    else:
        try:
            comment_file.write_text(result.comment, encoding="utf-8")
        except OSError as error:
            raise CoproError(f"Cannot write {comment_file}: {error.strerror}.") from None
        if result.written is not None:
            click.echo(result.written.as_posix())
    sys.exit(result.verdict)
