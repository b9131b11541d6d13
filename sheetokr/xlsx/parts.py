"""The workbook's map of its own parts: which worksheet part holds which sheet (workbook.xml and its
relationships), the date system, the shared strings, and the three small insertions that add a
worksheet (a `<sheet>` entry, a relationship, a content-type override). XML from the user's file is
parsed with `defusedxml` only; what is written back is inserted into the original text, so the
rest of each part stays byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sheetokr.errors import UnusableWorkbook
from sheetokr.xlsx.package import Package, part_path, rels_part
from sheetokr.xlsx.xmltext import decode_xstring

WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EPOCH_1900, EPOCH_1904 = dt.date(1899, 12, 30), dt.date(1904, 1, 1)
_BAD_NAME = re.compile(r"[:\\/?*\[\]]")


@dataclass(frozen=True)
class SheetEntry:
    name: str
    sheet_id: int
    rid: str
    part: str | None
    is_worksheet: bool


@dataclass(frozen=True)
class WorkbookMap:
    workbook_part: str
    sheets: list[SheetEntry]
    epoch: dt.date
    shared_strings: str | None
    namespace: str
    rel_namespace: str
    worksheet_type: str

    def find(self, name: str) -> SheetEntry | None:
        """The sheet called `name`, exactly, else compared as Excel does (case-insensitively)."""
        for entry in self.sheets:
            if entry.name == name:
                return entry
        for entry in self.sheets:
            if entry.name.casefold() == name.casefold():
                return entry
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def parse_xml(package: Package, part: str) -> Element:
    try:
        return fromstring(package.read(part))
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise UnusableWorkbook(
            f"{package.path.name}: the part {part} is not well-formed XML ({exc}); open the "
            "workbook in Excel and save it again"
        ) from exc


def relationships(package: Package, part: str) -> list[dict[str, str]]:
    """The relationships of `part`, each with Id, Type, Target and the part it resolves to."""
    rels = rels_part(part)
    if rels not in package:
        return []
    found = []
    for element in parse_xml(package, rels):
        if _local(element.tag) != "Relationship":
            continue
        rel = {k: element.get(k, "") for k in ("Id", "Type", "Target", "TargetMode")}
        rel["part"] = "" if rel["TargetMode"] == "External" else part_path(part, rel["Target"])
        found.append(rel)
    return found


def read_map(package: Package) -> WorkbookMap:
    name = package.path.name
    workbook = "xl/workbook.xml"
    for rel in relationships(package, "_rels/.rels"):
        if rel["Type"].endswith("/officeDocument") and rel["part"] in package:
            workbook = rel["part"]
    if workbook not in package:
        raise UnusableWorkbook(
            f"{name} has no xl/workbook.xml, so it is not an Excel workbook (.xlsx or .xlsm); "
            "save it from Excel as .xlsx"
        )
    root = parse_xml(package, workbook)
    rels = {r["Id"]: r for r in relationships(package, workbook)}
    sheets, rel_ns, kind, date1904 = [], "", WORKSHEET_TYPE, False
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        if tag != "sheet":
            continue
        rid_key = next((k for k in element.attrib if _local(k) == "id"), "")
        rel_ns = rel_ns or _namespace(rid_key)
        rel = rels.get(element.get(rid_key, ""), {})
        is_worksheet = rel.get("Type", "").endswith("/worksheet")
        kind = rel["Type"] if is_worksheet else kind
        sheet_id, part = element.get("sheetId", "0"), rel.get("part", "")
        sheets.append(
            SheetEntry(
                name=element.get("name", ""),
                sheet_id=int(sheet_id) if sheet_id.isdigit() else 0,
                rid=element.get(rid_key, ""),
                part=part if part and part in package else None,
                is_worksheet=is_worksheet,
            )
        )
    strings = next((r["part"] for r in rels.values() if r["Type"].endswith("/sharedStrings")), "")
    return WorkbookMap(
        workbook_part=workbook,
        sheets=sheets,
        epoch=EPOCH_1904 if date1904 else EPOCH_1900,
        shared_strings=strings if strings and strings in package else None,
        namespace=_namespace(root.tag) or MAIN_NS,
        rel_namespace=rel_ns
        or "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        worksheet_type=kind,
    )


def shared_strings(package: Package, part: str | None) -> list[str]:
    """The shared-string table as plain text (rich-text runs joined, phonetic runs left out)."""
    if part is None:
        return []
    table = []
    for item in parse_xml(package, part):
        if _local(item.tag) != "si":
            continue
        texts = []
        for child in item:
            if _local(child.tag) == "t":
                texts.append(child.text or "")
            elif _local(child.tag) == "r":
                texts += [t.text or "" for t in child if _local(t.tag) == "t"]
        table.append(decode_xstring("".join(texts)))
    return table


_DATE_FORMAT_IDS = {"14", "15", "16", "17", "22"}  # Excel's built-in date formats


def date_style(package: Package, workbook_part: str) -> str | None:
    """The index of the workbook's first cell style that shows a date, if it has one, so a date
    written into a cell without a style of its own reads as a date, not as a serial number."""
    part = next(
        (
            r["part"]
            for r in relationships(package, workbook_part)
            if r["Type"].endswith("/styles") and r["part"] in package
        ),
        None,
    )
    if part is None:
        return None
    root = parse_xml(package, part)
    dates = set(_DATE_FORMAT_IDS)
    for element in root.iter():
        if _local(element.tag) == "numFmt":
            code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", element.get("formatCode", "")).lower()
            if "y" in code and "d" in code and "h" not in code:
                dates.add(element.get("numFmtId", ""))
    for element in root.iter():
        if _local(element.tag) == "cellXfs":
            for index, xf in enumerate(x for x in element if _local(x.tag) == "xf"):
                if xf.get("numFmtId") in dates:
                    return str(index)
    return None


def check_sheet_name(name: str) -> None:
    if not 1 <= len(name) <= 31 or _BAD_NAME.search(name) or name.startswith("'"):
        raise ValueError(f"{name!r} cannot be a sheet name in Excel")


def attr_text(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def add_worksheet(package: Package, wmap: WorkbookMap, name: str) -> tuple[str, dict[str, bytes]]:
    """A new worksheet part name and the three parts that must name it, with `name` inserted."""
    check_sheet_name(name)
    folder = next(
        (posixpath.dirname(s.part) for s in wmap.sheets if s.part and s.is_worksheet),
        posixpath.join(posixpath.dirname(wmap.workbook_part), "worksheets"),
    )
    number = 1
    while posixpath.join(folder, f"sheet{number}.xml") in package:
        number += 1
    part = posixpath.join(folder, f"sheet{number}.xml")
    rels_name = rels_part(wmap.workbook_part)
    rels_text = package.read_text(rels_name) if rels_name in package else None
    if rels_text is None:
        raise UnusableWorkbook(f"{package.path.name} has no {rels_name}; save it again in Excel")
    used = set(re.findall(r'\bId\s*=\s*["\']([^"\']*)', rels_text))
    k = len(used) + 1
    while f"rId{k}" in used:
        k += 1
    rid = f"rId{k}"
    target = posixpath.relpath(part, posixpath.dirname(wmap.workbook_part) or ".")
    rel = f'<Relationship Id="{rid}" Type="{wmap.worksheet_type}" Target="{target}"/>'
    rels_text = _insert_before_close(rels_text, "Relationships", rel, rels_name)

    book = package.read_text(wmap.workbook_part)
    prefix = _prefix_of(book, "sheets")
    r_prefix = re.search(rf'xmlns:([\w.-]+)\s*=\s*["\']{re.escape(wmap.rel_namespace)}["\']', book)
    sheet_id = max((s.sheet_id for s in wmap.sheets), default=0) + 1
    rid_attr = (
        f'{r_prefix.group(1)}:id="{rid}"'
        if r_prefix
        else f'xmlns:r="{wmap.rel_namespace}" r:id="{rid}"'
    )
    entry = f'<{prefix}sheet name="{attr_text(name)}" sheetId="{sheet_id}" {rid_attr}/>'
    book = _insert_before_close(book, "sheets", entry, wmap.workbook_part)

    types_name = "[Content_Types].xml"
    types = package.read_text(types_name)
    types_prefix = _prefix_of(types, "Types")
    override = f'<{types_prefix}Override PartName="/{part}" ContentType="{WORKSHEET_CONTENT}"/>'
    types = _insert_before_close(types, "Types", override, types_name)
    return part, {
        wmap.workbook_part: book.encode("utf-8"),
        rels_name: rels_text.encode("utf-8"),
        types_name: types.encode("utf-8"),
    }


def _prefix_of(text: str, tag: str) -> str:
    found = re.search(rf"<([\w.-]+:)?{tag}\b", text)
    return (found.group(1) or "") if found else ""


def _insert_before_close(text: str, tag: str, addition: str, part: str) -> str:
    closes = list(re.finditer(rf"</([\w.-]+:)?{tag}\s*>", text))
    if not closes:
        raise UnusableWorkbook(f"the part {part} has no </{tag}>; save the workbook again in Excel")
    at = closes[-1].start()
    return text[:at] + addition + text[at:]
