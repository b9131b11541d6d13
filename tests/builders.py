"""Builders for team workbooks in tests: the same data as a plain grid (pure tests) or as a real
.xlsx file written with openpyxl (reader and end-to-end tests).

Rows are dicts keyed by layout column keys; the Cycle sheet is a dict keyed by cycle field keys.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sheetokr.core.model import TeamWorkbook
from sheetokr.sheets import layout
from sheetokr.sheets.grid import Grid
from sheetokr.sheets.parse import parse_grid

DEFAULT_CYCLE: dict[str, Any] = {
    "team_key": "sales",
    "team_name": "Sales",
    "parent": None,
    "cycle": "2027-Q1",
    "start": dt.date(2027, 1, 1),
    "end": dt.date(2027, 3, 31),
}


def grid(
    *,
    cycle: dict[str, Any] | None = None,
    objectives: list[dict[str, Any]] = (),  # type: ignore[assignment]
    key_results: list[dict[str, Any]] = (),  # type: ignore[assignment]
    initiatives: list[dict[str, Any]] = (),  # type: ignore[assignment]
    check_ins: list[dict[str, Any]] = (),  # type: ignore[assignment]
    lang: str = "en",
    columns: dict[str, list[str]] | None = None,
    extra_sheets: dict[str, list[list[Any]]] | None = None,
) -> Grid:
    """A grid laid out as SPEC 2. `columns` reorders or drops columns per sheet key."""
    c = dict(DEFAULT_CYCLE)
    c.update(cycle or {})
    out: Grid = {}
    out[layout.CYCLE.name(lang)] = [
        [layout.CYCLE.column(k).header(lang), v] for k, v in c.items() if k != "_omit"
    ]
    for sheet, rows in (
        (layout.OBJECTIVES, objectives),
        (layout.KEY_RESULTS, key_results),
        (layout.INITIATIVES, initiatives),
        (layout.CHECK_INS, check_ins),
    ):
        keys = (columns or {}).get(sheet.key) or [c.key for c in sheet.columns]
        table: list[list[Any]] = [[sheet.column(k).header(lang) for k in keys]]
        for row in rows:
            table.append([row.get(k) for k in keys])
        out[sheet.name(lang)] = table
    for name, rows in (extra_sheets or {}).items():
        out[name] = rows
    return out


def model(**kwargs: Any) -> TeamWorkbook:
    return parse_grid(grid(**kwargs), "test.xlsx")


def write_xlsx(path: Path, g: Grid) -> Path:
    """Write a grid to a real .xlsx with openpyxl (text starting with '=' stays text)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in g.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
    wb.save(path)
    return path
