"""The README stays in step with the code: its two commands, every setting, every command."""

from __future__ import annotations

import re
from pathlib import Path

from sheetokr.cli import cli
from sheetokr_server.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:25])
    assert "./run demo" in first_screen and "./run tests" in first_screen
    run = (ROOT / "run").read_text(encoding="utf-8")
    assert re.search(r"^\s*demo\)", run, re.M) and re.search(r"^\s*tests\|test\)", run, re.M)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip().startswith("./")]
    assert commands == ["./run tests"]


def test_every_setting_is_documented() -> None:
    names = [s.name for s in SETTINGS]
    assert names, "no settings found"
    missing = [n for n in names if f"`{n}`" not in README]
    assert not missing, f"README does not document {missing}"


def test_every_command_appears_in_the_readme() -> None:
    missing = [name for name in cli.commands if f"sheetokr {name}" not in README]
    assert not missing, f"README never shows {missing}"
