"""Grid -> model: the one parser every medium shares (SPEC section 2).

Sheets are found by name and columns by header text in English or Dutch; a user's own sheets and
columns are ignored; blank rows are skipped. Missing required columns are E020 (the rest of the
sheet is still read). A grid without a Key Results sheet cannot be used at all. Pure.
"""

from __future__ import annotations

from sheetokr.core.model import Cell, Issue, Row, TeamWorkbook, Value, is_blank
from sheetokr.errors import UnusableWorkbook
from sheetokr.sheets import layout
from sheetokr.sheets.grid import Grid, where


def parse_grid(grid: Grid, source: str = "workbook") -> TeamWorkbook:
    names = list(grid)
    model = TeamWorkbook(source=source)
    for sheet in layout.ALL_SHEETS:
        found = layout.find_sheet(sheet, names)
        if found is not None:
            model.sheets[sheet.key] = found
    if "key_results" not in model.sheets:
        raise UnusableWorkbook(
            f"{source} has no Key Results sheet (Hoofdresultaten); it does not look like a "
            "sheetokr team workbook. Start from `sheetokr new` or add that sheet."
        )
    if "cycle" in model.sheets:
        model.cycle = _cycle(model.sheets["cycle"], grid[model.sheets["cycle"]])
    lang = layout.normalise(model.cycle_cell("language").value)
    lang = {"nederlands": "nl", "dutch": "nl", "english": "en", "engels": "en"}.get(lang, lang)
    model.lang = lang if lang in layout.LANGUAGES else layout.sheet_language(names)

    for sheet in layout.DATA_SHEETS:
        name = model.sheets.get(sheet.key)
        if name is None:
            if sheet.required:
                model.issues.append(
                    Issue(
                        "error",
                        "E020",
                        sheet.name(model.lang),
                        f"The workbook has no {sheet.en} sheet ({sheet.nl}); add it with the "
                        "columns " + ", ".join(sheet.column(k).en for k in sheet.required) + ".",
                    )
                )
            continue
        rows, columns, issues = _table(sheet, name, grid[name])
        setattr(model, sheet.key, rows)
        model.columns[sheet.key] = columns
        model.issues.extend(issues)
    return model


def _cycle(sheet: str, rows: list[list[Value]]) -> dict[str, Cell]:
    cycle: dict[str, Cell] = {}
    for number, values in enumerate(rows, start=1):
        if not values:
            continue
        key = layout.cycle_label_key(values[0])
        if key is None or key in cycle:
            continue
        value = values[1] if len(values) > 1 else None
        cycle[key] = Cell(None if is_blank(value) else value, where(sheet, number, 1))
    return cycle


def _table(
    sheet: layout.SheetLayout, name: str, rows: list[list[Value]]
) -> tuple[list[Row], dict[str, int], list[Issue]]:
    header = rows[0] if rows else []
    columns = layout.match_columns(sheet, list(header))
    issues = []
    missing = [k for k in sheet.required if k not in columns]
    if missing:
        headers = ", ".join(f"'{sheet.column(k).en}' ({sheet.column(k).nl})" for k in missing)
        issues.append(
            Issue(
                "error",
                "E020",
                name,
                f"The {name} sheet has no column {headers} in row 1; add the header "
                "so the rows can be read.",
            )
        )
    inputs = [columns[k] for k in sheet.input_keys if k in columns]
    out: list[Row] = []
    for number, values in enumerate(rows[1:], start=2):
        width = len(values)
        for index in inputs:
            if index < width:
                v = values[index]
                if v is not None and (v.__class__ is not str or v.strip()):
                    out.append(Row(name, number, values, columns))
                    break
    return out, columns, issues
