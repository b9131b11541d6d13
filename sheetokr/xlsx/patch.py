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
unless the edit is an `Overwrite`. `issues_sheet` replaces the rows of that sheet in full, or adds
the sheet. `report.changes` lists every cell that changes with its old and new value, also in a
dry run, which writes nothing and so also works while the workbook is open in Excel.

Raises `UnusableWorkbook` for files that are not workbooks, encrypted, damaged or zip bombs, and
`WorkbookLocked` for a workbook open in Excel or LibreOffice, read-only, or saved meanwhile.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sheetokr.errors import UnusableWorkbook
from sheetokr.xlsx import issues, parts
from sheetokr.xlsx.package import Package, check_writable, open_package, replace_atomically
from sheetokr.xlsx.sheetxml import (
    CellChange,
    CellXml,
    Edit,
    EditPlan,
    FormulaOnly,
    KeptConstant,
    Overwrite,
    Scalar,
    SheetXml,
    add_r,
    cells_of,
    col_letters,
    new_cell,
    same_value,
    split_ref,
    style_lookup,
    unwrap,
    widen_spans,
    write_cached,
    write_value,
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
    issues_sheet: IssuesSheet | None = None,
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
            sheet, entry.name, _plan(cells), strings, wmap.epoch, dates
        )
        report.changes += changes
        report.kept += kept
        if changes:
            replaced[part] = text.encode("utf-8")
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


def _plan(cells: Mapping[str, Edit]) -> dict[int, dict[int, tuple[str, Edit]]]:
    plan: dict[int, dict[int, tuple[str, Edit]]] = {}
    for ref, edit in cells.items():
        clean = ref.replace("$", "").upper()
        row, column = split_ref(clean)
        value, _ = unwrap(edit)
        if not (value is None or isinstance(value, bool | int | float | str | dt.date)):
            raise TypeError(f"{ref}: cannot write a {type(value).__name__} to a cell")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{ref}: {value!r} cannot be written to a cell; write None instead")
        if column in plan.setdefault(row, {}):
            raise ValueError(f"{ref} is edited twice")
        plan[row][column] = (clean, edit)
    return plan


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


def patch_cells(
    sheet: SheetXml,
    name: str,
    plan: EditPlan,
    strings: Callable[[int], str],
    epoch: dt.date,
    date_style: str | None = None,
) -> tuple[str, list[CellChange], list[KeptConstant]]:
    """The sheet's text with the planned cells written by the rules of SPEC 2, in one pass.

    A formula keeps its <f> and gets a new cached value; an empty or absent cell gets the value;
    a constant is kept and listed (unless the edit is an `Overwrite`).
    """
    p, text = sheet.prefix, sheet.text
    changes: list[CellChange] = []
    kept: list[KeptConstant] = []
    pending = sorted(plan)
    pieces: list[str] = []
    pos, i = sheet.start, 0
    for number, match in sheet.rows():
        inserted = []
        while i < len(pending) and pending[i] < number:
            inserted.append(
                _new_row(sheet, name, pending[i], plan[pending[i]], epoch, changes, date_style)
            )
            i += 1
        row_text = match.group(0)
        if i < len(pending) and pending[i] == number:
            row_text = _patched_row(
                sheet, name, number, match, plan[number], strings, epoch, changes, kept, date_style
            )
            i += 1
        if any(inserted):
            row_text = add_r(row_text, p, "row", str(number))
        if any(inserted) or row_text != match.group(0):
            pieces += [text[pos : match.start()], *inserted, row_text]
            pos = match.end()
    tail = [_new_row(sheet, name, n, plan[n], epoch, changes, date_style) for n in pending[i:]]
    pieces += [text[pos : sheet.end], *tail]
    if not changes:
        return text, changes, kept
    return sheet.with_content("".join(pieces)), changes, kept


def _new_row(
    sheet: SheetXml,
    name: str,
    number: int,
    edits: Mapping[int, tuple[str, Edit]],
    epoch: dt.date,
    changes: list[CellChange],
    date_style: str | None = None,
) -> str:
    style = _with_dates(style_lookup(sheet, ""), date_style)
    cells = []
    for column in sorted(edits):
        ref, edit = edits[column]
        value, _ = unwrap(edit)
        if value is None or value == "" or isinstance(edit, FormulaOnly):
            continue
        cells.append(new_cell(ref, style(column, value), value, sheet.prefix, epoch))
        changes.append(CellChange(name, ref, None, value))
    p = sheet.prefix
    return f'<{p}row r="{number}">{"".join(cells)}</{p}row>' if cells else ""


def _patched_row(
    sheet: SheetXml,
    name: str,
    number: int,
    row: re.Match[str],
    edits: Mapping[int, tuple[str, Edit]],
    strings: Callable[[int], str],
    epoch: dt.date,
    changes: list[CellChange],
    kept: list[KeptConstant],
    date_style: str | None = None,
) -> str:
    p = sheet.prefix
    attrs, body = row.group(1), row.group(2)
    if body is None:  # <row .../>
        attrs, body = attrs.rstrip().removesuffix("/"), ""
    style = _with_dates(style_lookup(sheet, attrs), date_style)
    pending = sorted(edits)
    pieces: list[str] = []
    added: list[int] = []
    pos, i = 0, 0

    def insert_before(limit: int | None) -> list[str]:
        nonlocal i
        made = []
        while i < len(pending) and (limit is None or pending[i] < limit):
            column = pending[i]
            ref, edit = edits[column]
            value, _ = unwrap(edit)
            if value is not None and value != "" and not isinstance(edit, FormulaOnly):
                made.append(new_cell(ref, style(column, value), value, p, epoch))
                changes.append(CellChange(name, ref, None, value))
                added.append(column)
            i += 1
        return made

    for column, match in cells_of(body, p):
        made = insert_before(column)
        cell_text = match.group(0)
        if i < len(pending) and pending[i] == column:
            ref, edit = edits[column]
            cell = CellXml(match.group(1), match.group(2), p)
            cell_text = _decide(cell, name, ref, edit, strings, epoch, changes, kept) or cell_text
            i += 1
        if made:
            cell_text = add_r(cell_text, p, "c", f"{col_letters(column)}{number}")
        if made or cell_text != match.group(0):
            pieces += [body[pos : match.start()], *made, cell_text]
            pos = match.end()
    pieces += [body[pos:], *insert_before(None)]
    attrs = widen_spans(attrs, added)
    return f"<{p}row{attrs}>{''.join(pieces)}</{p}row>"


def _with_dates(
    lookup: Callable[[int], str | None], date_style: str | None
) -> Callable[[int, Scalar], str | None]:
    """The style of a new cell; a date without a style of its own gets the date style."""

    def style(column: int, value: Scalar) -> str | None:
        found = lookup(column)
        if found in (None, "0") and isinstance(value, dt.date) and date_style is not None:
            return date_style
        return found

    return style


def _decide(
    cell: CellXml,
    name: str,
    ref: str,
    edit: Edit,
    strings: Callable[[int], str],
    epoch: dt.date,
    changes: list[CellChange],
    kept: list[KeptConstant],
) -> str | None:
    """The new text of an existing cell, or None when it stays as it is."""
    value, overwrite = unwrap(edit)
    old = cell.value(strings)
    if isinstance(edit, FormulaOnly) and not cell.has_formula:
        return None
    if cell.has_formula:
        if same_value(old, value, epoch):
            return None
        changes.append(CellChange(name, ref, old, value, formula=True))
        return write_cached(cell, value, epoch)
    if old is None or old == "":
        if value is None or value == "":
            return None
    elif not overwrite:
        kept.append(KeptConstant(name, ref, old, value, not same_value(old, value, epoch)))
        return None
    elif same_value(old, value, epoch):
        return None
    changes.append(CellChange(name, ref, old, value))
    return write_value(cell, value, epoch)
