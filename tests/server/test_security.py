"""Who may do what, and what the server refuses to store: tokens, rights, sizes, zip bombs."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sheetokr_server import create_app
from sheetokr_server.auth import revoke_token
from sheetokr_server.db import WorkbookVersion, new_session

Tokens = Callable[..., dict[str, str]]
Maker = Callable[..., bytes]


def stored(app: Flask) -> tuple[int, list[Path]]:
    """How many versions the database holds, and every file under uploads/."""
    db = new_session(app)
    try:
        count = db.query(WorkbookVersion).count()
    finally:
        db.close()
    uploads = Path(app.config["SHEETOKR_DATA"]) / "uploads"
    return count, [p for p in uploads.rglob("*") if p.is_file()]


def bomb(size: int) -> bytes:
    """A package that looks like a workbook but one part unpacks to `size` zero bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        with package.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(size // (1024 * 1024)):
                part.write(b"\0" * (1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/org"),
        ("GET", "/api/v1/teams"),
        ("GET", "/api/v1/teams/sales"),
        ("GET", "/api/v1/history"),
        ("GET", "/org.xlsx"),
        ("PUT", "/api/v1/teams/sales/workbook"),
        ("POST", "/api/v1/teams"),
        ("POST", "/api/v1/refresh"),
    ],
)
def test_no_token_is_401(client: FlaskClient, method: str, path: str) -> None:
    answer = client.open(path, method=method)
    assert answer.status_code == 401
    assert "Authorization: Bearer" in answer.get_json()["error"]
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Basic dXNlcjpwdw==", "Bearer "])
def test_unknown_token_is_401(client: FlaskClient, header: str) -> None:
    answer = client.get("/api/v1/org", headers={"Authorization": header})
    assert answer.status_code == 401


def test_revoked_token_is_401(app: Flask, client: FlaskClient, tokens: Tokens) -> None:
    header = tokens("viewer")
    assert client.get("/api/v1/org", headers=header).status_code == 200
    db = new_session(app)
    revoke_token(db, 1)
    db.close()
    answer = client.get("/api/v1/org", headers=header)
    assert answer.status_code == 401
    assert "revoked" in answer.get_json()["error"]


def test_another_teams_token_is_403(
    app: Flask, client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    answer = client.put(
        "/api/v1/teams/ops/workbook", data=make_workbook("ops"), headers=tokens("team", "sales")
    )
    assert answer.status_code == 403
    assert "team 'sales'" in answer.get_json()["error"]
    assert stored(app) == (0, [])


def test_viewer_cannot_upload(
    app: Flask, client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    viewer = tokens("viewer")
    answer = client.put("/api/v1/teams/sales/workbook", data=make_workbook("sales"), headers=viewer)
    assert answer.status_code == 403
    assert "viewer" in answer.get_json()["error"]
    assert stored(app) == (0, [])
    assert client.get("/api/v1/org", headers=viewer).status_code == 200


@pytest.mark.parametrize("kind", ["team", "viewer"])
@pytest.mark.parametrize(
    "path, body", [("/api/v1/teams", {"key": "ops"}), ("/api/v1/refresh", None)]
)
def test_admin_only_endpoints_refuse_other_tokens(
    client: FlaskClient, tokens: Tokens, kind: str, path: str, body: dict[str, str] | None
) -> None:
    header = tokens(kind, "sales" if kind == "team" else None)
    answer = client.post(path, json=body, headers=header)
    assert answer.status_code == 403
    assert "admin token" in answer.get_json()["error"]


def test_admin_may_upload_for_any_team(
    client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    answer = client.put(
        "/api/v1/teams/ops/workbook", data=make_workbook("ops"), headers=tokens("admin")
    )
    assert answer.status_code == 200
    assert answer.get_json()["team"]["key"] == "ops"


def test_oversize_body_is_413_and_stores_nothing(
    app: Flask, client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 10 * 1024 * 1024
    body = make_workbook("sales")
    body += b"\0" * (limit + 1 - len(body))
    answer = client.put("/api/v1/teams/sales/workbook", data=body, headers=tokens("team", "sales"))
    assert answer.status_code == 413
    assert "limit of 10 MB" in answer.get_json()["error"]
    assert stored(app) == (0, [])


def test_oversize_multipart_is_413(
    tmp_path: Path, tokens: Tokens, make_workbook: Maker
) -> None:
    app = create_app({"SHEETOKR_DATA": str(tmp_path / "small"), "SHEETOKR_MAX_UPLOAD_MB": 0.01})
    admin = app.test_client()
    db_app_token = _admin_header(app)
    body = {"file": (io.BytesIO(make_workbook("sales") * 3), "sales.xlsx")}
    answer = admin.put("/api/v1/teams/sales/workbook", data=body, headers=db_app_token)
    assert answer.status_code == 413
    assert stored(app) == (0, [])


def _admin_header(app: Flask) -> dict[str, str]:
    from sheetokr_server.auth import create_token

    db = new_session(app)
    try:
        return {"Authorization": "Bearer " + create_token(db, "admin")[1]}
    finally:
        db.close()


@pytest.mark.parametrize(
    "body, says",
    [
        (b"", "empty"),
        (b"name,score\nsales,0.5\n", "not a zip package"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
        (b"PK\x03\x04 broken", "not a zip package"),
    ],
)
def test_not_a_workbook_is_400_and_stores_nothing(
    app: Flask, client: FlaskClient, tokens: Tokens, body: bytes, says: str
) -> None:
    answer = client.put("/api/v1/teams/sales/workbook", data=body, headers=tokens("team", "sales"))
    assert answer.status_code == 400
    assert says in answer.get_json()["error"]
    assert stored(app) == (0, [])


def test_a_zip_that_is_no_workbook_is_400(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", "<document/>")
    answer = client.put(
        "/api/v1/teams/sales/workbook", data=out.getvalue(), headers=tokens("team", "sales")
    )
    assert answer.status_code == 400
    assert "[Content_Types].xml" in answer.get_json()["error"]
    assert stored(app) == (0, [])


def test_zip_bomb_is_400_and_stores_nothing(
    app: Flask, client: FlaskClient, tokens: Tokens
) -> None:
    body = bomb(300 * 1024 * 1024)
    assert len(body) < 1024 * 1024
    answer = client.put("/api/v1/teams/sales/workbook", data=body, headers=tokens("team", "sales"))
    assert answer.status_code == 400
    assert "unpack" in answer.get_json()["error"]
    assert stored(app) == (0, [])


def test_workbook_of_another_team_is_422_and_stores_nothing(
    app: Flask, client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    answer = client.put(
        "/api/v1/teams/sales/workbook", data=make_workbook("ops"), headers=tokens("admin")
    )
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert "'ops'" in error and "Cycle!B1" in error
    assert stored(app) == (0, [])


def test_public_read_opens_reading_but_not_writing(
    tmp_path: Path, make_workbook: Maker
) -> None:
    app = create_app({"SHEETOKR_DATA": str(tmp_path / "pub"), "SHEETOKR_PUBLIC_READ": True})
    client = app.test_client()
    assert client.get("/api/v1/org").status_code == 200
    assert client.get("/api/v1/teams").status_code == 200
    answer = client.put("/api/v1/teams/sales/workbook", data=make_workbook("sales"))
    assert answer.status_code == 401


def test_session_login_reads_without_a_header(
    client: FlaskClient, tokens: Tokens
) -> None:
    plain = tokens("viewer")["Authorization"].split()[1]
    assert client.post("/login", data={"token": "wrong"}).status_code == 401
    answer = client.post("/login", data={"token": plain, "next": "//evil.example/"})
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/"
    assert client.get("/api/v1/org").status_code == 200
    assert client.put("/api/v1/teams/sales/workbook", data=b"x").status_code == 403
    client.post("/logout")
    assert client.get("/api/v1/org").status_code == 401


@pytest.mark.parametrize("key", ["sales%0A", "-sales", "sa%20les", "x" * 101])
def test_team_keys_in_urls_are_checked(client: FlaskClient, tokens: Tokens, key: str) -> None:
    answer = client.put(f"/api/v1/teams/{key}/workbook", data=b"x", headers=tokens("admin"))
    assert answer.status_code == 400
    assert "is not a team key" in answer.get_json()["error"]
