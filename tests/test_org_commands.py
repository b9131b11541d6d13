"""`sheetokr consolidate` and `sheetokr demo` on real workbooks: the org JSON, the org workbook
with its trend, unusable files, and a folder holding an earlier overview."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sheetokr.cli import cli
from sheetokr.core.engine import consolidate
from sheetokr.demo import build_demo
from sheetokr.xlsx.read import load_team

TODAY = dt.date(2027, 2, 15)


@pytest.fixture(scope="module")
def teams(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("org") / "teams"
    build_demo(folder, teams=4, today=TODAY)
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_is_the_engines_consolidation(teams: Path) -> None:
    code, out, _ = run("consolidate", str(teams), "--on", TODAY.isoformat(), "--json")
    assert code == 0
    data = json.loads(out)
    direct = consolidate([load_team(p) for p in sorted(teams.glob("*.xlsx"))], TODAY)
    assert data["org"]["root"] == "company"
    assert data["org"]["progress"] == pytest.approx(direct.progress)
    assert {t["team"]["key"] for t in data["teams"]} == {t.key for t in direct.teams}
    company = next(t for t in data["teams"] if t["team"]["key"] == "company")
    o1 = next(o for o in company["objectives"] if o["id"] == "O1")
    assert o1["key_results"] == [] and o1["progress"] is not None  # rolled up across teams


def test_org_workbook_has_every_sheet_and_a_trend(teams: Path, tmp_path: Path) -> None:
    out = tmp_path / "org.xlsx"
    code, stdout, _ = run("consolidate", str(teams), "--on", TODAY.isoformat(), "--out", str(out))
    assert code == 0 and "Wrote" in stdout
    wb = openpyxl.load_workbook(out)
    assert {"Overview", "Teams", "Key Results", "Needs attention", "Problems", "Trend"} <= set(
        wb.sheetnames
    )
    trend = wb["Trend"]
    weeks = [c.value for c in trend[1]][2:]
    assert len(weeks) >= 5 and weeks[-1] == TODAY.isoformat()
    assert trend._charts, "the Trend sheet has a chart"


def test_an_earlier_overview_in_the_folder_is_not_a_team(teams: Path) -> None:
    out = teams / "overview.xlsx"
    try:
        assert run("consolidate", str(teams), "--out", str(out))[0] == 0
        code, stdout, stderr = run("consolidate", str(teams), "--out", str(out))
        assert code == 0
        assert "E016" not in stdout + stderr
    finally:
        out.unlink(missing_ok=True)


def test_unusable_files_are_skipped_with_a_sentence_and_exit_2(teams: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    code, stdout, stderr = run("consolidate", str(teams / "company.xlsx"), str(junk))
    assert code == 2
    assert "junk.xlsx is not an Excel workbook" in stderr
    assert "company" in stdout
    assert "Traceback" not in stdout + stderr


def test_a_folder_without_workbooks_is_one_sentence(tmp_path: Path) -> None:
    code, _, stderr = run("consolidate", str(tmp_path))
    assert code == 2 and "holds no .xlsx" in stderr


def test_demo_builds_teams_and_an_overview(tmp_path: Path) -> None:
    code, stdout, _ = run("demo", "--teams", "2", "--dir", str(tmp_path / "d"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "d" / "teams").glob("*.xlsx")) == [
        "company.xlsx",
        "marketing.xlsx",
        "sales.xlsx",
    ]
    assert (tmp_path / "d" / "org.xlsx").exists()
    assert "Organisation" in stdout


def test_json_with_an_unusable_file_still_exits_2(teams: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_text("no")
    code, stdout, stderr = run("consolidate", str(teams / "company.xlsx"), str(junk), "--json")
    assert code == 2
    assert json.loads(stdout)["org"]["root"] == "company"
    assert "junk.xlsx" in stderr


def test_demo_registers_its_workbooks_with_the_server_and_revokes_its_token(
    tmp_path: Path,
) -> None:
    from sheetokr.demo_server import register
    from sheetokr_server import create_app
    from sheetokr_server.db import Token, new_session

    paths = build_demo(tmp_path / "teams", teams=2, today=TODAY)
    app = create_app({"SHEETOKR_DATA": str(tmp_path / "data"), "SHEETOKR_PUBLIC_READ": True})
    register(app, paths)
    teams = app.test_client().get("/api/v1/teams").get_json()["teams"]
    assert {t["key"]: t["name"] for t in teams} == {
        "company": "Acme Group",
        "sales": "Sales",
        "marketing": "Marketing",
    }
    assert all(t["version"]["number"] == 1 for t in teams)
    db = new_session(app)
    try:
        assert [token.revoked is not None for token in db.query(Token).all()] == [True]
    finally:
        db.close()
