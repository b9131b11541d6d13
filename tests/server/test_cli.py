"""`sheetokr serve` and `sheetokr token ...` through click's runner, on a real data folder."""

from __future__ import annotations

import socket
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sheetokr.server_cli import serve, token
from sheetokr_server import create_app

COMMANDS: list[tuple[click.Command, list[str]]] = [
    (serve, []), (token, []), (token, ["create"]), (token, ["list"]), (token, ["revoke"]),
]


@pytest.mark.parametrize("flag", ["--help", "-h"])
@pytest.mark.parametrize("command, args", COMMANDS)
def test_help_ends_with_an_example(command: click.Command, args: list[str], flag: str) -> None:
    result = CliRunner().invoke(command, [*args, flag])
    assert result.exit_code == 0
    description = result.output.split("Options:")[0].split("Commands:")[0].rstrip()
    example = description.split("Example:")[-1]
    assert "Example:" in description
    lines = example.strip().splitlines()
    assert lines and all(line.strip().startswith(("sheetokr", "TOKEN=")) for line in lines)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(token, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_create_list_revoke(tmp_path: Path) -> None:
    data = str(tmp_path)
    code, out, err = run("create", "--team", "Sales", "--data", data)
    assert code == 0
    plain = out.strip()
    assert len(plain) >= 40 and "\n" not in plain
    assert "Token 1 for team 'sales'" in err
    assert run("create", "--viewer", "--data", data)[0] == 0

    app = create_app({"SHEETOKR_DATA": data})
    client = app.test_client()
    header = {"Authorization": f"Bearer {plain}"}
    teams = client.get("/api/v1/teams", headers=header).get_json()["teams"]
    assert [t["key"] for t in teams] == ["sales"]  # registered by token create

    code, out, _err = run("list", "--data", data)
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["1", "team", "sales"]
    assert lines[2].split()[:3] == ["2", "viewer", "-"]
    assert plain not in out

    assert run("revoke", "1", "--data", data)[:2] == (0, "Token 1 is revoked.\n")
    assert client.get("/api/v1/teams", headers=header).status_code == 401
    assert run("list", "--data", data)[1].splitlines()[1].split()[-1] != "-"


def test_the_environment_names_the_data_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(token, ["create", "--admin"], env={"SHEETOKR_DATA": str(tmp_path)})
    assert result.exit_code == 0
    assert (tmp_path / "sheetokr.sqlite").exists()


@pytest.mark.parametrize(
    "args, says",
    [
        (["create"], "exactly one of --team KEY, --admin or --viewer"),
        (["create", "--admin", "--viewer"], "exactly one of"),
        (["create", "--team", "sales team"], "is not a team key"),
        (["revoke", "42"], "There is no token 42"),
    ],
)
def test_refusals_are_sentences(tmp_path: Path, args: list[str], says: str) -> None:
    result = CliRunner().invoke(token, [*args, "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert says in result.output
    assert "Traceback" not in result.output


def test_serve_on_a_port_in_use_is_a_sentence(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(serve, ["--port", str(port), "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.output
    assert "--port" in result.output
