"""The Issues sheet, which Refresh computes in full: its `<sheetData>` is replaced by the given
rows, keeping the header row's own attributes and the cell styles of the header row and of the
first data row, and a workbook without one gets a fresh, minimal worksheet part. Everything outside
`<sheetData>` (columns, panes, page setup) stays as the workbook had it, except `<dimension>`,
which is set to the new extent. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from sheetokr.xlsx.sheetxml import (
    CellChange,
    CellXml,
    Old,
    Scalar,
    SheetXml,
    attrs_of,
    cells_of,
    col_letters,
    dimension_set,
    new_cell,
    patterns,
    same_value,
    set_attr,
)
from sheetokr.xlsx.xmltext import escape

MAX_WIDTH = 90


def rewrite(
    sheet: SheetXml,
    name: str,
    rows: Sequence[Sequence[Scalar]],
    strings: Callable[[int], str],
    epoch: dt.date,
) -> tuple[str, list[CellChange], bool]:
    """The sheet with its rows replaced, the cells that change, and whether formulas went."""
    p = sheet.prefix
    old: dict[tuple[int, int], Old] = {}
    styles: dict[int, dict[int, str]] = {1: {}, 2: {}}
    header_attrs = None
    had_formulas = False
    for number, row in sheet.rows():
        if number == 1:
            header_attrs = set_attr(row.group(1).rstrip().removesuffix("/"), "spans", None)
        for column, match in cells_of(row.group(2) or "", p):
            cell = CellXml(match.group(1), match.group(2), p)
            had_formulas = had_formulas or cell.has_formula
            value = cell.value(strings)
            if value is not None and value != "":
                old[(number, column)] = value
            style = attrs_of(match.group(1)).get("s")
            if number in styles and style:
                styles[number][column] = style
    new: dict[tuple[int, int], Scalar] = {}
    content = []
    for number, values in enumerate(rows, start=1):
        cells = []
        for column, item in enumerate(values, start=1):
            if item is None or item == "":
                continue
            new[(number, column)] = item
            style = styles[1 if number == 1 else 2].get(column)
            cells.append(new_cell(f"{col_letters(column)}{number}", style, item, p, epoch))
        attrs = header_attrs if number == 1 and header_attrs is not None else f' r="{number}"'
        if cells or (number == 1 and header_attrs is not None):
            content.append(f"<{p}row{attrs}>{''.join(cells)}</{p}row>")
    changes = [
        CellChange(name, f"{col_letters(c)}{r}", old.get((r, c)), new.get((r, c)))
        for r, c in sorted(old.keys() | new.keys())
        if not same_value(old.get((r, c)), new.get((r, c)), epoch)
    ]
    if not changes and not had_formulas:
        return sheet.text, [], False
    text = sheet.with_content("".join(content))
    return dimension_set(text, p, _extent(rows)), changes, had_formulas


def _extent(rows: Sequence[Sequence[Scalar]]) -> str:
    width = max((len(r) for r in rows), default=0)
    return f"A1:{col_letters(width)}{len(rows)}" if rows and width else "A1"


def new_sheet(
    namespace: str, rel_namespace: str, rows: Sequence[Sequence[Scalar]], epoch: dt.date
) -> str:
    """A complete worksheet part holding `rows`, columns sized to their text, the header frozen."""
    widths: dict[int, int] = {}
    content = []
    for number, values in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cells.append(new_cell(f"{col_letters(column)}{number}", None, value, "", epoch))
            widths[column] = max(widths.get(column, 8), min(len(str(value)) + 2, MAX_WIDTH))
        if cells:
            content.append(f'<row r="{number}">{"".join(cells)}</row>')
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in sorted(widths.items())
    )
    pane = (
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{escape(namespace)}" xmlns:r="{escape(rel_namespace)}">'
        f'<dimension ref="{_extent(rows)}"/>{pane if rows else ""}'
        f"{f'<cols>{cols}</cols>' if cols else ''}"
        f"<sheetData>{''.join(content)}</sheetData></worksheet>"
    )


def drop_calc_entries(text: str, sheet_id: int) -> str | None:
    """calcChain.xml without the entries of sheet `sheet_id`; None when no entry would be left.

    An entry without `i` belongs to the sheet of the entry before it, so it goes with that one.
    """
    found = re.search(r"<([\w.-]+:)?calcChain\b", text)
    pattern = patterns((found.group(1) or "") if found else "")["c"]
    pieces, pos, current, kept = [], 0, 0, 0
    for match in pattern.finditer(text):
        explicit = attrs_of(match.group(1)).get("i")
        current = int(explicit) if explicit and explicit.isdigit() else current
        pieces.append(text[pos : match.start()])
        pos = match.end()
        if current != sheet_id:
            pieces.append(match.group(0))
            kept += 1
    pieces.append(text[pos:])
    return "".join(pieces) if kept else None
