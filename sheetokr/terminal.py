"""Scored results as text for a terminal: objectives with their key results, progress bars,
status and score in colour, and the issues underneath.

Only presentation lives here; colours are click styles, dropped when the output is not a terminal.
"""

from __future__ import annotations

import click

from sheetokr.core.model import Issue
from sheetokr.core.results import KeyResultResult, ObjectiveResult, OrgResult, TeamResult
from sheetokr.core.scoring import band as score_band
from sheetokr.core.values import is_time_typed, round_half_up, show
from sheetokr.sheets.layout import STATUSES

STATUS_COLOURS = {
    "achieved": "blue",
    "on_track": "green",
    "behind": "yellow",
    "at_risk": "red",
    "not_started": "bright_black",
}
BAND_COLOURS = {"green": "green", "yellow": "yellow", "red": "red"}
BAR_WIDTH = 12


def bar(progress: float | None, width: int = BAR_WIDTH) -> str:
    if progress is None:
        return "·" * width
    filled = int(round_half_up(progress * width, 0))
    return "█" * filled + "░" * (width - filled)


def percent(progress: float | None) -> str:
    return "   —" if progress is None else f"{round_half_up(progress * 100, 0):3.0f}%"


def status_text(status: str | None, lang: str = "en") -> str:
    if status is None:
        return click.style("—", fg="bright_black")
    label = STATUSES[status][1 if lang == "nl" else 0]
    return click.style(label, fg=STATUS_COLOURS.get(status))


def score_text(score: float | None, band: str | None) -> str:
    if score is None:
        return "   —"
    return click.style(f"{score:4.2f}", fg=BAND_COLOURS.get(band or ""))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _number(x: float, duration: bool) -> str:
    """How a value reads: 3:04 for durations, 287,500 with grouping, else as typed."""
    if duration:
        whole = int(round(x))
        h, rest = divmod(abs(whole), 3600)
        m, sec = divmod(rest, 60)
        sign = "-" if whole < 0 else ""
        return f"{sign}{h}:{m:02d}:{sec:02d}" if h else f"{sign}{m}:{sec:02d}"
    if abs(x) >= 10000 and x == int(x):
        return f"{int(x):,}"
    return show(x)


def _values(kr: KeyResultResult) -> str:
    duration = any(is_time_typed(kr.row.raw(k)) for k in ("start", "target", "current"))
    unit = f" {kr.unit}" if kr.unit and not (duration and ":" in kr.unit) else ""

    def fmt(x: float) -> str:
        return _number(x, duration)

    if kr.metric == "milestone":
        return (
            "done" if kr.current == 1 else ("not done" if not kr.current else percent(kr.current))
        )
    if kr.current is None:
        return "no value yet"
    if kr.metric in ("at_least", "at_most") and kr.target is not None:
        sign = "≥" if kr.metric == "at_least" else "≤"
        return f"{fmt(kr.current)}{unit} ({sign} {fmt(kr.target)})"
    if kr.target is None:
        return f"{fmt(kr.current)}{unit}"
    start = f"{fmt(kr.start)} → " if kr.start is not None else ""
    return f"{start}{fmt(kr.current)} / {fmt(kr.target)}{unit}"


def _objective_lines(o: ObjectiveResult, lang: str) -> list[str]:
    lines = [
        f"{click.style(_clip(o.id, 6).ljust(6), bold=True)} "
        f"{click.style(_clip(o.title, 44).ljust(44), bold=True)} "
        f"{bar(o.progress)} {percent(o.progress)}  {score_text(o.score, o.band)}  "
        f"{status_text(o.status, lang)}"
    ]
    for kr in o.key_results:
        lines.append(
            f"  {_clip(kr.id, 7).ljust(7)} {_clip(kr.title, 41).ljust(41)} "
            f"{bar(kr.progress)} {percent(kr.progress)}  {score_text(kr.score, kr.band)}  "
            f"{status_text(kr.status, lang)}  " + click.style(_values(kr), fg="bright_black")
        )
    return lines


def issue_line(issue: Issue, prefix: str = "") -> str:
    code = click.style(issue.code, fg="red" if issue.level == "error" else "yellow")
    return f"{prefix}{issue.where}  {code}  {issue.message}"


def render_team(result: TeamResult) -> str:
    lang = result.model.lang
    head = result.name or result.key or result.model.source
    cycle = result.cycle_name or "cycle"
    span = f" ({result.start} – {result.end})" if result.start and result.end else ""
    elapsed = f" · {percent(result.elapsed).strip()} elapsed" if result.elapsed is not None else ""
    lines = [
        click.style(head, bold=True) + f" · {cycle}{span} · as of {result.as_of}{elapsed}",
        f"{'Team'.ljust(51)} {bar(result.progress)} {percent(result.progress)}  "
        f"{score_text(result.score, score_band(result.score))}  "
        f"{status_text(result.status, lang)}",
        "",
    ]
    for objective in result.objectives:
        lines.extend(_objective_lines(objective, lang))
        lines.append("")
    errors = sum(1 for i in result.issues if i.level == "error")
    warnings = len(result.issues) - errors
    if result.issues:
        lines.append(
            click.style(
                f"Issues: {errors} error{'s' * (errors != 1)}, "
                f"{warnings} warning{'s' * (warnings != 1)}",
                bold=True,
            )
        )
        lines.extend(issue_line(i, "  ") for i in result.issues)
    else:
        lines.append(click.style("No issues.", fg="green"))
    return "\n".join(lines)


def render_org(org: OrgResult) -> str:
    """One line for the organisation, one per team (root first), then the organisation's issues."""
    head = org.name or org.root or "Organisation"
    lines = [
        click.style(head, bold=True) + f" · as of {org.as_of} · {len(org.teams)} teams",
        f"{'Organisation'.ljust(36)} {bar(org.progress)} {percent(org.progress)}  "
        f"{score_text(org.score, score_band(org.score))}  {status_text(org.status)}",
        "",
    ]
    teams = sorted(org.teams, key=lambda t: (t.key != org.root, t.key))
    for team in teams:
        errors = sum(1 for i in team.issues if i.level == "error")
        note = click.style(f"  {errors} error{'s' * (errors != 1)}", fg="red") if errors else ""
        if not team.counted:
            note += click.style("  not counted", fg="bright_black")
        name = _clip(f"{team.key} ({team.name})" if team.name else team.key, 36)
        lines.append(
            f"{name.ljust(36)} {bar(team.progress)} {percent(team.progress)}  "
            f"{score_text(team.score, score_band(team.score))}  "
            f"{status_text(team.status)}{note}"
        )
    if org.issues:
        lines += ["", click.style(f"Organisation issues: {len(org.issues)}", bold=True)]
        lines += [issue_line(i, "  ") for i in org.issues]
    return "\n".join(lines)
