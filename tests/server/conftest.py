"""Fixtures for the server: a real app on a temporary data folder, tokens, and team workbooks.

Workbooks are real .xlsx files written with openpyxl in the SPEC 2 layout (tests.builders).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SERVER = Path(__file__).resolve().parents[2] / "server"
if str(SERVER) not in sys.path:
    sys.path.insert(0, str(SERVER))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from sheetokr_server import create_app  # noqa: E402
from sheetokr_server.auth import create_token  # noqa: E402
from sheetokr_server.db import new_session  # noqa: E402
from sheetokr_server.storage import ensure_team  # noqa: E402
from tests.builders import grid, write_xlsx  # noqa: E402

AS_OF = dt.date(2027, 2, 15)


def team_grid(
    key: str, parent: str | None, current: float = 60, aligned_to: str | None = None, **extra: Any
) -> Any:
    """A small team workbook: one objective with two key results, dated mid-cycle."""
    return grid(
        cycle={"team_key": key, "team_name": key.title(), "parent": parent, "as_of": AS_OF},
        objectives=[{"id": "O1", "title": f"{key} grows", "owner": "Ann", "type": "committed",
                     "aligned_to": aligned_to}],
        key_results=extra.pop("key_results", [
            {"id": "KR1", "objective": "O1", "title": "Tickets from 120 to 30", "owner": "Bo",
             "metric": "decrease", "start": 120, "target": 30, "current": current},
            {"id": "KR2", "objective": "O1", "title": "Reach 40 customers", "owner": "Cy",
             "metric": "increase", "start": 0, "target": 40, "current": 10},
        ]),
        **extra,
    )


def workbook_bytes(tmp: Path, key: str, parent: str | None = None, **kwargs: Any) -> bytes:
    path = tmp / f"{key}-{len(list(tmp.glob('*.xlsx')))}.xlsx"
    return write_xlsx(path, team_grid(key, parent, **kwargs)).read_bytes()


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., bytes]:
    """make_workbook(key, parent=None, current=60, aligned_to=None) -> .xlsx bytes."""
    folder = tmp_path / "workbooks"
    folder.mkdir()
    return lambda key, parent=None, **kw: workbook_bytes(folder, key, parent, **kw)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return create_app({"TESTING": True, "SHEETOKR_DATA": str(tmp_path / "data")})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def tokens(app: Flask) -> Callable[..., dict[str, str]]:
    """tokens(kind, team=None) -> the Authorization header of a new token."""

    def make(kind: str, team: str | None = None) -> dict[str, str]:
        db = new_session(app)
        try:
            if team:
                ensure_team(db, team)
            _row, plain = create_token(db, kind, team)
        finally:
            db.close()
        return {"Authorization": f"Bearer {plain}"}

    return make
