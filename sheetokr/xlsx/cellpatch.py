"""Cell by cell: the rules of SPEC 2 for writing one worksheet's planned cells in a single pass
over its XML (a formula keeps its <f> and gets a cached value; an empty or absent cell gets the
value; a constant a user typed is kept). Used by `xlsx.patch`; every other byte stays as it was.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping

from sheetokr.xlsx.sheetxml import (
    CellChange,
    CellXml,
    Edit,
    EditPlan,
    FormulaOnly,
    KeptConstant,
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


def plan_edits(cells: Mapping[str, Edit]) -> dict[int, dict[int, tuple[str, Edit]]]:
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
