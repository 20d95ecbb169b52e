"""Shared fixtures: paths to the repository's folders and a runner for the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
VALID_EXAMPLE = CASES / "valid" / "riverside-day-centre-redesign.yaml"


@pytest.fixture
def runner() -> CliRunner:
    """Return a click runner for the copro CLI."""
    return CliRunner()


@pytest.fixture
def valid_text() -> str:
    """Return the contract's own example case as text."""
    return VALID_EXAMPLE.read_text(encoding="utf-8")
