"""The scoring caches: a workbook is parsed once per content, the organisation once per change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask

from sheetokr_server import create_app
from sheetokr_server.scoring import Scorer

Tokens = Callable[..., dict[str, str]]
Maker = Callable[..., bytes]
TEAMS = ["company"] + [f"team-{n}" for n in range(6)]


def upload_all(app: Flask, header: dict[str, str], make_workbook: Maker) -> None:
    client = app.test_client()
    for key in TEAMS:
        if key == "company":  # measured through the teams aligned to it
            body = make_workbook(key, key_results=[])
        else:
            body = make_workbook(key, "company", aligned_to="company:O1")
        answer = client.put(f"/api/v1/teams/{key}/workbook", data=body, headers=header)
        assert answer.status_code == 200


def scorer(app: Flask) -> Scorer:
    found: Scorer = app.extensions["sheetokr_scorer"]
    return found


def test_reads_come_from_the_caches(
    tmp_path: Path, app: Flask, tokens: Tokens, make_workbook: Maker
) -> None:
    header = tokens("admin")
    upload_all(app, header, make_workbook)
    assert scorer(app).reads == 0  # uploads are parsed once, when they arrive
    client = app.test_client()
    first = client.get("/api/v1/org", headers=header)
    assert first.get_json()["org"]["root"] == "company"
    consolidations = scorer(app).consolidations
    for path in ("/api/v1/org", "/api/v1/teams/team-2", "/api/v1/org"):
        assert client.get(path, headers=header).status_code == 200
    assert scorer(app).consolidations == consolidations


def test_after_a_restart_each_workbook_is_read_once(
    app: Flask, tokens: Tokens, make_workbook: Maker
) -> None:
    header = tokens("admin")
    upload_all(app, header, make_workbook)
    before = app.test_client().get("/api/v1/org", headers=header).get_json()

    restarted = create_app({"SHEETOKR_DATA": str(app.config["SHEETOKR_DATA"])})
    client = restarted.test_client()
    assert client.get("/api/v1/org", headers=header).get_json() == before
    assert scorer(restarted).reads == len(TEAMS)

    body = make_workbook("team-3", "company", current=100, aligned_to="company:O1")
    answer = client.put("/api/v1/teams/team-3/workbook", data=body, headers=header)
    assert answer.status_code == 200
    after = client.get("/api/v1/org", headers=header).get_json()
    assert after["org"]["progress"] != before["org"]["progress"]
    assert scorer(restarted).reads == len(TEAMS)  # the other teams were not read again
    assert [t["team"]["key"] for t in after["teams"]] == sorted(TEAMS)
