"""The Python-backed worksheet functions of SPEC 4 (`OKR.PROGRESS`, `OKR.ROLLUP`, ...), as plain
functions over the engine's arithmetic, usable without Excel.

They take cell values as a spreadsheet passes them (numbers, text, booleans, dates, ranges as
lists of rows) and return a number, a text or None (an empty cell). Bad input raises ValueError
with a sentence, which a spreadsheet shows as an error value. Standard library only.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from sheetokr.core import scoring
from sheetokr.core.cycle import today
from sheetokr.core.values import (
    ValueProblem,
    read_date,
    read_milestone,
    read_number,
    round_half_up,
)
from sheetokr.sheets.layout import METRICS, STATUSES, label, lookup

__all__ = [
    "okr_attainment",
    "okr_expected",
    "okr_parse",
    "okr_progress",
    "okr_rollup",
    "okr_score",
    "okr_status",
    "okr_team",
]


def _number(value: Any, what: str, lang: str = "en") -> float | None:
    try:
        found = read_number(value, lang)
    except ValueProblem as problem:
        raise ValueError(f"{what}: {problem}; expected a number") from None
    return None if found is None else found.value


def _flat(values: Any) -> list[Any]:
    if isinstance(values, list | tuple):
        out: list[Any] = []
        for item in values:
            out.extend(_flat(item))
        return out
    return [values]


def okr_parse(text: Any, language: str = "en") -> float | None:
    """A value as people type it (`12M`, `80%`, `2:37`, `1.000,5` in nl) as a number."""
    return _number(text, "value", "nl" if str(language).lower().startswith("nl") else "en")


def okr_progress(start: Any, target: Any, current: Any, metric: Any = None) -> float | None:
    """Progress 0..1 of a key result (SPEC 1.1); None for a baseline or a missing value."""
    kind = "increase" if metric in (None, "") else lookup(METRICS, metric)
    if kind is None:
        raise ValueError(f"metric {metric!r} is not one of increase, decrease, at least, ...")
    if kind == "baseline":
        return None
    if kind == "milestone":
        try:
            return scoring.clamp(read_milestone(current).fraction)
        except ValueProblem as problem:
            raise ValueError(f"current: {problem}") from None
    t = _number(target, "target")
    c = _number(current, "current")
    if t is None:
        return None
    if c is None:
        return 0.0
    if kind in scoring.GUARDRAILS:
        return 1.0 if scoring.guardrail_met(kind, t, c) else 0.0
    s = _number(start, "start")
    if s is None:
        if kind == "decrease":
            return None
        s = 0.0
    return scoring.ratio_progress(s, t, c, kind)


def okr_attainment(start: Any, target: Any, current: Any) -> float | None:
    """The unclamped ratio (C-S)/(T-S): 1.5 for 12 -> 24 reaching 30; None when S == T."""
    s = _number(start, "start")
    t = _number(target, "target")
    c = _number(current, "current")
    if t is None or c is None:
        return None
    return scoring.attainment(s or 0.0, t, c)


def okr_expected(
    start_date: Any, end_date: Any, as_of: Any = None, goal: Any = 1.0
) -> float | None:
    """Expected progress t * goal at `as_of` (default today) for a cycle (SPEC 1.5)."""
    try:
        d0, d1 = read_date(start_date), read_date(end_date)
        when = read_date(as_of) or today()
    except ValueProblem as problem:
        raise ValueError(f"date: {problem}") from None
    if d0 is None or d1 is None or d1 < d0:
        return None
    g = _number(goal, "goal")
    return scoring.elapsed(d0, d1, when) * (1.0 if g is None else g)


def okr_status(progress: Any, expected: Any, risk_gap: Any = 0.25) -> str | None:
    """'achieved', 'on track', 'behind' or 'at risk' from progress and expected progress."""
    p = _number(progress, "progress")
    if p is None:
        return None
    e = _number(expected, "expected")
    gap = _number(risk_gap, "risk gap")
    key = "achieved" if p >= 1 else scoring.gap_status(p, e, 0.25 if gap is None else gap)
    return None if key is None else label(STATUSES, key, "en")


def okr_score(progress: Any, final_score: Any = None) -> float | None:
    """The final score when given, else progress, rounded half away from zero to 2 decimals."""
    final = _number(final_score, "final score")
    value = final if final is not None else _number(progress, "progress")
    return None if value is None else round_half_up(value)


def okr_rollup(progress_range: Any, weight_range: Any = None) -> float | None:
    """The weighted mean of the non-empty progress values (weights blank = 1, 0 not counted)."""
    values = _flat(progress_range)
    weights = _flat(weight_range) if weight_range is not None else [None] * len(values)
    if len(weights) != len(values):
        raise ValueError("progress and weight ranges must be the same size")
    pairs: list[tuple[float, float | None]] = []
    for value, weight in zip(values, weights, strict=True):
        w = _number(weight, "weight")
        pairs.append((1.0 if w is None else w, _number(value, "progress")))
    return scoring.weighted_mean(pairs)


def okr_team(
    team_key: str,
    field: str = "progress",
    *,
    server: str = "http://127.0.0.1:8000",
    token: str | None = None,
    timeout: float = 10.0,
) -> Any:
    """A team's progress, score or status (or any SPEC 3 team field) from a sheetokr server."""
    request = urllib.request.Request(f"{server.rstrip('/')}/api/v1/teams/{team_key}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            data = json.load(answer)
    except urllib.error.HTTPError as exc:
        raise ValueError(f"team {team_key!r}: the server answered {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ValueError(f"cannot reach {server} ({exc})") from None
    team = data.get("team", {})
    if field not in team:
        raise ValueError(f"field {field!r} is not one of {', '.join(team)}")
    return team[field]
