"""Build the site with MkDocs into a temporary folder and move it into place only when it succeeds."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import click
from mkdocs.__main__ import cli as mkdocs_cli

from generator.errors import BuildError


def run_mkdocs(arguments: list[str]) -> None:
    """Run an MkDocs command in this process; turn its failures into BuildError."""
    try:
        mkdocs_cli.main(arguments, prog_name="mkdocs", standalone_mode=False)
    except click.exceptions.Exit as done:
        if done.exit_code:
            raise BuildError(
                f"mkdocs {arguments[0]} exited with status {done.exit_code}."
            ) from None
    except click.ClickException as error:
        raise BuildError(error.format_message()) from None


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True) -> None:
    """Build into a sibling temporary folder, then swap it for ``site_dir`` in two renames."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    try:
        arguments = ["build", "--config-file", str(config_file), "--site-dir", str(staging)]
        run_mkdocs([*arguments, "--strict"] if strict else arguments)
        _swap_into_place(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_into_place(staging: Path, site_dir: Path) -> None:
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
