"""The workbook and organisation commands: `new`, `refresh`, `consolidate`, `demo`.

Each imports its medium (openpyxl, the server) only when it runs. Errors become one sentence:
exit 2 for a file or value that cannot be used, 1 for problems found where the command says so.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from sheetokr.clikit import CONTEXT, UsageProblem, as_date, on_option
from sheetokr.errors import SheetokrError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def workbook_files(sources: tuple[Path, ...]) -> list[Path]:
    """Files named, and the workbooks in folders named (not Excel's ~$ lock files)."""
    out: list[Path] = []
    for source in sources:
        if source.is_dir():
            found = sorted(
                p
                for p in source.iterdir()
                if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", "."))
            )
            if not found:
                raise UsageProblem(f"{source} holds no .xlsx or .xlsm workbooks.")
            out.extend(found)
        else:
            out.append(source)
    return out


@click.command(context_settings=CONTEXT)
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(["en", "nl"]),
    default="en",
    show_default=True,
    help="Language of sheet names, headers, labels and instructions.",
)
@click.option("--team", metavar="KEY", help="Team key, e.g. sales (lower case, digits, - or _).")
@click.option("--name", help="Team name as people say it, e.g. 'Sales EMEA'.")
@click.option("--parent", metavar="KEY", help="Key of the parent team, e.g. company.")
@click.option("--cycle", help="Name of the cycle, e.g. 2027-Q1.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="First day of the cycle.")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), help="Last day of the cycle.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
def new(
    out: Path,
    lang: str,
    team: str | None,
    name: str | None,
    parent: str | None,
    cycle: str | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    force: bool,
) -> None:
    """Write a new team workbook from the template, ready to fill in.

    \b
    Example:
        sheetokr new sales.xlsx --team sales --name Sales --parent company \\
            --cycle 2027-Q1 --start 2027-01-01 --end 2027-03-31
        sheetokr new klantenservice.xlsx --lang nl --team klantenservice
    """
    from sheetokr.core.engine import TEAM_KEY
    from sheetokr.xlsx.template import write_team_workbook

    for option, value in (("--team", team), ("--parent", parent)):
        if value and not TEAM_KEY.match(value):
            raise UsageProblem(
                f"{option} '{value}' is not a team key; use lower-case letters, digits, '-' "
                "or '_', starting with a letter or digit (e.g. sales-emea)."
            )
    if out.exists() and not force:
        raise UsageProblem(
            f"{out} already exists; choose another name, or add --force to replace it."
        )
    try:
        path = write_team_workbook(
            out,
            lang,
            overwrite=force,
            team=team,
            name=name,
            parent=parent,
            cycle=cycle,
            start=as_date(start),
            end=as_date(end),
        )
    except SheetokrError as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(f"Wrote {path}. Fill in the Cycle sheet, then Objectives and Key Results.")


@click.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@on_option
@click.option("--dry-run", is_flag=True, help="List what would change; write nothing.")
def refresh(file: Path, as_of: dt.datetime | None, dry_run: bool) -> None:
    """Recompute a team workbook and write the results into it.

    Writes the computed cells (as the cached values of their formulas), the Dashboard and the
    Issues sheet; never a cell you typed, and everything else in the file stays as it was.
    --on first sets the Cycle sheet's As of, the one input cell Refresh changes.

    \b
    Example:
        sheetokr refresh sales.xlsx
        sheetokr refresh sales.xlsx --on 2027-02-15 --dry-run
    """
    from sheetokr.terminal import issue_line
    from sheetokr.xlsx.refresh import refresh as run_refresh

    try:
        done = run_refresh(file, on=as_date(as_of), dry_run=dry_run)
    except SheetokrError as exc:
        raise UsageProblem(str(exc)) from None
    report = done.report
    if dry_run:
        for line in report.lines():
            click.echo(line)
        click.echo(f"Dry run: {len(report.changes)} cells would change; nothing written.")
    else:
        click.echo(
            f"Refreshed {file}: {len(report.changes)} cells written, as of {done.result.as_of}."
        )
    errors = [i for i in done.issues if i.level == "error"]
    if done.issues:
        others = len(done.issues) - len(errors)
        click.echo(
            f"{len(errors)} error{'s' * (len(errors) != 1)}, "
            f"{others} warning{'s' * (others != 1)} and notes:"
        )
        for issue in done.issues:
            click.echo(issue_line(issue, "  "))


@click.command(context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Write the org workbook here.")
@click.option("--json", "as_json", is_flag=True, help="Print SPEC section 3's org JSON.")
@click.option(
    "--lang",
    type=click.Choice(["en", "nl"]),
    default="en",
    show_default=True,
    help="Language of the org workbook.",
)
@on_option
def consolidate(
    sources: tuple[Path, ...],
    out: Path | None,
    as_json: bool,
    lang: str,
    as_of: dt.datetime | None,
) -> None:
    """Consolidate team workbooks (files or folders) into the organisation overview.

    Checks the organisation (unique team keys, parents, one root, no cycles, alignments) and
    rolls progress up through alignment across teams, every team as of the same date.
    Files that cannot be used are named and left out; the exit code is then 2.

    \b
    Example:
        sheetokr consolidate teams/ --out org.xlsx
        sheetokr consolidate company.xlsx sales.xlsx support.xlsx --json
    """
    from sheetokr.batch import read_and_warm
    from sheetokr.core.engine import Consolidator

    files = workbook_files(sources)
    if out is not None:  # an earlier org workbook in the same folder is not a team's
        files = [f for f in files if f.resolve() != out.resolve()]
    consolidator = Consolidator()
    models, unusable = read_and_warm(files, consolidator, as_date(as_of))
    for item in unusable:
        click.echo(f"Skipped: {item.error}", err=True)
    if not models:
        raise UsageProblem("None of the files could be used; nothing to consolidate.")
    org = consolidator.run(models, as_date(as_of))
    if out is not None:
        from sheetokr.org.trend import trend_of
        from sheetokr.org.workbook import write_org_workbook

        try:
            write_org_workbook(org, out, lang=lang, trend=trend_of(org))
        except SheetokrError as exc:
            raise UsageProblem(str(exc)) from None
    if as_json:
        click.echo(json.dumps(org.to_json(), ensure_ascii=False, indent=2))
    else:
        from sheetokr.terminal import render_org

        click.echo(render_org(org))
        if out is not None:
            click.echo(f"Wrote {out}.")
    if unusable:
        sys.exit(2)


@click.command(context_settings=CONTEXT)
@click.option(
    "--teams",
    default=12,
    show_default=True,
    type=click.IntRange(1, 500),
    help="How many teams besides the company.",
)
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-org"),
    show_default=True,
    help="Where to write the workbooks.",
)
@click.option("--serve", is_flag=True, help="Serve the overview on loopback afterwards.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port for --serve; 0 picks a free one.",
)
def demo(teams: int, folder: Path, serve: bool, port: int) -> None:
    """Build a demo organisation, consolidate it, and optionally serve its overview.

    A company and N teams made from the example workbooks, in the current quarter, with weekly
    check-ins up to today; some teams ahead, some behind. With --serve, the dashboard runs on
    http://127.0.0.1:PORT/ with public reading (loopback only).

    \b
    Example:
        sheetokr demo --serve
        sheetokr demo --teams 40 --dir /tmp/acme
    """
    from sheetokr.core.engine import consolidate as run
    from sheetokr.demo import build_demo
    from sheetokr.org.trend import trend_of
    from sheetokr.org.workbook import write_org_workbook
    from sheetokr.terminal import render_org
    from sheetokr.xlsx.read import load_team
    from sheetokr.xlsx.refresh import refresh as run_refresh

    paths = build_demo(folder / "teams", teams)
    for path in paths:
        run_refresh(path)
    org = run([load_team(p) for p in paths])
    write_org_workbook(org, folder / "org.xlsx", trend=trend_of(org))
    click.echo(render_org(org))
    click.echo(
        f"Wrote {len(paths)} team workbooks to {folder / 'teams'}/ and the organisation "
        f"overview to {folder / 'org.xlsx'}."
    )
    if serve:
        from sheetokr.demo_server import serve_demo

        serve_demo(paths, folder / "server-data", port)
