"""write_org_workbook: a real .xlsx read back with openpyxl, python-calamine and its raw XML."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sheetokr.core.model import TeamWorkbook
from sheetokr.core.results import OrgResult
from sheetokr.org.attention import needs_attention
from sheetokr.org.labels import SHEETS
from sheetokr.org.tree import alignment_tree
from sheetokr.org.trend import week_dates, weekly_trend
from sheetokr.org.workbook import write_org_workbook
from sheetokr.sheets import layout
from tests.org.conftest import AS_OF, DANGEROUS, DANGEROUS_TITLE


@pytest.fixture
def written(tmp_path: Path, org: OrgResult, models: list[TeamWorkbook]) -> Path:
    import datetime as dt

    trend = weekly_trend(models, dt.date(2027, 1, 1), dt.date(2027, 3, 31), AS_OF)
    path = tmp_path / "out" / "org.xlsx"
    path.parent.mkdir()
    write_org_workbook(org, path, trend=trend)
    return path


def _rows(path: Path, sheet: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_sheets_in_either_language(tmp_path: Path, org: OrgResult, lang: str) -> None:
    path = tmp_path / f"org-{lang}.xlsx"
    write_org_workbook(org, path, lang=lang)
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert names == [pair[1 if lang == "nl" else 0] for pair in SHEETS.values()]
    teams = openpyxl.load_workbook(path)[names[1]]
    status = layout.STATUSES[org.team("sales").status][1 if lang == "nl" else 0]  # type: ignore
    assert status in [c.value for c in teams[3]]  # sales is the second team row


def test_overview_is_the_tree_with_the_engines_numbers(written: Path, org: OrgResult) -> None:
    rows = _rows(written, "Overview")
    assert rows[0][:7] == [
        "Objective ID",
        "Objective",
        "Team",
        "Owner",
        "Progress",
        "Score",
        "Status",
    ]
    expected = [(d, n) for r in alignment_tree(org) for d, n in r.walk()]
    assert len(rows) - 1 == len(expected) == 6
    for row, (_, node) in zip(rows[1:], expected, strict=True):
        o = node.objective
        assert row[0] == o.id and row[1] == o.title
        assert row[4] == ("" if o.progress is None else pytest.approx(o.progress, abs=1e-15))
        assert row[5] == ("" if o.score is None else o.score)
    ws = openpyxl.load_workbook(written)["Overview"]
    indents = [ws.cell(row=r, column=2).alignment.indent for r in range(2, 8)]
    assert indents == [2 * d for d, _ in expected]
    assert ws.cell(row=2, column=5).number_format == "0%"
    assert ws.cell(row=2, column=6).number_format == "0.00"
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:H7"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    bars = [r for cf in ws.conditional_formatting for r in cf.rules if r.type == "dataBar"]
    assert bars and ws.conditional_formatting


def test_status_and_score_cells_are_coloured(written: Path, org: OrgResult) -> None:
    ws = openpyxl.load_workbook(written)["Teams"]
    by_key = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    behind = ws.cell(row=by_key["sales"], column=6)
    on_track = ws.cell(row=by_key["support"], column=6)
    assert behind.value == "behind" and on_track.value == "on track"
    assert behind.fill.fgColor.rgb != on_track.fill.fgColor.rgb
    score = ws.cell(row=by_key["sales"], column=5)
    assert score.value == org.team("sales").score  # type: ignore[union-attr]
    assert score.fill.fill_type == "solid"


def test_teams_sheet_counts_and_issues(written: Path, org: OrgResult) -> None:
    rows = _rows(written, "Teams")
    header = rows[0]
    by_key = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert sorted(by_key) == ["company", "ops", "sales", "support"]
    sales = by_key["sales"]
    assert sales["Parent team"] == "company" and sales["Key results"] == 4
    assert (sales["at risk"], sales["on track"]) == (1, 3)
    ops = org.team("ops")
    assert by_key["ops"]["Errors"] == sum(i.level == "error" for i in ops.issues)  # type: ignore
    assert by_key["ops"]["Errors"] >= 2
    assert str(by_key["support"]["Last check-in"])[:10] == "2027-01-20"


def test_key_results_sheet_lists_every_kr(written: Path, org: OrgResult) -> None:
    rows = _rows(written, layout.KEY_RESULTS.en)
    assert len(rows) - 1 == sum(len(t.key_results) for t in org.teams) == 8
    titles = {(r[0], r[2]): r[3] for r in rows[1:]}
    assert titles[("sales", "KR1.2")] == DANGEROUS_TITLE


def test_team_text_is_never_a_formula(written: Path) -> None:
    with zipfile.ZipFile(written) as z:
        xml = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/s")}
    assert xml and not any("<f>" in x or "<f " in x for x in xml.values())
    values = openpyxl.load_workbook(written)
    ws = values[layout.KEY_RESULTS.en]
    cells = [c for row in ws.iter_rows() for c in row if c.value in DANGEROUS]
    assert sorted(str(c.value) for c in cells) == sorted(DANGEROUS)
    assert all(c.data_type == "s" for c in cells)
    calamine = {v for r in _rows(written, layout.KEY_RESULTS.en) for v in r}
    assert set(DANGEROUS) <= calamine


def test_needs_attention_sheet(written: Path, org: OrgResult) -> None:
    rows = _rows(written, "Needs attention")
    listed = [(r[0], r[1], r[3]) for r in rows[1:]]
    assert ("at risk", "sales", "KR1.1") in listed
    assert ("no recent check-in", "support", "KR1.1") in listed
    assert len(listed) == len(needs_attention(org))
    assert rows[1][9] == needs_attention(org)[0].where


def test_problems_sheet_has_every_issue(written: Path, org: OrgResult) -> None:
    rows = _rows(written, "Problems")
    assert rows[0] == ["Team", "Level", "Code", "Where", "Message"]
    every = [(i.team, i.code, i.where) for i in org.issues] + [
        (t.key, i.code, i.where) for t in org.teams for i in t.issues
    ]
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == every
    assert ("ops", "error", "E004", "Key Results!G2") in [tuple(r[:4]) for r in rows]


def test_trend_sheet_has_a_column_per_week_and_a_chart(written: Path, org: OrgResult) -> None:
    import datetime as dt

    rows = _rows(written, "Trend")
    weeks = week_dates(dt.date(2027, 1, 1), dt.date(2027, 3, 31), AS_OF)
    assert rows[0][2:] == [d.isoformat() for d in weeks]
    assert rows[1][0] == "company"  # the root first, for the chart
    support = next(r for r in rows if r[0] == "support")
    assert support[2] == 0 and support[-1] == pytest.approx(org.team("support").progress)  # type: ignore
    with zipfile.ZipFile(written) as z:
        charts = [n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 1
        chart = z.read(charts[0]).decode()
    assert "<lineChart>" in chart and chart.count("<ser>") == len(rows) - 1


def test_written_to_an_open_file_and_without_a_trend(org: OrgResult) -> None:
    buffer = io.BytesIO()
    write_org_workbook(org, buffer)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert wb["Trend"].max_row == 1  # header only


def test_writing_a_path_replaces_it_whole_and_leaves_no_temporary_file(
    written: Path, org: OrgResult
) -> None:
    before = written.read_bytes()
    write_org_workbook(org, written, lang="nl")
    assert written.read_bytes() != before
    assert [p.name for p in written.parent.iterdir()] == ["org.xlsx"]
    assert "Overzicht" in CalamineWorkbook.from_path(str(written)).sheet_names


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path, org: OrgResult) -> None:
    target = tmp_path / "out" / "org.xlsx"
    target.mkdir(parents=True)  # a folder where the file should go: the final rename fails
    (target / "keep.txt").write_text("mine")
    with pytest.raises(OSError):
        write_org_workbook(org, target)
    assert [p.name for p in target.parent.iterdir()] == ["org.xlsx"]
    assert (target / "keep.txt").read_text() == "mine"
