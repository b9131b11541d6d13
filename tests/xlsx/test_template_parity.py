"""The template's live formulas agree with the engine: a corpus of filled-in workbooks is written by
the generator, recalculated by LibreOffice in one call, and every computed cell (key result and
objective Progress, Score, Status, Last check-in; the Dashboard's team figures) is compared with
`score_team` on the same file.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sheetokr.core.engine import score_team
from sheetokr.sheets.layout import (
    DASHBOARD,
    KEY_RESULTS,
    METRICS,
    OBJECTIVES,
    STATUSES,
    label,
)
from sheetokr.xlsx.read import load_team
from sheetokr.xlsx.template import write_team_workbook
from sheetokr.xlsx.template_dashboard import DASHBOARD_CELLS
from tests.libreoffice import TIMINGS, convert, libreoffice_profile  # noqa: F401
from tests.xlsx.template_corpus import cases

# Inputs the live formulas are not asked to follow (SPEC 2): the corpus must not contain them.
OUTSIDE_CONTRACT = {"W120", "E001", "E007", "E009"}


class Recalculated:
    def __init__(self, source: Path, result: Path, lang: str, as_of: dt.date | None) -> None:
        self.source, self.result, self.lang, self.as_of = source, result, lang, as_of
        self.book = CalamineWorkbook.from_path(str(result))

    def rows(self, sheet: str) -> list[list[Any]]:
        return self.book.get_sheet_by_name(sheet).to_python()


@pytest.fixture(scope="module")
def corpus(libreoffice_profile: Path, tmp_path_factory: pytest.TempPathFactory  # noqa: F811
           ) -> list[Recalculated]:
    folder = tmp_path_factory.mktemp("corpus")
    written = []
    for stem, lang, fields in cases():
        path = write_team_workbook(folder / f"{stem}.xlsx", lang, **fields)
        as_of = None if fields["data"]["cycle"].get("as_of") else dt.date.today()
        written.append((path, lang, as_of))
    started = time.monotonic()
    outputs = convert([p for p, _, _ in written], "xlsx", tmp_path_factory.mktemp("out"),
                      libreoffice_profile)
    print(f"LibreOffice recalculated {len(outputs)} workbooks in "
          f"{time.monotonic() - started:.1f} s ({len(TIMINGS)} call(s))")
    return [Recalculated(p, out, lang, as_of)
            for (p, lang, as_of), out in zip(written, outputs, strict=True)]


def _same(found: Any, expected: float | None, where: str, tolerance: float = 1e-9) -> None:
    if expected is None:
        assert found in ("", None), f"{where}: formula shows {found!r}, engine has no value"
        return
    assert isinstance(found, float | int), f"{where}: formula shows {found!r}, engine {expected}"
    assert abs(found - expected) <= tolerance, f"{where}: formula {found!r}, engine {expected!r}"


def _status(found: Any, expected: str | None, lang: str, where: str) -> None:
    wanted = "" if expected is None else label(STATUSES, expected, lang)
    assert found == wanted, f"{where}: formula shows status {found!r}, engine {wanted!r}"


def _date(found: Any, expected: dt.date | None, where: str) -> None:
    if expected is None:
        assert found in ("", None), f"{where}: formula shows {found!r}, engine has no date"
        return
    if isinstance(found, dt.datetime):
        found = found.date()
    assert found == expected, f"{where}: formula shows {found!r}, engine {expected}"


def test_corpus_stays_inside_the_contract(corpus: list[Recalculated]) -> None:
    for book in corpus:
        result = score_team(load_team(book.source), book.as_of)
        codes = {issue.code for issue in result.issues}
        assert not codes & OUTSIDE_CONTRACT, f"{book.source.name}: {codes & OUTSIDE_CONTRACT}"


def test_key_results_match_the_engine(corpus: list[Recalculated]) -> None:
    seen_status: set[str | None] = set()
    seen_metric: set[str | None] = set()
    compared = 0
    for book in corpus:
        result = score_team(load_team(book.source), book.as_of)
        sheet = KEY_RESULTS.name(book.lang)
        rows = book.rows(sheet)
        header = rows[0]
        col = {c.key: header.index(c.header(book.lang)) for c in KEY_RESULTS.columns}
        for objective in result.objectives:
            for kr in objective.key_results:
                row = rows[kr.row.number - 1]
                where = f"{book.source.name} {sheet}!row {kr.row.number} ({kr.id})"
                _same(row[col["progress"]], kr.progress, where + " progress")
                _same(row[col["score"]], kr.score, where + " score")
                _status(row[col["status"]], kr.status, book.lang, where)
                _date(row[col["last_check_in"]], kr.last_check_in, where + " last check-in")
                seen_status.add(kr.status)
                seen_metric.add(kr.metric)
                compared += 1
    assert compared >= 200
    assert seen_status == {None, *STATUSES}
    assert seen_metric == set(METRICS)


def test_objectives_match_the_engine(corpus: list[Recalculated]) -> None:
    seen: set[str | None] = set()
    aligned_only = 0
    for book in corpus:
        result = score_team(load_team(book.source), book.as_of)
        sheet = OBJECTIVES.name(book.lang)
        rows = book.rows(sheet)
        header = rows[0]
        col = {c.key: header.index(c.header(book.lang)) for c in OBJECTIVES.columns}
        for objective in result.objectives:
            row = rows[objective.row.number - 1]
            where = f"{book.source.name} {sheet}!row {objective.row.number} ({objective.id})"
            _same(row[col["progress"]], objective.progress, where + " progress")
            _same(row[col["score"]], objective.score, where + " score")
            _status(row[col["status"]], objective.status, book.lang, where)
            seen.add(objective.status)
            if not objective.key_results and objective.progress is not None:
                aligned_only += 1
    assert seen == {None, *STATUSES}
    assert aligned_only >= 6


def test_dashboard_matches_the_engine(corpus: list[Recalculated]) -> None:
    statuses = set()
    for book in corpus:
        result = score_team(load_team(book.source), book.as_of)
        rows = book.rows(DASHBOARD.name(book.lang))

        def cell(key: str, rows: list[list[Any]] = rows) -> Any:
            ref = DASHBOARD_CELLS[key]
            return rows[int(ref[1:]) - 1][ord(ref[0]) - 65]

        where = f"{book.source.name} Dashboard"
        _same(cell("progress"), result.progress, where + " team progress")
        _same(cell("score"), result.score, where + " team score")
        _same(cell("expected"), result.expected, where + " expected")
        _same(cell("elapsed"), result.elapsed, where + " elapsed")
        _status(cell("status"), result.status, book.lang, where)
        _date(cell("as_of"), result.as_of, where + " as of")
        statuses.add(result.status)
    assert len(statuses) >= 4


def test_no_error_values_anywhere(corpus: list[Recalculated]) -> None:
    """calamine reads error cells as blank, so look for them in the sheet XML itself."""
    for book in corpus:
        with zipfile.ZipFile(book.result) as package:
            for name in package.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    errors = re.findall(rb'<c r="([A-Z]+[0-9]+)"[^>]*t="e"', package.read(name))
                    assert not errors, f"{book.source.name} {name}: error values in {errors[:5]}"
