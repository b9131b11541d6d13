"""The worksheet functions of SPEC 4 as plain Python: tables of cases, and OKR.TEAM against a
real server on a loopback port."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheetokr.functions import (
    okr_attainment,
    okr_expected,
    okr_parse,
    okr_progress,
    okr_rollup,
    okr_score,
    okr_status,
    okr_team,
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((12, 24, 18), 0.5),
        ((120, 30, 60, "decrease"), 2 / 3),
        ((120, 30, 60, "verlagen"), 2 / 3),
        ((12, 24, 30), 1.0),
        ((9, 6, 10, "decrease"), 0.0),
        ((None, 950, 360), 360 / 950),
        ((None, 8, 8, "at least"), 1.0),
        ((None, 8, 7.9, "minimaal"), 0.0),
        ((None, 0.05, 0.05, "at most"), 1.0),
        ((None, None, "klaar", "milestone"), 1.0),
        ((None, None, "40%", "mijlpaal"), 0.4),
        ((None, None, 4800, "baseline"), None),
        ((0, 100, None), 0.0),
        (("$12M", "24M", "18 M USD"), 0.5),
        ((24, 24, 25), 1.0),
    ],
)
def test_progress(args: tuple[object, ...], expected: float | None) -> None:
    assert okr_progress(*args) == (pytest.approx(expected) if expected is not None else None)


def test_progress_refuses_unknown_metric_and_text() -> None:
    with pytest.raises(ValueError, match="metric"):
        okr_progress(0, 10, 5, "sideways")
    with pytest.raises(ValueError, match="current"):
        okr_progress(0, 10, "lots")


@pytest.mark.parametrize(
    ("args", "expected"),
    [((12, 24, 30), 1.5), ((9, 6, 10), -1 / 3), ((5, 5, 7), None), ((None, 10, 5), 0.5)],
)
def test_attainment(args: tuple[object, ...], expected: float | None) -> None:
    assert okr_attainment(*args) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2027-01-01", "2027-03-31", "2027-02-15"), 45 / 89),
        ((dt.date(2027, 1, 1), dt.date(2027, 3, 31), dt.date(2027, 2, 15), 0.7), 0.7 * 45 / 89),
        (("2027-01-01", "2027-03-31", "2026-12-01"), 0.0),
        (("2027-01-01", "2027-01-01", "2027-01-01"), 1.0),
        (("2027-03-31", "2027-01-01", "2027-02-01"), None),
    ],
)
def test_expected(args: tuple[object, ...], expected: float | None) -> None:
    assert okr_expected(*args) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0.5, 0.5), "on track"),
        ((0.4, 0.5), "behind"),
        ((0.25, 0.5), "behind"),
        ((0.2, 0.5), "at risk"),
        ((0.2, 0.5, 0.4), "behind"),
        ((1.0, 0.5), "achieved"),
        ((None, 0.5), None),
    ],
)
def test_status(args: tuple[object, ...], expected: str | None) -> None:
    assert okr_status(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [((0.125,), 0.13), ((0.285,), 0.29), ((0.5, 0.7), 0.7), ((None,), None)],
)
def test_score(args: tuple[object, ...], expected: float | None) -> None:
    assert okr_score(*args) == expected


def test_rollup_takes_ranges_as_rows() -> None:
    assert okr_rollup([[0.5], [1.0], [None]]) == pytest.approx(0.75)
    assert okr_rollup([0.5, 1.0], [1, 3]) == pytest.approx(0.875)
    assert okr_rollup([0.5, 1.0], [0, None]) == pytest.approx(1.0)
    assert okr_rollup([None, ""]) is None
    with pytest.raises(ValueError, match="same size"):
        okr_rollup([0.5, 1.0], [1])


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [("12M", "en", 12e6), ("1.000,5", "nl", 1000.5), ("2:37", "en", 157), ("80%", "en", 0.8)],
)
def test_parse(text: str, lang: str, expected: float) -> None:
    assert okr_parse(text, lang) == pytest.approx(expected)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    from werkzeug.serving import make_server

    from sheetokr_server import create_app
    from tests.builders import grid, write_xlsx

    app = create_app({"SHEETOKR_DATA": str(tmp_path / "data"), "SHEETOKR_PUBLIC_READ": True})
    path = write_xlsx(
        tmp_path / "company.xlsx",
        grid(
            cycle={"team_key": "company", "as_of": dt.date(2027, 2, 15)},
            objectives=[{"id": "O1", "title": "Grow", "owner": "Ann", "type": "committed"}],
            key_results=[
                {
                    "id": "KR1",
                    "objective": "O1",
                    "title": "Revenue 12 to 24",
                    "owner": "Ann",
                    "start": 12,
                    "target": 24,
                    "current": 18,
                }
            ],
        ),
    )
    from sheetokr_server.auth import create_token
    from sheetokr_server.db import new_session

    db = new_session(app)
    _row, admin = create_token(db, "admin")
    db.close()
    answer = app.test_client().put(
        "/api/v1/teams/company/workbook",
        data=path.read_bytes(),
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert answer.status_code == 200
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.port}"
    http.shutdown()


def test_team_reads_a_team_from_the_server(server: str) -> None:
    assert okr_team("company", server=server) == pytest.approx(0.5)
    assert okr_team("company", "status", server=server) == "behind"  # 0.5 < 45/89 expected
    with pytest.raises(ValueError, match="404"):
        okr_team("nobody", server=server)
    with pytest.raises(ValueError, match="field"):
        okr_team("company", "colour", server=server)
