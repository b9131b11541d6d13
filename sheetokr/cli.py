"""The `sheetokr` command. The only module (with the server's) that knows click: it turns
`SheetokrError`s into one sentence and an exit code, never a traceback.

Exit codes: 0 done (for `check`: no errors), 1 errors found, 2 a file or value that cannot be used.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from sheetokr import __version__
from sheetokr.clikit import CONTEXT, UsageProblem, as_date, on_option
from sheetokr.errors import SheetokrError, UnusableWorkbook


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="sheetokr")
def cli() -> None:
    """sheetokr: OKRs in the spreadsheets your teams already own.

    Score and check team workbooks, make templates, refresh computed cells, consolidate an
    organisation and serve its overview.

    \b
    Example:
        sheetokr score examples/sales-en.xlsx
    """


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@on_option
@click.option("--json", "as_json", is_flag=True, help="Print SPEC section 3 JSON instead.")
def score(file: Path, as_of: dt.datetime | None, as_json: bool) -> None:
    """Score one team workbook: progress, score and status of every objective and key result.

    \b
    Example:
        sheetokr score examples/sales-en.xlsx --on 2027-02-15
        sheetokr score examples/sales-en.xlsx --json > sales.json
    """
    from sheetokr.core.engine import score_team
    from sheetokr.terminal import render_team
    from sheetokr.xlsx.read import load_team

    try:
        result = score_team(load_team(file), as_date(as_of))
    except UnusableWorkbook as exc:
        raise UsageProblem(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_team(result))


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@on_option
def check(files: tuple[Path, ...], as_of: dt.datetime | None) -> None:
    """List every problem in team workbooks, one line each, errors first.

    Exits 0 when there are no errors, 1 when there are, 2 when a file cannot be used at all.

    \b
    Example:
        sheetokr check team-*.xlsx
    """
    from sheetokr.core.engine import score_team
    from sheetokr.terminal import issue_line
    from sheetokr.xlsx.read import load_team

    code = 0
    errors = warnings = unusable = 0
    for file in files:
        prefix = f"{file}: " if len(files) > 1 else ""
        try:
            result = score_team(load_team(file), as_date(as_of))
        except UnusableWorkbook as exc:
            click.echo(str(exc), err=True)
            code = 2
            unusable += 1
            continue
        for issue in result.issues:
            click.echo(issue_line(issue, prefix))
            if issue.level == "error":
                errors += 1
                code = max(code, 1)
            else:
                warnings += 1
    read = len(files) - unusable
    summary = (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {read} file{'s' * (read != 1)}"
    )
    if unusable:
        summary += f"; {unusable} file{'s' * (unusable != 1)} could not be used"
    click.echo(summary + ".", err=True)
    sys.exit(code)


def _add_commands() -> None:
    """Commands that live beside their medium; each imports its libraries only when run."""
    from sheetokr import commands, server_cli

    for command in (
        commands.new,
        commands.refresh,
        commands.consolidate,
        commands.demo,
        server_cli.serve,
        server_cli.token,
    ):
        cli.add_command(command)


_add_commands()


def main() -> None:
    """Console entry point: every SheetokrError becomes one sentence and exit code 2."""
    try:
        cli.main(prog_name="sheetokr", standalone_mode=True)
    except SheetokrError as exc:  # pragma: no cover - commands convert their own
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
