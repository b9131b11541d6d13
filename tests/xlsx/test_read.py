"""The reader on real workbooks written in tmp_path: column order, a user's own columns and sheets,
blank rows, Dutch workbooks, dates in every form, error values, and every kind of unusable file."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheetokr.core.engine import score_team
from sheetokr.core.model import CellError
from sheetokr.errors import UnusableWorkbook
from sheetokr.sheets import layout
from sheetokr.xlsx.read import load_team, read_grid
from tests.builders import grid, write_xlsx

AS_OF = dt.date(2027, 2, 15)
OBJ = [{"id": "O1", "title": "Grow", "owner": "Ann", "type": "committed"}]
KRS = [
    {
        "id": "KR1",
        "objective": "O1",
        "title": "Revenue 12 to 24",
        "owner": "Ann",
        "metric": "increase",
        "start": 12,
        "target": 24,
        "current": 18,
    },
    {
        "id": "KR2",
        "objective": "O1",
        "title": "Tickets 120 to 30",
        "owner": "Bo",
        "metric": "decrease",
        "start": 120,
        "target": 30,
        "current": 60,
    },
    {
        "id": "KR3",
        "objective": "O1",
        "title": "Checkout 9 to 6",
        "owner": "Cy",
        "metric": "decrease",
        "start": 9,
        "target": 6,
        "current": 7.5,
    },
]


def progress_by_id(path: Path) -> dict[str, float | None]:
    result = score_team(load_team(path), AS_OF)
    return {kr.id: kr.progress for kr in result.key_results}


def test_reads_a_plain_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", grid(objectives=OBJ, key_results=KRS))
    assert progress_by_id(path) == pytest.approx({"KR1": 0.5, "KR2": 2 / 3, "KR3": 0.5})


def test_shuffled_columns_and_a_users_own_column_and_sheet(tmp_path: Path) -> None:
    g = grid(
        objectives=OBJ,
        key_results=KRS,
        columns={
            "key_results": [
                "current",
                "title",
                "target",
                "id",
                "metric",
                "owner",
                "objective",
                "start",
            ]
        },
    )
    # A user's own column in the middle of Key Results, and a sheet of their own.
    name = layout.KEY_RESULTS.en
    for i, row in enumerate(g[name]):
        row.insert(3, "My notes" if i == 0 else f"note {i}")
    g["My planning"] = [["ID", "Target"], ["KR1", 999]]
    path = write_xlsx(tmp_path / "t.xlsx", g)
    assert progress_by_id(path) == pytest.approx({"KR1": 0.5, "KR2": 2 / 3, "KR3": 0.5})
    model = load_team(path)
    # `where` follows the columns as they stand: Current is column A, ID column E.
    assert model.key_results[0].cell("current").where == "Key Results!A2"
    assert model.key_results[0].cell("id").where == "Key Results!E2"


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    g = grid(objectives=OBJ, key_results=KRS)
    name = layout.KEY_RESULTS.en
    g[name].insert(2, [None] * len(g[name][0]))
    g[name].insert(3, ["", " ", None])
    path = write_xlsx(tmp_path / "t.xlsx", g)
    model = load_team(path)
    assert [r.number for r in model.key_results] == [2, 5, 6]
    assert progress_by_id(path) == pytest.approx({"KR1": 0.5, "KR2": 2 / 3, "KR3": 0.5})


def test_a_row_with_only_computed_cells_is_blank(tmp_path: Path) -> None:
    g = grid(objectives=OBJ, key_results=KRS)
    name = layout.KEY_RESULTS.en
    header = g[name][0]
    row: list[object] = [None] * len(header)
    row[header.index("Progress")] = 0.5
    row[header.index("Status")] = "on track"
    g[name].append(row)
    model = load_team(write_xlsx(tmp_path / "t.xlsx", g))
    assert len(model.key_results) == 3


def test_a_dutch_workbook(tmp_path: Path) -> None:
    krs = [
        dict(kr, metric={"increase": "verhogen", "decrease": "verlagen"}[kr["metric"]])
        for kr in KRS
    ]
    krs[0]["current"] = "18,0"
    g = grid(
        lang="nl",
        cycle={"language": None},
        objectives=[dict(OBJ[0], type="vastgelegd")],
        key_results=krs,
    )
    assert "Hoofdresultaten" in g and "Cyclus" in g
    path = write_xlsx(tmp_path / "nl.xlsx", g)
    model = load_team(path)
    assert model.lang == "nl"
    result = score_team(model, AS_OF)
    assert [kr.progress for kr in result.key_results] == pytest.approx([0.5, 2 / 3, 0.5])
    w120 = [i for i in result.issues if i.code == "W120"]
    assert [i.where for i in w120] == ["Hoofdresultaten!H2"]


@pytest.mark.parametrize(
    "value",
    [dt.date(2027, 1, 1), dt.datetime(2027, 1, 1, 0, 0), 46388, "2027-01-01"],
    ids=["date", "datetime", "serial", "iso-text"],
)
def test_cycle_dates_in_every_form(tmp_path: Path, value: object) -> None:
    path = write_xlsx(
        tmp_path / "t.xlsx", grid(cycle={"start": value}, objectives=OBJ, key_results=KRS)
    )
    result = score_team(load_team(path), AS_OF)
    assert result.start == dt.date(2027, 1, 1)
    assert result.elapsed == pytest.approx(45 / 89)


def test_time_cells_and_durations(tmp_path: Path) -> None:
    krs = [
        {
            "id": "KR1",
            "objective": "O1",
            "title": "Time on site 2:37 to 3:45",
            "owner": "Ann",
            "start": dt.time(0, 2, 37),
            "target": dt.time(0, 3, 45),
            "current": dt.time(0, 3, 11),
        }
    ]
    path = write_xlsx(tmp_path / "t.xlsx", grid(objectives=OBJ, key_results=krs))
    result = score_team(load_team(path), AS_OF)
    kr = result.key_results[0]
    assert (kr.start, kr.target, kr.current) == (157, 225, 191)
    assert kr.progress == pytest.approx(0.5)


def _with_error_cells(path: Path, sheet: str, refs: dict[str, str]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for ref, text in refs.items():
        ws[ref].value = text
        ws[ref].data_type = "e"
    wb.save(path)


def test_error_values_are_e004_at_their_cell(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", grid(objectives=OBJ, key_results=KRS))
    _with_error_cells(path, "Key Results", {"H2": "#DIV/0!", "G3": "#REF!", "F4": "#N/A"})
    model = load_team(path)
    assert model.key_results[0].value("current") == CellError("#DIV/0!")
    result = score_team(model, AS_OF)
    e004 = {i.where: i.message for i in result.issues if i.code == "E004"}
    assert set(e004) == {"Key Results!H2", "Key Results!G3", "Key Results!F4"}
    assert "#DIV/0!" in e004["Key Results!H2"] and "#REF!" in e004["Key Results!G3"]
    assert all(kr.progress is None for kr in result.key_results)


def test_error_values_in_a_renamed_sheet_part(tmp_path: Path) -> None:
    """Sheets are found through workbook.xml, not by assuming sheetN.xml order."""
    g = grid(objectives=OBJ, key_results=KRS)
    g = {"Extra": [["x"]], **g}
    path = write_xlsx(tmp_path / "t.xlsx", g)
    _with_error_cells(path, "Key Results", {"H3": "#VALUE!"})
    model = load_team(path)
    assert model.key_results[1].value("current") == CellError("#VALUE!")
    assert model.key_results[0].value("current") == 18


def test_missing_required_column_is_e020_once(tmp_path: Path) -> None:
    g = grid(
        objectives=OBJ,
        key_results=KRS,
        columns={
            "key_results": ["id", "objective", "title", "owner", "metric", "start", "current"]
        },
    )
    result = score_team(load_team(write_xlsx(tmp_path / "t.xlsx", g)), AS_OF)
    e020 = [i for i in result.issues if i.code == "E020"]
    assert [i.where for i in e020] == ["Key Results"]
    assert "Target" in e020[0].message
    assert not [i for i in result.issues if i.code == "E003"]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_text("name,target\nrevenue,24\n"), "not an Excel workbook"),
        (
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
            "password-protected",
        ),
        (lambda p: p.write_bytes(b"PK\x03\x04broken"), "cannot be read"),
        (lambda p: p.mkdir(), "folder"),
    ],
    ids=["missing", "empty", "csv", "encrypted", "damaged-zip", "folder"],
)
def test_unusable_files_get_one_sentence(tmp_path: Path, make, words: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "team.xlsx"
    make(path)
    with pytest.raises(UnusableWorkbook) as caught:
        load_team(path)
    assert words in str(caught.value)
    assert "team.xlsx" in str(caught.value)


def test_a_workbook_without_key_results_sheet_is_unusable(tmp_path: Path) -> None:
    g = grid(objectives=OBJ, key_results=KRS)
    del g["Key Results"]
    with pytest.raises(UnusableWorkbook, match="no Key Results sheet"):
        load_team(write_xlsx(tmp_path / "t.xlsx", g))


def test_zip_that_is_not_a_workbook_is_unusable(tmp_path: Path) -> None:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as z:
        z.writestr("hello.txt", "hi")
    path = tmp_path / "t.xlsx"
    path.write_bytes(raw.getvalue())
    with pytest.raises(UnusableWorkbook):
        load_team(path)


def test_reading_bytes_gives_the_same_grid(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", grid(objectives=OBJ, key_results=KRS))
    assert read_grid(path.read_bytes(), "t.xlsx") == read_grid(path)


def test_xlsm_is_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", grid(objectives=OBJ, key_results=KRS))
    xlsm = tmp_path / "t.xlsm"
    xlsm.write_bytes(path.read_bytes())
    assert progress_by_id(xlsm) == pytest.approx({"KR1": 0.5, "KR2": 2 / 3, "KR3": 0.5})
