"""End to end: `sheetokr serve` in a subprocess on a loopback port, driven over HTTP with urllib."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheetokr.core.engine import consolidate
from sheetokr.server_cli import token
from sheetokr.xlsx.read import load_team
from tests.server.conftest import SERVER

ROOT = SERVER.parent
START = "from sheetokr.server_cli import serve; serve()"


@dataclass
class Live:
    url: str
    data: Path

    def new_token(self, *args: str) -> str:
        result = CliRunner().invoke(token, ["create", *args, "--data", str(self.data)])
        assert result.exit_code == 0, result.output
        return result.stdout.strip()

    def call(
        self, method: str, path: str, token: str | None = None, body: bytes | None = None
    ) -> tuple[int, Any]:
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
            error.close()
        return status, json.loads(raw) if raw[:1] in (b"{", b"[") else raw


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    data = tmp_path / "data"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(SERVER)]),
        "SHEETOKR_MAX_UPLOAD_MB": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", START, "--port", "0", "--data", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )
    assert process.stdout is not None
    try:
        url = ""
        for line in process.stdout:
            if line.startswith("Open http://"):
                url = line.split()[1].rstrip("/")
                break
        assert url.startswith("http://127.0.0.1:"), process.stderr.read() if process.stderr else ""
        yield Live(url, data)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        if process.stderr:
            process.stderr.close()


def test_three_teams_roll_up_as_the_engine_consolidates(
    live: Live, make_workbook: Callable[..., bytes]
) -> None:
    admin = live.new_token("--admin")
    books = {
        "company": make_workbook("company", key_results=[]),
        "sales": make_workbook("sales", "company", current=75, aligned_to="company:O1"),
        "ops": make_workbook(
            "ops", "company", current=30, aligned_to="company:O1",
            key_results=[
                {"id": "KR1", "objective": "O1", "title": "Cut 120 to 30", "owner": "Bo",
                 "metric": "decrease", "start": 120, "target": 30, "current": 30},
                {"id": "KR2", "objective": "O1", "title": "Reach 40", "owner": "Cy",
                 "target": "lots", "current": 10},
            ],
        ),
    }
    for key, data in books.items():
        status, _answer = live.call("PUT", f"/api/v1/teams/{key}/workbook", admin, data)
        assert status == 200, _answer

    status, org = live.call("GET", "/api/v1/org", admin)
    assert status == 200
    models = [load_team(data, f"{key}.xlsx") for key, data in sorted(books.items())]
    expected = consolidate(models)  # the server lists teams by key
    assert org == json.loads(json.dumps(expected.to_json()))
    assert org["org"]["root"] == "company"
    children = [t["team"]["progress"] for t in org["teams"] if t["team"]["parent"] == "company"]
    assert org["org"]["progress"] == pytest.approx(sum(children) / 2)

    status, ops = live.call("GET", "/api/v1/teams/ops", admin)
    assert status == 200
    errors = [i for i in ops["issues"] if i["level"] == "error"]
    assert [(i["code"], i["where"]) for i in errors] == [("E004", "Key Results!G3")]

    status, workbook = live.call("GET", "/org.xlsx", admin)
    assert status == 200
    assert isinstance(workbook, bytes) and workbook.startswith(b"PK")
    assert ops["team"]["progress"] == 1.0  # the readable KR alone counts


def test_two_uploads_of_one_team_at_once_keep_both(
    live: Live, make_workbook: Callable[..., bytes]
) -> None:
    sales = live.new_token("--team", "sales")
    bodies = [make_workbook("sales", current=c) for c in (40, 100)]
    progress = {}
    for body in bodies:
        model = load_team(body)
        progress[hashlib.sha256(body).hexdigest()] = consolidate([model]).teams[0].progress
    assert len(set(progress.values())) == 2
    start = threading.Barrier(len(bodies))
    answers: list[int] = []

    def send(body: bytes) -> None:
        start.wait()
        answers.append(live.call("PUT", "/api/v1/teams/sales/workbook", sales, body)[0])

    threads = [threading.Thread(target=send, args=(b,)) for b in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [200, 200]

    status, listing = live.call("GET", "/api/v1/teams/sales/versions", sales)
    assert status == 200
    versions = listing["versions"]
    assert sorted(v["number"] for v in versions) == [1, 2]
    assert {v["sha256"] for v in versions} == set(progress)
    newest = max(versions, key=lambda v: v["number"])
    status, team = live.call("GET", "/api/v1/teams/sales", sales)
    assert team["team"]["progress"] == progress[newest["sha256"]]
    stored = sorted(p.name for p in (live.data / "uploads" / "sales").iterdir())
    assert stored == sorted(f"{v['number']}-{v['sha256'][:12]}.xlsx" for v in versions)


def test_refusals_over_http_store_nothing(live: Live, make_workbook: Callable[..., bytes]) -> None:
    sales = live.new_token("--team", "sales")
    workbook = make_workbook("sales")
    assert live.call("PUT", "/api/v1/teams/sales/workbook", None, workbook)[0] == 401
    assert live.call("PUT", "/api/v1/teams/ops/workbook", sales, workbook)[0] == 403
    status, answer = live.call(
        "PUT", "/api/v1/teams/sales/workbook", sales, workbook + b"\0" * (1024 * 1024)
    )
    assert status == 413
    assert "limit of 1 MB" in answer["error"]
    status, answer = live.call("PUT", "/api/v1/teams/sales/workbook", sales, b"name,score\n")
    assert status == 400
    assert live.call("GET", "/api/v1/teams/sales/versions", sales)[1]["versions"] == []
    assert list((live.data / "uploads").rglob("*")) == []
