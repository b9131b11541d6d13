"""The dashboard's sign-in form: a wrong token shows the form again (HTML), never raw JSON;
scripts posting to /login still get a JSON 401."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_wrong_token_from_the_form_shows_the_form_again(client: FlaskClient) -> None:
    answer = client.post("/login", data={"token": "nope", "next": "/"}, headers=BROWSER)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/?signin=failed")
    page = client.get(answer.headers["Location"], headers=BROWSER)
    assert page.status_code == 401
    assert page.mimetype == "text/html"
    assert b'action="/login"' in page.data


def test_wrong_token_from_a_script_is_json(client: FlaskClient) -> None:
    answer = client.post("/login", data={"token": "nope"}, headers={"Accept": "application/json"})
    assert answer.status_code == 401
    assert "token" in answer.get_json()["error"]


def test_right_token_signs_in_and_keeps_the_page(
    client: FlaskClient, tokens: Callable[..., dict[str, str]]
) -> None:
    token = tokens("viewer")["Authorization"].removeprefix("Bearer ")
    answer = client.post("/login", data={"token": token, "next": "/?lang=nl"}, headers=BROWSER)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/?lang=nl")
    assert client.get("/api/v1/teams").status_code == 200
