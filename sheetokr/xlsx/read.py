"""Reading team workbooks (.xlsx, .xlsm) into a grid with python-calamine, then the model.

calamine reads cached values fast but turns spreadsheet error values (#DIV/0!, #REF!, #N/A) into
empty strings; the few worksheets whose XML holds an error cell (`t="e"`) are scanned once more
so those cells become `CellError` and get E004 instead of silently reading as blank.
Every way a file can be unusable becomes `UnusableWorkbook` with one sentence.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path

import python_calamine
from defusedxml import DefusedXmlException, ElementTree

from sheetokr.core.model import CellError, TeamWorkbook, Value
from sheetokr.errors import UnusableWorkbook
from sheetokr.sheets import layout
from sheetokr.sheets.grid import Grid, parse_a1
from sheetokr.sheets.parse import parse_grid
from sheetokr.xlsx.files import check_bytes, read_file

_ERROR_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*?\bt="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>.*?</f>)?'
    rb"<v>([^<]*)</v>",
    re.DOTALL,
)
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def load_team(source: Path | str | bytes, name: str | None = None) -> TeamWorkbook:
    """Read a team workbook from a path or its bytes into the model."""
    label = name or (Path(source).name if not isinstance(source, bytes) else "workbook")
    model = parse_grid(read_grid(source, label), label)
    if not isinstance(source, bytes):
        model.path = str(Path(source).resolve())
    return model


def read_grid(
    source: Path | str | bytes, label: str | None = None, *, everything: bool = False
) -> Grid:
    """Every sheet's name and, for the sheets the model reads (or all with `everything`), rows."""
    if isinstance(source, bytes):
        data = source
        label = label or "workbook"
        check_bytes(data, label)
    else:
        path = Path(source)
        label = label or path.name
        data = read_file(path)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise UnusableWorkbook(
            f"{label} is password-protected; remove the password and try again."
        ) from None
    except python_calamine.CalamineError as exc:
        raise UnusableWorkbook(
            f"{label} cannot be read as an Excel workbook ({exc}); save it again as .xlsx."
        ) from None
    grid: Grid = {}
    names = list(book.sheet_names)
    wanted = {layout.find_sheet(s, names) for s in (layout.CYCLE, *layout.DATA_SHEETS)}
    try:
        for sheet_name in names:
            # Sheets the model does not read (Dashboard, Instructions, a user's own) stay empty.
            # Blank cells arrive as "" and are treated as blank by the parser.
            if everything or sheet_name in wanted:
                sheet = book.get_sheet_by_name(sheet_name)
                grid[sheet_name] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
            else:
                grid[sheet_name] = []
    except python_calamine.CalamineError as exc:
        raise UnusableWorkbook(f"{label} is damaged and cannot be read ({exc}).") from None
    _restore_errors(data, grid, label)
    return grid


def _restore_errors(data: bytes, grid: Grid, label: str) -> None:
    """Put error values back into the cells calamine read as blank."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return
    with archive:
        hits: dict[str, bytes] = {}
        for info in archive.infolist():
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = _member(data, info) or archive.read(info)
                if b't="e"' in xml:
                    hits[name] = xml
        if not hits:
            return
        names = _sheet_parts(archive, label)
    for part, xml in hits.items():
        sheet = names.get(part)
        if sheet is None or sheet not in grid:
            continue
        rows = grid[sheet]
        for ref, text in _ERROR_CELL.findall(xml):
            row, col = parse_a1(ref.decode())
            while len(rows) < row:
                rows.append([])
            line = rows[row - 1]
            while len(line) <= col:
                line.append(None)
            value: Value = CellError(text.decode("utf-8", "replace"))
            line[col] = value


def _member(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A deflated member's bytes straight from the package (no CRC pass: this is only a search;
    the workbook itself was read by calamine). None when it is stored in any other way."""
    start = info.header_offset
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
        return None
    if data[start : start + 4] != b"PK\x03\x04":
        return None
    name_length = int.from_bytes(data[start + 26 : start + 28], "little")
    extra_length = int.from_bytes(data[start + 28 : start + 30], "little")
    begin = start + 30 + name_length + extra_length
    try:
        return zlib.decompressobj(-15).decompress(data[begin : begin + info.compress_size])
    except zlib.error:
        return None


def _sheet_parts(archive: zipfile.ZipFile, label: str) -> dict[str, str]:
    """Worksheet part path -> sheet name, from workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    except DefusedXmlException:
        raise UnusableWorkbook(
            f"{label} declares XML entities, which a workbook saved by Excel, LibreOffice or "
            "Google Sheets never does; sheetokr does not read it. Save it again as .xlsx."
        ) from None
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        targets[rel.get("Id")] = path
    out = {}
    for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
        rid = sheet.get(f"{{{_REL_NS}}}id")
        if rid in targets:
            out[targets[rid]] = sheet.get("name", "")
    return out
