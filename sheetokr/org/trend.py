"""Each team's progress week by week, rebuilt from its check-ins by consolidating the
organisation again "as of" each week (check-ins dated later are ignored, SPEC 1.6).

This is the engine's own answer for every week, cross-team roll-up included, not an estimate.
What the sheets cannot say is kept as it is: a Current value typed over the check-ins counts in
every week, since nothing records when it was typed. Standard library only, except that a
worker process reads the workbooks it is given by path.
"""

from __future__ import annotations

import datetime as dt

from sheetokr.core.engine import consolidate
from sheetokr.core.model import TeamWorkbook
from sheetokr.core.results import OrgResult

MAX_WEEKS = 26
Trend = dict[str, list[tuple[dt.date, float | None]]]


def week_dates(
    start: dt.date, end: dt.date, as_of: dt.date, limit: int = MAX_WEEKS
) -> list[dt.date]:
    """The cycle's start and every 7 days after it up to as_of (or the end), ending on as_of
    itself; the last `limit` of them."""
    last = min(as_of, end)
    if last < start:
        return []
    out = []
    day = start
    while day < last:
        out.append(day)
        day += dt.timedelta(days=7)
    out.append(last)
    return out[-limit:]


def weekly_trend(
    models: list[TeamWorkbook],
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    *,
    processes: int = 0,
) -> Trend:
    """{team key: [(week date, progress or None), ...]} for every team, in the models' order.

    With `processes`, the weeks are shared among that many spawned worker processes: a large
    organisation's trend is a dozen full consolidations, which then neither hold the calling
    process's interpreter nor grow its memory.
    """
    days = week_dates(start, end, as_of)
    if processes < 1 or len(days) < 2:
        return _weeks(models, days)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = min(processes, len(days))
    shares = [days[i::n] for i in range(n)]
    # Models read from files travel as their paths (each worker reads them again), which costs
    # the caller nothing; others are sent whole.
    sources: list[TeamWorkbook] | list[tuple[str, str]] = models
    if all(m.path for m in models):
        sources = [(str(m.path), m.source) for m in models]
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(_weeks, [sources] * n, shares))
    trend: Trend = {}
    for part in parts:
        for key, points in part.items():
            trend.setdefault(key, []).extend(points)
    for points in trend.values():
        points.sort(key=lambda point: point[0])
    return trend


def _model(source: TeamWorkbook | tuple[str, str]) -> TeamWorkbook:
    """A model with its check-in rows (a model scored in a worker is sent without them)."""
    if isinstance(source, TeamWorkbook) and not (source.partial and source.path):
        return source
    from sheetokr.xlsx.read import load_team

    if isinstance(source, TeamWorkbook):
        return load_team(str(source.path), source.source)
    return load_team(source[0], source[1])


def _weeks(sources: list[TeamWorkbook] | list[tuple[str, str]], days: list[dt.date]) -> Trend:
    models = [_model(source) for source in sources]
    trend: Trend = {}
    for day in days:
        org = consolidate(models, as_of=day)
        for team in org.teams:
            points = trend.setdefault(team.key, [])
            if not points or points[-1][0] != day:  # a duplicate key (E016) keeps the first
                points.append((day, team.progress))
        del org
    return trend


def trend_of(org: OrgResult, *, processes: int | None = None) -> Trend:
    """The weekly trend of a consolidated organisation, over the root team's cycle up to its
    "as of"; large organisations (over 100 teams) use two worker processes unless told."""
    root = org.team(org.root) if org.root else None
    if root is None or root.start is None or root.end is None:
        return {}
    models = [team.model for team in org.teams]
    if processes is None:
        processes = 2 if len(models) > 100 else 0
    return weekly_trend(models, root.start, root.end, org.as_of, processes=processes)


def org_trend(models: list[TeamWorkbook], as_of: dt.date | None = None) -> Trend:
    """The weekly trend over the root team's cycle, "as of" as `consolidate` decides it."""
    return trend_of(consolidate(models, as_of=as_of))
