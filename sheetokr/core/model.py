"""The OKR model as read from a team's sheets: cells with their location, rows, a team workbook.

The model keeps what users typed (raw cell values and where they stand) so that every problem the
engine finds can name its cell. Scored results live in `core.results`. Pure: standard library only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeAlias


@dataclass(frozen=True)
class CellError:
    """A spreadsheet error value such as #DIV/0!, #REF! or #N/A in a cell."""

    text: str

    def __str__(self) -> str:
        return self.text


Value: TypeAlias = (
    None | str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | CellError
)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


_LETTERS: list[str] = []


def column_letter(index: int) -> str:
    """Zero-based column index -> letters (0 -> A, 26 -> AA), cached: messages ask often."""
    if index < 0:
        raise ValueError(f"column index {index} is negative")
    while len(_LETTERS) <= index:
        n, letters = len(_LETTERS) + 1, ""
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        _LETTERS.append(letters)
    return _LETTERS[index]


class Cell:
    """One cell's value as typed, and where it stands (`Key Results!H5`).

    Built either with its `where` text or, by the parser, with (sheet, row, column) so the text is
    only made when a message needs it.
    """

    __slots__ = ("value", "_where", "_ref")

    def __init__(
        self, value: Value = None, where: str = "", ref: tuple[str, int, int] | None = None
    ) -> None:
        self.value = value
        self._where = where
        self._ref = ref

    @property
    def where(self) -> str:
        if self._ref is not None:
            sheet, row, col = self._ref
            return f"{sheet}!{column_letter(col)}{row}"
        return self._where

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        return self.value == other.value and self.where == other.where

    def __hash__(self) -> int:
        return hash((repr(self.value), self.where))

    def __repr__(self) -> str:
        return f"Cell({self.value!r}, {self.where!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Cell, (self.value, self._where, self._ref))

    @property
    def blank(self) -> bool:
        return is_blank(self.value)

    @property
    def text(self) -> str:
        """The value as trimmed text; whole numbers without '.0' (an ID typed as 1 is "1")."""
        return text_of(self.value)


def text_of(v: Value) -> str:
    """A value as trimmed text; whole numbers without '.0' (an ID typed as 1 is "1")."""
    if v is None:
        return ""
    if v.__class__ is str:
        return v.strip()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


class Row:
    """One non-blank row of a data sheet: its 1-based row number and its cells by column key.

    The parser hands over the row's raw values and the sheet's {column key: index}; cells are
    made when asked for, so reading 200 check-ins does not build 1,200 objects up front.
    """

    __slots__ = ("sheet", "number", "_values", "_columns")

    def __init__(
        self, sheet: str, number: int, values: list[Value], columns: dict[str, int]
    ) -> None:
        self.sheet = sheet
        self.number = number
        self._values = values
        self._columns = columns  # shared by every row of the sheet

    @property
    def values(self) -> list[Value]:
        """The row's cells as read, by column position (blank cells may be "")."""
        return self._values

    @property
    def columns(self) -> dict[str, int]:
        """{column key: position}, shared by every row of the sheet."""
        return self._columns

    def cell(self, key: str) -> Cell:
        index = self._columns.get(key)
        if index is None:
            return Cell(None, self.sheet)
        value = self._values[index] if index < len(self._values) else None
        if value is not None and value.__class__ is str and not value.strip():
            value = None
        return Cell(value, ref=(self.sheet, self.number, index))

    def raw(self, key: str) -> Value:
        """The value alone, without making a Cell (blank text reads as None); for hot loops."""
        index = self._columns.get(key)
        if index is None or index >= len(self._values):
            return None
        value = self._values[index]
        if value.__class__ is str and not value.strip():
            return None
        return value

    @property
    def cells(self) -> dict[str, Cell]:
        return {key: self.cell(key) for key in self._columns}

    def text(self, key: str) -> str:
        return text_of(self.raw(key))

    def value(self, key: str) -> Value:
        return self.raw(key)

    def has(self, key: str) -> bool:
        return key in self._columns

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return (self.sheet, self.number, self.cells) == (other.sheet, other.number, other.cells)

    def __repr__(self) -> str:
        return f"Row({self.sheet!r}, {self.number}, {self.cells!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Row, (self.sheet, self.number, self._values, self._columns))


@dataclass(frozen=True)
class Issue:
    """A problem found in a workbook: a stable code (SPEC 1.7), where it is, and what to do."""

    level: str  # "error" | "warning"
    code: str
    where: str
    message: str
    team: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "level": self.level,
            "code": self.code,
            "where": self.where,
            "message": self.message,
        }
        if self.team is not None:
            out["team"] = self.team
        return out


@dataclass
class TeamWorkbook:
    """Everything one team's workbook says, before scoring.

    `sheets` maps a layout key (objectives, key_results, ...) to the sheet's name as the workbook
    spells it; `columns` maps a layout key to {column key: zero-based index}; `cycle` holds the
    Cycle sheet's values by field key. `issues` are the problems found while reading (E014, E020).
    """

    source: str
    lang: str = "en"
    cycle: dict[str, Cell] = field(default_factory=dict)
    objectives: list[Row] = field(default_factory=list)
    key_results: list[Row] = field(default_factory=list)
    initiatives: list[Row] = field(default_factory=list)
    check_ins: list[Row] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, int]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    # the file it was read from, when it was read from a file (workers can read it again)
    path: str | None = field(default=None, compare=False)
    # True when the check-in rows were left behind after scoring (to send a scored team between
    # processes cheaply); whoever needs them again reads the file at `path`
    partial: bool = field(default=False, compare=False)

    def cycle_cell(self, key: str) -> Cell:
        found = self.cycle.get(key)
        if found is None:
            return Cell(None, self.sheets.get("cycle", "Cycle"))
        return found

    @property
    def team_key(self) -> str:
        return self.cycle_cell("team_key").text.lower()
