"""The JSON API with the real app and its test client: uploads, reads, history, teams, refresh."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from sheetokr.core.engine import consolidate
from sheetokr.xlsx.read import load_team
from sheetokr_server import create_app, openapi

Tokens = Callable[..., dict[str, str]]
Maker = Callable[..., bytes]


def test_upload_answers_the_teams_scored_json(
    client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    body = make_workbook("sales", current=75)
    answer = client.put("/api/v1/teams/sales/workbook", data=body, headers=tokens("team", "sales"))
    assert answer.status_code == 200
    scored = answer.get_json()
    expected = consolidate([load_team(body, "sales.xlsx")]).teams[0].to_json()
    assert scored == json.loads(json.dumps(expected))
    assert list(scored) == ["team", "cycle", "objectives", "initiatives", "issues"]


def test_multipart_upload_is_the_same_as_a_raw_body(
    client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    body = make_workbook("sales", current=90)
    header = tokens("team", "sales")
    form = {"file": (io.BytesIO(body), "sales.xlsx")}
    multipart = client.put("/api/v1/teams/sales/workbook", data=form, headers=header)
    raw = client.put("/api/v1/teams/sales/workbook", data=body, headers=header)
    assert multipart.status_code == raw.status_code == 200
    assert multipart.get_json() == raw.get_json()
    missing = client.put(
        "/api/v1/teams/sales/workbook", data={"other": "x"}, headers=header,
        content_type="multipart/form-data",
    )
    assert missing.status_code == 400
    assert "'file'" in missing.get_json()["error"]


def test_workbook_with_errors_is_stored_and_lists_them(
    client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    body = make_workbook("sales", key_results=[
        {"id": "KR1", "objective": "O9", "title": "Win 10 deals", "target": 10, "current": 4},
        {"id": "KR2", "objective": "O1", "title": "Win 20 deals", "target": "tbd", "current": 4},
    ])
    header = tokens("team", "sales")
    answer = client.put("/api/v1/teams/sales/workbook", data=body, headers=header)
    assert answer.status_code == 200
    errors = {(i["code"], i["where"]) for i in answer.get_json()["issues"] if i["level"] == "error"}
    assert {("E002", "Key Results!B2"), ("E004", "Key Results!G3")} <= errors
    versions = client.get("/api/v1/teams/sales/versions", headers=header).get_json()["versions"]
    assert [v["number"] for v in versions] == [1]


def test_every_version_is_kept_and_the_latest_is_served(
    app: Flask, client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    header = tokens("team", "sales")
    progress = []
    for current in (40, 80, 40):
        answer = client.put(
            "/api/v1/teams/sales/workbook", data=make_workbook("sales", current=current),
            headers=header,
        )
        progress.append(answer.get_json()["team"]["progress"])
        served = client.get("/api/v1/teams/sales", headers=header).get_json()
        assert served["team"]["progress"] == progress[-1]
    assert progress[0] != progress[1]
    versions = client.get("/api/v1/teams/sales/versions", headers=header).get_json()["versions"]
    assert [v["number"] for v in versions] == [3, 2, 1]
    data = Path(app.config["SHEETOKR_DATA"])
    for v in versions:
        assert (data / "uploads" / "sales" / f"{v['number']}-{v['sha256'][:12]}.xlsx").is_file()


def test_history_has_a_snapshot_per_change(
    client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    admin = tokens("admin")
    company = make_workbook("company", key_results=[])  # measured through sales
    client.put("/api/v1/teams/company/workbook", data=company, headers=admin)
    for current in (40, 60, 80):
        client.put(
            "/api/v1/teams/sales/workbook",
            data=make_workbook("sales", "company", current=current, aligned_to="company:O1"),
            headers=admin,
        )
    history = client.get("/api/v1/history", headers=admin).get_json()["teams"]
    sales = history["sales"]
    assert len(sales) == 3
    assert sales[0]["progress"] > sales[1]["progress"] > sales[2]["progress"]
    assert len(history["company"]) == 4  # its own upload, then each change of sales
    assert set(sales[0]) == {"at", "progress", "score", "status"}
    assert sales[0]["at"].endswith("Z")
    only = client.get("/api/v1/history?team=sales", headers=admin).get_json()["teams"]
    assert list(only) == ["sales"]


def test_unchanged_bytes_make_a_version_but_no_snapshot(
    client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    header = tokens("team", "sales")
    body = make_workbook("sales")
    for _ in range(2):
        client.put("/api/v1/teams/sales/workbook", data=body, headers=header)
    assert len(client.get("/api/v1/history", headers=header).get_json()["teams"]["sales"]) == 1
    versions = client.get("/api/v1/teams/sales/versions", headers=header).get_json()["versions"]
    assert len(versions) == 2


def test_teams_list_and_unknown_team(
    client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    header = tokens("team", "sales")
    tokens("team", "ops")
    client.put("/api/v1/teams/sales/workbook", data=make_workbook("sales"), headers=header)
    teams = client.get("/api/v1/teams", headers=header).get_json()["teams"]
    assert [(t["key"], t["name"]) for t in teams] == [("ops", "ops"), ("sales", "Sales")]
    assert teams[0]["version"] is None and teams[1]["version"]["number"] == 1
    unknown = client.get("/api/v1/teams/nope", headers=header)
    assert unknown.status_code == 404
    assert "'nope'" in unknown.get_json()["error"]
    empty = client.get("/api/v1/teams/ops", headers=header)
    assert empty.status_code == 404
    assert "no workbook yet" in empty.get_json()["error"]


def test_register_a_team_with_a_file_on_the_server_and_refresh(
    tmp_path: Path, client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    admin = tokens("admin")
    path = tmp_path / "ops.xlsx"
    path.write_bytes(make_workbook("ops", current=40))
    answer = client.post(
        "/api/v1/teams", json={"key": "ops", "name": "Operations", "source": str(path)},
        headers=admin,
    )
    assert answer.status_code == 201
    assert answer.get_json()["source"] == str(path)
    first = client.get("/api/v1/teams/ops", headers=admin).get_json()["team"]["progress"]

    assert client.post("/api/v1/refresh", headers=admin).get_json() == {
        "changed": [], "unchanged": ["ops"], "problems": []
    }
    path.write_bytes(make_workbook("ops", current=80))
    assert client.post("/api/v1/refresh", headers=admin).get_json()["changed"] == ["ops"]
    second = client.get("/api/v1/teams/ops", headers=admin).get_json()["team"]["progress"]
    assert second < first  # KR1 decreases from 120 to 30: 80 is further from it than 40
    assert len(client.get("/api/v1/history", headers=admin).get_json()["teams"]["ops"]) == 2

    path.write_bytes(b"not a workbook")
    problems = client.post("/api/v1/refresh", headers=admin).get_json()["problems"]
    assert [(p["team"], p["status"]) for p in problems] == [("ops", 400)]


@pytest.mark.parametrize(
    "body, status, says",
    [
        ({"key": "Bad Key!"}, 400, "not a team key"),
        ({"key": "ops", "parent": "x y"}, 400, "parent"),
        ({"key": "ops", "source": "/no/such/file.xlsx"}, 400, "Cannot read"),
        ([1, 2], 400, "JSON object"),
    ],
)
def test_register_team_refusals(
    client: FlaskClient, tokens: Tokens, body: object, status: int, says: str
) -> None:
    answer = client.post("/api/v1/teams", json=body, headers=tokens("admin"))
    assert answer.status_code == status
    assert says in answer.get_json()["error"]


def test_register_team_twice_changes_it(client: FlaskClient, tokens: Tokens) -> None:
    admin = tokens("admin")
    assert client.post("/api/v1/teams", json={"key": "ops"}, headers=admin).status_code == 201
    again = client.post("/api/v1/teams", json={"key": "OPS", "name": "Ops"}, headers=admin)
    assert again.status_code == 200
    assert again.get_json()["name"] == "Ops"


def test_empty_org(client: FlaskClient, tokens: Tokens) -> None:
    answer = client.get("/api/v1/org", headers=tokens("viewer"))
    assert answer.status_code == 200
    assert answer.get_json()["teams"] == []


@pytest.mark.parametrize("lang, overview", [("en", "Overview"), ("nl", "Overzicht")])
def test_org_workbook(
    client: FlaskClient, tokens: Tokens, make_workbook: Maker, lang: str, overview: str
) -> None:
    admin = tokens("admin")
    client.put("/api/v1/teams/company/workbook", data=make_workbook("company"), headers=admin)
    answer = client.get(f"/org.xlsx?lang={lang}", headers=tokens("viewer"))
    assert answer.status_code == 200
    assert answer.mimetype == openapi.XLSX
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames[0] == overview
    texts = {c for row in book[overview].iter_rows(values_only=True) for c in row}
    assert "company grows" in texts
    refused = client.get("/org.xlsx?lang=fr", headers=admin)
    assert refused.status_code == 400
    assert "'en' or 'nl'" in refused.get_json()["error"]


@pytest.mark.parametrize(
    "method, path, status",
    [("GET", "/api/v1/nothing", 404), ("DELETE", "/api/v1/org", 405), ("GET", "/org.xls", 404)],
)
def test_flask_errors_under_api_are_json(
    client: FlaskClient, method: str, path: str, status: int
) -> None:
    answer = client.open(path, method=method)
    assert answer.status_code == status
    assert answer.is_json == path.startswith("/api/")
    if answer.is_json:
        assert answer.get_json()["error"].endswith(".")


def test_openapi_describes_every_route(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    routes = {
        (rule.rule.replace("<key>", "{key}"), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/", "/org.xlsx"))
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    described = {(p, m) for p, ops in document["paths"].items() for m in ops}
    assert routes == described
    assert document == openapi.document()


def test_a_lost_stored_workbook_is_a_500_sentence(
    app: Flask, client: FlaskClient, tokens: Tokens, make_workbook: Maker
) -> None:
    admin = tokens("admin")
    client.put("/api/v1/teams/sales/workbook", data=make_workbook("sales"), headers=admin)
    for stored in (Path(app.config["SHEETOKR_DATA"]) / "uploads" / "sales").iterdir():
        stored.unlink()
    restarted = create_app({"SHEETOKR_DATA": str(app.config["SHEETOKR_DATA"])}).test_client()
    answer = restarted.get("/api/v1/org", headers=admin)
    assert answer.status_code == 500
    error = answer.get_json()["error"]
    assert "team 'sales'" in error and "upload the team's workbook again" in error
