"""The team-workbook template generator: lays out a team workbook as SPEC section 2 with live
formulas, drop-down lists, conditional formatting and a dashboard, optionally filled with data,
and writes it deterministically (fixed document dates, fixed zip timestamps) and atomically.

`python -m sheetokr.xlsx.template --write-templates templates/` regenerates the shipped templates.
Formulas come from `template_formulas`, looks from `template_style`, prose from `template_text`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from sheetokr.errors import SheetokrError, WorkbookLocked
from sheetokr.sheets.layout import (
    ALL_SHEETS,
    CHECK_INS,
    CYCLE,
    INITIATIVE_STATUSES,
    INITIATIVES,
    INSTRUCTIONS,
    KEY_RESULTS,
    LANGUAGES,
    METRICS,
    OBJECTIVE_TYPES,
    OBJECTIVES,
    STATUSES,
    SheetLayout,
)
from sheetokr.xlsx import template_style as style
from sheetokr.xlsx.template_dashboard import build_dashboard
from sheetokr.xlsx.template_formulas import (
    CAPACITY,
    CYCLE_CALC_ROW,
    CYCLE_ROW,
    HELPERS,
    STATUS_LABEL_FIRST_ROW,
    Refs,
    check_in_formulas,
    column,
    cycle_formulas,
    key_result_formulas,
    last_row,
    letter,
    status_label_formula,
)
from sheetokr.xlsx.template_rollup import objective_formulas
from sheetokr.xlsx.template_text import CALC_PREFIX, CYCLE_CALC, ISSUE_HEADERS
from sheetokr.xlsx.template_text import INSTRUCTIONS as INSTRUCTION_TEXT

FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
TEMPLATE_NAMES = {lang: f"sheetokr-team-{lang}.xlsx" for lang in LANGUAGES}
OBJECTIVE_IDS, KEY_RESULT_IDS = "ObjectiveIDs", "KeyResultIDs"
_FORMULA_START = ("=", "+", "-", "@")

_CYCLE_ARGS = {
    "team": "team_key",
    "name": "team_name",
    "parent": "parent",
    "cycle": "cycle",
    "start": "start",
    "end": "end",
}
_METRIC_FORMATS = {
    "progress": style.PERCENT,
    "score": style.SCORE,
    "last_check_in": style.DATE,
    "due": style.DATE,
    "date": style.DATE,
    "final_score": style.SCORE,
}


def build_team_workbook(
    lang: str = "en",
    *,
    team: str | None = None,
    name: str | None = None,
    parent: str | None = None,
    cycle: str | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    data: Mapping[str, Any] | None = None,
) -> Workbook:
    """A team workbook in `lang` ('en' or 'nl'), with cycle fields and optional rows filled in.

    `data` may hold "cycle" (field key -> value) and "objectives", "key_results", "initiatives",
    "check_ins" (lists of dicts keyed by layout column keys). Explicit arguments win over data.
    """
    if lang not in LANGUAGES:
        raise SheetokrError(f"Language '{lang}' is not supported; use one of: en, nl.")
    data = dict(data or {})
    cycle_values: dict[str, Any] = {"language": lang, "aspirational_goal": 0.7, "risk_gap": 0.25}
    cycle_values.update(data.get("cycle") or {})
    given = {
        "team": team,
        "name": name,
        "parent": parent,
        "cycle": cycle,
        "start": start,
        "end": end,
    }
    for arg, value in given.items():
        if value is not None:
            cycle_values[_CYCLE_ARGS[arg]] = _date(value) if arg in ("start", "end") else value

    refs = Refs(lang)
    wb = Workbook()
    sheets = {layout.key: wb.create_sheet(layout.name(lang)) for layout in ALL_SHEETS}
    wb.remove(wb.worksheets[0])
    _instructions(sheets["instructions"], lang)
    _cycle(sheets["cycle"], refs, cycle_values)
    for layout in (OBJECTIVES, KEY_RESULTS, INITIATIVES, CHECK_INS):
        rows = list(data.get(layout.key) or [])
        _data_sheet(sheets[layout.key], layout, refs, rows)
    build_dashboard(sheets["dashboard"], refs)
    _issues(sheets["issues"], lang)
    _validation(sheets, lang)
    for key, layout in ((OBJECTIVE_IDS, OBJECTIVES), (KEY_RESULT_IDS, KEY_RESULTS)):
        ref = f"{refs.sheet(layout)}!$A$2:$A${last_row(layout)}"
        wb.defined_names[key] = DefinedName(key, attr_text=ref)
    wb.active = wb.sheetnames.index(INSTRUCTIONS.name(lang))
    wb.properties.creator = "sheetokr"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.title = "sheetokr team workbook"
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx package with fixed document dates and zip timestamps, so output is reproducible."""
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            item = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            item.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(item, content)
    return out.getvalue()


def write_team_workbook(
    path: str | os.PathLike[str], lang: str = "en", *, overwrite: bool = False, **fields: Any
) -> Path:
    """Write a team workbook to `path` atomically; refuse to replace a file unless `overwrite`.

    `fields` are the keyword arguments of `build_team_workbook` (team, name, ..., data).
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise SheetokrError(f"{target}: a team workbook must be saved as .xlsx.")
    if target.exists() and not overwrite:
        raise SheetokrError(f"{target} already exists; choose another name or allow overwriting.")
    lock = target.with_name("~$" + target.name)
    if lock.exists():
        raise WorkbookLocked(f"{target} is open in Excel ({lock.name} exists); close it first.")
    if not target.parent.is_dir():
        raise SheetokrError(f"Folder {target.parent} does not exist; create it first.")
    content = workbook_bytes(build_team_workbook(lang, **fields))
    handle, temp = tempfile.mkstemp(prefix=".sheetokr-", suffix=".xlsx", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def write_templates(folder: str | os.PathLike[str]) -> list[Path]:
    """Regenerate templates/sheetokr-team-en.xlsx and -nl.xlsx in `folder`."""
    return [
        write_team_workbook(Path(folder) / TEMPLATE_NAMES[lang], lang, overwrite=True)
        for lang in LANGUAGES
    ]


# ---------------------------------------------------------------- sheets


def _instructions(ws: Worksheet, lang: str) -> None:
    ws.column_dimensions["A"].width = 75
    ws.sheet_view.showGridLines = False
    for row, (kind, text) in enumerate(INSTRUCTION_TEXT[lang], start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = style.WRAP
        if kind == "title":
            cell.font = style.TITLE_FONT
            ws.row_dimensions[row].height = 28
        elif kind == "h":
            cell.font = style.HEADING_FONT
            ws.row_dimensions[row].height = 22
        elif kind == "quote":
            cell.font = style.Font(bold=True, italic=True, color="1F4E79", size=12)
            ws.row_dimensions[row].height = 22
        else:
            ws.row_dimensions[row].height = 15 * (-(-len(text) // 80)) + 4
    style.page_setup(ws, landscape=False, title_rows=None)


def _cycle(ws: Worksheet, refs: Refs, values: Mapping[str, Any]) -> None:
    lang = refs.lang
    for col in CYCLE.columns:
        row = CYCLE_ROW[col.key]
        ws.cell(row=row, column=1, value=col.header(lang)).font = style.BOLD
        value = ws.cell(row=row, column=2)
        _put(value, values.get(col.key))
        if col.key in ("start", "end", "as_of"):
            value.number_format = style.DATE
        elif col.key in ("aspirational_goal", "risk_gap"):
            value.number_format = "0.00"
        value.alignment = style.Alignment(horizontal="left")
        value.border = style.BOX
    for key, formula in cycle_formulas(refs).items():
        row = CYCLE_CALC_ROW[key]
        ws.cell(row=row, column=4, value=CYCLE_CALC[key]).font = style.CALC_FONT
        ws.cell(row=row, column=5, value=formula)
    for i, key in enumerate(STATUSES):
        row = STATUS_LABEL_FIRST_ROW + i
        ws.cell(row=row, column=4, value=f"{CALC_PREFIX}status {i + 1}").font = style.CALC_FONT
        ws.cell(row=row, column=5, value=status_label_formula(lang, key))
    ws["E1"].number_format = style.DATE
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 4
    for letter_ in ("D", "E"):
        ws.column_dimensions[letter_].hidden = True
    style.date_validation(ws, f"B{CYCLE_ROW['start']}:B{CYCLE_ROW['end']}", _date_message(lang))
    style.date_validation(ws, f"B{CYCLE_ROW['as_of']}", _date_message(lang))
    style.list_validation(ws, f"B{CYCLE_ROW['language']}", "en,nl")
    style.page_setup(ws, landscape=False, title_rows=None)


def _data_sheet(ws: Worksheet, layout: SheetLayout, refs: Refs, rows: Sequence[Mapping]) -> None:
    lang = refs.lang
    capacity = CAPACITY[layout.key]
    if len(rows) > capacity:
        raise SheetokrError(
            f"{layout.name(lang)}: {len(rows)} rows given; the template holds at most {capacity}."
        )
    for i, col in enumerate(layout.columns):
        style.header_cell(ws, 1, i + 1, col.header(lang), "computed" if col.computed else "input")
        ws.column_dimensions[letter(i)].width = style.WIDTHS.get(col.key, 12)
    helpers = HELPERS.get(layout.key, ())
    for j, helper in enumerate(helpers):
        index = len(layout.columns) + j
        style.header_cell(ws, 1, index + 1, CALC_PREFIX + helper.replace("_", " "), "calc")
        ws.column_dimensions[letter(index)].hidden = True
    formulas = {
        "objectives": objective_formulas,
        "key_results": key_result_formulas,
        "check_ins": check_in_formulas,
    }.get(layout.key)
    for r in range(2, capacity + 2):
        source = rows[r - 2] if r - 2 < len(rows) else {}
        for key in layout.input_keys:
            cell = ws[f"{column(layout, key)}{r}"]
            _put(cell, source.get(key))
            if key in _METRIC_FORMATS:
                cell.number_format = _METRIC_FORMATS[key]
        if formulas is None:
            continue
        for key, formula in formulas(refs, r).items():
            cell = ws[f"{column(layout, key)}{r}"]
            cell.value = formula
            if not key.startswith("calc."):
                cell.fill = style.COMPUTED_CELL
                cell.number_format = _METRIC_FORMATS.get(key, "General")
    last = letter(len(layout.columns) - 1)
    ws.freeze_panes = "B2" if layout.key in ("objectives", "key_results") else "A2"
    ws.auto_filter.ref = f"A1:{last}{capacity + 1}"
    ws.row_dimensions[1].height = 30
    _conditional(ws, layout, capacity + 1)
    style.page_setup(ws, landscape=len(layout.columns) > 6)
    ws.print_area = f"A1:{last}{capacity + 1}"


def _conditional(ws: Worksheet, layout: SheetLayout, last: int) -> None:
    keys = [c.key for c in layout.columns]

    def span(key: str) -> tuple[str, str]:
        c = column(layout, key)
        return f"{c}2:{c}{last}", f"{c}2"

    if "progress" in keys:
        style.progress_bars(ws, span("progress")[0])
    if "score" in keys:
        style.band_rules(ws, *span("score"))
    if layout.key in ("objectives", "key_results"):
        style.kr_status_rules(ws, *span("status"))
    if layout.key == "initiatives":
        style.initiative_status_rules(ws, *span("status"))


def _validation(sheets: Mapping[str, Worksheet], lang: str) -> None:
    def labels(table: Mapping[str, tuple[str, str]]) -> str:
        return ",".join(pair[1] if lang == "nl" else pair[0] for pair in table.values())

    def cells(layout: SheetLayout, key: str) -> str:
        c = column(layout, key)
        return f"{c}2:{c}{last_row(layout)}"

    message = _date_message(lang)
    style.list_validation(sheets["objectives"], cells(OBJECTIVES, "type"), labels(OBJECTIVE_TYPES))
    krs = sheets["key_results"]
    style.list_validation(krs, cells(KEY_RESULTS, "metric"), labels(METRICS))
    style.list_validation(krs, cells(KEY_RESULTS, "objective"), "=" + OBJECTIVE_IDS)
    initiatives = sheets["initiatives"]
    style.list_validation(initiatives, cells(INITIATIVES, "status"), labels(INITIATIVE_STATUSES))
    style.list_validation(initiatives, cells(INITIATIVES, "objective"), "=" + OBJECTIVE_IDS)
    style.list_validation(initiatives, cells(INITIATIVES, "key_result"), "=" + KEY_RESULT_IDS)
    style.date_validation(initiatives, cells(INITIATIVES, "due"), message)
    check_ins = sheets["check_ins"]
    style.list_validation(check_ins, cells(CHECK_INS, "key_result"), "=" + KEY_RESULT_IDS)
    style.date_validation(check_ins, cells(CHECK_INS, "date"), message)


def _issues(ws: Worksheet, lang: str) -> None:
    for i, text in enumerate(ISSUE_HEADERS[lang]):
        style.header_cell(ws, 1, i + 1, text, "computed")
    for letter_, width in zip("ABCD", (10, 8, 24, 90), strict=True):
        ws.column_dimensions[letter_].width = width
    ws.freeze_panes = "A2"
    style.page_setup(ws, landscape=True)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _date_message(lang: str) -> str:
    if lang == "nl":
        return "Typ een datum, bijvoorbeeld 2027-03-31."
    return "Type a date, for example 2027-03-31."


def _put(cell: Any, value: Any) -> None:
    """Write a value; user text that looks like a formula stays text."""
    if value is None:
        return
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"


def _date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SheetokrError(
            f"Date '{value}' is not readable; type it as YYYY-MM-DD, e.g. 2027-03-31."
        ) from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the shipped team-workbook templates.")
    parser.add_argument("--write-templates", metavar="DIR", required=True)
    args = parser.parse_args(argv)
    for path in write_templates(args.write_templates):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
