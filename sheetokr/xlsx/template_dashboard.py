"""The Dashboard sheet of the team-workbook template: team progress, score and status, counts by
status, a table of objectives and a bar chart of their progress, all as live formulas.

`DASHBOARD_CELLS` names the cells other code and the tests read (team progress, score, status).
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from sheetokr.sheets.layout import CYCLE, KEY_RESULTS, OBJECTIVES, STATUSES
from sheetokr.xlsx import template_style as style
from sheetokr.xlsx.template_formulas import (
    CAPACITY,
    CYCLE_ROW,
    LEVELS,
    Refs,
    column,
    status_label,
)
from sheetokr.xlsx.template_rollup import team_formulas
from sheetokr.xlsx.template_text import CALC_PREFIX, DASHBOARD, word

DASHBOARD_CELLS = {
    "team": "B3",
    "cycle": "B4",
    "as_of": "B5",
    "elapsed": "B6",
    "expected": "B7",
    "progress": "B9",
    "score": "B10",
    "status": "B11",
}
STATUS_CODE_CELL = "H11"  # hidden helper (column G holds its calc: label)
COUNTS_FIRST_ROW = 15
TABLE_FIRST_ROW = 23


def build_dashboard(ws: Worksheet, refs: Refs) -> None:
    lang = refs.lang
    cycle = refs.sheet(CYCLE)
    team = team_formulas(refs)
    ws["A1"] = word(DASHBOARD, "title", lang)
    ws["A1"].font = style.TITLE_FONT
    ws["A2"] = word(DASHBOARD, "note", lang)
    ws["A2"].font = style.CALC_FONT

    values = {
        "team": _copy(f"{cycle}!$B${CYCLE_ROW['team_name']}"),
        "cycle": _copy(f"{cycle}!$B${CYCLE_ROW['cycle']}"),
        "as_of": f"={refs.cycle_calc('as_of')}",
        "elapsed": f"={refs.cycle_calc('t')}",
        "expected": team["expected"],
        "progress": team["progress"],
        "score": team["score"],
        "status": status_label(refs, STATUS_CODE_CELL),
    }
    formats = {
        "as_of": style.DATE,
        "elapsed": style.PERCENT,
        "expected": style.PERCENT,
        "progress": style.PERCENT,
        "score": style.SCORE,
    }
    for key, ref in DASHBOARD_CELLS.items():
        row = int(ref[1:])
        label = ws.cell(row=row, column=1, value=word(DASHBOARD, key, lang))
        label.font = style.BOLD
        cell = ws[ref]
        cell.value = values[key]
        cell.number_format = formats.get(key, "General")
        cell.alignment = style.Alignment(horizontal="left")
    for key in ("progress", "score", "status"):
        ws[DASHBOARD_CELLS[key]].font = style.Font(bold=True, size=14)
    ws["G11"] = CALC_PREFIX + "team status"
    ws["G11"].font = style.CALC_FONT
    ws[STATUS_CODE_CELL] = team["status_code"]
    style.kr_status_rules(ws, DASHBOARD_CELLS["status"], DASHBOARD_CELLS["status"])
    style.band_rules(ws, DASHBOARD_CELLS["score"], DASHBOARD_CELLS["score"])
    _counts(ws, refs)
    _objective_table(ws, refs)
    for letter, width in (("A", 24), ("B", 44), ("C", 12), ("D", 10), ("E", 14), ("F", 4)):
        ws.column_dimensions[letter].width = width
    for letter in ("G", "H"):
        ws.column_dimensions[letter].hidden = True
    style.page_setup(ws, landscape=True, title_rows=None)


def _copy(ref: str) -> str:
    return f'=IF({ref}="","",{ref})'


def _counts(ws: Worksheet, refs: Refs) -> None:
    lang = refs.lang
    top = COUNTS_FIRST_ROW - 2
    ws.cell(row=top, column=1, value=word(DASHBOARD, "by_status", lang)).font = style.HEADING_FONT
    for i, key in enumerate(("status_col", "objectives", "key_results")):
        style.header_cell(ws, top + 1, i + 1, word(DASHBOARD, key, lang), "computed")
    objectives = refs.rng(OBJECTIVES, f"calc.st{LEVELS}")
    key_results = refs.rng(KEY_RESULTS, "calc.status")
    for code in range(1, len(STATUSES) + 1):
        row = COUNTS_FIRST_ROW + code - 1
        ws.cell(row=row, column=1, value=f"=INDEX({refs.status_labels()},{code})")
        for col, source in ((2, objectives), (3, key_results)):
            count = ws.cell(row=row, column=col, value=f"=COUNTIFS({source},{code})")
            count.alignment = style.Alignment(horizontal="center")
    last = COUNTS_FIRST_ROW + len(STATUSES) - 1
    style.kr_status_rules(ws, f"A{COUNTS_FIRST_ROW}:A{last}", f"A{COUNTS_FIRST_ROW}")


def _objective_table(ws: Worksheet, refs: Refs) -> None:
    lang = refs.lang
    head = TABLE_FIRST_ROW - 1
    ws.cell(
        row=head - 1, column=1, value=word(DASHBOARD, "per_objective", lang)
    ).font = style.HEADING_FONT
    keys = ("id", "objective", "obj_progress", "obj_score", "obj_status")
    for i, key in enumerate(keys):
        style.header_cell(ws, head, i + 1, word(DASHBOARD, key, lang), "computed")
    sheet = refs.sheet(OBJECTIVES)
    source = ("id", "title", "progress", "score", "status")
    n = CAPACITY["objectives"]
    for offset in range(n):
        row, src = TABLE_FIRST_ROW + offset, 2 + offset
        for i, key in enumerate(source):
            ref = f"{sheet}!{column(OBJECTIVES, key)}{src}"
            cell = ws.cell(row=row, column=i + 1, value=f'=IF({ref}="","",{ref})')
            if key == "progress":
                cell.number_format = style.PERCENT
            elif key == "score":
                cell.number_format = style.SCORE
    last = TABLE_FIRST_ROW + n - 1
    style.progress_bars(ws, f"C{TABLE_FIRST_ROW}:C{last}")
    style.band_rules(ws, f"D{TABLE_FIRST_ROW}:D{last}", f"D{TABLE_FIRST_ROW}")
    style.kr_status_rules(ws, f"E{TABLE_FIRST_ROW}:E{last}", f"E{TABLE_FIRST_ROW}")

    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = word(DASHBOARD, "chart_title", lang)
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.number_format = "0%"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"
    chart.legend = None
    chart.gapWidth = 40
    chart.x_axis.tickLblSkip = 1
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(ws, min_col=3, min_row=head, max_row=last)
    cats = Reference(ws, min_col=1, min_row=TABLE_FIRST_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height, chart.width = 10, 14
    ws.add_chart(chart, "D3")
