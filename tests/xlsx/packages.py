"""Packages for the patcher and Refresh tests: a workbook with every part Refresh must keep
(chart, image, comment, defined name, validation, conditional formatting, a user's sheet), an
.xlsm with a VBA part, and helpers that compare packages part by part and cell by cell."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

KR = "Key Results"
HEADERS = [
    "ID",
    "Objective",
    "Key result",
    "Start",
    "Target",
    "Current",
    "Progress",
    "Score",
    "Status",
    "Last check-in",
]
VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 16


def png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG, built by hand (Pillow is not needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


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
        "H2:H50",
        CellIsRule(
            operator="lessThan", formula=["0.4"], fill=PatternFill("solid", fgColor="FF9999")
        ),
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
