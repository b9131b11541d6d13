"""How the team-workbook template looks and guards its input: header styles, column widths, number
formats, drop-down lists, date validation, conditional formatting and page setup.

Everything here is openpyxl styling applied to sheets that `template.py` has laid out; no formulas
that compute OKR results live here (see `template_formulas.py`).
"""

from __future__ import annotations

from openpyxl.formatting.rule import DataBarRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from sheetokr.sheets.layout import INITIATIVE_STATUSES, STATUSES

INPUT_HEADER = PatternFill("solid", fgColor="1F4E79")
COMPUTED_HEADER = PatternFill("solid", fgColor="7F7F7F")
CALC_HEADER = PatternFill("solid", fgColor="D9D9D9")
COMPUTED_CELL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FONT = Font(bold=True, color="FFFFFF")
CALC_FONT = Font(italic=True, color="595959", size=8)
TITLE_FONT = Font(bold=True, size=16, color="1F4E79")
HEADING_FONT = Font(bold=True, size=12, color="1F4E79")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(bottom=THIN)

PERCENT = "0%"
SCORE = "0.00"
DATE = "yyyy-mm-dd"

# Status colours (fill, font) by status key; shared by objectives, key results and the dashboard.
STATUS_COLOURS = {
    "not_started": ("EDEDED", "404040"),
    "on_track": ("C6EFCE", "006100"),
    "behind": ("FFEB9C", "7F6000"),
    "at_risk": ("FFC7CE", "9C0006"),
    "achieved": ("9BC2E6", "1F3864"),
}
INITIATIVE_COLOURS = {
    "not_started": ("EDEDED", "404040"),
    "in_progress": ("DDEBF7", "1F3864"),
    "done": ("C6EFCE", "006100"),
    "blocked": ("FFC7CE", "9C0006"),
}
BANDS = (("<0.4", "FFC7CE", "9C0006"), ("<0.7", "FFEB9C", "7F6000"), (">=0.7", "C6EFCE", "006100"))

# Column widths by layout column key (characters); anything else gets 12.
WIDTHS = {
    "id": 8,
    "title": 44,
    "owner": 14,
    "type": 13,
    "aligned_to": 13,
    "weight": 8,
    "progress": 11,
    "score": 7,
    "status": 13,
    "notes": 30,
    "objective": 14,
    "metric": 12,
    "start": 9,
    "target": 9,
    "current": 9,
    "unit": 9,
    "risk_threshold": 10,
    "confidence": 11,
    "final_score": 10,
    "last_check_in": 12,
    "key_result": 15,
    "due": 11,
    "date": 11,
    "value": 10,
    "note": 40,
    "by": 14,
}


def header_cell(ws: Worksheet, row: int, col: int, text: str, kind: str) -> None:
    """A header cell: dark blue for input, grey for computed, small light grey for internal."""
    cell = ws.cell(row=row, column=col, value=text)
    if kind == "calc":
        cell.fill, cell.font = CALC_HEADER, CALC_FONT
    else:
        cell.fill = COMPUTED_HEADER if kind == "computed" else INPUT_HEADER
        cell.font = HEADER_FONT
    cell.alignment = HEADER_ALIGN


def list_validation(ws: Worksheet, cells: str, source: str, prompt: str | None = None) -> None:
    """A drop-down list that warns (but lets the user keep) a value not on the list.

    `source` is a comma-separated list of literal labels or a defined name / range formula.
    """
    formula = source if source.startswith("=") else '"' + source + '"'
    dv = DataValidation(type="list", formula1=formula.lstrip("="), allow_blank=True)
    dv.errorStyle = "warning"
    dv.showErrorMessage = True
    dv.error = "Choose a value from the list." if prompt is None else prompt
    ws.add_data_validation(dv)
    dv.add(cells)


def date_validation(ws: Worksheet, cells: str, message: str) -> None:
    """Dates from 2000-01-01 to 2100-12-31 (serials 36526..73415); anything else is refused."""
    dv = DataValidation(
        type="date", operator="between", formula1="36526", formula2="73415", allow_blank=True
    )
    dv.showErrorMessage = True
    dv.error = message
    ws.add_data_validation(dv)
    dv.add(cells)


def status_rules(
    ws: Worksheet,
    cells: str,
    first: str,
    table: dict[str, tuple[str, str]],
    colours: dict[str, tuple[str, str]],
) -> None:
    """Colour a status column by its label in either language; `first` is the top-left cell."""
    for key, (en, nl) in table.items():
        fill, font = colours[key]
        ws.conditional_formatting.add(
            cells,
            FormulaRule(
                formula=[f'OR({first}="{en}",{first}="{nl}")'],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=font),
                stopIfTrue=True,
            ),
        )


def band_rules(ws: Worksheet, cells: str, first: str) -> None:
    """Score bands on the rounded score: red < 0.4, yellow < 0.7, green from 0.7."""
    for condition, fill, font in BANDS:
        ws.conditional_formatting.add(
            cells,
            FormulaRule(
                formula=[f"AND(ISNUMBER({first}),{first}{condition})"],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=font),
                stopIfTrue=True,
            ),
        )


def progress_bars(ws: Worksheet, cells: str) -> None:
    ws.conditional_formatting.add(
        cells,
        DataBarRule(start_type="num", start_value=0, end_type="num", end_value=1, color="5B9BD5"),
    )


def kr_status_rules(ws: Worksheet, cells: str, first: str) -> None:
    status_rules(ws, cells, first, STATUSES, STATUS_COLOURS)


def initiative_status_rules(ws: Worksheet, cells: str, first: str) -> None:
    status_rules(ws, cells, first, INITIATIVE_STATUSES, INITIATIVE_COLOURS)


def page_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None = "1:1") -> None:
    """Fit to one page wide (A4 and Letter alike), repeat the header row on every page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
