"""The lossless patcher Refresh uses: computed values written into an existing .xlsx/.xlsm without
a round trip through openpyxl, so charts, images, comments, macros and everything else a team put
in its workbook survive byte for byte. Only the worksheet parts that get new values change (and,
when a workbook has no Issues sheet, one new worksheet with its three entries).

API::

    report = patch_workbook(path, {"Key Results": {"N5": 0.67, "P5": "on track"}},
                            dry_run=False, issues_sheet=IssuesSheet("Issues", rows))

`edits` maps a worksheet name, as the workbook spells it, to {"A1": value}. A value is None
(clear a formula's cached value; leave an empty cell empty), a bool, int, float, str, a
`datetime.date` (written as an Excel serial number, the cell's style kept; a new cell without a
style takes the workbook's first date style, so it reads as a date) or `Overwrite(value)`
for a cell sheetokr owns outright. Per cell (SPEC 2): a formula keeps its `<f>` and gets the new
cached value (`t="str"` for text, `t="b"` for booleans, no `t` for numbers); an empty or absent
cell gets the value (text as an inline string, never in sharedStrings, never as a formula, also
when it starts with = + - @); a constant a user typed is kept and listed in `report.kept` (W121),
unless the edit is an `Overwrite`. `issues_sheet` (or a function that makes it from the report
of the cell edits) replaces the rows of that sheet in full, or adds the sheet. `report.changes`
lists every cell that changes with its old and new value, also in a dry run, which writes
nothing and so also works while the workbook is open in Excel.

Raises `UnusableWorkbook` for files that are not workbooks, encrypted, damaged or zip bombs, and
`WorkbookLocked` for a workbook open in Excel or LibreOffice, read-only, or saved meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sheetokr.errors import UnusableWorkbook
from sheetokr.xlsx import issues, parts
from sheetokr.xlsx.cellpatch import patch_cells, plan_edits
from sheetokr.xlsx.package import Package, check_writable, open_package, replace_atomically
from sheetokr.xlsx.sheetxml import (
    CellChange,
    Edit,
    FormulaOnly,
    KeptConstant,
    Overwrite,
    Scalar,
    SheetXml,
    col_letters,
)

__all__ = [
    "CellChange",
    "FormulaOnly",
    "IssuesSheet",
    "KeptConstant",
    "Overwrite",
    "PatchReport",
    "patch_workbook",
]


@dataclass(frozen=True)
class IssuesSheet:
    """The rows of the Issues sheet, header row first; `name` is the sheet's name as the workbook
    spells it, or the name to give it when the workbook has none."""

    name: str
    rows: Sequence[Sequence[Scalar]]


@dataclass
class PatchReport:
    """What a patch changed (or, in a dry run, would change)."""

    path: Path
    dry_run: bool
    changes: list[CellChange] = field(default_factory=list)
    kept: list[KeptConstant] = field(default_factory=list)
    added_sheet: str | None = None
    written: bool = False

    def lines(self) -> list[str]:
        """One line per changed cell, `Key Results!N5: 0.5 -> 0.67`, for `--dry-run`."""
        return [f"{c.sheet}!{c.ref}: {_show(c.old)} -> {_show(c.new)}" for c in self.changes]


def _show(value: object) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def patch_workbook(
    path: str | Path,
    edits: Mapping[str, Mapping[str, Edit]],
    *,
    dry_run: bool = False,
    issues_sheet: IssuesSheet | Callable[[PatchReport], IssuesSheet] | None = None,
) -> PatchReport:
    """Write computed values into the workbook at `path` in place (see the module docstring)."""
    path = Path(path)
    package = open_package(path)
    if not dry_run:
        check_writable(path)
    wmap = parts.read_map(package)
    report = PatchReport(path=path, dry_run=dry_run)
    strings = _strings(package, wmap)
    replaced: dict[str, bytes] = {}
    added: dict[str, bytes] = {}
    done: dict[str, str] = {}
    dates = parts.date_style(package, wmap.workbook_part) if edits else None
    for name, cells in edits.items():
        entry, part = _worksheet(package, wmap, name)
        if part in done:
            raise ValueError(f"{name!r} and {done[part]!r} name the same sheet")
        done[part] = name
        sheet = _sheet_xml(package, part)
        text, changes, kept = patch_cells(
            sheet, entry.name, plan_edits(cells), strings, wmap.epoch, dates
        )
        report.changes += changes
        report.kept += kept
        if changes:
            replaced[part] = text.encode("utf-8")
    if callable(issues_sheet):  # made from what the cell edits found (kept constants, ...)
        issues_sheet = issues_sheet(report)
    if issues_sheet is not None:
        _issues(package, wmap, issues_sheet, strings, done, replaced, added, report)
    if dry_run or not (replaced or added):
        return report
    replace_atomically(path.resolve(), package.build(replaced, added), package.stat)
    report.written = True
    return report


def _strings(package: Package, wmap: parts.WorkbookMap) -> Callable[[int], str]:
    table: list[str] = []
    loaded = False

    def lookup(index: int) -> str:
        nonlocal loaded
        if not loaded:
            table.extend(parts.shared_strings(package, wmap.shared_strings))
            loaded = True
        if not 0 <= index < len(table):
            raise UnusableWorkbook(
                f"{package.path.name} points to shared string {index}, which does not exist; "
                "open the workbook in Excel and save it again"
            )
        return table[index]

    return lookup


def _worksheet(
    package: Package, wmap: parts.WorkbookMap, name: str
) -> tuple[parts.SheetEntry, str]:
    entry = wmap.find(name)
    if entry is None:
        known = ", ".join(s.name for s in wmap.sheets)
        raise UnusableWorkbook(
            f"{package.path.name} has no sheet named '{name}' (it has: {known}); was the "
            "workbook changed while sheetokr read it? Run the command again"
        )
    if not entry.is_worksheet or entry.part is None:
        raise UnusableWorkbook(
            f"{package.path.name}: '{entry.name}' is not a worksheet with cells (a chart sheet or "
            "a missing part); rename it or remove it"
        )
    return entry, entry.part


def _sheet_xml(package: Package, part: str) -> SheetXml:
    try:
        return SheetXml.parse(package.read_text(part), part)
    except ValueError as exc:
        raise UnusableWorkbook(
            f"{package.path.name}: the worksheet part {part} is damaged ({exc}); open the "
            "workbook in Excel and save it again"
        ) from exc


def _issues(
    package: Package,
    wmap: parts.WorkbookMap,
    spec: IssuesSheet,
    strings: Callable[[int], str],
    done: dict[str, str],
    replaced: dict[str, bytes],
    added: dict[str, bytes],
    report: PatchReport,
) -> None:
    entry = wmap.find(spec.name)
    if entry is None:
        part, entries = parts.add_worksheet(package, wmap, spec.name)
        text = issues.new_sheet(wmap.namespace, wmap.rel_namespace, spec.rows, wmap.epoch)
        replaced.update(entries)
        added[part] = text.encode("utf-8")
        report.added_sheet = spec.name
        report.changes += [
            CellChange(spec.name, f"{col_letters(c)}{r}", None, value)
            for r, row in enumerate(spec.rows, start=1)
            for c, value in enumerate(row, start=1)
            if value is not None and value != ""
        ]
        return
    entry, part = _worksheet(package, wmap, spec.name)
    if part in done:
        raise ValueError(f"{spec.name!r} is both edited cell by cell and rewritten in full")
    sheet = _sheet_xml(package, part)
    text, changes, had_formulas = issues.rewrite(sheet, entry.name, spec.rows, strings, wmap.epoch)
    report.changes += changes
    if text != sheet.text:
        replaced[part] = text.encode("utf-8")
    if had_formulas:
        _forget_formulas(package, wmap, entry.sheet_id, replaced)


def _forget_formulas(
    package: Package, wmap: parts.WorkbookMap, sheet_id: int, replaced: dict[str, bytes]
) -> None:
    """Take the rewritten sheet's cells out of calcChain.xml, which Excel checks on opening."""
    for rel in parts.relationships(package, wmap.workbook_part):
        if rel["Type"].endswith("/calcChain") and rel["part"] in package:
            text = issues.drop_calc_entries(package.read_text(rel["part"]), sheet_id)
            if text is not None:
                replaced[rel["part"]] = text.encode("utf-8")
