"""The team-workbook template: layout as SPEC section 2, portable formulas, validation, formatting,
page setup, safe writing, and shipped templates that match the generator."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest

from sheetokr.core.engine import score_team
from sheetokr.errors import SheetokrError, WorkbookLocked
from sheetokr.sheets.layout import (
    CHECK_INS,
    CYCLE,
    DATA_SHEETS,
    INITIATIVES,
    INSTRUCTIONS,
    ISSUES,
    KEY_RESULTS,
    OBJECTIVES,
    STATUSES,
    label,
)
from sheetokr.xlsx.read import load_team
from sheetokr.xlsx.template import (
    TEMPLATE_NAMES,
    build_team_workbook,
    workbook_bytes,
    write_team_workbook,
)
from sheetokr.xlsx.template_formulas import CAPACITY, HELPERS
from sheetokr.xlsx.template_text import ISSUE_HEADERS
from tests.libreoffice import libreoffice_profile, recalculate  # noqa: F401

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LANGS = ("en", "nl")
NOT_PORTABLE = re.compile(r"\b(LET|LAMBDA|XLOOKUP|XMATCH|FILTER|SORT|UNIQUE|SEQUENCE)\(")
NEEDS_PREFIX = re.compile(r"(?<![.\w])(MAXIFS|MINIFS|IFS|SWITCH|IFNA|TEXTJOIN|CONCAT)\(")


def parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return {n: package.read(n) for n in package.namelist() if not n.startswith("docProps/")}


def loaded(lang: str, **fields: object) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(build_team_workbook(lang, **fields))))


@pytest.mark.parametrize("lang", LANGS)
def test_shipped_templates_match_the_generator(lang: str) -> None:
    shipped = TEMPLATES / TEMPLATE_NAMES[lang]
    made = workbook_bytes(build_team_workbook(lang))
    assert shipped.exists(), "run: python -m sheetokr.xlsx.template --write-templates templates/"
    old, new = parts(shipped.read_bytes()), parts(made)
    assert sorted(old) == sorted(new)
    stale = [name for name in new if old[name] != new[name]]
    assert not stale, f"{shipped.name} is out of date in {stale}; regenerate templates/"


def test_output_is_deterministic() -> None:
    first = workbook_bytes(build_team_workbook("en", team="sales"))
    assert first == workbook_bytes(build_team_workbook("en", team="sales"))
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml")
    assert b"2026-01-01T00:00:00Z" in core


@pytest.mark.parametrize("lang", LANGS)
def test_sheets_and_headers_follow_the_layout(lang: str) -> None:
    wb = loaded(lang)
    for layout in (INSTRUCTIONS, CYCLE, *DATA_SHEETS, ISSUES):
        assert layout.name(lang) in wb.sheetnames
    assert wb.sheetnames[0] == INSTRUCTIONS.name(lang)
    for layout in DATA_SHEETS:
        ws = wb[layout.name(lang)]
        headers = [c.value for c in ws[1]]
        n = len(layout.columns)
        assert headers[:n] == [c.header(lang) for c in layout.columns]
        helpers = headers[n:]
        assert len(helpers) == len(HELPERS.get(layout.key, ()))
        for i, text in enumerate(helpers, start=n):
            assert text.startswith("calc: ")
            letter = openpyxl.utils.get_column_letter(i + 1)
            assert ws.column_dimensions[letter].hidden, f"{layout.key} {text} should be hidden"
        assert ws.freeze_panes in ("A2", "B2")
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    cycle = wb[CYCLE.name(lang)]
    assert [cycle.cell(row=i + 1, column=1).value for i in range(len(CYCLE.columns))] == [
        c.header(lang) for c in CYCLE.columns
    ]
    assert cycle["B7"].value == lang and cycle["B10"].value is None
    assert [c.value for c in wb[ISSUES.name(lang)][1]] == list(ISSUE_HEADERS[lang])


def test_instructions_teach_the_method() -> None:
    for lang, sentence in (("en", "I will [objective] as measured by"), ("nl", "Ik ga [doel")):
        text = " ".join(str(c.value) for c in loaded(lang)[INSTRUCTIONS.name(lang)]["A"])
        assert sentence in text
        for word in {"en": ("3 to 5", "owner", "Aspirational", "Check in every week"),
                     "nl": ("3 tot 5", "eigenaar", "Ambitieuze", "Check elke week")}[lang]:
            assert word in text


@pytest.mark.parametrize("lang", LANGS)
def test_formulas_are_portable_and_cover_the_prepared_rows(lang: str) -> None:
    wb = loaded(lang)
    formulas = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    formulas += 1
                    assert not NOT_PORTABLE.search(cell.value), (ws.title, cell.coordinate)
                    assert not NEEDS_PREFIX.search(cell.value), (ws.title, cell.coordinate)
    assert formulas > 2000
    assert CAPACITY["objectives"] >= 10 and CAPACITY["key_results"] >= 50
    assert CAPACITY["initiatives"] >= 50 and CAPACITY["check_ins"] >= 500
    for layout in (OBJECTIVES, KEY_RESULTS):
        ws = wb[layout.name(lang)]
        last = CAPACITY[layout.key] + 1
        headers = [c.value for c in ws[1]]
        for key in layout.computed_keys:
            col = headers.index(layout.column(key).header(lang)) + 1
            assert str(ws.cell(row=2, column=col).value).startswith("=")
            assert str(ws.cell(row=last, column=col).value).startswith("=")
            assert ws.cell(row=last + 1, column=col).value is None


def _validations(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, tuple[str, str]]:
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng] = (dv.type, dv.formula1)
    return out


def test_drop_downs_and_date_validation() -> None:
    wb = loaded("nl")
    objectives = _validations(wb[OBJECTIVES.name("nl")])
    assert objectives["D2:D21"] == ("list", '"vastgelegd,ambitieus"')
    krs = _validations(wb[KEY_RESULTS.name("nl")])
    assert krs["E2:E101"][1].startswith('"verhogen,verlagen,minimaal,maximaal,mijlpaal')
    assert krs["B2:B101"] == ("list", "ObjectiveIDs")
    initiatives = _validations(wb[INITIATIVES.name("nl")])
    assert initiatives["F2:F101"] == ("list", '"niet gestart,bezig,klaar,geblokkeerd"')
    assert initiatives["G2:G101"][0] == "date"
    check_ins = _validations(wb[CHECK_INS.name("nl")])
    assert check_ins["B2:B1001"] == ("list", "KeyResultIDs")
    assert check_ins["A2:A1001"][0] == "date"
    assert wb.defined_names["ObjectiveIDs"].attr_text == "'Doelstellingen'!$A$2:$A$21"
    assert wb.defined_names["KeyResultIDs"].attr_text == "'Hoofdresultaten'!$A$2:$A$101"


def test_conditional_formatting_and_number_formats() -> None:
    wb = loaded("en")
    ws = wb[KEY_RESULTS.name("en")]
    rules = {str(rng.sqref): [r.type for r in rules] for rng, rules in
             ws.conditional_formatting._cf_rules.items()}
    assert rules["N2:N101"] == ["dataBar"]
    assert rules["O2:O101"] == ["expression"] * 3
    assert rules["P2:P101"] == ["expression"] * len(STATUSES)
    assert ws["N2"].number_format == "0%" and ws["O2"].number_format == "0.00"
    assert ws["Q2"].number_format == "yyyy-mm-dd"
    assert b"<barChart>" in zipfile.ZipFile(
        io.BytesIO(workbook_bytes(build_team_workbook("en")))).read("xl/charts/chart1.xml")


def test_filled_workbook_reads_back(tmp_path: Path) -> None:
    data = {
        "objectives": [{"id": "O1", "title": "=HYPERLINK(\"x\")", "type": "committed"}],
        "key_results": [{"id": "KR1.1", "objective": "O1", "title": "+31 calls", "target": 10,
                         "current": 5, "owner": "@ann"}],
    }
    path = write_team_workbook(tmp_path / "sales.xlsx", "en", team="sales", name="Sales",
                               cycle="2027-Q1", start="2027-01-01", end="2027-03-31", data=data)
    model = load_team(path)
    assert model.team_key == "sales" and model.lang == "en"
    assert [r.number for r in model.objectives] == [2]
    assert model.objectives[0].text("title") == '=HYPERLINK("x")'
    assert model.key_results[0].text("title") == "+31 calls"
    assert model.key_results[0].text("owner") == "@ann"
    assert model.initiatives == [] and model.check_ins == []
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet3.xml")
    assert b"HYPERLINK" in xml and not re.search(rb"<f>[^<]*HYPERLINK", xml)


def test_empty_template_reads_as_an_empty_team() -> None:
    for lang in LANGS:
        model = load_team(TEMPLATES / TEMPLATE_NAMES[lang])
        assert model.lang == lang
        assert (model.objectives, model.key_results, model.check_ins) == ([], [], [])
        codes = {i.code for i in score_team(model).issues}
        assert not {c for c in codes if c.startswith("E")} - {"E010"}


def test_writing_refuses_to_overwrite_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = write_team_workbook(tmp_path / "team.xlsx", "en", team="a")
    with pytest.raises(SheetokrError, match="already exists"):
        write_team_workbook(path, "en", team="b")
    assert load_team(path).team_key == "a"
    write_team_workbook(path, "en", team="b", overwrite=True)
    assert load_team(path).team_key == "b"
    (tmp_path / "~$team.xlsx").write_bytes(b"lock")
    with pytest.raises(WorkbookLocked):
        write_team_workbook(path, "en", overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.xlsx", "~$team.xlsx"]
    with pytest.raises(SheetokrError, match="YYYY-MM-DD"):
        write_team_workbook(tmp_path / "x.xlsx", "en", start="31/03/2027")
    with pytest.raises(SheetokrError, match="Language"):
        build_team_workbook("de")
    with pytest.raises(SheetokrError, match="at most"):
        build_team_workbook("en", data={"objectives": [{"id": f"O{i}"} for i in range(99)]})


def test_empty_templates_recalculate_to_blank_results(
    recalculate: Callable[[Sequence[Path]], list[Path]],  # noqa: F811
) -> None:
    from python_calamine import CalamineWorkbook

    outputs = recalculate([TEMPLATES / TEMPLATE_NAMES[lang] for lang in LANGS])
    for lang, out in zip(LANGS, outputs, strict=True):
        book = CalamineWorkbook.from_path(str(out))
        for layout in (OBJECTIVES, KEY_RESULTS):
            rows = book.get_sheet_by_name(layout.name(lang)).to_python()
            assert len(rows) >= 2
            headers = rows[0]
            for key in layout.computed_keys:
                col = headers.index(layout.column(key).header(lang))
                assert {row[col] for row in rows[1:]} == {""}
        cycle = book.get_sheet_by_name(CYCLE.name(lang)).to_python()
        assert [r[4] for r in cycle[5:10]] == [label(STATUSES, k, lang) for k in STATUSES]
        with zipfile.ZipFile(out) as package:
            for name in package.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    assert b't="e"' not in package.read(name), name
