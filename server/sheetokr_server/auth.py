"""Tokens and who is asking: creating, hashing and revoking tokens, and the rights they carry.

A token is a random string printed once and stored only as its sha256. A request is made by the
principal of its `Authorization: Bearer` token, else of the token id kept in the signed session
by `POST /login`. Admin tokens may do anything, team tokens read and write their own team,
viewer tokens only read. Refusals raise `ApiError` with 401 or 403 and a sentence.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask import Blueprint, current_app, g, redirect, request, session
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers.response import Response

from sheetokr_server.db import Token, get_db, utcnow
from sheetokr_server.errors import ApiError

KINDS = ("admin", "team", "viewer")

bp = Blueprint("auth", __name__)


@dataclass(frozen=True)
class Principal:
    """The token a request is made with."""

    token_id: int
    kind: str
    team: str | None

    def can_write(self, team: str) -> bool:
        return self.kind == "admin" or (self.kind == "team" and self.team == team.lower())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(db: Session, kind: str, team: str | None = None) -> tuple[Token, str]:
    """Store a new token's hash; the plain token is returned once and never kept."""
    if kind not in KINDS:
        raise ValueError(f"token kind must be one of {', '.join(KINDS)}")
    plain = secrets.token_urlsafe(32)
    row = Token(kind=kind, team_key=team.lower() if team else None, hash=hash_token(plain))
    db.add(row)
    db.commit()
    return row, plain


def revoke_token(db: Session, token_id: int) -> Token | None:
    row = db.get(Token, token_id)
    if row is not None and row.revoked is None:
        row.revoked = utcnow()
        db.commit()
    return row


def principal_of(row: Token | None) -> Principal | None:
    if row is None or row.revoked is not None:
        return None
    return Principal(row.id, row.kind, row.team_key)


def lookup(db: Session, plain: str) -> Principal | None:
    return principal_of(db.scalar(select(Token).where(Token.hash == hash_token(plain.strip()))))


def bearer() -> str | None:
    """The token of the Authorization header, '' when the header is there but not a bearer."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def current_principal() -> Principal | None:
    """Who is asking: the Bearer token, else the token id of the signed session."""
    if "principal" in g:
        found: Principal | None = g.principal
        return found
    token = bearer()
    found = None
    if token:
        found = lookup(get_db(), token)
    elif token is None and isinstance(session.get("token_id"), int):
        found = principal_of(get_db().get(Token, session["token_id"]))
    g.principal = found
    return found


NO_TOKEN = (
    "This request needs a token: send the header 'Authorization: Bearer <token>'. "
    "An administrator creates one with 'sheetokr token create --team KEY'."
)
BAD_TOKEN = (
    "The token is unknown or has been revoked; ask an administrator for a new one "
    "('sheetokr token create')."
)


def require_principal() -> Principal:
    found = current_principal()
    if found is None:
        raise ApiError(401, BAD_TOKEN if bearer() or session.get("token_id") else NO_TOKEN)
    return found


def require_read() -> Principal | None:
    """Reading needs any valid token unless SHEETOKR_PUBLIC_READ is true."""
    if current_app.config["SHEETOKR_PUBLIC_READ"]:
        return current_principal()
    return require_principal()


def require_write(team: str) -> Principal:
    found = require_principal()
    if found.can_write(team):
        return found
    if found.kind == "viewer":
        raise ApiError(403, "This is a viewer token: it can read but not change anything.")
    if found.kind == "team":
        raise ApiError(
            403,
            f"This token belongs to team '{found.team}' and cannot change team '{team}'; "
            "use that team's token or an admin token.",
        )
    raise ApiError(403, "This token cannot change anything.")


def require_admin() -> Principal:
    found = require_principal()
    if found.kind != "admin":
        raise ApiError(403, "Only an admin token can do this ('sheetokr token create --admin').")
    return found


@bp.post("/login")
def login() -> Response:
    """Keep a token's id in the signed session cookie, then go to `next` (default /)."""
    found = lookup(get_db(), request.form.get("token", ""))
    target = request.form.get("next") or request.args.get("next") or "/"
    if not target.startswith("/") or target[1:2] in ("/", "\\"):
        target = "/"
    if found is None:
        wants = request.accept_mimetypes.best_match(["application/json", "text/html"])
        if wants == "text/html":  # a person at the sign-in form: show it again, saying why
            return redirect(target + ("&" if "?" in target else "?") + "signin=failed", 303)
        raise ApiError(401, BAD_TOKEN)
    session.clear()
    session["token_id"] = found.token_id
    return redirect(target, 303)


@bp.post("/logout")
def logout() -> Response:
    """Forget the session's token."""
    session.clear()
    return redirect("/", 303)
