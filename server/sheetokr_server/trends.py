"""The data behind the dashboard's charts: progress over time from the stored snapshots (and the
weekly trend rebuilt from check-ins when the org module offers it), and each key result's values
from its team's check-ins.

Snapshot history is read once per new snapshot (the newest snapshot id is the cache key). Values
of check-ins are read by the engine's own rules (`read_number`, `read_milestone`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sheetokr.core.results import KeyResultResult, TeamResult
from sheetokr.core.scoring import elapsed
from sheetokr.core.values import ValueProblem, read_date, read_milestone, read_number
from sheetokr.org.trend import Trend
from sheetokr_server.charts import Chart, Series, day_label, day_number, line_chart, nice_range
from sheetokr_server.db import Snapshot
from sheetokr_server.storage import history

TREND_TEAMS = 6  # the organisation and up to this many teams directly under it
_lock = threading.Lock()


def _percent(x: float) -> str:
    return f"{x * 100:.0f}%"


def stored_history(db: Session, cache: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """`GET /api/v1/history`'s data, read again only when a snapshot was added."""
    newest = db.scalar(select(func.max(Snapshot.id)))
    with _lock:
        found = cache.get("history")
        if found is not None and found[0] == newest:
            kept: dict[str, list[dict[str, Any]]] = found[1]
            return kept
    data = history(db)
    with _lock:
        cache["history"] = (newest, data)
    return data


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _progress_chart(
    points: dict[str, list[tuple[float, float, str]]],
    root: TeamResult,
    teams: list[TeamResult],
    org_label: str,
    label: str,
    x_format: Callable[[float], str],
    expected: Series | None = None,
) -> Chart | None:
    """Progress of the organisation (its root team, drawn bold) and the teams right under it."""
    names = {t.key: t.name or t.key for t in teams}
    wanted = [root.key] + [t.key for t in teams if t.parent == root.key][:TREND_TEAMS]
    series = [
        Series(
            org_label if key == root.key else names.get(key, key),
            points[key],
            emphasis=key == root.key,
        )
        for key in wanted
        if points.get(key)
    ]
    if not series:
        return None
    if expected is not None:
        series.append(expected)
    return line_chart(
        series,
        y_range=(0.0, 1.0),
        y_format=_percent,
        x_format=x_format,
        width=420,
        height=230,
        label=label,
    )


def snapshot_chart(
    snapshots: dict[str, list[dict[str, Any]]],
    root: TeamResult | None,
    teams: list[TeamResult],
    org_label: str,
    label: str,
) -> Chart | None:
    """Progress as stored at each upload (`GET /api/v1/history`), when there are two or more."""
    if root is None:
        return None
    moments = [_moment(s["at"]) for s in snapshots.get(root.key, [])]
    if not moments or max(moments) - min(moments) < dt.timedelta(hours=1):
        return None  # nothing to see yet: every upload was within the hour
    names = {t.key: t.name or t.key for t in teams}
    points: dict[str, list[tuple[float, float, str]]] = {}
    for key, items in snapshots.items():
        for s in items:
            if s.get("progress") is None:
                continue
            at = s["at"][:16].replace("T", " ")
            points.setdefault(key, []).append(
                (
                    day_number(_moment(s["at"])),
                    float(s["progress"]),
                    f"{names.get(key, key)} {at}: {_percent(s['progress'])}",
                )
            )
    xs = [p[0] for key in points for p in points[key]]
    same_day = bool(xs) and max(xs) - min(xs) < 2
    return _progress_chart(
        points, root, teams, org_label, label, lambda x: day_label(x, with_time=same_day)
    )


def weekly_chart(
    trend: Trend | None,
    root: TeamResult | None,
    teams: list[TeamResult],
    org_label: str,
    label: str,
    expected_label: str,
) -> Chart | None:
    """The weekly trend of the organisation and the teams right under it, with expected
    progress as a dashed line."""
    if trend is None or root is None or root.start is None or root.end is None:
        return None
    names = {t.key: t.name or t.key for t in teams}
    points = {
        key: [
            (day_number(day), p, f"{names.get(key, key)} {day.isoformat()}: {_percent(p)}")
            for day, p in weeks
            if p is not None
        ]
        for key, weeks in trend.items()
    }
    if len(points.get(root.key, [])) < 2:
        return None
    expected = None
    if root.expected is not None and root.elapsed:
        goal = root.expected / root.elapsed
        first, last = trend[root.key][0][0], trend[root.key][-1][0]
        line = [(day_number(d), goal * elapsed(root.start, root.end, d), "") for d in (first, last)]
        expected = Series(expected_label, line, dashed=True)
    return _progress_chart(points, root, teams, org_label, label, day_label, expected)


def check_in_values(team: TeamResult) -> dict[str, list[tuple[dt.date, float]]]:
    """Each key result's readable check-in values up to "as of", oldest first, by KR ID."""
    krs: dict[str, KeyResultResult] = {kr.id.lower(): kr for kr in team.key_results if kr.id}
    out: dict[str, list[tuple[dt.date, int, float]]] = {}
    for row in team.model.check_ins:
        kr = krs.get(row.text("key_result").lower())
        if kr is None or kr.metric is None:
            continue
        try:
            day = read_date(row.raw("date"))
            raw = row.raw("value")
            if day is None or day > team.as_of or raw is None:
                continue
            if kr.metric == "milestone":
                value = read_milestone(raw).fraction
            else:
                number = read_number(raw, team.model.lang)
                if number is None:
                    continue
                value = number.value
        except ValueProblem:
            continue
        out.setdefault(kr.id, []).append((day, row.number, value))
    return {k: [(d, v) for d, _n, v in sorted(items)] for k, items in out.items()}


def key_result_chart(
    kr: KeyResultResult,
    values: list[tuple[dt.date, float]],
    number: Callable[[float], str],
    target_label: str,
) -> Chart:
    """A small chart of one key result's check-in values, with its target as a dashed line."""
    ys = [v for _d, v in values]
    guides: list[tuple[float, str]] = []
    if kr.target is not None and kr.metric != "milestone":
        ys.append(kr.target)
        guides.append((kr.target, f"{target_label} {number(kr.target)}"))
    steps = 2
    if kr.metric == "milestone":
        y_range = (0.0, 1.0)
    else:
        bottom, top, steps = nice_range(ys)
        y_range = (bottom, top)
    points = [(day_number(d), v, f"{d.isoformat()}: {number(v)}") for d, v in values]
    return line_chart(
        [Series(kr.id, points, emphasis=True)],
        y_range=y_range,
        y_format=_percent if kr.metric == "milestone" else number,
        x_format=day_label,
        width=320,
        height=150,
        guides=guides,
        label=f"{kr.id} {kr.title}",
        y_steps=steps,
    )
