"""Refresh: score a team workbook with the engine and write the results back into the file,
losslessly (SPEC 2, "computed cells").

    read (calamine) -> parse -> score -> render -> patch the package in place (xlsx.patch)

Formula cells get the engine's values as their cached values; empty computed cells get values;
a constant a user typed over a computed cell is kept (W121). Values Refresh itself wrote into
empty cells are listed, with the value, in two internal columns of the Issues sheet, so the next
Refresh knows them from a user's typing. `--on` sets the Cycle sheet's As of, the only input cell
Refresh ever changes, and only when asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sheetokr.core.engine import score_team
from sheetokr.core.model import Issue, Value
from sheetokr.core.results import TeamResult
from sheetokr.errors import SheetokrError
from sheetokr.sheets import layout, render
from sheetokr.sheets.grid import Grid, parse_a1
from sheetokr.sheets.parse import parse_grid
from sheetokr.xlsx.patch import FormulaOnly, IssuesSheet, Overwrite, PatchReport, patch_workbook
from sheetokr.xlsx.read import read_grid
from sheetokr.xlsx.sheetxml import Edit
from sheetokr.xlsx.template_dashboard import COUNTS_FIRST_ROW, DASHBOARD_CELLS, TABLE_FIRST_ROW

RECORD_HEADERS = {
    "en": ("calc: written by Refresh", "calc: value"),
    "nl": ("calc: geschreven door Refresh", "calc: waarde"),
}
DASHBOARD_ROWS = 20  # objective rows mirrored on the template's Dashboard


@dataclass
class RefreshResult:
    path: Path
    result: TeamResult
    report: PatchReport
    issues: list[Issue] = field(default_factory=list)  # as written on the Issues sheet


def refresh(path: str | Path, *, on: dt.date | None = None, dry_run: bool = False) -> RefreshResult:
    """Recompute the workbook at `path` and write the computed cells, Dashboard and Issues."""
    path = Path(path)
    grid = read_grid(path, everything=True)
    model = parse_grid(grid, path.name)
    edits: dict[str, dict[str, Edit]] = {}
    if on is not None:
        cell = model.cycle_cell("as_of")
        if "!" not in cell.where:
            raise SheetokrError(
                f"{path.name}: the Cycle sheet has no 'As of' row (Peildatum); add that label in "
                "column A, or leave out --on."
            )
        sheet, _, ref = cell.where.partition("!")
        edits.setdefault(sheet, {})[ref] = Overwrite(on)
    result = score_team(model, on)
    lang = model.lang
    issues_name = model.sheets.get("issues") or layout.ISSUES.name(lang)
    owned = _owned(grid.get(issues_name, []))

    computed = render.computed_cells(result)
    for item in computed:
        value: Edit = item.value
        if _comparable(owned.get(item.where, _MISSING)) == _comparable(
            _current(grid, item.sheet, item.ref)
        ):
            value = Overwrite(item.value)
        edits.setdefault(item.sheet, {})[item.ref] = value
    if "dashboard" in model.sheets:
        edits[model.sheets["dashboard"]] = {
            ref: FormulaOnly(v) for ref, v in dashboard_values(result).items()
        }

    issues: list[Issue] = []

    def issues_sheet(cells: PatchReport) -> IssuesSheet:
        """The Issues sheet, once the cells are planned: constants users typed over computed
        cells (W121) are known then, and so are the cells Refresh writes as plain values."""
        typed = [
            Issue(
                "warning",
                "W121",
                f"{k.sheet}!{k.ref}",
                f"{k.value!r} is typed over a computed cell; Refresh keeps it (sheetokr computes "
                f"{k.computed!r}). Clear the cell to let the sheet compute it again.",
            )
            for k in cells.kept
        ]
        issues[:] = [*result.issues, *typed, *render.formula_notes(result)]
        wrote = {f"{c.sheet}!{c.ref}" for c in cells.changes if not c.formula}
        record: dict[str, object] = {
            item.where: item.value
            for item in computed
            if item.where in wrote or item.where in owned and item.value not in (None, "")
        }
        return IssuesSheet(issues_name, _issue_sheet_rows(issues, record, lang))

    report = patch_workbook(path, edits, dry_run=dry_run, issues_sheet=issues_sheet)
    return RefreshResult(path, result, report, issues)


_MISSING = object()


def _current(grid: Grid, sheet: str, ref: str) -> Value:
    row, column = parse_a1(ref)
    rows = grid.get(sheet, [])
    if row > len(rows) or column >= len(rows[row - 1]):
        return None
    value = rows[row - 1][column]
    return None if value == "" else value


def _comparable(value: object) -> object:
    """Dates as ISO text, as the record keeps them: a date cell reads as a date, its record as
    text."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else value


def _owned(rows: list[list[Value]]) -> dict[str, object]:
    """Cells Refresh wrote into empty computed cells last time, with the value it wrote."""
    if not rows:
        return {}
    header = [layout.normalise(v) for v in rows[0]]
    names = {layout.normalise(h) for pair in RECORD_HEADERS.values() for h in pair[:1]}
    for index, text in enumerate(header):
        if text in names:
            out: dict[str, object] = {}
            for row in rows[1:]:
                where = row[index] if index < len(row) else None
                if isinstance(where, str) and "!" in where:
                    value = row[index + 1] if index + 1 < len(row) else None
                    out[where] = None if value == "" else value
            return out
    return {}


def _issue_sheet_rows(
    issues: list[Issue], record: dict[str, object], lang: str
) -> list[list[render.CellValue]]:
    rows = render.issue_rows(issues, lang)
    rows[0] += [None, *RECORD_HEADERS.get(lang, RECORD_HEADERS["en"])]
    for i, (where, value) in enumerate(sorted(record.items()), start=1):
        while len(rows) <= i:
            rows.append([None, None, None, None])
        rows[i] += [None] * (5 - len(rows[i]))
        kept = value if isinstance(value, float | int | str) else None
        if isinstance(value, dt.date):
            kept = str(_comparable(value))
        rows[i] += [where, kept]
    return rows


def dashboard_values(result: TeamResult) -> dict[str, render.CellValue]:
    """The cached values of the template Dashboard's formulas (sheetokr.xlsx.template_dashboard)."""
    lang = result.model.lang
    team: dict[str, render.CellValue] = {
        "team": result.name or "",
        "cycle": result.cycle_name or "",
        "as_of": result.as_of,
        "elapsed": result.elapsed,
        "expected": result.expected,
        "progress": result.progress,
        "score": result.score,
        "status": render.status_label(result.status, lang) or "",
    }
    out: dict[str, render.CellValue] = {DASHBOARD_CELLS[k]: v for k, v in team.items()}
    objectives = [o.status for o in result.objectives]
    key_results = [kr.status for kr in [*result.key_results, *result.unattached]]
    for i, status in enumerate(layout.STATUSES):
        row = COUNTS_FIRST_ROW + i
        out[f"A{row}"] = layout.label(layout.STATUSES, status, lang)
        out[f"B{row}"] = float(objectives.count(status))
        out[f"C{row}"] = float(key_results.count(status))
    by_row = {o.row.number: o for o in result.objectives}
    for offset in range(DASHBOARD_ROWS):
        row = TABLE_FIRST_ROW + offset
        o = by_row.get(2 + offset)
        values: tuple[render.CellValue, ...] = ("", "", "", "", "")
        if o is not None:
            values = (
                o.id,
                o.title,
                "" if o.progress is None else o.progress,
                "" if o.score is None else o.score,
                render.status_label(o.status, lang) or "",
            )
        for letter, value in zip("ABCDE", values, strict=True):
            out[f"{letter}{row}"] = value
    return out
