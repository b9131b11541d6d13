"""The server's commands, `sheetokr serve` and `sheetokr token ...`, added to the main CLI.

Only this module turns the server's errors into click's sentences. The server package (Flask,
SQLAlchemy) is imported when a command runs, so `sheetokr --help` stays fast without them.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING, Any

import click

from sheetokr.errors import SheetokrError

if TYPE_CHECKING:
    from flask import Flask

# As the main CLI has it; set here too, since click keeps a command's help option once made.
CONTEXT = {"help_option_names": ["-h", "--help"]}
DATA_HELP = "Data folder (database, uploads). Default: $SHEETOKR_DATA, else ./sheetokr-data."


def data_option(func: Any) -> Any:
    return click.option(
        "--data",
        type=click.Path(file_okay=False),
        envvar="SHEETOKR_DATA",
        show_envvar=False,
        help=DATA_HELP,
    )(func)


def make_app(data: str | None) -> Flask:
    """The server app on this data folder, or a sentence saying why it cannot start."""
    try:
        from sheetokr_server import create_app
    except ModuleNotFoundError as exc:
        raise click.ClickException(
            f"The server cannot start: {exc.name} is not installed. Install sheetokr with "
            "'pip install sheetokr' (it brings Flask and SQLAlchemy)."
        ) from exc
    try:
        return create_app({"SHEETOKR_DATA": data} if data else None)
    except SheetokrError as exc:
        raise click.ClickException(str(exc)) from exc


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket, or a sentence when the address cannot be used."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise click.ClickException(
            f"Cannot listen on {host}:{port} ({exc.strerror or exc}); the port may be in use: "
            "choose another with --port, or check --host."
        ) from exc


@click.command(context_settings=CONTEXT)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 for every network interface.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@data_option
def serve(host: str, port: int, data: str | None) -> None:
    """Serve the API and the organisation overview.

    Teams upload their workbooks with their token; leaders read the overview.

    \b
    Example:
      sheetokr token create --admin --data ./okr
      sheetokr serve --data ./okr --port 8000
    """
    from werkzeug.serving import make_server

    app = make_app(data)
    with listen(host, port) as sock:
        server = make_server(host, port, app, threaded=True, fd=sock.fileno())
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"sheetokr serving {app.config['SHEETOKR_DATA']}")
    click.echo(f"Open http://{shown}:{server.port}/ (press Ctrl+C to stop)")
    if not is_loopback(host):
        click.echo(
            "Note: tokens travel in plain text over http; put this server behind HTTPS "
            "before others use it.",
            err=True,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()


@click.group(context_settings=CONTEXT)
def token() -> None:
    """Create, list and revoke the tokens that give access to the server.

    \b
    Example:
      sheetokr token create --team sales
      sheetokr token list
    """


@token.command("create", context_settings=CONTEXT)
@click.option("--team", "team", metavar="KEY", help="A token for this team (registered if new).")
@click.option("--admin", is_flag=True, help="An admin token: may do anything.")
@click.option("--viewer", is_flag=True, help="A viewer token: may read, never write.")
@data_option
def token_create(team: str | None, admin: bool, viewer: bool, data: str | None) -> None:
    """Print a new token; it is stored hashed and shown only this once.

    The token goes to standard output alone, so a script can keep it.

    \b
    Example:
      sheetokr token create --team sales --data ./okr
      TOKEN=$(sheetokr token create --admin --data ./okr)
    """
    from sheetokr_server.auth import create_token
    from sheetokr_server.db import new_session
    from sheetokr_server.storage import ensure_team, key_problem, valid_key

    if [bool(team), admin, viewer].count(True) != 1:
        raise click.ClickException(
            "Say whom the token is for with exactly one of --team KEY, --admin or --viewer."
        )
    if team is not None and not valid_key(team):
        raise click.ClickException(key_problem(team))
    kind = "team" if team else "admin" if admin else "viewer"
    app = make_app(data)
    db = new_session(app)
    try:
        if team:
            ensure_team(db, team)
        row, plain = create_token(db, kind, team)
    finally:
        db.close()
    who = f"team '{team.lower()}'" if team else f"an {kind}" if admin else f"a {kind}"
    click.echo(f"Token {row.id} for {who}; it is shown only now, keep it safe:", err=True)
    click.echo(plain)


@token.command("list", context_settings=CONTEXT)
@data_option
def token_list(data: str | None) -> None:
    """List the tokens (never the tokens themselves, which are not kept).

    \b
    Example:
      sheetokr token list --data ./okr
    """
    from sqlalchemy import select

    from sheetokr_server.db import Token, new_session

    db = new_session(make_app(data))
    try:
        rows = [t.to_json() for t in db.scalars(select(Token).order_by(Token.id))]
    finally:
        db.close()
    if not rows:
        click.echo("No tokens yet; create one with 'sheetokr token create --admin'.")
        return
    click.echo(f"{'ID':>4}  {'KIND':<7} {'TEAM':<20} {'CREATED':<21} REVOKED")
    for r in rows:
        click.echo(
            f"{r['id']:>4}  {r['kind']:<7} {r['team'] or '-':<20} {r['created']:<21} "
            f"{r['revoked'] or '-'}"
        )


@token.command("revoke", context_settings=CONTEXT)
@click.argument("token_id", metavar="ID", type=int)
@data_option
def token_revoke(token_id: int, data: str | None) -> None:
    """Revoke a token so it no longer opens anything.

    \b
    Example:
      sheetokr token revoke 3 --data ./okr
    """
    from sheetokr_server.auth import revoke_token
    from sheetokr_server.db import new_session

    db = new_session(make_app(data))
    try:
        row = revoke_token(db, token_id)
    finally:
        db.close()
    if row is None:
        raise click.ClickException(
            f"There is no token {token_id}; 'sheetokr token list' shows the tokens."
        )
    click.echo(f"Token {token_id} is revoked.")


commands = (serve, token)
