"""The dashboard in headless Chromium against the real server on a loopback port: signing in,
no console errors (a CSP violation is one), the status filter narrowing the tree, a team page,
the print layout, pages without JavaScript, and screenshots for laptop and phone.

Without Chromium or the playwright package the tests skip, or fail when CI is set.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sheetokr import samples
from sheetokr.xlsx.template import write_team_workbook
from tests.server.conftest import SERVER  # noqa: F401  (puts the server package on sys.path)

from sheetokr_server import create_app  # noqa: E402  isort: skip
from sheetokr_server.auth import create_token  # noqa: E402  isort: skip
from sheetokr_server.db import new_session  # noqa: E402  isort: skip

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("SHEETOKR_SCREENSHOTS", "/work/notes/screenshots"))
AS_OF = dt.date(2027, 2, 15)
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; it is required when CI is set")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install playwright)")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        unavailable(f"Chromium is not installed ({CHROMIUM})")
    with sync_playwright() as p:
        found = p.chromium.launch(executable_path=executable, args=ARGS)
        yield found
        found.close()


def demo_data() -> dict[str, dict[str, Any]]:
    """A company and the two example teams, with seven weeks of check-ins, as of mid-February."""
    company = {
        "lang": "en",
        "cycle": {"team_key": "company", "team_name": "Contoso", "parent": None,
                  "cycle": "2027-Q1", "start": samples.START, "end": samples.END},
        "objectives": [
            {"id": "O1", "title": "Customers love us", "owner": "Mira Chen", "type": "committed"},
            {"id": "O2", "title": "Grow profitably", "owner": "Mira Chen", "type": "committed"},
        ],
    }
    teams = {"company": company}
    for example in (samples.ENGLISH, samples.DUTCH):
        data = copy.deepcopy(example)
        data["check_ins"] = samples.check_ins(example)
        teams[data["cycle"]["team_key"]] = data
    for data in teams.values():
        data["cycle"]["as_of"] = AS_OF
    return teams


@dataclass
class Live:
    url: str
    token: str
    org: Any  # the OrgResult the pages show


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    from werkzeug.serving import make_server

    folder = tmp_path_factory.mktemp("e2e")
    app = create_app({"SHEETOKR_DATA": str(folder / "data")})
    db = new_session(app)
    _row, token = create_token(db, "admin")
    db.close()
    client = app.test_client()
    for key, data in demo_data().items():
        path = write_team_workbook(folder / f"{key}.xlsx", data["lang"], overwrite=True,
                                   data=data)
        answer = client.put(f"/api/v1/teams/{key}/workbook", data=path.read_bytes(),
                            headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.get_json()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with app.app_context():
        from sheetokr_server.workbooks import organisation

        org = organisation(new_session(app)).result
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", token, org)
    finally:
        server.shutdown()
        thread.join(10)


def watch(page: Any) -> list[str]:
    """Console errors and uncaught exceptions of a page, as they happen."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def sign_in(page: Any, live: Live, path: str = "/") -> None:
    answer = page.goto(live.url + path)
    assert answer.status == 401
    page.fill("input[name=token]", live.token)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#tree")


def visible_matches(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#tree li.node:not(.context)",
        "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => e.dataset.team + ':' + e.querySelector('.oid').textContent)",
    )


def test_dashboard_signs_in_filters_and_opens_a_team(browser: Any, live: Live) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    sign_in(page, live)  # the sign-in page itself answers 401, which Chromium logs
    problems = watch(page)
    page.reload()
    all_rows = visible_matches(page)
    objectives = {f"{t.key}:{o.id}": o for t in live.org.teams for o in t.objectives}
    assert sorted(all_rows) == sorted(objectives)
    page.screenshot(path=str(SHOTS / "dashboard-laptop.png"), full_page=True)

    statuses = {o.status for o in objectives.values()}
    status = next(s for s in ("behind", "at_risk", "on_track") if s in statuses)
    wanted = sorted(k for k, o in objectives.items() if o.status == status)
    assert 0 < len(wanted) < len(objectives)
    page.select_option("#filters select[name=status]", status)
    page.wait_for_function(f"document.getElementById('matched').textContent === '{len(wanted)}'")
    assert sorted(visible_matches(page)) == wanted
    shown = page.eval_on_selector_all("#tree li.node", "els => els.filter(e => !e.hidden).length")
    assert shown < len(objectives)
    assert f"status={status}" in page.url  # the filtered view is a link to share
    page.screenshot(path=str(SHOTS / "dashboard-laptop-filtered.png"), full_page=True)

    page.fill("#filters input[name=q]", "kennisbank")  # narrows further, across languages
    page.wait_for_function("document.getElementById('matched').textContent !== "
                           f"'{len(wanted)}'")
    assert all(k.startswith("klantenservice:") for k in visible_matches(page))
    page.click("#filters a.clear")
    assert sorted(visible_matches(page)) == sorted(objectives)

    page.click("#tree a.title[href^='/teams/webshop']")
    page.wait_for_selector("#team-progress")
    assert page.inner_text("h1").startswith("Web Shop")
    assert page.locator(".kr-chart svg").count() >= 3
    page.screenshot(path=str(SHOTS / "team-laptop.png"), full_page=True)
    assert problems == []
    context.close()


def test_phone_layout_and_print(browser: Any, live: Live) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    sign_in(page, live, "/?lang=nl")
    problems = watch(page)
    page.reload()
    assert page.inner_text(".cards .label >> nth=0").lower() == "voortgang"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone
    page.screenshot(path=str(SHOTS / "dashboard-phone.png"), full_page=True)

    branch = page.locator("#tree > li.node:has(ul.tree) >> nth=0")
    branch.locator(":scope > .row > .toggle").click()
    child = branch.locator(":scope > ul.tree > li.node >> nth=0")
    assert not child.is_visible()
    page.emulate_media(media="print")
    assert child.is_visible()  # paper shows the whole tree
    assert not page.locator("#filters").is_visible() and not page.locator("header.top").is_visible()
    page.emulate_media(media="screen")

    page.goto(live.url + "/teams/klantenservice?lang=nl")
    assert page.locator("text=Hoofdresultaten").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "team-phone.png"), full_page=True)
    assert problems == []
    context.close()


def test_without_javascript_everything_shows_and_links_filter(browser: Any, live: Live) -> None:
    context = browser.new_context(viewport=LAPTOP, java_script_enabled=False,
                                  extra_http_headers={"Authorization": f"Bearer {live.token}"})
    page = context.new_page()
    page.goto(live.url + "/")
    total = page.locator("#tree li.node").count()
    assert total == sum(len(t.objectives) for t in live.org.teams)
    assert page.locator("#tree li.node:visible").count() == total
    page.goto(live.url + "/?team=webshop")
    own = page.locator("#tree li.node:not(.context):visible")
    assert own.count() == len(live.org.team("webshop").objectives)
    assert page.locator("#tree li.node:visible").count() < total
    context.close()
