"""The server's settings, declared as data with their help text, and read in layers.

Each setting is read from its default, then the `SHEETOKR_*` environment variable of the same name,
then the test config given to `create_app`. Values that cannot be used raise `ConfigError` with a
sentence naming the variable. Flask's own keys (SECRET_KEY, MAX_CONTENT_LENGTH) are derived here.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheetokr.errors import ConfigError

MB = 1024 * 1024
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise ValueError(f"'{text}' is not true or false")


def _megabytes(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise ValueError(f"'{text}' is not a positive number of megabytes")
    return value


def _timezone(text: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{text}' is not a time zone name such as Europe/Amsterdam") from exc
    return text


@dataclass(frozen=True)
class Setting:
    """One setting: its name (config key and environment variable), default and help text."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


SETTINGS: tuple[Setting, ...] = (
    Setting("SHEETOKR_DATA", "sheetokr-data",
            "Folder for the database, uploaded workbooks and the session key."),
    Setting("SHEETOKR_DATABASE_URL", None,
            "SQLAlchemy URL of the database; default: SQLite at <data>/sheetokr.sqlite."),
    Setting("SHEETOKR_SECRET_KEY", None,
            "Key that signs session cookies; default: a random key kept in <data>/secret_key."),
    Setting("SHEETOKR_PUBLIC_READ", False,
            "true: reading (GET endpoints, dashboard, /org.xlsx) needs no token.", _bool),
    Setting("SHEETOKR_TIMEZONE", "UTC",
            "Time zone that decides which date 'today' is.", _timezone),
    Setting("SHEETOKR_MAX_UPLOAD_MB", 10.0,
            "Largest workbook upload accepted, in megabytes; larger bodies answer 413.",
            _megabytes),
    Setting("SHEETOKR_MAX_UNZIPPED_MB", 200.0,
            "Largest total unpacked size of an uploaded workbook, in megabytes.", _megabytes),
)


def read_settings(
    environ: Mapping[str, str], test_config: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Every setting's value: default, then environment, then test config."""
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    for setting in SETTINGS:
        if setting.name not in environ:
            continue
        try:
            values[setting.name] = setting.parse(environ[setting.name])
        except ValueError as exc:
            raise ConfigError(f"{setting.name}: {exc}. {setting.help}") from exc
    values.update(test_config or {})
    return values


def secret_key(data: Path) -> str:
    """The key kept in <data>/secret_key, created on first use so sessions survive restarts."""
    path = data / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key)
    os.replace(tmp, path)
    return key


def flask_config(
    environ: Mapping[str, str], test_config: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The settings plus the Flask keys derived from them; creates the data folder."""
    values = read_settings(environ, test_config)
    data = Path(values["SHEETOKR_DATA"]).expanduser().resolve()
    try:
        (data / "uploads").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"SHEETOKR_DATA: cannot create the data folder {data} ({exc.strerror}); "
            "choose a folder you can write to with --data or SHEETOKR_DATA."
        ) from exc
    values["SHEETOKR_DATA"] = data
    if not values["SHEETOKR_DATABASE_URL"]:
        values["SHEETOKR_DATABASE_URL"] = f"sqlite:///{data / 'sheetokr.sqlite'}"
    if not values["SHEETOKR_SECRET_KEY"]:
        values["SHEETOKR_SECRET_KEY"] = secret_key(data)
    values.setdefault("SECRET_KEY", values["SHEETOKR_SECRET_KEY"])
    values["MAX_CONTENT_LENGTH"] = int(values["SHEETOKR_MAX_UPLOAD_MB"] * MB)
    values.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    values.setdefault("SESSION_COOKIE_HTTPONLY", True)
    return values
