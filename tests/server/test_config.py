"""Settings: layered defaults -> environment -> test config, each documented, bad values refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetokr.errors import ConfigError
from sheetokr_server import create_app
from sheetokr_server.config import SETTINGS, flask_config, read_settings

SPEC_NAMES = ("SHEETOKR_DATA", "SHEETOKR_DATABASE_URL", "SHEETOKR_SECRET_KEY",
              "SHEETOKR_PUBLIC_READ", "SHEETOKR_TIMEZONE")  # SPEC 4, the server's part


def test_every_setting_has_help_and_a_sheetokr_name() -> None:
    for setting in SETTINGS:
        assert setting.name.startswith("SHEETOKR_")
        assert setting.help.endswith(".") and len(setting.help) > 20


def test_spec_environment_names_are_settings() -> None:
    assert set(SPEC_NAMES) <= {s.name for s in SETTINGS}


def test_layers_default_then_environment_then_test_config() -> None:
    assert read_settings({})["SHEETOKR_PUBLIC_READ"] is False
    env = {"SHEETOKR_PUBLIC_READ": "yes", "SHEETOKR_MAX_UPLOAD_MB": "2.5"}
    assert read_settings(env)["SHEETOKR_PUBLIC_READ"] is True
    assert read_settings(env)["SHEETOKR_MAX_UPLOAD_MB"] == 2.5
    assert read_settings(env, {"SHEETOKR_PUBLIC_READ": False})["SHEETOKR_PUBLIC_READ"] is False


@pytest.mark.parametrize(
    "name, value",
    [("SHEETOKR_PUBLIC_READ", "perhaps"), ("SHEETOKR_MAX_UPLOAD_MB", "-1"),
     ("SHEETOKR_MAX_UPLOAD_MB", "ten"), ("SHEETOKR_TIMEZONE", "Mars/Olympus")],
)
def test_unusable_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read_settings({name: value})
    assert str(caught.value).startswith(name)


def test_derived_flask_settings(tmp_path: Path) -> None:
    config = flask_config({"SHEETOKR_MAX_UPLOAD_MB": "3"}, {"SHEETOKR_DATA": str(tmp_path)})
    assert config["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024
    assert config["SHEETOKR_DATABASE_URL"] == f"sqlite:///{tmp_path / 'sheetokr.sqlite'}"
    assert config["SECRET_KEY"] == (tmp_path / "secret_key").read_text()
    again = flask_config({}, {"SHEETOKR_DATA": str(tmp_path)})
    assert again["SECRET_KEY"] == config["SECRET_KEY"]  # sessions survive a restart
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_another_database_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    app = create_app({"SHEETOKR_DATA": str(tmp_path / "data"), "SHEETOKR_DATABASE_URL": url})
    assert app.test_client().get("/api/v1/openapi.json").status_code == 200
    assert (tmp_path / "elsewhere.db").exists()
    assert not (tmp_path / "data" / "sheetokr.sqlite").exists()


def test_unwritable_data_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError) as caught:
        create_app({"SHEETOKR_DATA": str(blocker / "data")})
    assert "--data" in str(caught.value)
