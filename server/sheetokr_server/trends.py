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
from sheetokr.core.values import ValueProblem, read_date, read_milestone, read_number
from sheetokr_server.charts import Chart, Series, day_label, day_number, line_chart, value_range
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


def trend_chart(
    snapshots: dict[str, list[dict[str, Any]]],
    root: TeamResult | None,
    teams: list[TeamResult],
    org_label: str,
    label: str,
    width: int = 640,
) -> Chart | None:
    """Progress over time of the organisation (its root team) and the teams right under it."""
    if root is None:
        return None
    names = {t.key: t.name or t.key for t in teams}
    wanted = [root.key] + [t.key for t in teams if t.parent == root.key][:TREND_TEAMS]
    series: list[Series] = []
    for key in wanted:
        points = [
            (day_number(_moment(s["at"])), float(s["progress"]),
             f"{names.get(key, key)} {s['at'][:16].replace('T', ' ')}: {_percent(s['progress'])}")
            for s in snapshots.get(key, [])
            if s.get("progress") is not None
        ]
        if points:
            name = org_label if key == root.key else names.get(key, key)
            series.append(Series(name, points, emphasis=key == root.key))
    if not series:
        return None
    xs = [p[0] for s in series for p in s.points]
    same_day = max(xs) - min(xs) < 2
    return line_chart(
        series,
        y_range=(0.0, 1.0),
        y_format=_percent,
        x_format=lambda x: day_label(x, with_time=same_day),
        width=width,
        label=label,
        guides=[(root.expected, "")] if root.expected is not None else (),
    )


def weekly_trend_chart(
    org: Any, root: TeamResult | None, org_label: str, label: str
) -> Chart | None:
    """The org's progress week by week, rebuilt from check-ins, when `weekly_trend` exists."""
    try:
        from sheetokr.org.attention import weekly_trend  # type: ignore[attr-defined]
    except ImportError:
        return None
    if root is None:
        return None
    points: list[tuple[float, float, str]] = []
    for week in weekly_trend(org):
        day = getattr(week, "date", None) or getattr(week, "as_of", None)
        progress = getattr(week, "progress", None)
        if isinstance(week, dict):
            day = week.get("date") or week.get("as_of")
            progress = week.get("progress")
        if isinstance(day, dt.date) and isinstance(progress, int | float):
            points.append((day_number(day), float(progress),
                           f"{org_label} {day.isoformat()}: {_percent(progress)}"))
    if not points:
        return None
    return line_chart(
        [Series(org_label, points, emphasis=True)], y_range=(0.0, 1.0), y_format=_percent,
        x_format=day_label, label=label,
    )


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
    kr: KeyResultResult, values: list[tuple[dt.date, float]], number: Callable[[float], str],
    target_label: str,
) -> Chart:
    """A small chart of one key result's check-in values, with its target as a dashed line."""
    ys = [v for _d, v in values]
    guides: list[tuple[float, str]] = []
    if kr.target is not None and kr.metric != "milestone":
        ys.append(kr.target)
        guides.append((kr.target, f"{target_label} {number(kr.target)}"))
    if kr.metric == "milestone":
        y_range = (0.0, 1.0)
    else:
        y_range = value_range(ys)
    unit = f" {kr.unit}" if kr.unit else ""
    points = [(day_number(d), v, f"{d.isoformat()}: {number(v)}{unit}") for d, v in values]
    return line_chart(
        [Series(kr.id, points, emphasis=True)],
        y_range=y_range,
        y_format=_percent if kr.metric == "milestone" else number,
        x_format=day_label,
        width=320,
        height=150,
        guides=guides,
        label=f"{kr.id} {kr.title}",
        y_steps=2,
    )
