"""The lossless patcher Refresh uses, on real workbooks written by openpyxl (with a chart, an image,
a comment, a defined name, data validation, conditional formatting and a user's own sheet), read
back with python-calamine, openpyxl and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import struct
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from sheetokr.errors import UnusableWorkbook, WorkbookLocked
from sheetokr.xlsx import package as package_module
from sheetokr.xlsx.patch import IssuesSheet, Overwrite, patch_workbook
from tests.libreoffice import convert, make_profile, require_soffice

KR = "Key Results"
HEADERS = ["ID", "Objective", "Key result", "Start", "Target", "Current", "Progress", "Score",
           "Status", "Last check-in"]
VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 16


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG, built by hand (Pillow is not needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


class PngImage(Image):
    """openpyxl's Image without Pillow: the bytes and size are given."""

    def __init__(self, data: bytes, width: int, height: int) -> None:
        self.ref, self.width, self.height, self.format = data, width, height, "png"
        self._bytes = data

    def _data(self) -> bytes:
        return self._bytes


def rich_workbook(path: Path, *, issues: bool = False, date1904: bool = False) -> Path:
    wb = openpyxl.Workbook()
    if date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = KR
    ws.append(HEADERS)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for row in range(2, 7):
        ws.append([f"KR1.{row - 1}", "O1", f"Reach {row * 10} customers", 0, 100, row * 10])
        ws[f"G{row}"] = f'=IF(E{row}=D{row},"",(F{row}-D{row})/(E{row}-D{row}))'
        ws[f"H{row}"] = f"=ROUND(G{row},2)"
        ws[f"H{row}"].number_format = "0.00"
        ws[f"I{row}"].fill = grey
    ws["I2"] = '=IF(G2>=0.7,"on track","behind")'
    ws["I5"] = "on track"  # typed over a computed cell
    ws["J2"].number_format = "yyyy-mm-dd"
    ws["J2"].fill = grey
    ws["A1"].comment = Comment("Keep IDs unique", "Ann")
    ws["A1"].font = Font(bold=True)
    ws.row_dimensions[4].height = 30
    validation = DataValidation(type="whole", operator="between", formula1="0", formula2="1000")
    ws.add_data_validation(validation)
    validation.add("D2:F50")
    ws.conditional_formatting.add(
        "H2:H50", CellIsRule(operator="lessThan", formula=["0.4"], fill=PatternFill("solid",
                                                                                   fgColor="FF9999"))
    )
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=6, min_row=1, max_row=6), titles_from_data=True)
    ws.add_chart(chart, "L2")
    ws.add_image(PngImage(png(), 2, 2), "L20")
    wb.defined_names["Targets"] = DefinedName("Targets", attr_text=f"'{KR}'!$E$2:$E$6")
    own = wb.create_sheet("My notes")
    own["A1"] = "Remember the offsite"
    own["B2"] = "=1+1"
    if issues:
        sheet = wb.create_sheet("Issues")
        for column, text in enumerate(["Level", "Code", "Where", "Message"], start=1):
            sheet.cell(1, column, text).font = Font(bold=True, color="FFFFFF")
            sheet.cell(1, column).fill = PatternFill("solid", fgColor="333333")
        sheet.append(["error", "E001", f"{KR}!A3", "duplicate ID"])
        sheet.append(["warning", "W102", f"{KR}!D4", "no owner"])
        sheet.column_dimensions["D"].width = 90
    wb.save(path)
    return path


def make_xlsm(source: Path, target: Path) -> Path:
    """An .xlsm made by hand: a fake vbaProject.bin part with its content type and relationship."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"<Default ",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    b"<Default ",
                    1,
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            out.writestr(info, data)
        out.writestr("xl/vbaProject.bin", VBA)
    return target


def raw_members(path: Path) -> list[tuple[str, bytes]]:
    """Each member's name and stored bytes: local header, name, extra and compressed data."""
    blob = path.read_bytes()
    found = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            start = info.header_offset
            name_len, extra_len = struct.unpack_from("<HH", blob, start + 26)
            end = start + 30 + name_len + extra_len + info.compress_size
            found.append((info.filename, blob[start:end]))
    return found


def member(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def sheet_part(path: Path, sheet: str) -> str:
    """The worksheet part of `sheet`, found the way Excel does (workbook.xml and its rels)."""
    book, rels = member(path, "xl/workbook.xml"), member(path, "xl/_rels/workbook.xml.rels")
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book)
    assert rid, f"no sheet {sheet}"
    target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target
    return "xl/" + target.group(1).removeprefix("/xl/")


CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.S)


def cells(xml: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in CELL.finditer(xml)}


def without(xml: str, refs: set[str], new_rows: set[str]) -> str:
    """The sheet text with the `refs` cells and the rows created for them taken out."""
    xml = CELL.sub(lambda m: "" if m.group(1) in refs else m.group(0), xml)
    return re.sub(
        r'<row r="(\d+)"></row>', lambda m: "" if m.group(1) in new_rows else m.group(0), xml
    )


def assert_only_cells_changed(before: str, after: str, refs: set[str], new_rows: set[str]) -> None:
    assert without(after, refs, new_rows) == without(before, refs, set())
    old, new = cells(before), cells(after)
    for ref in (old.keys() | new.keys()) - refs:
        assert old.get(ref) == new.get(ref), ref


def values(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


EDITS = {
    "G2": 0.1, "H2": 0.1, "I2": "behind",  # formulas: cached values only
    "G3": 0.2,  # a formula whose cached value was empty
    "I3": "on track",  # an empty, styled cell
    "J2": dt.date(2027, 2, 10),  # an empty date-formatted cell
    "K4": True,  # an absent cell in an existing row
    "I5": "behind",  # a typed constant: kept
    "B9": "=HYPERLINK(\"x\")",  # an absent row, formula-looking text
}


@pytest.fixture(params=["xlsx", "xlsm"])
def workbook(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = rich_workbook(tmp_path / "team.xlsx")
    if request.param == "xlsm":
        path = make_xlsm(path, tmp_path / "team.xlsm")
    return path


def test_only_the_targeted_cells_change_and_every_other_part_stays_byte_for_byte(
    workbook: Path, tmp_path: Path
) -> None:
    before = raw_members(workbook)
    part = sheet_part(workbook, KR)
    sheet_before = member(workbook, part)
    report = patch_workbook(workbook, {KR: EDITS})
    after = raw_members(workbook)
    assert report.written
    assert [n for n, _ in after] == [n for n, _ in before]
    changed = [n for (n, old), (_, new) in zip(before, after, strict=True) if old != new]
    assert changed == [part]
    names = [n for n, _ in after]
    for expected in ("xl/charts/chart1.xml", "xl/media/image1.png", "xl/comments/comment1.xml"):
        assert expected in names
    if workbook.suffix == ".xlsm":
        with zipfile.ZipFile(workbook) as archive:
            assert archive.read("xl/vbaProject.bin") == VBA
    targeted = set(EDITS) - {"I5"}
    assert_only_cells_changed(sheet_before, member(workbook, part), targeted, {"9"})
    assert cells(member(workbook, part))["I5"] == cells(sheet_before)["I5"]


def test_formulas_keep_their_text_and_get_cached_values(workbook: Path) -> None:
    patch_workbook(workbook, {KR: EDITS})
    xml = cells(member(workbook, sheet_part(workbook, KR)))
    assert "<f>ROUND(G2,2)</f><v>0.1</v>" in xml["H2"]
    assert ' t="' not in xml["H2"] or ' t="n"' in xml["H2"]
    assert ' t="str"' in xml["I2"] and "<v>behind</v>" in xml["I2"]
    formulas = openpyxl.load_workbook(workbook)[KR]
    assert formulas["H2"].value == "=ROUND(G2,2)"
    assert formulas["I2"].value == '=IF(G2>=0.7,"on track","behind")'
    assert formulas["G3"].value == '=IF(E3=D3,"",(F3-D3)/(E3-D3))'
    cached = openpyxl.load_workbook(workbook, data_only=True)[KR]
    assert (cached["G2"].value, cached["H2"].value, cached["I2"].value) == (0.1, 0.1, "behind")
    assert cached["G3"].value == 0.2
    grid = values(workbook, KR)
    assert grid[1][6:10] == [0.1, 0.1, "behind", dt.date(2027, 2, 10)]
    assert grid[2][6] == 0.2


def test_empty_and_absent_cells_get_inline_values_keeping_style_and_order(workbook: Path) -> None:
    part = sheet_part(workbook, KR)
    style_before = re.search(r' s="(\d+)"', cells(member(workbook, part))["I3"])
    patch_workbook(workbook, {KR: EDITS})
    xml = member(workbook, part)
    found = cells(xml)
    assert style_before and f' s="{style_before.group(1)}"' in found["I3"]
    assert '<is><t xml:space="preserve">on track</t></is>' in found["I3"]
    assert 't="inlineStr"' in found["B9"] and "<f>" not in found["B9"]
    row4 = re.search(r'<row r="4"[^>]*>(.*?)</row>', xml, re.S)
    assert row4 and 'ht="30"' in row4.group(0)
    order = re.findall(r'<c r="([A-Z]+)4"', row4.group(1))
    assert order == sorted(order, key=lambda c: (len(c), c)) and "K" in order
    assert re.findall(r'<row r="(\d+)"', xml) == [str(n) for n in (1, 2, 3, 4, 5, 6, 9)]
    with zipfile.ZipFile(workbook) as archive:
        assert not any("sharedStrings" in n for n in archive.namelist())
    cached = openpyxl.load_workbook(workbook, data_only=True)[KR]
    assert cached["J2"].value == dt.datetime(2027, 2, 10)
    assert cached["K4"].value is True
    assert cached["B9"].value == '=HYPERLINK("x")'
    grid = values(workbook, KR)
    assert (grid[2][8], grid[3][10], grid[8][1]) == ("on track", True, '=HYPERLINK("x")')


def test_typed_constants_are_kept_and_reported_unless_overwritten(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    report = patch_workbook(path, {KR: {"I5": "behind", "F2": 20}})
    assert [(k.sheet, k.ref, k.value, k.computed, k.differs) for k in report.kept] == [
        (KR, "F2", 20.0, 20, False),
        (KR, "I5", "on track", "behind", True),
    ]
    assert report.changes == [] and not report.written
    report = patch_workbook(path, {KR: {"I5": Overwrite("behind"), "H3": Overwrite(0.5)}})
    assert [(c.ref, c.old, c.new) for c in report.changes] == [
        ("H3", None, 0.5), ("I5", "on track", "behind"),
    ]
    assert openpyxl.load_workbook(path)[KR]["H3"].value == "=ROUND(G3,2)"
    assert values(path, KR)[4][8] == "behind"


@pytest.mark.parametrize(
    "text", ["=SUM(A1:A3)", "+31 6 1234", "-5", "@user", "a < b & c", "x\x01y", "_x0041_"]
)
def test_text_is_written_as_text_never_as_a_formula(tmp_path: Path, text: str) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    patch_workbook(path, {KR: {"K2": text, "I2": text}})
    found = cells(member(path, sheet_part(path, KR)))
    assert "<f>" not in found["K2"] and 't="inlineStr"' in found["K2"]
    assert '<f>IF(G2&gt;=0.7,"on track","behind")</f>' in found["I2"]
    grid = values(path, KR)
    assert grid[1][10] == text and grid[1][8] == text
    if text.isprintable() and "_x" not in text:  # openpyxl leaves Excel's _xHHHH_ escapes
        assert openpyxl.load_workbook(path, data_only=True)[KR]["K2"].value == text


def test_report_lists_every_change_with_old_and_new_values(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    patch_workbook(path, {KR: {"G2": 0.25}})
    report = patch_workbook(path, {KR: {"G2": 0.5, "G3": None, "I6": "on track", "H4": 0.3}})
    assert [(c.sheet, c.ref, c.old, c.new) for c in report.changes] == [
        (KR, "G2", 0.25, 0.5), (KR, "H4", None, 0.3), (KR, "I6", None, "on track"),
    ]
    assert report.lines()[0] == f"{KR}!G2: 0.25 -> 0.5"


def test_a_dry_run_writes_nothing_and_works_while_the_workbook_is_open(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    (tmp_path / "~$team.xlsx").write_bytes(b"owner")
    blob, mtime = path.read_bytes(), path.stat().st_mtime_ns
    report = patch_workbook(path, {KR: EDITS}, dry_run=True,
                            issues_sheet=IssuesSheet("Issues", [["Level"], ["error"]]))
    assert report.dry_run and not report.written and report.added_sheet == "Issues"
    assert {c.ref for c in report.changes} >= set(EDITS) - {"I5"}
    assert path.read_bytes() == blob and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.xlsx", "~$team.xlsx"]


@pytest.mark.parametrize("lock", ["~$team.xlsx", "~$am.xlsx", ".~lock.team.xlsx#"])
def test_a_workbook_open_elsewhere_is_refused(tmp_path: Path, lock: str) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    blob = path.read_bytes()
    (tmp_path / lock).write_bytes(b"owner")
    with pytest.raises(WorkbookLocked, match=r"team\.xlsx is open in (Excel|LibreOffice).*close"):
        patch_workbook(path, {KR: {"G2": 1.0}})
    assert path.read_bytes() == blob


def test_a_read_only_workbook_is_refused(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    path.chmod(0o444)
    with pytest.raises(WorkbookLocked, match=r"team\.xlsx is read-only; make it writable"):
        patch_workbook(path, {KR: {"G2": 1.0}})
    assert openpyxl.load_workbook(path, data_only=True)[KR]["G2"].value is None


def test_writing_replaces_the_file_atomically_and_keeps_its_mode(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    path.chmod(0o640)
    inode = path.stat().st_ino
    patch_workbook(path, {KR: {"G2": 1.0}})
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert [p.name for p in tmp_path.iterdir()] == ["team.xlsx"]


def test_nothing_is_written_when_nothing_changes(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    assert patch_workbook(path, {KR: {"G2": 0.1, "I3": "x"}}).written
    blob = path.read_bytes()
    again = patch_workbook(path, {KR: {"G2": 0.1, "I3": "x"}})
    assert not again.written and again.changes == []
    assert [(k.ref, k.differs) for k in again.kept] == [("I3", False)]
    assert path.read_bytes() == blob


def test_a_missing_issues_sheet_is_added_as_the_only_new_part(workbook: Path) -> None:
    before = dict(raw_members(workbook))
    rows = [["Level", "Code", "Where", "Message"], ["error", "E001", f"{KR}!A3", "duplicate ID"],
            ["warning", "W121", f"{KR}!I5", "=a constant typed over a computed cell"]]
    report = patch_workbook(workbook, {}, issues_sheet=IssuesSheet("Issues", rows))
    after = dict(raw_members(workbook))
    added = set(after) - set(before)
    assert added == {"xl/worksheets/sheet3.xml"} and report.added_sheet == "Issues"
    assert {n for n in before if before[n] != after[n]} == {
        "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"
    }
    assert 'PartName="/xl/worksheets/sheet3.xml"' in member(workbook, "[Content_Types].xml")
    assert values(workbook, "Issues") == rows
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == [KR, "My notes", "Issues"]
    assert wb.defined_names["Targets"].attr_text == f"'{KR}'!$E$2:$E$6"
    assert len(report.changes) == 12


def test_an_existing_issues_sheet_is_rewritten_in_full_keeping_the_header_style(
    tmp_path: Path,
) -> None:
    path = rich_workbook(tmp_path / "team.xlsx", issues=True)
    before = dict(raw_members(path))
    part = sheet_part(path, "Issues")
    header_styles = re.findall(r'<c r="[A-D]1"[^>]* s="(\d+)"', member(path, part))
    rows = [["Level", "Code", "Where", "Message"], ["warning", "W101", "Objectives!A2", "1 KR"]]
    report = patch_workbook(path, {KR: {"G2": 0.5}}, issues_sheet=IssuesSheet("Issues", rows))
    after = dict(raw_members(path))
    assert {n for n in before if before[n] != after[n]} == {part, sheet_part(path, KR)}
    assert values(path, "Issues") == rows
    xml = member(path, part)
    assert re.findall(r'<c r="[A-D]1"[^>]* s="(\d+)"', xml) == header_styles != []
    assert '<cols><col width="90" customWidth="1" min="4" max="4" /></cols>' in xml
    assert "A3" not in cells(xml) and '<dimension ref="A1:D2" />' in xml
    assert {(c.ref, c.old, c.new) for c in report.changes if c.sheet == "Issues"} == {
        ("A2", "error", "warning"), ("B2", "E001", "W101"), ("C2", f"{KR}!A3", "Objectives!A2"),
        ("D2", "duplicate ID", "1 KR"), ("A3", "warning", None), ("B3", "W102", None),
        ("C3", f"{KR}!D4", None), ("D3", "no owner", None),
    }


def test_dates_follow_the_workbooks_date_system(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx", date1904=True)
    patch_workbook(path, {KR: {"J2": dt.date(2027, 2, 10), "J3": dt.datetime(2027, 2, 10, 12)}})
    found = cells(member(path, sheet_part(path, KR)))
    assert "<v>44966</v>" in found["J2"] and "<v>44966.5</v>" in found["J3"]
    assert openpyxl.load_workbook(path, data_only=True)[KR]["J2"].value == dt.datetime(2027, 2, 10)


def test_a_prefixed_namespace_and_cells_without_r_are_handled(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    part = sheet_part(path, "My notes")
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    xml = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1"><x:c t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c>'
        '<x:c><x:v>2</x:v></x:c></x:row><x:row><x:c r="A2"><x:f>1+1</x:f></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    patch_workbook(path, {"My notes": {"C1": 3, "A2": 2, "A1": "b", "D3": "new"}})
    text = member(path, part)
    assert '<x:c r="C1"><x:v>3</x:v></x:c>' in text
    assert "<x:f>1+1</x:f><x:v>2</x:v>" in text and '<x:row r="3">' in text
    assert values(path, "My notes") == [["a", 2.0, 3.0, ""], [2.0, "", "", ""],
                                        ["", "", "", "new"]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"name,score\nsales,1\n", "not a zip package"),
        (package_module.OLE_SIGNATURE + b"\x00" * 600, "encrypted with a password"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "team.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnusableWorkbook, match=message):
        patch_workbook(path, {KR: {"G2": 1}})


def test_a_zip_without_a_workbook_part_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(UnusableWorkbook, match=r"team\.xlsx has no xl/workbook\.xml"):
        patch_workbook(path, {KR: {"G2": 1}})


def test_zip_bombs_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/blank.bin", b"\x00" * (8 * 1024 * 1024))
    with pytest.raises(UnusableWorkbook, match=r"compressed more than 100:1 .*zip bomb"):
        patch_workbook(path, {KR: {"G2": 1}})
    path = rich_workbook(tmp_path / "team2.xlsx")
    monkeypatch.setattr(package_module, "MAX_TOTAL_BYTES", 20_000)
    with pytest.raises(UnusableWorkbook, match=r"unpacks to more than .* zip bomb"):
        patch_workbook(path, {KR: {"G2": 1}})
    monkeypatch.setattr(package_module, "MAX_MEMBERS", 5)
    with pytest.raises(UnusableWorkbook, match=r"holds \d+ parts; .* at most 5"):
        patch_workbook(path, {KR: {"G2": 1}})


def test_an_unknown_sheet_name_is_a_sentence(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    with pytest.raises(UnusableWorkbook, match=r"has no sheet named 'Checkins' \(it has: Key"):
        patch_workbook(path, {"Checkins": {"A1": 1}})
    report = patch_workbook(path, {"key results": {"G2": 0.5}})
    assert report.changes[0].sheet == KR


def test_fifty_key_results_and_five_hundred_check_ins_patch_well_under_half_a_second(
    tmp_path: Path,
) -> None:
    wb = openpyxl.Workbook()
    krs = wb.active
    krs.title = KR
    krs.append(HEADERS)
    for row in range(2, 52):
        krs.append([f"KR{row}", "O1", "Reach", 0, 100, row])
        for col, formula in zip("GHIJ", (f"=F{row}/E{row}", f"=ROUND(G{row},2)",
                                          f'=IF(G{row}>0.5,"on track","behind")',
                                          f"=MAXIFS('Check-ins'!A:A,'Check-ins'!B:B,A{row})"),
                                strict=True):
            krs[f"{col}{row}"] = formula
        krs[f"J{row}"].number_format = "yyyy-mm-dd"
    check_ins = wb.create_sheet("Check-ins")
    check_ins.append(["Date", "Key result", "Value", "Confidence", "Note", "By"])
    for n in range(500):
        check_ins.append([dt.date(2027, 1, 1) + dt.timedelta(days=n % 80), f"KR{n % 50 + 2}", n,
                          "7", f"note {n}", "Ann"])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    edits = {KR: {}} | {}
    for row in range(2, 52):
        edits[KR] |= {f"G{row}": row / 100, f"H{row}": round(row / 100, 2),
                      f"I{row}": "on track", f"J{row}": dt.date(2027, 3, 1), f"K{row}": "note"}
    issues = IssuesSheet("Issues", [["Level", "Code", "Where", "Message"]]
                         + [["warning", "W105", f"{KR}!A{r}", "no check-in"] for r in range(2, 52)])
    started = time.perf_counter()
    report = patch_workbook(path, edits, issues_sheet=issues)
    elapsed = time.perf_counter() - started
    assert len(report.changes) == 250 + 51 * 4
    assert elapsed < 0.5, f"patching took {elapsed:.3f} s"
    assert values(path, KR)[50][6:11] == [0.51, 0.51, "on track", dt.date(2027, 3, 1), "note"]


def test_libreoffice_opens_the_patched_workbook(tmp_path: Path) -> None:
    require_soffice()
    path = rich_workbook(tmp_path / "team.xlsx")
    patch_workbook(path, {KR: EDITS}, issues_sheet=IssuesSheet("Issues", [["Level"], ["error"]]))
    profile = make_profile(tmp_path / f"lo-profile-{os.getpid()}")
    out = tmp_path / "out"
    csv_file = convert([path], "csv", out, profile)[0]
    text = csv_file.read_text(encoding="utf-8")
    assert "on track" in text and '=HYPERLINK(""x"")' in text and "behind" in text
    saved = convert([path], "xlsx", tmp_path / "saved", profile)[0]
    grid = values(saved, KR)
    assert grid[2][8] == "on track" and grid[3][10] is True and grid[8][1] == '=HYPERLINK("x")'
    assert values(saved, "Issues") == [["Level"], ["error"]]
    # A workbook LibreOffice saved (shared strings, its own zip layout) patches as well.
    report = patch_workbook(saved, {KR: {"I5": "behind", "K5": "x"}})
    assert [(k.ref, k.value) for k in report.kept] == [("I5", "on track")]
    assert values(saved, KR)[4][10] == "x"


def test_calc_chain_entries_of_a_rewritten_sheet_are_dropped() -> None:
    from sheetokr.xlsx.issues import drop_calc_entries

    def chain(entries: str) -> str:
        return f'<calcChain xmlns="x">{entries}</calcChain>'

    mixed = chain('<c r="A1" i="1"/><c r="B1"/><c r="A2" i="3"/><c r="A3"/><c r="C1" i="1"/>')
    assert drop_calc_entries(mixed, 3) == chain('<c r="A1" i="1"/><c r="B1"/><c r="C1" i="1"/>')
    assert drop_calc_entries(mixed, 1) == chain('<c r="A2" i="3"/><c r="A3"/>')
    assert drop_calc_entries(chain('<c r="A1" i="2"/><c r="B2"/>'), 2) is None
