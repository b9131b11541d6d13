"""The server's tables (SQLAlchemy 2) and the database session of a request.

Teams, every stored workbook version, the snapshots taken when a team's figures change, and the
hashed tokens. `init_app` creates the engine and the tables; `get_db()` gives the request's session,
closed when the request ends. Nothing here reads workbooks or knows HTTP.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class Team(Base):
    """A team: its key, name, parent and where its workbook comes from (None: uploads)."""

    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    parent: Mapped[str | None] = mapped_column(String(100), nullable=True)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "parent": self.parent,
            "source": self.source or "",
            "created": iso(self.created),
            "updated": iso(self.updated),
        }


class WorkbookVersion(Base):
    """One stored workbook of a team; numbers count up per team and are never reused."""

    __tablename__ = "workbook_versions"
    __table_args__ = (UniqueConstraint("team_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)  # relative to the data folder
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("tokens.id"), nullable=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "sha256": self.sha256,
            "size": self.size,
            "uploaded_at": iso(self.uploaded_at),
            "token": self.token_id,
        }


class Snapshot(Base):
    """A team's figures at one moment, with the scored JSON they came from."""

    __tablename__ = "snapshots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    progress: Mapped[float | None] = mapped_column(Float, nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    scored: Mapped[str] = mapped_column(Text)


class Token(Base):
    """An access token, kept only as its sha256; kind is admin, team or viewer."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    team_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "team": self.team_key,
            "created": iso(self.created),
            "revoked": iso(self.revoked) if self.revoked else None,
        }


def iso(moment: dt.datetime) -> str:
    """ISO 8601 in UTC; SQLite hands back naive datetimes, which are UTC here."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL and a busy timeout so a threaded server can share it."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(conn: Any, _record: Any) -> None:
        cursor = conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["SHEETOKR_DATABASE_URL"])
    Base.metadata.create_all(engine)
    app.extensions["sheetokr_db"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_db)


def new_session(app: Flask | None = None) -> Session:
    factory: sessionmaker[Session] = (app or current_app).extensions["sheetokr_db"]
    return factory()


def get_db() -> Session:
    """The session of this request (or app context), opened on first use."""
    if "db" not in g:
        g.db = new_session()
    session: Session = g.db
    return session


def close_db(_exc: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def find_team(session: Session, key: str) -> Team | None:
    return session.scalar(select(Team).where(Team.key == key.lower()))


def _newest() -> Any:
    """Each team's highest version number, as a subquery."""
    return (
        select(WorkbookVersion.team_id, func.max(WorkbookVersion.number).label("n"))
        .group_by(WorkbookVersion.team_id)
        .subquery()
    )


def latest_versions(session: Session) -> list[tuple[Team, WorkbookVersion]]:
    """Each team that has a workbook, with its highest-numbered version."""
    newest = _newest()
    rows = session.execute(
        select(Team, WorkbookVersion)
        .join(WorkbookVersion, WorkbookVersion.team_id == Team.id)
        .join(newest, (newest.c.team_id == Team.id) & (newest.c.n == WorkbookVersion.number))
        .order_by(Team.key)
    )
    return [(team, version) for team, version in rows]


def versions_stamp(session: Session) -> tuple[int, int]:
    """(count, highest id) of the stored versions: versions are only ever added, so this
    changes exactly when a team's latest workbook may have changed."""
    count, highest = session.execute(
        select(func.count(WorkbookVersion.id), func.max(WorkbookVersion.id))
    ).one()
    return int(count or 0), int(highest or 0)


def latest_files(session: Session) -> list[tuple[int, str, str, str]]:
    """(team id, key, sha256, path) of each team's latest version: the columns scoring needs."""
    newest = _newest()
    rows = session.execute(
        select(Team.id, Team.key, WorkbookVersion.sha256, WorkbookVersion.path)
        .join(WorkbookVersion, WorkbookVersion.team_id == Team.id)
        .join(newest, (newest.c.team_id == Team.id) & (newest.c.n == WorkbookVersion.number))
        .order_by(Team.key)
    )
    return [(team_id, key, sha, path) for team_id, key, sha, path in rows]
