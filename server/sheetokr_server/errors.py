"""HTTP answers for errors: every refusal under /api (and /org.xlsx, /login) is JSON
`{"error": "<sentence>"}`, Flask's own 404, 405 and 413 included.

`ApiError` is what views raise to refuse a request. Other paths keep Flask's default pages so the
dashboard can render its own. Unexpected exceptions are logged and answered with a plain 500.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

from sheetokr.errors import SheetokrError
from sheetokr_server.uploads import too_large

JSON_PREFIXES = ("/api/", "/org.xlsx", "/login", "/logout")


class ApiError(HTTPException):
    """A refusal with its status and a sentence a person can act on."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(description=message)
        self.code = code


SENTENCES = {
    404: "There is nothing at {path}; the API is described at /api/v1/openapi.json.",
    405: "{method} is not allowed on {path}; use {allowed}.",
    500: "The server failed to answer this request; the server log has the details.",
}


def sentence(exc: HTTPException) -> str:
    if isinstance(exc, ApiError):
        return exc.description or exc.name
    if exc.code == 413:
        return str(too_large(current_app.config["MAX_CONTENT_LENGTH"]))
    if exc.code not in SENTENCES:
        return exc.description or exc.name
    methods = getattr(exc, "valid_methods", None) or []
    allowed = ", ".join(m for m in methods if m not in ("HEAD", "OPTIONS"))
    return SENTENCES[exc.code].format(
        path=request.path, method=request.method, allowed=allowed or "another method"
    )


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES)


def handle_http(exc: HTTPException) -> ResponseReturnValue:
    if not wants_json():
        return exc
    response = jsonify(error=sentence(exc))
    response.status_code = exc.code or 500
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value  # Allow on 405, for one
    if exc.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="sheetokr"'
    return response


def handle_sheetokr(exc: SheetokrError) -> ResponseReturnValue:
    """A refusal from the library that reached a view: the request's input could not be used."""
    return handle_http(ApiError(getattr(exc, "status", 400), str(exc)))


def handle_unexpected(exc: Exception) -> ResponseReturnValue:
    if isinstance(exc, HTTPException):
        return handle_http(exc)
    current_app.logger.exception("Unexpected error on %s %s", request.method, request.path)
    return handle_http(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(SheetokrError, handle_sheetokr)
    app.register_error_handler(Exception, handle_unexpected)
