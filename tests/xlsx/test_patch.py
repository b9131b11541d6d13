"""The lossless patcher Refresh uses, on real workbooks written by openpyxl (with a chart, an image,
a comment, a defined name, data validation, conditional formatting and a user's own sheet), read
back with python-calamine, openpyxl and LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheetokr.errors import UnusableWorkbook, WorkbookLocked
from sheetokr.xlsx import package as package_module
from sheetokr.xlsx.patch import IssuesSheet, Overwrite, patch_workbook
from tests.libreoffice import convert, make_profile, require_soffice
from tests.xlsx.packages import (
    HEADERS,
    KR,
    VBA,
    assert_only_cells_changed,
    cells,
    make_xlsm,
    member,
    raw_members,
    rich_workbook,
    sheet_part,
    values,
)

EDITS = {
    "G2": 0.1,
    "H2": 0.1,
    "I2": "behind",  # formulas: cached values only
    "G3": 0.2,  # a formula whose cached value was empty
    "I3": "on track",  # an empty, styled cell
    "J2": dt.date(2027, 2, 10),  # an empty date-formatted cell
    "K4": True,  # an absent cell in an existing row
    "I5": "behind",  # a typed constant: kept
    "B9": '=HYPERLINK("x")',  # an absent row, formula-looking text
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
        ("H3", None, 0.5),
        ("I5", "on track", "behind"),
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
        (KR, "G2", 0.25, 0.5),
        (KR, "H4", None, 0.3),
        (KR, "I6", None, "on track"),
    ]
    assert report.lines()[0] == f"{KR}!G2: 0.25 -> 0.5"


def test_a_dry_run_writes_nothing_and_works_while_the_workbook_is_open(tmp_path: Path) -> None:
    path = rich_workbook(tmp_path / "team.xlsx")
    (tmp_path / "~$team.xlsx").write_bytes(b"owner")
    blob, mtime = path.read_bytes(), path.stat().st_mtime_ns
    report = patch_workbook(
        path, {KR: EDITS}, dry_run=True, issues_sheet=IssuesSheet("Issues", [["Level"], ["error"]])
    )
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
    rows = [
        ["Level", "Code", "Where", "Message"],
        ["error", "E001", f"{KR}!A3", "duplicate ID"],
        ["warning", "W121", f"{KR}!I5", "=a constant typed over a computed cell"],
    ]
    report = patch_workbook(workbook, {}, issues_sheet=IssuesSheet("Issues", rows))
    after = dict(raw_members(workbook))
    added = set(after) - set(before)
    assert added == {"xl/worksheets/sheet3.xml"} and report.added_sheet == "Issues"
    assert {n for n in before if before[n] != after[n]} == {
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
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
        ("A2", "error", "warning"),
        ("B2", "E001", "W101"),
        ("C2", f"{KR}!A3", "Objectives!A2"),
        ("D2", "duplicate ID", "1 KR"),
        ("A3", "warning", None),
        ("B3", "W102", None),
        ("C3", f"{KR}!D4", None),
        ("D3", "no owner", None),
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
    assert values(path, "My notes") == [["a", 2.0, 3.0, ""], [2.0, "", "", ""], ["", "", "", "new"]]


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


def test_fifty_key_results_and_five_hundred_check_ins_are_patched_in_one_pass(
    tmp_path: Path,
) -> None:
    wb = openpyxl.Workbook()
    krs = wb.active
    krs.title = KR
    krs.append(HEADERS)
    for row in range(2, 52):
        krs.append([f"KR{row}", "O1", "Reach", 0, 100, row])
        for col, formula in zip(
            "GHIJ",
            (
                f"=F{row}/E{row}",
                f"=ROUND(G{row},2)",
                f'=IF(G{row}>0.5,"on track","behind")',
                f"=MAXIFS('Check-ins'!A:A,'Check-ins'!B:B,A{row})",
            ),
            strict=True,
        ):
            krs[f"{col}{row}"] = formula
        krs[f"J{row}"].number_format = "yyyy-mm-dd"
    check_ins = wb.create_sheet("Check-ins")
    check_ins.append(["Date", "Key result", "Value", "Confidence", "Note", "By"])
    for n in range(500):
        check_ins.append(
            [
                dt.date(2027, 1, 1) + dt.timedelta(days=n % 80),
                f"KR{n % 50 + 2}",
                n,
                "7",
                f"note {n}",
                "Ann",
            ]
        )
    path = tmp_path / "big.xlsx"
    wb.save(path)
    edits = {KR: {}} | {}
    for row in range(2, 52):
        edits[KR] |= {
            f"G{row}": row / 100,
            f"H{row}": round(row / 100, 2),
            f"I{row}": "on track",
            f"J{row}": dt.date(2027, 3, 1),
            f"K{row}": "note",
        }
    issues = IssuesSheet(
        "Issues",
        [["Level", "Code", "Where", "Message"]]
        + [["warning", "W105", f"{KR}!A{r}", "no check-in"] for r in range(2, 52)],
    )
    report = patch_workbook(path, edits, issues_sheet=issues)
    assert len(report.changes) == 250 + 51 * 4  # speed: benchmarks/refresh.py
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
