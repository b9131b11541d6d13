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


@dataclass(frozen=True)
class Cell:
    """One cell's value as typed, and where it stands (`Key Results!H5`)."""

    value: Value = None
    where: str = ""

    @property
    def blank(self) -> bool:
        return is_blank(self.value)

    @property
    def text(self) -> str:
        """The value as trimmed text; whole numbers without '.0' (an ID typed as 1 is "1")."""
        v = self.value
        if v is None:
            return ""
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, dt.datetime):
            return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        return str(v).strip()


@dataclass
class Row:
    """One non-blank row of a data sheet: its 1-based row number and its cells by column key."""

    sheet: str
    number: int
    cells: dict[str, Cell] = field(default_factory=dict)

    def cell(self, key: str) -> Cell:
        found = self.cells.get(key)
        if found is None:
            return Cell(None, self.sheet)
        return found

    def text(self, key: str) -> str:
        return self.cell(key).text

    def value(self, key: str) -> Value:
        return self.cell(key).value

    def has(self, key: str) -> bool:
        return key in self.cells


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

    def cycle_cell(self, key: str) -> Cell:
        found = self.cycle.get(key)
        if found is None:
            return Cell(None, self.sheets.get("cycle", "Cycle"))
        return found

    @property
    def team_key(self) -> str:
        return self.cycle_cell("team_key").text.lower()
