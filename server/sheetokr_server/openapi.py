"""The OpenAPI 3.1 description of the server's API, built as plain data.

Every route under /api/v1 and /org.xlsx is listed here; a test compares this with the app's URL map
so the description cannot fall behind. Schemas stay loose where SPEC 3 already defines the shape.
"""

from __future__ import annotations

from typing import Any

import sheetokr

BINARY = {"type": "string", "contentMediaType": "application/octet-stream"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR = {"$ref": "#/components/schemas/Error"}
TEAM_KEY = {
    "name": "key",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
    "description": "The team key, as in the workbook's Cycle sheet.",
}
ERRORS = {
    "400": "Unreadable input: not a workbook, too large when unpacked, or a bad field.",
    "401": "No token, or an unknown or revoked one.",
    "403": "A token without the right: another team's, or a viewer writing.",
    "404": "Unknown team, or a team without a workbook yet.",
    "413": "The body is larger than the upload limit (default 10 MB); nothing was stored.",
    "422": "A readable workbook whose Team key is another team's; nothing was stored.",
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _op(summary: str, ok: dict[str, Any], errors: str, **extra: Any) -> dict[str, Any]:
    responses = {"200": ok}
    for code in errors.split():
        responses[code] = _json(ERROR, ERRORS[code])
    return {"summary": summary, "responses": responses, **extra}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


SCHEMAS: dict[str, Any] = {
    "Error": {**_obj(error={"type": "string"}), "required": ["error"]},
    "ScoredTeam": {
        **_obj(team=_obj(), cycle=_obj(), objectives={"type": "array"},
               initiatives={"type": "array"}, issues={"type": "array"}),
        "description": "One team as `sheetokr score --json` prints it (SPEC 3).",
    },
    "Org": {
        **_obj(org=_obj(name=_nullable("string"), root=_nullable("string"),
                        progress=_nullable("number"), score=_nullable("number"),
                        status=_nullable("string"), as_of={"type": "string"},
                        issues={"type": "array"}),
               teams={"type": "array", "items": _ref("ScoredTeam")}),
        "description": "The organisation as `sheetokr consolidate --json` prints it.",
    },
    "Version": _obj(number={"type": "integer"}, sha256={"type": "string"},
                    size={"type": "integer"}, uploaded_at={"type": "string"},
                    token=_nullable("integer")),
    "Team": _obj(key={"type": "string"}, name={"type": "string"},
                 parent=_nullable("string"), source={"type": "string"},
                 created={"type": "string"}, updated={"type": "string"}),
    "NewTeam": {
        **_obj(key={"type": "string"}, name={"type": "string"}, parent={"type": "string"},
               source={"type": "string",
                       "description": "A workbook's path on the server; empty for uploads."}),
        "required": ["key"],
    },
}


def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    workbook_body = {
        "required": True,
        "content": {
            XLSX: {
                "schema": BINARY
            },
            "multipart/form-data": {
                "schema": _obj(file=BINARY)
            },
        },
    }
    teams_list = _obj(teams={"type": "array", "items": {
        "allOf": [_ref("Team"), _obj(version={"oneOf": [_ref("Version"), {"type": "null"}]})]}})
    history = _obj(teams={"type": "object", "additionalProperties": {"type": "array", "items": _obj(
        at={"type": "string"}, progress=_nullable("number"), score=_nullable("number"),
        status=_nullable("string"))}})
    paths = {
        "/api/v1/teams": {
            "get": _op("List the registered teams", _json(teams_list, "The teams."), "401"),
            "post": _op("Register or change a team (admin)", _json(_ref("Team"), "Changed."),
                        "400 401 403 413 422",
                        requestBody={"required": True, "content": {"application/json": {
                            "schema": _ref("NewTeam")}}}),
        },
        "/api/v1/teams/{key}": {
            "get": _op("One team's scored JSON", _json(_ref("ScoredTeam"), "The team."),
                       "401 404", parameters=[TEAM_KEY]),
        },
        "/api/v1/teams/{key}/workbook": {
            "put": _op("Upload a new version of a team's workbook",
                       _json(_ref("ScoredTeam"), "Stored; the team as scored now."),
                       "400 401 403 413 422", parameters=[TEAM_KEY], requestBody=workbook_body),
        },
        "/api/v1/teams/{key}/versions": {
            "get": _op("Every stored version of a team's workbook",
                       _json(_obj(team={"type": "string"}, versions={"type": "array",
                             "items": _ref("Version")}), "Newest first."),
                       "401 404", parameters=[TEAM_KEY]),
        },
        "/api/v1/refresh": {
            "post": _op("Read every team's file on the server again (admin)",
                        _json(_obj(changed={"type": "array"}, unchanged={"type": "array"},
                                   problems={"type": "array"}), "What changed."), "401 403"),
        },
        "/api/v1/org": {
            "get": _op("The consolidated organisation", _json(_ref("Org"), "The org."), "401"),
        },
        "/api/v1/history": {
            "get": _op("Each team's snapshots, oldest first", _json(history, "The history."),
                       "401", parameters=[{"name": "team", "in": "query", "required": False,
                                           "schema": {"type": "string"}}]),
        },
        "/api/v1/openapi.json": {
            "get": {"summary": "This description", "security": [],
                    "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1.")}},
        },
        "/org.xlsx": {
            "get": _op("The organisation as one workbook", {"description": "The workbook.",
                       "content": {XLSX: {}}}, "400 401",
                       parameters=[{"name": "lang", "in": "query", "required": False,
                                    "schema": {"enum": ["en", "nl"]}}]),
        },
    }
    paths["/org.xlsx"]["get"]["responses"]["503"] = _json(
        ERROR, "The org workbook writer is not available.")
    return {
        "openapi": "3.1.0",
        "info": {"title": "sheetokr", "version": sheetokr.__version__,
                 "description": "Team OKR workbooks in, one organisation overview out."},
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A token from 'sheetokr token create'."}},
        },
        "security": [{"bearer": []}],
    }
