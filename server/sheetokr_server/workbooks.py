"""Taking a workbook in: check it, read it, keep it, then re-score the organisation and snapshot.

The same path serves uploads, teams registered with a file on the server, and refresh. Nothing is
stored unless the bytes passed the upload limits, the reader accepted them and their Team key is
the team's. Refusals raise `ApiError` (400 unreadable, 422 another team's workbook).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from sheetokr.core.model import TeamWorkbook
from sheetokr.errors import SheetokrError
from sheetokr.xlsx.read import load_team
from sheetokr_server.db import Team, latest_files, utcnow, versions_stamp
from sheetokr_server.errors import ApiError
from sheetokr_server.scoring import Scored, Scorer, Stored, label
from sheetokr_server.storage import latest_version, record_snapshots, sha256, store_version
from sheetokr_server.uploads import UploadRefused, check_workbook, too_large

_snapshots = threading.Lock()  # one publish at a time, so a change is snapshot once


def scorer() -> Scorer:
    found: Scorer = current_app.extensions["sheetokr_scorer"]
    return found


def data_dir() -> Path:
    return Path(current_app.config["SHEETOKR_DATA"])


def prepare(data: bytes, key: str) -> TeamWorkbook:
    """The model of an acceptable workbook for team `key`; raises ApiError otherwise."""
    limit = int(current_app.config["SHEETOKR_MAX_UNZIPPED_MB"] * 1024 * 1024)
    try:
        check_workbook(data, limit)
        model = load_team(data, label(key.lower()))
    except UploadRefused as exc:
        raise ApiError(exc.status, str(exc)) from exc
    except SheetokrError as exc:
        raise ApiError(400, str(exc)) from exc
    found = model.team_key
    if found != key.lower():
        cell = model.cycle_cell("team_key").where or "the Cycle sheet"
        said = f"is for team '{found}' ({cell})" if found else f"has no Team key ({cell})"
        raise ApiError(
            422,
            f"This workbook {said}, not '{key}'. Type '{key}' as the Team key, "
            f"or send the workbook to /api/v1/teams/{found or '<its key>'}/workbook.",
        )
    return model


def keep(db: Session, team: Team, data: bytes, model: TeamWorkbook, token_id: int | None) -> bool:
    """Store the workbook as the team's next version; True when its content changed."""
    previous = latest_version(db, team)
    version = store_version(db, data_dir(), team, data, token_id)
    model.path = str((data_dir() / version.path).resolve())  # workers may read it again
    scorer().remember(team.key, version.sha256, model)
    name = model.cycle_cell("team_name").text
    parent = model.cycle_cell("parent").text.lower() or None
    if (name and name != team.name) or parent != team.parent:
        team.name = name or team.name
        team.parent = parent
        team.updated = utcnow()
        db.commit()
    return previous is None or previous.sha256 != version.sha256


def current(db: Session) -> tuple[list[Stored], dict[str, int]]:
    """Every team's latest stored version, and the team ids by key: read again only when a
    version was stored since (one aggregate query per request instead of 1000 rows)."""

    def read() -> tuple[list[Stored], dict[str, int]]:
        rows = latest_files(db)
        folder = data_dir()
        stored = [Stored(key, sha, folder / path) for _id, key, sha, path in rows]
        return stored, {key: team_id for team_id, key, _sha, _path in rows}

    return scorer().current(versions_stamp(db), read)


def organisation(db: Session) -> Scored:
    """The organisation as stored now (from the cache unless something changed)."""
    return scorer().org(current(db)[0])


def publish(db: Session, changed: set[str]) -> Scored:
    """Consolidate what is stored now and snapshot the teams that changed."""
    with _snapshots:
        stored, team_ids = current(db)
        scored = scorer().org(stored)
        record_snapshots(db, team_ids, scored.json["teams"], changed)
    return scored


def read_source(path: str) -> bytes:
    """The bytes of a workbook kept on the server, within the upload limit."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    file = Path(path).expanduser()
    try:
        if file.stat().st_size > limit:
            raise ApiError(413, str(too_large(limit)))
        return file.read_bytes()
    except OSError as exc:
        raise ApiError(
            400, f"Cannot read {file} on the server ({exc.strerror}); check the path."
        ) from exc


@dataclass
class Refreshed:
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)


def refresh_team(db: Session, team: Team, token_id: int | None, out: Refreshed) -> None:
    """Read one team's file on the server and keep it when its content changed."""
    assert team.source
    try:
        data = read_source(team.source)
        previous = latest_version(db, team)
        if previous is not None and previous.sha256 == sha256(data):
            out.unchanged.append(team.key)
            return
        model = prepare(data, team.key)
    except ApiError as exc:
        out.problems.append({"team": team.key, "status": exc.code, "error": exc.description})
        return
    keep(db, team, data, model, token_id)
    out.changed.append(team.key)
