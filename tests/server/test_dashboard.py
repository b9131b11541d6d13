"""The leaders' dashboard through the real app: the alignment tree and its figures, filters given
as query parameters, the team page, both languages, signing in, escaping and the sheet download.

Figures are compared with what the API answers for the same organisation, never typed in here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sheetokr.core.values import round_half_up
from sheetokr.sheets.layout import STATUSES, label
from sheetokr_server import create_app
from sheetokr_server.auth import create_token
from sheetokr_server.db import Snapshot, Team, new_session
from tests.builders import grid, write_xlsx
from tests.server.conftest import AS_OF
from tests.server.dashboard_html import TreeNode, tree_nodes

SCRIPT = "<script>alert(1)</script>"


def team_book(folder: Path, key: str, parent: str | None, objectives: list[dict[str, Any]],
              key_results: list[dict[str, Any]], **extra: Any) -> bytes:
    cycle = {"team_key": key, "team_name": key.title(), "parent": parent, "as_of": AS_OF}
    path = folder / f"{key}.xlsx"
    write_xlsx(path, grid(cycle=cycle, objectives=objectives, key_results=key_results, **extra))
    return path.read_bytes()


def demo_books(folder: Path) -> dict[str, bytes]:
    """A company with two objectives, and two teams aligned to one each."""
    folder.mkdir(exist_ok=True)
    kr = {"metric": "increase", "start": 0}
    return {
        "company": team_book(folder, "company", None, [
            {"id": "O1", "title": "Customers love us", "owner": "Cleo", "type": "committed"},
            {"id": "O2", "title": SCRIPT, "owner": "Cleo", "type": "committed"},
        ], [
            {**kr, "id": "KR1", "objective": "O1", "title": "NPS to 60", "owner": "Cleo",
             "target": 60, "current": 30},
            {**kr, "id": "KR2", "objective": "O2", "title": "Revenue to 10 M", "owner": "Cleo",
             "target": 10, "current": 5},
        ]),
        "sales": team_book(folder, "sales", "company", [
            {"id": "O1", "title": "Win 40 customers", "owner": "Sam Sales", "type": "committed",
             "aligned_to": "company:O1"},
        ], [
            {**kr, "id": "KR1", "objective": "O1", "title": "Sign 40 customers",
             "owner": "Sam Sales", "target": 40, "unit": "customers"},
            {**kr, "id": "KR2", "objective": "O1", "title": "Demo 80 times", "target": 80,
             "current": 70},
        ], check_ins=[
            {"date": dt.date(2027, 1, 11), "key_result": "KR1", "value": 8},
            {"date": dt.date(2027, 1, 25), "key_result": "KR1", "value": 15},
            {"date": dt.date(2027, 2, 8), "key_result": "KR1", "value": 24},
        ], initiatives=[
            {"id": "I1", "objective": "O1", "key_result": "KR1", "title": "Trade fair stand",
             "owner": "Sam Sales", "status": "in progress"},
        ]),
        "ops": team_book(folder, "ops", "company", [
            {"id": "O1", "title": "Ship faster", "owner": "Olga Ops", "type": "committed",
             "aligned_to": "company:O2"},
        ], [
            {**kr, "id": "KR1", "objective": "O1", "title": "Deploy 100 times", "owner": "Olga Ops",
             "target": 100, "current": 3},
        ]),
    }


@pytest.fixture
def org(app: Flask, client: FlaskClient, tokens: Callable[..., dict[str, str]],
        tmp_path: Path) -> dict[str, Any]:
    """The demo organisation uploaded; answers the admin header and the API's org JSON."""
    admin = tokens("admin")
    books = demo_books(tmp_path / "books")
    for key, data in books.items():
        assert client.put(f"/api/v1/teams/{key}/workbook", data=data, headers=admin).status_code \
            == 200
    answer = client.get("/api/v1/org", headers=admin).get_json()
    return {"headers": admin, "json": answer, "books": books}


def objective_json(org_json: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{t['team']['key']}:{o['id']}": o for t in org_json["teams"] for o in t["objectives"]}


def pct(x: float) -> str:
    """A fraction as the pages show it: whole percent, rounded half up as spreadsheets do."""
    return f"{round_half_up(x * 100, 0):.0f}%"


def shown(nodes: list[TreeNode]) -> set[str]:
    return {n.key for n in nodes if not n.hidden}


def test_tree_nests_aligned_objectives_with_the_engines_progress(
    client: FlaskClient, org: dict[str, Any]
) -> None:
    page = client.get("/", headers=org["headers"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    nodes = {n.key: n for n in tree_nodes(html)}
    assert set(nodes) == {"company:O1", "company:O2", "sales:O1", "ops:O1"}
    assert nodes["sales:O1"].parent is nodes["company:O1"]
    assert nodes["ops:O1"].parent is nodes["company:O2"]
    assert nodes["company:O1"].parent is None and nodes["company:O2"].parent is None
    for key, objective in objective_json(org["json"]).items():
        assert nodes[key].pct == pct(objective["progress"]), key
        assert nodes[key].status == objective["status"], key
        assert not nodes[key].hidden
    head = org["json"]["org"]
    assert re.search(rf'id="org-progress">{pct(head["progress"])}<', html)
    assert re.search(rf'id="org-score">{head["score"]:.2f}<', html)
    for key in ("company", "sales", "ops"):  # each team's sheet is linked
        assert f'href="/teams/{key}/workbook"' in html


@pytest.mark.parametrize("query", ["team=sales", "team=ops", "owner=olga", "q=deploy",
                                   "q=CUSTOMERS", "status=STATUS_OF_OPS"])
def test_query_parameters_filter_the_tree(
    client: FlaskClient, org: dict[str, Any], query: str
) -> None:
    objectives = objective_json(org["json"])
    query = query.replace("STATUS_OF_OPS", objectives["ops:O1"]["status"])
    name, _, value = query.partition("=")

    def matches(key: str, o: dict[str, Any]) -> bool:
        team = key.split(":")[0]
        text = " ".join([o["id"], o["title"], o["owner"] or "", team, team.title()]
                        + [kr["title"] for kr in o["key_results"]]).casefold()
        return {"team": team == value, "owner": value in (o["owner"] or "").casefold(),
                "q": value.casefold() in text, "status": o["status"] == value}[name]

    wanted = {k for k, o in objectives.items() if matches(k, o)}
    assert wanted and len(wanted) < len(objectives)  # the case narrows the tree
    nodes = tree_nodes(client.get(f"/?{query}", headers=org["headers"]).get_data(as_text=True))
    assert {n.key for n in nodes if not n.hidden and not n.context} == wanted
    for node in nodes:  # what is shown is a match or the ancestor of one, greyed as context
        if node.key in wanted:
            parent = node.parent
            while parent is not None:
                assert not parent.hidden and (parent.context or parent.key in wanted)
                parent = parent.parent
        elif not node.hidden:
            assert node.context
    everything = tree_nodes(client.get("/", headers=org["headers"]).get_data(as_text=True))
    assert len(shown(nodes)) < len(shown(everything)) == len(objectives)


def test_filter_form_keeps_the_query(client: FlaskClient, org: dict[str, Any]) -> None:
    html = client.get("/?team=sales&q=win&lang=nl", headers=org["headers"]).get_data(as_text=True)
    assert '<option value="sales" selected>' in html
    assert 'name="q" value="win"' in html
    assert '<input type="hidden" name="lang" value="nl">' in html


def test_team_page_shows_key_results_initiatives_problems_and_check_ins(
    client: FlaskClient, org: dict[str, Any]
) -> None:
    html = client.get("/teams/sales", headers=org["headers"]).get_data(as_text=True)
    team = next(t for t in org["json"]["teams"] if t["team"]["key"] == "sales")
    kr1, kr2 = team["objectives"][0]["key_results"]
    assert kr1["current"] == 24 and kr1["last_check_in"] == "2027-02-08"  # from check-ins
    row = html[html.index('id="kr-KR1"'):html.index('id="kr-KR2"')]
    assert pct(kr1["progress"]) in row
    assert "24 / 40" in row and "customers" in row and "Sam Sales" in row
    assert "2027-02-08" in row and label(STATUSES, kr1["status"], "en") in row
    assert f"{kr1['score']:.2f}" in row
    assert "Trade fair stand" in html and "in progress" in html
    # KR2 has no owner: W102 is listed among the problems, at its cell
    w102 = next(i for i in team["issues"] if i["code"] == "W102")
    assert w102["where"] in html
    # one chart for the KR with check-ins, a dot per check-in; none for KR2
    chart = html[html.index('id="chart-KR1"'):]
    chart = chart[:chart.index("</svg>")]
    assert chart.count("<circle") == 3
    assert 'id="chart-KR2"' not in html and kr2["last_check_in"] is None


def test_unknown_team_is_a_page_not_json(client: FlaskClient, org: dict[str, Any]) -> None:
    answer = client.get("/teams/nobody", headers=org["headers"])
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "nobody" in answer.get_data(as_text=True)


def test_needs_attention_lists_the_at_risk_team(client: FlaskClient,
                                                org: dict[str, Any]) -> None:
    html = client.get("/", headers=org["headers"]).get_data(as_text=True)
    section = html[html.index('id="attention"'):]
    section = section[:section.index("</ol>")]
    ops = objective_json(org["json"])["ops:O1"]
    assert ops["status"] in ("at_risk", "behind")
    assert "Ship faster" in section and 'href="/teams/ops#o-O1"' in section


def test_dutch_from_accept_language_and_english_from_the_query(
    client: FlaskClient, org: dict[str, Any]
) -> None:
    nl = client.get("/", headers={**org["headers"], "Accept-Language": "nl-NL,nl;q=0.9"})
    text = nl.get_data(as_text=True)
    assert '<html lang="nl">' in text and "Voortgang" in text and "op schema" in text
    en = client.get("/?lang=en", headers={**org["headers"], "Accept-Language": "nl"})
    text = en.get_data(as_text=True)
    assert '<html lang="en">' in text and "Progress" in text and "Voortgang" not in text
    assert 'href="/teams/sales?lang=en#o-O1"' in text  # the choice travels with links
    team = client.get("/teams/sales?lang=nl", headers=org["headers"]).get_data(as_text=True)
    assert "Hoofdresultaten" in team and "Initiatieven" in team and "bezig" in team


def test_reading_needs_a_token_and_the_form_signs_in(
    client: FlaskClient, org: dict[str, Any], tokens: Callable[..., dict[str, str]]
) -> None:
    refused = client.get("/teams/sales?lang=en")
    assert refused.status_code == 401
    html = refused.get_data(as_text=True)
    assert 'action="/login"' in html and 'name="next" value="/teams/sales?lang=en"' in html
    assert "Sam Sales" not in html
    assert client.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    viewer = tokens("viewer")["Authorization"].removeprefix("Bearer ")
    signed = client.post("/login", data={"token": viewer, "next": "/teams/sales?lang=en"})
    assert signed.status_code == 303 and signed.headers["Location"] == "/teams/sales?lang=en"
    page = client.get("/teams/sales?lang=en")  # the session cookie now reads
    assert page.status_code == 200 and "Sam Sales" in page.get_data(as_text=True)
    assert 'action="/logout"' in page.get_data(as_text=True)
    client.post("/logout")
    assert client.get("/").status_code == 401


def test_public_reading_needs_no_token(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SHEETOKR_DATA": str(tmp_path / "d"),
                      "SHEETOKR_PUBLIC_READ": True})
    db = new_session(app)
    _row, plain = create_token(db, "admin")
    db.close()
    client = app.test_client()
    assert client.get("/").status_code == 200  # empty organisation: a sentence, not an error
    data = demo_books(tmp_path / "books")["company"]
    client.put("/api/v1/teams/company/workbook", data=data,
               headers={"Authorization": f"Bearer {plain}"})
    assert "Customers love us" in client.get("/").get_data(as_text=True)


def test_user_text_is_escaped_and_pages_carry_a_strict_policy(
    client: FlaskClient, org: dict[str, Any]
) -> None:
    for path in ("/", "/teams/company", "/?q=alert"):
        answer = client.get(path, headers=org["headers"])
        html = answer.get_data(as_text=True)
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert re.search(r"<script(?! src=\"/static/dashboard\.js\" defer>)", html) is None
        policy = answer.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy
    assert re.search(r"<[^>]+\son[a-z]+=", html) is None  # no inline event handlers


def test_team_sheet_download_is_the_latest_upload(
    client: FlaskClient, org: dict[str, Any], tmp_path: Path
) -> None:
    assert client.get("/teams/sales/workbook").status_code == 401
    with client.get("/teams/sales/workbook", headers=org["headers"]) as first:
        assert first.status_code == 200 and first.data == org["books"]["sales"]
        assert "attachment" in first.headers["Content-Disposition"]
    newer = team_book(tmp_path, "sales", "company", [{"id": "O1", "title": "Changed"}], [])
    client.put("/api/v1/teams/sales/workbook", data=newer, headers=org["headers"])
    with client.get("/teams/sales/workbook", headers=org["headers"]) as second:
        assert second.data == newer
    assert client.get("/teams/nobody/workbook", headers=org["headers"]).status_code == 404


def test_trend_charts_from_check_ins_and_from_snapshots(
    app: Flask, client: FlaskClient, org: dict[str, Any]
) -> None:
    html = client.get("/", headers=org["headers"]).get_data(as_text=True)
    trend = html[html.index('id="trend-h"'):]
    trend = trend[:trend.index("</section>")]
    assert trend.count("<svg") == 1  # weekly, from check-ins; uploads were all within the hour
    assert "Organisation" in trend and "Sales" in trend
    db = new_session(app)
    company = db.query(Team).filter(Team.key == "company").one()
    earlier = dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC)
    db.add(Snapshot(team_id=company.id, at=earlier, progress=0.25, score=0.25,
                    status="behind", scored="{}"))
    db.commit()
    db.close()
    html = client.get("/", headers=org["headers"]).get_data(as_text=True)
    trend = html[html.index('id="trend-h"'):]
    trend = trend[:trend.index("</section>")]
    assert trend.count("<svg") == 2
    assert "2027-01-20 09:00: 25%" in trend  # the stored snapshot, as a dot's tooltip
