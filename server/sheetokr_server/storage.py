"""Keeping workbooks: every version a team sends is written under
`<data>/uploads/<team>/<n>-<sha12>.xlsx` and recorded, and snapshots are taken when figures change.

Version numbers are taken under a process lock and guarded by a unique constraint (retried when
another process got the number first), so two uploads at once both survive with their own number.
Files are written to a temporary name and renamed, so a reader never sees half a workbook.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sheetokr.core.engine import TEAM_KEY
from sheetokr_server.db import Snapshot, Team, WorkbookVersion, find_team, iso, utcnow

_numbering = threading.Lock()


def valid_key(key: str) -> bool:
    return TEAM_KEY.fullmatch(key.lower()) is not None and len(key) <= 100


def key_problem(key: str) -> str:
    return (
        f"'{key}' is not a team key: use lower-case letters, digits, '-' and '_', "
        "starting with a letter or digit (for example 'sales-emea')."
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ensure_team(db: Session, key: str, name: str | None = None) -> Team:
    """The team with this key, registered now (named after its key) when it is new."""
    key = key.lower()
    team = find_team(db, key)
    if team is None:
        team = Team(key=key, name=name or key)
        db.add(team)
        try:
            db.commit()
        except IntegrityError:
            db.rollback()
            team = find_team(db, key)
            assert team is not None
    return team


def latest_version(db: Session, team: Team) -> WorkbookVersion | None:
    return db.scalar(
        select(WorkbookVersion)
        .where(WorkbookVersion.team_id == team.id)
        .order_by(WorkbookVersion.number.desc())
        .limit(1)
    )


def _write_temp(folder: Path, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix=".incoming-", suffix=".xlsx")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return Path(name)


def store_version(
    db: Session, data_dir: Path, team: Team, data: bytes, token_id: int | None
) -> WorkbookVersion:
    """Write the bytes and record them as the team's next version."""
    digest = sha256(data)
    folder = data_dir / "uploads" / team.key
    temp = _write_temp(folder, data)
    try:
        for _attempt in range(20):
            with _numbering:
                number = 1 + (
                    db.scalar(
                        select(func.max(WorkbookVersion.number)).where(
                            WorkbookVersion.team_id == team.id
                        )
                    )
                    or 0
                )
                relative = f"uploads/{team.key}/{number}-{digest[:12]}.xlsx"
                version = WorkbookVersion(
                    team_id=team.id, number=number, sha256=digest, size=len(data),
                    path=relative, token_id=token_id,
                )
                db.add(version)
                try:
                    db.flush()
                except IntegrityError:
                    db.rollback()
                    continue
                os.replace(temp, data_dir / relative)
                team.updated = utcnow()
                db.commit()
                return version
        raise RuntimeError(f"could not number a new version of team {team.key}")
    finally:
        temp.unlink(missing_ok=True)


def last_figures(db: Session) -> dict[int, tuple[Any, Any, Any]]:
    """Each team's latest snapshot as (progress, score, status), by team id."""
    newest = select(func.max(Snapshot.id)).group_by(Snapshot.team_id)
    rows = db.execute(
        select(Snapshot.team_id, Snapshot.progress, Snapshot.score, Snapshot.status).where(
            Snapshot.id.in_(newest)
        )
    )
    return {team_id: (p, s, st) for team_id, p, s, st in rows}


def record_snapshots(
    db: Session, team_ids: dict[str, int], scored: Iterable[dict[str, Any]], changed: set[str]
) -> list[str]:
    """Snapshot each team whose sheet changed or whose figures differ from its last snapshot."""
    before = last_figures(db)
    taken: list[str] = []
    now = utcnow()
    for team_json in scored:
        head = team_json["team"]
        key = str(head.get("key") or "").lower()
        team_id = team_ids.get(key)
        if team_id is None:
            continue
        figures = (head.get("progress"), head.get("score"), head.get("status"))
        if key not in changed and before.get(team_id) == figures:
            continue
        db.add(
            Snapshot(
                team_id=team_id, at=now, progress=figures[0], score=figures[1],
                status=figures[2], scored=json.dumps(team_json),
            )
        )
        taken.append(key)
    db.commit()
    return taken


def history(db: Session, team_key: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every snapshot's figures, oldest first, grouped by team key."""
    query = select(Team.key, Snapshot).join(Team, Team.id == Snapshot.team_id)
    if team_key:
        query = query.where(Team.key == team_key.lower())
    out: dict[str, list[dict[str, Any]]] = {}
    for key, snap in db.execute(query.order_by(Snapshot.at, Snapshot.id)):
        out.setdefault(key, []).append(
            {
                "at": iso(snap.at),
                "progress": snap.progress,
                "score": snap.score,
                "status": snap.status,
            }
        )
    return out
