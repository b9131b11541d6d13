"""Results -> cells: what Refresh (and any other medium) writes back into a team's sheets.

The computed cells of SPEC 2 (objective Progress, Score, Status; key result Progress, Score,
Status, Last check-in) for every non-blank row, in the workbook's language, and the rows of the
Issues sheet. The cells whose live formula cannot follow the engine (text-read numbers, duplicate
IDs, alignment cycles, bad weights) are named on the Issues sheet. Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheetokr.core.model import Issue, Row, TeamWorkbook
from sheetokr.core.results import KeyResultResult, ObjectiveResult, TeamResult
from sheetokr.sheets import layout
from sheetokr.sheets.grid import a1

CellValue = None | float | str | dt.date

# Checks whose cell the template's live formulas cannot read as the engine does (SPEC 2).
FORMULA_LIMITS = {"W120", "E001", "E007", "E009"}

LEVELS = {
    "en": {"error": "error", "warning": "warning", "note": "note"},
    "nl": {"error": "fout", "warning": "waarschuwing", "note": "opmerking"},
}


@dataclass(frozen=True)
class ComputedCell:
    sheet: str
    ref: str
    value: CellValue

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.ref}"


def status_label(status: str | None, lang: str) -> str | None:
    return None if status is None else layout.label(layout.STATUSES, status, lang)


def _cells(
    model: TeamWorkbook, sheet_key: str, row: Row, values: dict[str, CellValue]
) -> list[ComputedCell]:
    columns = model.columns.get(sheet_key, {})
    out = []
    for key, value in values.items():
        if key in columns:
            out.append(ComputedCell(row.sheet, a1(row.number, columns[key]), value))
    return out


def objective_values(o: ObjectiveResult, lang: str) -> dict[str, CellValue]:
    return {"progress": o.progress, "score": o.score, "status": status_label(o.status, lang)}


def key_result_values(kr: KeyResultResult, lang: str) -> dict[str, CellValue]:
    return {
        "progress": kr.progress,
        "score": kr.score,
        "status": status_label(kr.status, lang),
        "last_check_in": kr.last_check_in,
    }


def computed_cells(result: TeamResult) -> list[ComputedCell]:
    """Every computed cell of every non-blank objective and key result row, with its value."""
    model, lang = result.model, result.model.lang
    out: list[ComputedCell] = []
    for objective in result.objectives:
        out += _cells(model, "objectives", objective.row, objective_values(objective, lang))
    for kr in [*result.key_results, *result.unattached]:
        out += _cells(model, "key_results", kr.row, key_result_values(kr, lang))
    out.sort(key=lambda c: (c.sheet, len(c.ref), c.ref))
    return out


def _note(where: str, cause: str, code: str, advice: str) -> Issue:
    return Issue(
        "note",
        code,
        where,
        f"The sheet's own formulas cannot follow {cause}; Refresh wrote sheetokr's values. "
        + advice,
    )


def formula_notes(result: TeamResult) -> list[Issue]:
    """Notes naming each cell whose live formula cannot follow the engine, and why.

    The template's formulas read numbers, real dates and unique IDs; text the engine reads
    (`12M`, `80%`, `2027-01-31`), duplicate IDs, alignment cycles, bad weights and unreadable
    check-in values are where the two part ways (SPEC 2).
    """
    model = result.model
    progress_cell: dict[tuple[str, int], str] = {}
    for key, rows in (
        ("objectives", [o.row for o in result.objectives]),
        ("key_results", [k.row for k in [*result.key_results, *result.unattached]]),
    ):
        column = model.columns.get(key, {}).get("progress")
        if column is not None:
            for row in rows:
                progress_cell[(row.sheet, row.number)] = f"{row.sheet}!{a1(row.number, column)}"
    check_in_kr = {(c.sheet, c.number): c.text("key_result").lower() for c in model.check_ins}
    kr_row = {k.id.lower(): k.row for k in [*result.key_results, *result.unattached]}

    notes: list[Issue] = []
    seen: set[str] = set()

    def add(where: str | None, issue: Issue) -> None:
        if where and where not in seen:
            seen.add(where)
            notes.append(
                _note(where, issue.where, issue.code, "Fix that cell and the two agree again.")
            )

    for issue in result.issues:
        if "!" not in issue.where:
            continue
        sheet, _, ref = issue.where.partition("!")
        number = int("".join(ch for ch in ref if ch.isdigit()) or 0)
        if issue.code in FORMULA_LIMITS:
            add(progress_cell.get((sheet, number)), issue)
        elif issue.code == "E004" and (sheet, number) in check_in_kr:
            owner = kr_row.get(check_in_kr[(sheet, number)])
            if owner is not None:
                add(progress_cell.get((owner.sheet, owner.number)), issue)

    dates = [model.cycle_cell(k) for k in ("start", "end", "as_of")]
    dates += [c.cell("date") for c in model.check_ins]
    for cell in dates:
        if isinstance(cell.value, str) and cell.where not in seen:
            seen.add(cell.where)
            notes.append(
                _note(
                    cell.where,
                    f"the date typed as text ({cell.text!r})",
                    "W120",
                    "Type it as a date (the cell's date format) so the formulas can use it.",
                )
            )
    return notes


def issue_rows(issues: list[Issue], lang: str) -> list[list[CellValue]]:
    """The Issues sheet: a header row, then one row per issue (text stays text)."""
    rows: list[list[CellValue]] = [list(layout.ISSUE_HEADERS.get(lang, layout.ISSUE_HEADERS["en"]))]
    levels = LEVELS.get(lang, LEVELS["en"])
    for issue in issues:
        rows.append([levels.get(issue.level, issue.level), issue.code, issue.where, issue.message])
    return rows
