"""The leaders' dashboard: `GET /` (the organisation), `GET /teams/<key>` (one team) and
`GET /teams/<key>/workbook` (the team's latest stored sheet), rendered on the server.

Reading follows the API's rule (auth.require_read): a Bearer header or the signed session; without
either, the page answers 401 with a small sign-in form that posts to `/login`. Pages carry a strict
Content-Security-Policy: scripts, styles and images from this server only.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    current_app,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.wrappers.response import Response

from sheetokr.core.results import OrgResult
from sheetokr.org.trend import Trend
from sheetokr_server.auth import require_read
from sheetokr_server.dashboard_views import Filters, org_view
from sheetokr_server.db import find_team, get_db
from sheetokr_server.errors import ApiError
from sheetokr_server.i18n import Words, choose_lang
from sheetokr_server.storage import latest_version
from sheetokr_server.team_page import team_context
from sheetokr_server.trends import snapshot_chart, stored_history, weekly_chart
from sheetokr_server.workbooks import data_dir, organisation, scorer

bp = Blueprint("dashboard", __name__)
BACKGROUND_TEAMS = 100  # above this many teams the weekly trend is rebuilt in a thread
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def cache() -> dict[str, Any]:
    found: dict[str, Any] = current_app.extensions.setdefault("sheetokr_dashboard", {})
    return found


class Page:
    """What every page's template needs: words, language and links that keep ?lang=."""

    def __init__(self) -> None:
        self.lang, self.explicit = choose_lang()
        self.t = Words(self.lang)
        self.signed_in = isinstance(session.get("token_id"), int)

    def url(self, endpoint: str, **params: Any) -> str:
        if self.explicit:
            params.setdefault("lang", self.lang)
        return url_for(endpoint, **params)

    def switch(self) -> str:
        """This page in the other language."""
        args: dict[str, Any] = {**request.args.to_dict(), **(request.view_args or {})}
        args["lang"] = "en" if self.lang == "nl" else "nl"
        assert request.endpoint is not None
        return url_for(request.endpoint, **args)

    def render(self, template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
        return render_template(template, page=self, t=self.t, **context), status


def macro(name: str) -> Any:
    return current_app.jinja_env.get_template("_macros.html").module.__getattribute__(name)


def read_or_sign_in(page: Page) -> ResponseReturnValue | None:
    """None when the request may read; else the sign-in page (401)."""
    try:
        require_read()
    except ApiError as exc:
        if exc.code != 401:
            raise
        nxt = request.full_path.rstrip("?")
        refused = bool(
            request.headers.get("Authorization")
            or session.get("token_id")
            or request.args.get("signin") == "failed"
        )
        return page.render("login.html", 401, next=nxt, refused=refused)
    return None


@bp.after_request
def security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def index() -> ResponseReturnValue:
    """The organisation: headline figures, alignment tree, attention list and trend."""
    page = Page()
    refused = read_or_sign_in(page)
    if refused is not None:
        return refused
    db = get_db()
    scored = organisation(db)
    if not scored.result.teams:
        return page.render("empty.html")
    view = org_view(scored, cache())
    filters = Filters.of(request.args)
    history = stored_history(db, cache())
    # A page for 1000 teams is megabytes of HTML: the same page is rendered and encoded once
    # per organisation, history, language and filter (free-text filters are not kept).
    shared = not (filters.q or filters.owner)
    key = f"page:{page.lang}:{page.explicit}:{page.signed_in}:{filters.status}:{filters.team}"
    key += f":{id(history)}"

    shared_scorer = scorer()  # the weekly trend is the one /org.xlsx uses, worked out once

    def weekly(_org: OrgResult) -> Trend | None:
        return shared_scorer.trend(scored) or None

    def render() -> bytes:
        text = _render_index(page, view, filters, history, weekly)
        return text.encode("utf-8")

    body = view.fragment(key, render, keep=view.weekly_ready) if shared else render()
    return _html(body, view, key if shared else None)


def _html(body: bytes, view: Any, key: str | None) -> Response:
    """The page, gzipped (and the gzipped bytes kept) when the browser accepts it."""
    response = Response(body, mimetype="text/html")
    if "gzip" in request.headers.get("Accept-Encoding", "") and len(body) > 1024:
        if key is None:
            packed = gzip.compress(body, 5)
        else:
            packed = view.fragment(key + ":gz", lambda: gzip.compress(body, 5), keep=lambda: True)
        response.set_data(packed)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding, Cookie, Authorization"
    return response


def _render_index(
    page: Page,
    view: Any,
    filters: Filters,
    history: Any,
    weekly_trend: Callable[[OrgResult], Trend | None],
) -> str:
    key = f"{page.lang}:{page.explicit}"
    row = macro("tree_row")
    tree, matched = view.tree(key, filters, lambda n: Markup(row(n, page)))
    teams_table = view.fragment(key + ":teams", lambda: Markup(macro("teams_table")(view, page)))
    options = view.fragment("team-options", lambda: Markup(macro("team_options")(view)))
    if filters.team:
        mark = str(Markup('<option value="{}"').format(filters.team))
        options = Markup(str(options).replace(mark + ">", mark + " selected>", 1))
    root = view.root
    org_label = page.t("organisation")
    snapshots = snapshot_chart(history, root, view.teams, org_label, page.t("uploads"))
    weekly = view.fragment(
        "weekly:" + page.lang,
        lambda: weekly_chart(
            view.weekly(weekly_trend, BACKGROUND_TEAMS),
            root,
            view.teams,
            org_label,
            page.t("weekly"),
            page.t("expected"),
        ),
        keep=view.weekly_ready,
    )
    return render_template(
        "dashboard.html",
        page=page,
        t=page.t,
        view=view,
        root=root,
        filters=filters,
        tree=tree,
        matched=matched,
        teams_table=teams_table,
        team_options=options,
        snapshots=snapshots,
        weekly=weekly,
    )


@bp.get("/teams/<key>")
def team(key: str) -> ResponseReturnValue:
    """One team: objectives, key results, initiatives, problems and check-in history."""
    page = Page()
    refused = read_or_sign_in(page)
    if refused is not None:
        return refused
    db = get_db()
    registered = find_team(db, key)
    if registered is None:
        return page.render("message.html", 404, message=page.t("no_team", key=key))
    found = organisation(db).result.team(registered.key)
    if found is None:
        return page.render("message.html", 404, message=page.t("no_workbook", key=key))
    return page.render("team.html", **team_context(found, registered, page.t))


@bp.get("/teams/<key>/workbook")
def workbook(key: str) -> ResponseReturnValue:
    """The latest stored version of a team's workbook, as a download."""
    page = Page()
    refused = read_or_sign_in(page)
    if refused is not None:
        return refused
    db = get_db()
    registered = find_team(db, key)
    version = latest_version(db, registered) if registered is not None else None
    if registered is None or version is None:
        message = page.t("no_team" if registered is None else "no_workbook", key=key)
        return page.render("message.html", 404, message=message)
    return send_file(
        data_dir() / version.path,
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"{registered.key}.xlsx",
    )
