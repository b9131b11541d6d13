"""The JSON API under /api/v1 (SPEC 5), and the org workbook at /org.xlsx.

Views are small: they check who is asking (auth), take the input (uploads, workbooks) and answer
from the consolidated organisation (scoring). Refusals are `ApiError`s, answered as JSON.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, send_file
from flask.typing import ResponseReturnValue

from sheetokr_server import openapi
from sheetokr_server.auth import require_admin, require_read, require_write
from sheetokr_server.db import Team, find_team, get_db, latest_versions
from sheetokr_server.db import WorkbookVersion as Version
from sheetokr_server.errors import ApiError
from sheetokr_server.scoring import Scored
from sheetokr_server.storage import ensure_team, history, key_problem, valid_key
from sheetokr_server.uploads import read_capped, too_large
from sheetokr_server.workbooks import (
    Refreshed,
    keep,
    organisation,
    prepare,
    publish,
    read_source,
    refresh_team,
    scorer,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
files = Blueprint("files", __name__)


def known_team(key: str) -> Team:
    team = find_team(get_db(), key)
    if team is None:
        raise ApiError(404, f"There is no team '{key}'; GET /api/v1/teams lists the teams.")
    return team


def team_json(scored: Scored, key: str) -> dict[str, Any]:
    found = scored.teams.get(key.lower())
    if found is None:
        raise ApiError(
            404,
            f"Team '{key}' has no workbook yet; upload one with PUT /api/v1/teams/{key}/workbook.",
        )
    return found


def upload_bytes() -> bytes:
    """The workbook of a raw body or of a multipart form's `file` field, read with a cap."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ApiError(400, "The form has no 'file' field; send the workbook in 'file'.")
        return read_capped(upload.stream, limit, None)
    return read_capped(request.stream, limit, request.content_length)


@bp.put("/teams/<key>/workbook")
def upload(key: str) -> ResponseReturnValue:
    """Store a new version of a team's workbook and answer the team's scored JSON."""
    principal = require_write(key)
    if not valid_key(key):
        raise ApiError(400, key_problem(key))
    data = upload_bytes()
    model = prepare(data, key)
    db = get_db()
    team = ensure_team(db, key)
    changed = keep(db, team, data, model, principal.token_id)
    scored = publish(db, {team.key} if changed else set())
    return jsonify(team_json(scored, team.key))


@bp.get("/teams")
def list_teams() -> ResponseReturnValue:
    """Every registered team, with its latest stored version."""
    require_read()
    db = get_db()
    latest = {team.key: version for team, version in latest_versions(db)}
    teams = db.query(Team).order_by(Team.key).all()
    return jsonify(
        teams=[
            {**t.to_json(), "version": latest[t.key].to_json() if t.key in latest else None}
            for t in teams
        ]
    )


@bp.post("/teams")
def register_team() -> ResponseReturnValue:
    """Register a team or change it (admin); a `source` path is read right away."""
    principal = require_admin()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, 'Send a JSON object such as {"key": "sales", "name": "Sales"}.')
    key = str(body.get("key") or "").strip()
    parent = str(body.get("parent") or "").strip().lower() or None
    source = str(body.get("source") or "").strip() or None
    if not valid_key(key):
        raise ApiError(400, key_problem(key))
    if parent is not None and not valid_key(parent):
        raise ApiError(400, "parent: " + key_problem(parent))
    data = read_source(source) if source else None
    model = prepare(data, key) if data is not None else None
    db = get_db()
    created = find_team(db, key) is None
    team = ensure_team(db, key)
    team.name = str(body.get("name") or "").strip() or team.name
    team.parent = parent
    team.source = source
    db.commit()
    if data is not None and model is not None:
        changed = keep(db, team, data, model, principal.token_id)
        publish(db, {team.key} if changed else set())
    return jsonify(team.to_json()), 201 if created else 200


@bp.get("/teams/<key>")
def one_team(key: str) -> ResponseReturnValue:
    """One team's scored JSON (SPEC 3), as consolidated with the others."""
    require_read()
    known_team(key)
    return jsonify(team_json(organisation(get_db()), key))


@bp.get("/teams/<key>/versions")
def versions(key: str) -> ResponseReturnValue:
    """Every stored version of a team's workbook, newest first."""
    require_read()
    team = known_team(key)
    rows = (
        get_db()
        .query(Version)
        .filter(Version.team_id == team.id)
        .order_by(Version.number.desc())
        .all()
    )
    return jsonify(team=team.key, versions=[v.to_json() for v in rows])


@bp.post("/refresh")
def refresh() -> ResponseReturnValue:
    """Read every team's file on the server again (admin) and snapshot those that changed."""
    principal = require_admin()
    db = get_db()
    out = Refreshed()
    teams = db.query(Team).filter(Team.source.is_not(None)).order_by(Team.key).all()
    for team in teams:
        refresh_team(db, team, principal.token_id, out)
    publish(db, set(out.changed))
    return jsonify(changed=out.changed, unchanged=out.unchanged, problems=out.problems)


@bp.get("/org")
def org() -> ResponseReturnValue:
    """The organisation as `sheetokr consolidate --json` prints it."""
    require_read()
    return Response(organisation(get_db()).body, mimetype="application/json")


@bp.get("/history")
def team_history() -> ResponseReturnValue:
    """Each team's snapshots, oldest first; `?team=KEY` for one team."""
    require_read()
    return jsonify(teams=history(get_db(), request.args.get("team")))


@bp.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.document())


@files.get("/org.xlsx")
def org_workbook() -> ResponseReturnValue:
    """The organisation as one workbook; `?lang=nl` for Dutch."""
    require_read()
    lang = request.args.get("lang", "en")
    if lang not in ("en", "nl"):
        raise ApiError(400, f"lang must be 'en' or 'nl', not '{lang}'.")
    try:
        from sheetokr.org.workbook import write_org_workbook
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("sheetokr.org"):
            raise
        raise ApiError(
            503, "The org workbook is not available in this version of sheetokr; "
            "use GET /api/v1/org for the same figures as JSON.",
        ) from exc
    scored = organisation(get_db())
    stream = io.BytesIO()
    write_org_workbook(scored.result, stream, lang=lang, trend=scorer().trend(scored))
    stream.seek(0)
    return send_file(stream, mimetype=openapi.XLSX, as_attachment=True, download_name="org.xlsx")
