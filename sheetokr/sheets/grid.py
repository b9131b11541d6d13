"""Plain grids of cell values and A1 arithmetic, shared by every medium.

A `Grid` is what a workbook looks like once its medium is forgotten: sheet name -> rows of values
(None, str, int, float, bool, dates, times, durations, CellError), in sheet order. Pure.
"""

from __future__ import annotations

import re
from typing import TypeAlias

from sheetokr.core.model import Value, column_letter

__all__ = ["Grid", "a1", "column_index", "column_letter", "parse_a1", "where"]

Grid: TypeAlias = dict[str, list[list[Value]]]

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def column_index(letters: str) -> int:
    """Letters -> zero-based column index (A -> 0, AA -> 26)."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"{letters!r} is not a column name")
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def a1(row: int, column: int) -> str:
    """1-based row and zero-based column -> 'C5'."""
    return f"{column_letter(column)}{row}"


def parse_a1(ref: str) -> tuple[int, int]:
    """'C5' -> (5, 2): 1-based row, zero-based column."""
    m = _A1.match(ref.strip())
    if not m:
        raise ValueError(f"{ref!r} is not a cell reference such as C5")
    return int(m.group(2)), column_index(m.group(1))


def where(sheet: str, row: int, column: int) -> str:
    """How a cell is named in messages: `Key Results!H5` (the sheet as the workbook names it)."""
    return f"{sheet}!{a1(row, column)}"
