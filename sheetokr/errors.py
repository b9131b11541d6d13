"""The one error tree of sheetokr. Only the CLI turns these into exit codes, only the server into
HTTP answers.

    SheetokrError                 anything sheetokr refuses to do, with a sentence to act on
    ├── UnusableWorkbook          a file that cannot be read as a team workbook at all (exit 2)
    ├── WorkbookLocked            a workbook open in Excel (its ~$ lock file) or read-only
    ├── OrganisationError         a set of team workbooks that cannot be consolidated
    └── ConfigError               a setting that cannot be used

Problems *inside* a readable workbook are not exceptions: they are collected as `Issue`s
(core.model) so a bad key result never stops the others from being scored.
"""

from __future__ import annotations


class SheetokrError(Exception):
    """Base of every error sheetokr raises on purpose; str() is the sentence to show."""


class UnusableWorkbook(SheetokrError):
    """The file is missing, empty, not a workbook, encrypted, or has no Key Results sheet."""


class WorkbookLocked(SheetokrError):
    """The workbook is open in Excel or read-only, so it must not be written."""


class OrganisationError(SheetokrError):
    """Team workbooks that cannot be consolidated into one organisation."""


class ConfigError(SheetokrError):
    """A setting or command-line value that cannot be used."""
