"""Refresh holds its promises (SPEC 2, computed cells) on real workbooks in tmp_path: the engine's
values in every computed cell as calamine and openpyxl read them, every other byte of the package
kept, constants typed over computed cells kept (W121), dry runs and locked files left alone,
`--on`, moved columns, Dutch workbooks and the Issues sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from python_calamine import CalamineWorkbook

from sheetokr import samples
from sheetokr.cli import cli
from sheetokr.core.engine import score_team
from sheetokr.core.results import TeamResult
from sheetokr.errors import WorkbookLocked
from sheetokr.sheets import layout, render
from sheetokr.sheets.layout import DASHBOARD, ISSUES, KEY_RESULTS, OBJECTIVES, STATUSES
from sheetokr.xlsx.read import load_team
from sheetokr.xlsx.refresh import refresh
from sheetokr.xlsx.template import write_team_workbook
from sheetokr.xlsx.template_dashboard import DASHBOARD_CELLS
from tests.builders import grid, write_xlsx
from tests.xlsx.packages import VBA, PngImage, cells, make_xlsm, member, png, raw_members
from tests.xlsx.packages import sheet_part as part_of

D = dt.date
AS_OF = {"en": D(2027, 2, 15), "nl": D(2027, 3, 15)}  # dates with several statuses each
EXAMPLES = {"en": samples.ENGLISH, "nl": samples.DUTCH}
# A baseline without a value or check-ins: no progress, no last check-in (empty computed cells).
BASELINE = {
    "id": "KR9.1",
    "objective": "O1",
    "title": "Learn the NPS",
    "owner": "Ann",
    "metric": "baseline",
}


def filled(path: Path, lang: str = "en", as_of: dt.date | None = None) -> Path:
    """A template workbook filled with the example team of `lang` and its weekly check-ins."""
    example = EXAMPLES[lang]
    key_results = list(example["key_results"])
    if lang == "en":
        key_results.append(BASELINE)
    data = {
        "cycle": {**example["cycle"], "as_of": as_of or AS_OF[lang]},
        "objectives": example["objectives"],
        "key_results": key_results,
        "initiatives": example["initiatives"],
        "check_ins": samples.check_ins(example),
    }
    return write_team_workbook(path, lang, overwrite=True, data=data)


def rows_of(path: Path, sheet: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def columns(rows: list[list[Any]], sheet: layout.SheetLayout, lang: str) -> dict[str, int]:
    header = [str(v) for v in rows[0]]
    return {c.key: header.index(c.header(lang)) for c in sheet.columns if c.header(lang) in header}


def label(status: str | None, lang: str) -> str | None:
    return None if status is None else layout.label(STATUSES, status, lang)


def expected_cells(result: TeamResult) -> dict[tuple[str, str], Any]:
    """(sheet, key of the computed column) per row -> the engine's value, from the engine."""
    lang = result.model.lang
    out: dict[tuple[str, str], Any] = {}
    for o in result.objectives:
        for key, value in render.objective_values(o, lang).items():
            out[(f"{o.row.sheet}:{o.row.number}", key)] = value
        for kr in o.key_results:
            for key, value in render.key_result_values(kr, lang).items():
                out[(f"{kr.row.sheet}:{kr.row.number}", key)] = value
    return out


def plain(value: Any) -> Any:
    """A value as calamine or openpyxl gave it, in the engine's terms (empty is None)."""
    if value == "" or value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def assert_engine_values(path: Path, result: TeamResult) -> int:
    """Every computed cell of `path` holds the engine's value, read by calamine and openpyxl."""
    lang = result.model.lang
    cached = openpyxl.load_workbook(path, data_only=True)
    compared = 0
    for sheet in (OBJECTIVES, KEY_RESULTS):
        name = sheet.name(lang)
        rows = rows_of(path, name)
        col = columns(rows, sheet, lang)
        for (where, key), value in expected_cells(result).items():
            sheet_name, number = where.split(":")
            if sheet_name != name:
                continue
            row = int(number)
            found = {
                "calamine": plain(rows[row - 1][col[key]]),
                "openpyxl": plain(cached[name].cell(row, col[key] + 1).value),
            }
            for reader, got in found.items():
                at = f"{reader} {name} row {row} {key}"
                assert type(got) is type(value) or isinstance(value, float), at
                assert got == value, f"{at}: {got!r}, engine {value!r}"
            compared += 1
    board = DASHBOARD.name(lang)
    if board not in cached.sheetnames:
        return compared
    wanted = {
        "progress": result.progress,
        "score": result.score,
        "status": label(result.status, lang),
    }
    for key, value in wanted.items():
        ref = DASHBOARD_CELLS[key]
        row, column = int(ref[1:]), ord(ref[0]) - 64
        assert plain(rows_of(path, board)[row - 1][column - 1]) == value, key
        assert plain(cached[board][ref].value) == value, key
        compared += 1
    return compared


# 1. ------------------------------------------------------------------ engine values


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_computed_cell_reads_the_engines_value(tmp_path: Path, lang: str) -> None:
    path = filled(tmp_path / "team.xlsx", lang)
    done = refresh(path)
    result = score_team(load_team(path))
    assert done.result.to_json() == result.to_json()
    krs = [kr for o in result.objectives for kr in o.key_results]
    compared = assert_engine_values(path, result)
    assert compared == 3 * len(result.objectives) + 4 * len(krs) + 3
    statuses = {kr.status for kr in krs} | {o.status for o in result.objectives}
    assert len(statuses) >= 2 and all(kr.last_check_in for kr in krs if kr.id != "KR9.1")
    if lang == "en":
        baseline = next(kr for kr in krs if kr.id == "KR9.1")
        assert baseline.progress is None and baseline.last_check_in is None


# 2. ------------------------------------------------------------------ nothing else changes


def decorate(path: Path) -> Path:
    """What teams add: a chart, an image, a comment, a defined name and a sheet of their own."""
    wb = openpyxl.load_workbook(path)
    krs, objectives = wb[KEY_RESULTS.en], wb[OBJECTIVES.en]
    chart = BarChart()
    chart.add_data(Reference(krs, min_col=8, min_row=1, max_row=11), titles_from_data=True)
    krs.add_chart(chart, "T2")
    objectives.add_image(PngImage(png(), 2, 2), "M2")
    krs["R2"].comment = Comment("Ask Ana about the February dip", "Priya")
    wb.defined_names["Tickets"] = DefinedName("Tickets", attr_text="'Key Results'!$H$2:$H$11")
    own = wb.create_sheet("Our notes")
    own["A1"] = "Offsite in March"
    own["B2"] = "='Key Results'!N2*2"
    wb.save(path)
    return path


def formulas(path: Path) -> dict[str, dict[str, Any]]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row}
        for ws in wb.worksheets
    }


CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.S)
VALUE = re.compile(r"<v>[^<]*</v>|<v ?/>|<is>.*?</is>| t=\"\w+\"", re.S)


def shape(cell: str) -> str:
    """A cell's XML without its value and type: its reference, style and formula."""
    return VALUE.sub("", cell)


@pytest.mark.parametrize("suffix", ["xlsx", "xlsm"])
def test_only_computed_cells_change_and_every_other_part_keeps_its_bytes(
    tmp_path: Path, suffix: str
) -> None:
    path = decorate(filled(tmp_path / "team.xlsx"))
    if suffix == "xlsm":
        path = make_xlsm(path, tmp_path / "team.xlsm")
    before = dict(raw_members(path))
    sheets = [OBJECTIVES.en, KEY_RESULTS.en, DASHBOARD.en, ISSUES.en, "Our notes", "Cycle"]
    parts = {name: part_of(path, name) for name in sheets}
    texts = {name: member(path, part) for name, part in parts.items()}
    before_formulas = formulas(path)

    done = refresh(path)

    after = dict(raw_members(path))
    assert list(after) == list(before)
    changed = {name for name in before if before[name] != after[name]}
    written = {c.sheet for c in done.report.changes}
    assert written == {OBJECTIVES.en, KEY_RESULTS.en, DASHBOARD.en, ISSUES.en}
    assert changed == {parts[name] for name in written}
    kept = [n for n in after if n.startswith(("xl/charts/", "xl/media/", "xl/comments"))]
    assert len(kept) >= 3 and not changed & set(kept)
    if suffix == "xlsm":
        with zipfile.ZipFile(path) as archive:
            assert archive.read("xl/vbaProject.bin") == VBA

    computed = {(c.sheet, c.ref) for c in render.computed_cells(done.result)}
    board = {c.ref for c in done.report.changes if c.sheet == DASHBOARD.en}
    for name in (OBJECTIVES.en, KEY_RESULTS.en, DASHBOARD.en):
        refs = board if name == DASHBOARD.en else {r for s, r in computed if s == name}
        old, new = texts[name], member(path, parts[name])
        assert CELL.sub("", old) == CELL.sub("", new), f"{name}: outside the cells"
        old_cells, new_cells = cells(old), cells(new)
        assert old_cells.keys() <= new_cells.keys()
        for ref, text in new_cells.items():
            if ref in refs:
                assert "<f>" in text, f"{name}!{ref} lost its formula"
                assert shape(text) == shape(old_cells.get(ref, "")), f"{name}!{ref}"
            else:
                assert text == old_cells.get(ref), f"{name}!{ref} changed"
        assert any(new_cells[r] != old_cells.get(r) for r in refs), name
    assert formulas(path) == before_formulas | {ISSUES.en: formulas(path)[ISSUES.en]}
    assert_engine_values(path, score_team(load_team(path)))


# 3. ------------------------------------------------------------------ typed constants (W121)

OBJ = [{"id": "O1", "title": "Grow", "owner": "Ann", "type": "committed"}]
KRS = [
    {
        "id": "KR1.1",
        "objective": "O1",
        "title": "Revenue 10 to 20",
        "owner": "Ann",
        "start": 10,
        "target": 20,
    },
    {
        "id": "KR1.2",
        "objective": "O1",
        "title": "Tickets 50 to 10",
        "owner": "Bo",
        "metric": "decrease",
        "start": 50,
        "target": 10,
        "current": 30,
    },
    {
        "id": "KR1.3",
        "objective": "O1",
        "title": "Launch 1 app",
        "owner": "Cy",
        "metric": "milestone",
        "current": "not done",
    },
]
CHECK_INS = [
    {"date": D(2027, 2, 1), "key_result": "KR1.1", "value": 12},
    {"date": D(2027, 2, 8), "key_result": "KR1.1", "value": 14},
]


def plain_workbook(
    path: Path,
    *,
    lang: str = "en",
    key_results: list[dict[str, Any]] = KRS,
    order: dict[str, list[str]] | None = None,
) -> Path:
    """A workbook without formulas, Dashboard or Issues sheet, as a user might build one."""
    return write_xlsx(
        path,
        grid(
            cycle={"as_of": AS_OF["en"]},
            objectives=OBJ,
            key_results=key_results,
            check_ins=CHECK_INS,
            lang=lang,
            columns=order,
        ),
    )


def type_into(path: Path, sheet: str, cells_to_type: dict[tuple[int, int], Any]) -> None:
    """A user typing in a spreadsheet program and saving (the whole file is rewritten)."""
    wb = openpyxl.load_workbook(path)
    for (row, column), value in cells_to_type.items():
        wb[sheet].cell(row, column + 1).value = value
    wb.save(path)


def issue_rows(path: Path, lang: str = "en") -> list[tuple[Any, ...]]:
    return [tuple(r[:4]) for r in rows_of(path, ISSUES.name(lang))[1:] if r[1]]


def test_a_constant_typed_over_a_formula_is_kept_and_reported_as_w121(tmp_path: Path) -> None:
    path = filled(tmp_path / "team.xlsx")
    col = columns(rows_of(path, KEY_RESULTS.en), KEY_RESULTS, "en")
    type_into(path, KEY_RESULTS.en, {(2, col["progress"]): 0.9, (3, col["status"]): "at risk"})
    done = refresh(path)
    rows = rows_of(path, KEY_RESULTS.en)
    assert rows[1][col["progress"]] == 0.9 and rows[2][col["status"]] == "at risk"
    engine = {kr.row.number: kr for o in done.result.objectives for kr in o.key_results}
    assert engine[2].progress != 0.9 and engine[3].status != "at_risk"
    assert rows[1][col["score"]] == engine[2].score  # the rest of the row is computed as ever
    typed = {f"{KEY_RESULTS.en}!N2", f"{KEY_RESULTS.en}!P3"}
    assert {f"{k.sheet}!{k.ref}" for k in done.report.kept} == typed
    w121 = [r for r in issue_rows(path) if r[1] == "W121"]
    assert {r[2] for r in w121} == typed and {r[0] for r in w121} == {"warning"}
    assert any("0.9" in r[3] for r in w121) and any("'at risk'" in r[3] for r in w121)
    again = refresh(path)
    assert again.report.changes == [] and {f"{k.sheet}!{k.ref}" for k in again.report.kept} == typed


def test_values_refresh_wrote_follow_the_inputs_but_a_value_typed_later_is_kept(
    tmp_path: Path,
) -> None:
    path = plain_workbook(tmp_path / "team.xlsx")
    sheet = KEY_RESULTS.en
    col = columns(rows_of(path, sheet), KEY_RESULTS, "en")
    first = refresh(path)
    assert first.report.kept == [] and "W121" not in {i.code for i in first.issues}
    assert rows_of(path, sheet)[2][col["progress"]] == 0.5
    assert_engine_values(path, score_team(load_team(path)))

    type_into(path, sheet, {(3, col["current"]): 20})
    second = refresh(path)
    assert second.report.kept == [] and "W121" not in {i.code for i in second.issues}
    assert (sheet, "N3", 0.5, 0.75) in {
        (c.sheet, c.ref, c.old, c.new) for c in second.report.changes
    }
    assert_engine_values(path, score_team(load_team(path)))

    type_into(path, sheet, {(3, col["status"]): "at risk", (3, col["current"]): 10})
    third = refresh(path)
    rows = rows_of(path, sheet)
    assert rows[2][col["status"]] == "at risk"
    assert rows[2][col["progress"]] == 1.0 and rows[2][col["score"]] == 1.0
    assert [(k.ref, k.value, k.computed) for k in third.report.kept] == [
        ("P3", "at risk", "achieved")
    ]
    assert [r[2] for r in issue_rows(path) if r[1] == "W121"] == [f"{sheet}!P3"]


# 4. ------------------------------------------------------------------ dry run, locks, --on


def test_a_dry_run_lists_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    path = filled(tmp_path / "team.xlsx")
    blob, mtime = path.read_bytes(), path.stat().st_mtime_ns
    done = refresh(path, dry_run=True)
    kr = done.result.objectives[0].key_results[0]
    assert not done.report.written and len(done.report.changes) > 50
    assert f"{KEY_RESULTS.en}!N2: (empty) -> {kr.progress}" in done.report.lines()
    run = CliRunner().invoke(cli, ["refresh", str(path), "--dry-run"])
    assert run.exit_code == 0, run.output
    assert f"{KEY_RESULTS.en}!N2: (empty) -> {kr.progress}" in run.output
    assert f"Dry run: {len(done.report.changes)} cells would change; nothing written." in run.output
    assert path.read_bytes() == blob and path.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == ["team.xlsx"]


@pytest.mark.parametrize(
    ("how", "sentence"),
    [
        (
            "lock",
            r"team\.xlsx is open in Excel \(its lock file ~\$team\.xlsx is beside it\); close",
        ),
        ("read-only", r"team\.xlsx is read-only; make it writable"),
    ],
)
def test_a_workbook_open_in_excel_or_read_only_is_refused_and_unchanged(
    tmp_path: Path, how: str, sentence: str
) -> None:
    path = filled(tmp_path / "team.xlsx")
    if how == "lock":
        (tmp_path / "~$team.xlsx").write_bytes(b"\x05Priya")
    else:
        path.chmod(0o444)
    blob, mtime = path.read_bytes(), path.stat().st_mtime_ns
    with pytest.raises(WorkbookLocked, match=sentence):
        refresh(path)
    run = CliRunner().invoke(cli, ["refresh", str(path)])
    assert run.exit_code == 2 and isinstance(run.exception, SystemExit), run.output
    assert re.search(sentence, run.output) and "Traceback" not in run.output
    assert path.read_bytes() == blob and path.stat().st_mtime_ns == mtime
    assert refresh(path, dry_run=True).report.changes  # looking is still allowed


def test_on_sets_only_the_cycles_as_of_and_the_results_follow_that_date(tmp_path: Path) -> None:
    path = filled(tmp_path / "team.xlsx")
    copy = Path(shutil.copy(path, tmp_path / "copy.xlsx"))
    before = formulas(path)
    on = D(2027, 3, 10)
    expected = score_team(load_team(copy), on)
    assert expected.to_json() != score_team(load_team(copy)).to_json()
    done = refresh(path, on=on)
    assert done.result.to_json() == expected.to_json() and done.result.as_of == on
    after = formulas(path)
    as_of = load_team(copy).cycle_cell("as_of").where.partition("!")[2]
    cycle = {ref for ref in after["Cycle"] if after["Cycle"][ref] != before["Cycle"][ref]}
    assert cycle == {as_of} and after["Cycle"][as_of] == dt.datetime(2027, 3, 10)
    assert {k: v for k, v in after.items() if k not in ("Cycle", ISSUES.en)} == {
        k: v for k, v in before.items() if k not in ("Cycle", ISSUES.en)
    }
    assert_engine_values(path, expected)
    assert score_team(load_team(path)).to_json() == expected.to_json()
    run = CliRunner().invoke(cli, ["refresh", str(copy), "--on", "2027-03-10"])
    assert run.exit_code == 0 and "as of 2027-03-10" in run.output, run.output
    assert score_team(load_team(copy)).to_json() == expected.to_json()


# 5. ------------------------------------------------------------------ moved columns, Dutch


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_moved_columns_get_their_values_under_the_right_headers(tmp_path: Path, lang: str) -> None:
    order = {
        "key_results": [c.key for c in reversed(KEY_RESULTS.columns)],
        "objectives": ["status", "title", "progress", "id", "score", "owner", "type"],
    }
    path = plain_workbook(tmp_path / "team.xlsx", lang=lang, order=order)
    sheet = KEY_RESULTS.name(lang)
    before = rows_of(path, sheet)
    col = columns(before, KEY_RESULTS, lang)
    assert col["progress"] < col["current"] < col["id"]
    done = refresh(path)
    assert done.report.added_sheet == ISSUES.name(lang)
    result = score_team(load_team(path))
    assert assert_engine_values(path, result) == 3 + 4 * 3
    after = rows_of(path, sheet)
    for key in KEY_RESULTS.input_keys:
        assert [r[col[key]] for r in after] == [r[col[key]] for r in before], key
    labels = {r[col["status"]] for r in after[1:]}
    assert labels <= {layout.label(STATUSES, s, lang) for s in STATUSES} and len(labels) >= 2
    assert rows_of(path, ISSUES.name(lang))[0][:4] == list(layout.ISSUE_HEADERS[lang])


# 6. ------------------------------------------------------------------ the Issues sheet


def test_the_issues_sheet_lists_every_check_and_notes_cells_formulas_cannot_follow(
    tmp_path: Path,
) -> None:
    key_results = [
        {**KRS[0], "current": "12M", "target": 20_000_000, "start": 0},  # W120
        {**KRS[1], "owner": None},  # W102
        {**KRS[2], "metric": "sideways"},  # E008
        {**KRS[1], "id": "kr1.1", "title": "Refunds 9 to 3"},  # E001
        {"id": "KR1.5", "objective": "O9", "title": "Churn 5", "owner": "Di", "target": 5},  # E002
    ]
    path = plain_workbook(tmp_path / "team.xlsx", key_results=key_results)
    done = refresh(path)
    assert done.report.added_sheet == ISSUES.en
    assert openpyxl.load_workbook(path).sheetnames[-1] == ISSUES.en
    assert rows_of(path, ISSUES.en)[0][:4] == list(layout.ISSUE_HEADERS["en"])
    listed = issue_rows(path)
    assert listed == [
        (render.LEVELS["en"][i.level], i.code, i.where, i.message) for i in done.issues
    ]
    engine = score_team(load_team(path)).issues
    assert {(i.code, i.where, i.message) for i in engine} <= {r[1:] for r in listed}
    col = columns(rows_of(path, KEY_RESULTS.en), KEY_RESULTS, "en")

    def at(key: str, row: int) -> str:
        return f"{KEY_RESULTS.en}!{chr(65 + col[key])}{row}"

    found = {(r[0], r[1], r[2]) for r in listed}
    assert {
        ("warning", "W120", at("current", 2)),
        ("note", "W120", at("progress", 2)),
        ("warning", "W102", at("owner", 3)),
        ("error", "E008", at("metric", 4)),
        ("error", "E001", at("id", 5)),
        ("note", "E001", at("progress", 5)),
        ("error", "E002", at("objective", 6)),
    } <= found
    note = next(r for r in listed if r[0] == "note" and r[2] == at("progress", 2))
    assert "cannot follow" in note[3] and at("current", 2) in note[3]
    kr = next(k for k in done.result.key_results if k.row.number == 2)
    assert kr.progress == 0.6 == rows_of(path, KEY_RESULTS.en)[1][col["progress"]]  # 12M of 20M

    type_into(path, KEY_RESULTS.en, {(2, col["current"]): 12_000_000})
    refresh(path)
    codes = {r[1:3] for r in issue_rows(path)}
    assert ("W120", at("current", 2)) not in codes and ("W120", at("progress", 2)) not in codes
    assert ("E008", at("metric", 4)) in codes
