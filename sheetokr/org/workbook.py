"""The organisation workbook: the alignment tree, every team and key result, what needs
attention, every problem found and the weekly trend, as one styled .xlsx for leaders.

openpyxl in write-only mode (fast for thousands of teams). Any text that came from a team's sheet
is written as a text cell, never a formula, whatever it starts with (=, +, -, @). A path target is
written to a temporary file beside it and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from sheetokr.core.results import OrgResult
from sheetokr.org import labels as L
from sheetokr.org.attention import needs_attention
from sheetokr.org.tree import alignment_tree
from sheetokr.org.trend import Trend
from sheetokr.sheets import layout
from sheetokr.xlsx.template_style import (
    BANDS,
    DATE,
    HEADER_ALIGN,
    HEADER_FONT,
    INPUT_HEADER,
    PERCENT,
    SCORE,
    STATUS_COLOURS,
    page_setup,
    progress_bars,
)

CHART_SERIES = 12  # the root team and its first child teams; more lines are unreadable
_STATUS_STYLE = {
    key: (PatternFill("solid", fgColor=fill), Font(color=font))
    for key, (fill, font) in STATUS_COLOURS.items()
}
_BAND_STYLE = [
    (float(cond.lstrip("<>=")), cond, PatternFill("solid", fgColor=fill), Font(color=font))
    for cond, fill, font in BANDS
]
_INDENT = [Alignment(indent=min(depth * 2, 15)) for depth in range(9)]


class _Sheet:
    """A write-only sheet with a header row, typed cells and the finishing touches."""

    def __init__(self, wb: Workbook, title: str, headers: Sequence[tuple[str, float]]) -> None:
        self.ws: WriteOnlyWorksheet = wb.create_sheet(title)
        self.width = len(headers)
        self.rows = 1
        for i, (_, width) in enumerate(headers, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = "B2" if self.width > 1 else "A2"
        cells = []
        for text, _ in headers:
            cell = WriteOnlyCell(self.ws, value=text)
            cell.fill, cell.font, cell.alignment = INPUT_HEADER, HEADER_FONT, HEADER_ALIGN
            cells.append(cell)
        self.ws.append(cells)

    def text(self, value: object, *, indent: int = 0) -> WriteOnlyCell:
        """A text cell that stays text: `=HYPERLINK(...)`, `@x`, `+1`, `-2` are never formulas."""
        if value is None or value == "":
            return WriteOnlyCell(self.ws, value=None)
        cell = WriteOnlyCell(self.ws, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
        cell.data_type = "s"
        if indent:
            cell.alignment = _INDENT[min(indent, len(_INDENT) - 1)]
        return cell

    def number(self, value: float | int | None, fmt: str | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=value)
        if fmt and value is not None:
            cell.number_format = fmt
        return cell

    def date(self, value: dt.date | None) -> WriteOnlyCell:
        return self.number(value, DATE)  # type: ignore[arg-type]

    def score(self, value: float | None) -> WriteOnlyCell:
        cell = self.number(value, SCORE)
        if value is not None:
            for limit, cond, fill, font in _BAND_STYLE:
                if cond.startswith(">=") or value < limit:
                    cell.fill, cell.font = fill, font
                    break
        return cell

    def status(self, key: str | None, lang: str) -> WriteOnlyCell:
        cell = self.text(L.pick(layout.STATUSES, key, lang))
        if key in _STATUS_STYLE:
            cell.fill, cell.font = _STATUS_STYLE[key]
        return cell

    def append(self, cells: list[Any]) -> None:
        self.ws.append(cells)
        self.rows += 1

    def finish(self, *, bars: Iterable[int] = ()) -> None:
        last = get_column_letter(self.width)
        self.ws.auto_filter.ref = f"A1:{last}{max(self.rows, 2)}"
        for column in bars:
            letter = get_column_letter(column)
            if self.rows > 1:
                progress_bars(self.ws, f"{letter}2:{letter}{self.rows}")
        page_setup(self.ws, landscape=True)


def write_org_workbook(
    org: OrgResult,
    target: Path | str | IO[bytes],
    *,
    lang: str = "en",
    trend: Trend | None = None,
) -> None:
    """Write the org workbook to a path (atomically) or to an open binary file."""
    wb = Workbook(write_only=True)
    _overview(wb, org, lang)
    _teams(wb, org, lang)
    _key_results(wb, org, lang)
    _attention(wb, org, lang)
    _problems(wb, org, lang)
    _trend(wb, org, trend or {}, lang)
    if isinstance(target, str | Path):
        _save_atomically(wb, Path(target))
    else:
        wb.save(target)


def _save_atomically(wb: Workbook, path: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=path.parent or Path("."))
    os.close(fd)
    try:
        wb.save(name)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _overview(wb: Workbook, org: OrgResult, lang: str) -> None:
    w = L.word
    s = _Sheet(
        wb,
        L.sheet("overview", lang),
        [
            (w("objective_id", lang), 10),
            (L.header(layout.OBJECTIVES, "title", lang), 60),
            (w("team", lang), 22),
            (w("owner", lang), 18),
            (w("progress", lang), 12),
            (w("score", lang), 8),
            (w("status", lang), 14),
            (w("expected", lang), 10),
        ],
    )
    names = {t.key: t.name or t.key for t in org.teams}
    for root in alignment_tree(org):
        for depth, node in root.walk():
            o = node.objective
            s.append(
                [
                    s.text(o.id),
                    s.text(o.title, indent=depth),
                    s.text(names.get(node.team)),
                    s.text(o.owner),
                    s.number(o.progress, PERCENT),
                    s.score(o.score),
                    s.status(o.status, lang),
                    s.number(o.expected, PERCENT),
                ]
            )
    title = org.name or org.root or ""
    s.ws.oddHeader.center.text = f"{title} - {w('as_of', lang)} {org.as_of.isoformat()}"
    s.finish(bars=[5])


def _teams(wb: Workbook, org: OrgResult, lang: str) -> None:
    w = L.word
    status_keys = list(layout.STATUSES)
    s = _Sheet(
        wb,
        L.sheet("teams", lang),
        [
            (w("team_key", lang), 16),
            (w("team_name", lang), 24),
            (w("parent", lang), 16),
            (w("progress", lang), 12),
            (w("score", lang), 8),
            (w("status", lang), 14),
            (w("expected", lang), 10),
            (w("key_results", lang), 10),
            *[(L.pick(layout.STATUSES, k, lang) or k, 11) for k in status_keys],
            (w("no_status", lang), 10),
            (w("last_check_in", lang), 13),
            (w("errors", lang), 9),
            (w("warnings", lang), 13),
        ],
    )
    org_issues: dict[str, list[str]] = {}
    for issue in org.issues:
        if issue.team:
            org_issues.setdefault(issue.team, []).append(issue.level)
    for t in org.teams:
        krs = t.key_results
        counts = [sum(1 for kr in krs if kr.status == k) for k in status_keys]
        levels = [i.level for i in t.issues] + org_issues.get(t.key, [])
        s.append(
            [
                s.text(t.key),
                s.text(t.name),
                s.text(t.parent),
                s.number(t.progress, PERCENT),
                s.score(t.score),
                s.status(t.status, lang),
                s.number(t.expected, PERCENT),
                s.number(len(krs)),
                *[s.number(c) for c in counts],
                s.number(sum(1 for kr in krs if kr.status is None)),
                s.date(t.last_check_in),
                s.number(levels.count("error")),
                s.number(levels.count("warning")),
            ]
        )
    s.finish(bars=[4])


def _key_results(wb: Workbook, org: OrgResult, lang: str) -> None:
    w, kr_h = L.word, L.header
    s = _Sheet(
        wb,
        L.sheet("key_results", lang),
        [
            (w("team", lang), 16),
            (w("objective_id", lang), 10),
            (w("kr_id", lang), 10),
            (kr_h(layout.KEY_RESULTS, "title", lang), 50),
            (w("owner", lang), 18),
            (kr_h(layout.KEY_RESULTS, "metric", lang), 12),
            (kr_h(layout.KEY_RESULTS, "start", lang), 10),
            (kr_h(layout.KEY_RESULTS, "target", lang), 10),
            (kr_h(layout.KEY_RESULTS, "current", lang), 10),
            (kr_h(layout.KEY_RESULTS, "unit", lang), 10),
            (w("progress", lang), 12),
            (w("score", lang), 8),
            (w("status", lang), 14),
            (w("confidence", lang), 11),
            (w("last_check_in", lang), 13),
        ],
    )
    for t in org.teams:
        for o in t.objectives:
            for kr in o.key_results:
                s.append(
                    [
                        s.text(t.key),
                        s.text(o.id),
                        s.text(kr.id),
                        s.text(kr.title),
                        s.text(kr.owner),
                        s.text(L.pick(layout.METRICS, kr.metric, lang)),
                        s.number(kr.start),
                        s.number(kr.target),
                        s.number(kr.current),
                        s.text(kr.unit),
                        s.number(kr.progress, PERCENT),
                        s.score(kr.score),
                        s.status(kr.status, lang),
                        s.text(kr.confidence),
                        s.date(kr.last_check_in),
                    ]
                )
    s.finish(bars=[11])


def _attention(wb: Workbook, org: OrgResult, lang: str) -> None:
    w = L.word
    s = _Sheet(
        wb,
        L.sheet("attention", lang),
        [
            (w("reason", lang), 20),
            (w("team", lang), 16),
            (w("kind", lang), 14),
            ("ID", 10),
            (w("title", lang), 44),
            (w("owner", lang), 18),
            (w("status", lang), 14),
            (w("progress", lang), 12),
            (w("explanation", lang), 60),
            (w("where", lang), 20),
        ],
    )
    for a in needs_attention(org):
        s.append(
            [
                s.text(L.pick(L.REASONS, a.reason_code, lang)),
                s.text(a.team),
                s.text(L.pick(L.KINDS, a.kind, lang)),
                s.text(a.id),
                s.text(a.title),
                s.text(a.owner),
                s.status(a.status, lang),
                s.number(a.progress, PERCENT),
                s.text(a.reason),
                s.text(a.where),
            ]
        )
    s.finish(bars=[8])


def _problems(wb: Workbook, org: OrgResult, lang: str) -> None:
    w = L.word
    s = _Sheet(
        wb,
        L.sheet("problems", lang),
        [
            (w("team", lang), 16),
            (w("level", lang), 13),
            (w("code", lang), 8),
            (w("where", lang), 24),
            (w("message", lang), 90),
        ],
    )
    issues = [(i.team, i) for i in org.issues] + [(t.key, i) for t in org.teams for i in t.issues]
    for team, issue in issues:
        s.append(
            [
                s.text(team),
                s.text(L.pick(L.LEVELS, issue.level, lang)),
                s.text(issue.code),
                s.text(issue.where),
                s.text(issue.message),
            ]
        )
    s.finish()


def _trend(wb: Workbook, org: OrgResult, trend: Trend, lang: str) -> None:
    weeks = sorted({day for points in trend.values() for day, _ in points})
    headers = [(L.word("team_key", lang), 16), (L.word("team_name", lang), 24)]
    s = _Sheet(wb, L.sheet("trend", lang), headers + [(d.isoformat(), 11) for d in weeks])
    names = {t.key: t.name for t in org.teams}
    parents = {t.key: t.parent for t in org.teams}
    # The root and its child teams first, so the chart (first rows) shows the top of the tree.
    keys = sorted(trend, key=lambda k: (k != org.root, parents.get(k) != org.root, k))
    for key in keys:
        by_day = dict(trend[key])
        s.append(
            [
                s.text(key),
                s.text(names.get(key)),
                *[s.number(by_day.get(d), PERCENT) for d in weeks],
            ]
        )
    s.finish()
    if not weeks or not keys:
        return
    chart = LineChart()
    chart.title = L.word("chart_title", lang)
    chart.y_axis.title = L.word("progress", lang)
    chart.x_axis.title = L.word("week", lang)
    chart.y_axis.number_format = PERCENT
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.height, chart.width = 9, 22
    shown = min(len(keys), CHART_SERIES)
    data = Reference(s.ws, min_col=2, max_col=2 + len(weeks), min_row=2, max_row=1 + shown)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(s.ws, min_col=3, max_col=2 + len(weeks), min_row=1))
    s.ws.add_chart(chart, f"A{s.rows + 3}")
