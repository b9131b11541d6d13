"""The list of latest versions is kept between requests and read again when a version is stored,
also when another server process on the same data folder stored it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from sheetokr_server import create_app

Tokens = Callable[..., dict[str, str]]
Maker = Callable[..., bytes]


def test_a_version_stored_by_another_process_is_seen(
    app: Flask, tokens: Tokens, make_workbook: Maker
) -> None:
    header = tokens("admin")
    client = app.test_client()
    for key, body in (
        ("company", make_workbook("company", key_results=[])),
        ("team-a", make_workbook("team-a", "company", current=10, aligned_to="company:O1")),
    ):
        answer = client.put(f"/api/v1/teams/{key}/workbook", data=body, headers=header)
        assert answer.status_code == 200
    before = client.get("/api/v1/org", headers=header).get_json()
    assert client.get("/api/v1/org", headers=header).get_json() == before  # from the cache

    other = create_app({"SHEETOKR_DATA": str(app.config["SHEETOKR_DATA"])}).test_client()
    body = make_workbook("team-a", "company", current=100, aligned_to="company:O1")
    assert other.put("/api/v1/teams/team-a/workbook", data=body, headers=header).status_code == 200
    body = make_workbook("team-b", "company", current=50, aligned_to="company:O1")
    assert other.put("/api/v1/teams/team-b/workbook", data=body, headers=header).status_code == 200

    after = client.get("/api/v1/org", headers=header).get_json()
    assert [t["team"]["key"] for t in after["teams"]] == ["company", "team-a", "team-b"]
    team_a = next(t for t in after["teams"] if t["team"]["key"] == "team-a")
    old_a = next(t for t in before["teams"] if t["team"]["key"] == "team-a")
    assert team_a["team"]["progress"] != old_a["team"]["progress"]
