"""The `sheetokr` command: score and check on real workbooks, exit codes, help texts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sheetokr.cli import cli
from tests.builders import grid, write_xlsx

OBJ = [{"id": "O1", "title": "Grow", "owner": "Ann", "type": "committed"}]
GOOD = [
    {
        "id": "KR1.1",
        "objective": "O1",
        "title": "Revenue 12 to 24 M USD",
        "owner": "Ann",
        "start": 12,
        "target": 24,
        "current": 18,
        "unit": "M USD",
    },
    {
        "id": "KR1.2",
        "objective": "O1",
        "title": "Tickets 120 to 30",
        "owner": "Bo",
        "metric": "decrease",
        "start": 120,
        "target": 30,
        "current": 60,
    },
    {
        "id": "KR1.3",
        "objective": "O1",
        "title": "Checkout 9 to 6",
        "owner": "Cy",
        "metric": "decrease",
        "start": 9,
        "target": 6,
        "current": 7.5,
    },
]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "good.xlsx", grid(objectives=OBJ, key_results=GOOD))


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    krs = [dict(GOOD[0], current="lots"), dict(GOOD[1], owner=None), GOOD[2]]
    return write_xlsx(tmp_path / "bad.xlsx", grid(objectives=OBJ, key_results=krs))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_score_prints_objectives_key_results_and_issues(good: Path) -> None:
    code, out, _ = run("score", str(good), "--on", "2027-02-15")
    assert code == 0
    assert "O1" in out and "KR1.2" in out and "Revenue 12 to 24 M USD" in out
    assert " 56%" in out  # objective: mean of 0.5, 0.6667, 0.5
    assert "on track" in out and "behind" in out
    assert "█" in out


def test_score_json_is_spec_section_3(good: Path) -> None:
    code, out, _ = run("score", str(good), "--on", "2027-02-15", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"team", "cycle", "objectives", "initiatives", "issues"}
    assert data["cycle"]["as_of"] == "2027-02-15"
    kr = data["objectives"][0]["key_results"][1]
    assert kr["progress"] == pytest.approx(2 / 3)
    assert kr["score"] == 0.67 and kr["band"] == "yellow"
    assert data["team"]["progress"] == pytest.approx((0.5 + 2 / 3 + 0.5) / 3)


def test_check_lists_problems_errors_first_and_exits_1(bad: Path) -> None:
    code, out, err = run("check", str(bad), "--on", "2027-02-15")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("Key Results!H2  E004  ")
    assert any(line.startswith("Key Results!D3  W102  ") for line in lines)
    levels = ["E" if "  E0" in line else "W" for line in lines]
    assert levels == sorted(levels)  # errors first
    assert "1 error" in err


def test_check_exits_0_without_errors(good: Path) -> None:
    code, out, _ = run("check", str(good), "--on", "2027-02-15")
    assert code == 0
    assert "E0" not in out


def test_check_many_files_prefixes_names_and_exits_2_for_an_unusable_one(
    good: Path, bad: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "notes.xlsx"
    junk.write_text("not a workbook")
    code, out, err = run("check", str(good), str(bad), str(junk))
    assert code == 2
    assert f"{bad}: Key Results!H2  E004" in out
    assert "notes.xlsx is not an Excel workbook" in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize("command", ["score", "check"])
def test_missing_file_is_one_sentence_and_exit_2(command: str, tmp_path: Path) -> None:
    code, out, err = run(command, str(tmp_path / "nope.xlsx"))
    assert code == 2
    assert "does not exist" in err
    assert "Traceback" not in out + err


def test_bad_date_option_is_a_usage_error(good: Path) -> None:
    code, _, err = run("score", str(good), "--on", "15-02-2027")
    assert code == 2
    assert "YYYY" in err or "%Y-%m-%d" in err


def _commands(group: click.Group) -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append((name, command))
        if isinstance(command, click.Group):
            out.extend((f"{name} {n}", c) for n, c in _commands(command))
    return out


@pytest.mark.parametrize("name", [n for n, _ in _commands(cli)])
def test_every_help_ends_with_an_example(name: str) -> None:
    code, out, _ = run(*name.split(), "-h")
    assert code == 0
    tail = out.split("Options:")[0].strip()
    assert "Example:" in tail, f"{name} --help has no Example: block"
    assert "sheetokr " in tail.split("Example:")[-1]


def test_console_script_runs_in_a_fresh_process(bad: Path) -> None:
    exe = Path(sys.executable).with_name("sheetokr")
    proc = subprocess.run([str(exe), "check", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "E004" in proc.stdout
