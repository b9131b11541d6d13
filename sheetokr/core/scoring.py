"""The arithmetic of SPEC 1.1 and 1.5 on plain numbers: progress and attainment per metric, time
elapsed and expected progress, the status rules, score and score band, weighted means.

No workbook knowledge here: the engine feeds it numbers it has already read. The worksheet
functions (`sheetokr.functions`) call these too, so a spreadsheet and the engine agree. Pure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from sheetokr.core.values import round_half_up

METRIC_KEYS = ("increase", "decrease", "at_least", "at_most", "milestone", "baseline")
GUARDRAILS = ("at_least", "at_most")
DEFAULT_ASPIRATIONAL_GOAL = 0.7
DEFAULT_RISK_GAP = 0.25


def clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


def ratio_progress(start: float, target: float, current: float, metric: str) -> float:
    """increase/decrease: clamp((C-S)/(T-S)); when S == T, met or not (SPEC 1.1)."""
    if start == target:
        if metric == "decrease":
            return 1.0 if current <= target else 0.0
        return 1.0 if current >= target else 0.0
    return clamp((current - start) / (target - start))


def attainment(start: float, target: float, current: float) -> float | None:
    """The unclamped ratio (1.5 for 12 -> 24 reaching 30); None when S == T."""
    if start == target:
        return None
    return (current - start) / (target - start)


def guardrail_met(metric: str, target: float, current: float) -> bool:
    return current >= target if metric == "at_least" else current <= target


def guardrail_safe_of_risk(metric: str, risk: float, current: float) -> bool:
    """C on the safe side of the risk threshold R, or exactly at it."""
    return current >= risk if metric == "at_least" else current <= risk


def elapsed(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    """t = clamp((d - D0) / (D1 - D0), 0, 1); for a one-day cycle 0 before D0 and 1 from D0 on."""
    if end == start:
        return 0.0 if as_of < start else 1.0
    return clamp((as_of - start).days / (end - start).days)


def gap_status(progress: float, expected: float | None, risk_gap: float) -> str | None:
    """on_track / behind / at_risk from gap = e - p rounded to 12 decimals; None without e."""
    if expected is None:
        return None
    gap = round(expected - progress, 12)
    if gap <= 0:
        return "on_track"
    if gap <= risk_gap:
        return "behind"
    return "at_risk"


def kr_status(
    *,
    metric: str,
    progress: float | None,
    has_value: bool,
    expected: float | None,
    t: float | None,
    risk_gap: float,
    guardrail: tuple[bool, bool | None] | None = None,
) -> str | None:
    """A key result's status, first rule that applies (SPEC 1.5).

    `guardrail` is (met, safe_of_risk or None when no R) for at_least/at_most.
    """
    if metric == "baseline":
        return "on_track" if has_value else "not_started"
    if progress is None:
        return None
    if not has_value:
        return "not_started"
    if guardrail is not None:
        met, safe = guardrail
        if met:
            return "achieved" if t == 1 else "on_track"
        return "behind" if safe else "at_risk"
    if progress >= 1:
        return "achieved"
    return gap_status(progress, expected, risk_gap)


def band(score: float | None) -> str | None:
    """red < 0.4 <= yellow < 0.7 <= green, on the rounded score."""
    if score is None:
        return None
    rounded = round_half_up(score)
    if rounded < 0.4:
        return "red"
    if rounded < 0.7:
        return "yellow"
    return "green"


def rounded_score(score: float | None) -> float | None:
    return None if score is None else round_half_up(score)


def weighted_mean(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    """sum(w*x)/sum(w) over pairs with a value and weight > 0; None over nothing."""
    num: list[float] = []
    den: list[float] = []
    for weight, value in pairs:
        if value is None or weight <= 0:
            continue
        num.append(weight * value)
        den.append(weight)
    total = math.fsum(den)
    if not den or total <= 0:
        return None
    return math.fsum(num) / total
