"""Serving the demo organisation: a server data folder whose teams are the demo workbooks,
registered as files on the server through the same API an admin would use, with public reading
on loopback only.
"""

from __future__ import annotations

from pathlib import Path

import click

from sheetokr.errors import SheetokrError


def register(app: object, paths: list[Path]) -> None:
    """Register every workbook as a team whose sheet is that file, through the admin API
    in-process, with a token that is revoked again once done. The demo names each workbook
    after its team key; the server takes name and parent from the workbook itself."""
    from sheetokr_server.auth import create_token, revoke_token
    from sheetokr_server.db import new_session

    with app.app_context():  # type: ignore[attr-defined]
        with new_session() as db:
            row, admin = create_token(db, "admin")
            token_id = row.id
        client = app.test_client()  # type: ignore[attr-defined]
        headers = {"Authorization": f"Bearer {admin}"}
        try:
            for path in paths:
                body = {"key": path.stem, "source": str(path.resolve())}
                answer = client.post("/api/v1/teams", json=body, headers=headers)
                if answer.status_code >= 400:
                    raise SheetokrError(
                        f"The demo could not register {path.name}: {answer.get_json()['error']}"
                    )
        finally:
            with new_session() as db:
                revoke_token(db, token_id)


def serve_demo(paths: list[Path], data: Path, port: int) -> None:
    """Serve the demo on http://127.0.0.1:PORT/ until Ctrl+C."""
    from werkzeug.serving import make_server

    from sheetokr.server_cli import listen
    from sheetokr_server import create_app

    data.mkdir(parents=True, exist_ok=True)
    app = create_app({"SHEETOKR_DATA": str(data), "SHEETOKR_PUBLIC_READ": True})
    register(app, paths)
    with listen("127.0.0.1", port) as sock:
        server = make_server("127.0.0.1", port, app, threaded=True, fd=sock.fileno())
    click.echo(f"Serving the demo on http://127.0.0.1:{server.port}/ (press Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()
