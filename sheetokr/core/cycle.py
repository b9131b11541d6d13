"""The Cycle sheet read into a scoring context: dates, as-of date, time elapsed, goals (SPEC 1.5).

"As of" is the date asked for, else the Cycle sheet's As of, else today (UTC, or the zone in
SHEETOKR_TIMEZONE). Problems become E010 (cycle dates) or E004 (other values). Pure.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheetokr.core import scoring
from sheetokr.core.checks import IssueLog
from sheetokr.core.model import TeamWorkbook
from sheetokr.core.values import ValueProblem, read_date, read_number, show


def today(timezone: str | None = None) -> dt.date:
    """Today in `timezone`, else SHEETOKR_TIMEZONE, else UTC."""
    name = (timezone or os.environ.get("SHEETOKR_TIMEZONE", "")).strip() or "UTC"
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return dt.datetime.now(zone).date()


@dataclass
class CycleContext:
    lang: str
    name: str | None
    start: dt.date | None
    end: dt.date | None
    as_of: dt.date
    t: float | None  # None when the cycle dates are unusable (E010)
    aspirational_goal: float
    risk_gap: float
    has_parent: bool

    def goal(self, objective_type: str) -> float:
        return self.aspirational_goal if objective_type == "aspirational" else 1.0

    def expected(self, goal: float) -> float | None:
        return None if self.t is None else self.t * goal

    @property
    def running(self) -> bool:
        return (
            self.start is not None and self.end is not None and self.start <= self.as_of <= self.end
        )


def sheet_as_of(model: TeamWorkbook) -> dt.date | None:
    """The Cycle sheet's As of when it holds a readable date."""
    try:
        return read_date(model.cycle_cell("as_of").value)
    except ValueProblem:
        return None


def read_cycle(model: TeamWorkbook, as_of: dt.date | None, log: IssueLog) -> CycleContext:
    dates: dict[str, dt.date | None] = {}
    for key, label in (("start", "start date"), ("end", "end date")):
        cell = model.cycle_cell(key)
        try:
            dates[key] = read_date(cell.value)
        except ValueProblem as problem:
            dates[key] = None
            log.add("E010", cell.where, f"The cycle's {label} is not a date: {problem}.")
            continue
        if dates[key] is None:
            log.add(
                "E010",
                cell.where,
                f"The cycle's {label} is missing; type it, e.g. 2027-01-01.",
            )
    start, end = dates["start"], dates["end"]
    if start and end and end < start:
        log.add(
            "E010",
            model.cycle_cell("end").where,
            f"The cycle ends ({end.isoformat()}) before it starts ({start.isoformat()}); "
            "the end date must be on or after the start date.",
        )
        start = end = None

    as_of_cell = model.cycle_cell("as_of")
    sheet_date = None
    try:
        sheet_date = read_date(as_of_cell.value)
    except ValueProblem as problem:
        log.add(
            "E004", as_of_cell.where, f"As of is not a date: {problem}; leave it blank for today."
        )
    when = as_of or sheet_date or today()

    t = scoring.elapsed(start, end, when) if start and end else None
    return CycleContext(
        lang=model.lang,
        name=model.cycle_cell("cycle").text or None,
        start=dates["start"] if t is not None else None,
        end=dates["end"] if t is not None else None,
        as_of=when,
        t=t,
        aspirational_goal=_fraction(
            model, "aspirational_goal", scoring.DEFAULT_ASPIRATIONAL_GOAL, log
        ),
        risk_gap=_fraction(model, "risk_gap", scoring.DEFAULT_RISK_GAP, log),
        has_parent=bool(model.cycle_cell("parent").text),
    )


def _fraction(model: TeamWorkbook, key: str, default: float, log: IssueLog) -> float:
    cell = model.cycle_cell(key)
    try:
        number = read_number(cell.value, model.lang)
    except ValueProblem as problem:
        log.add("E004", cell.where, f"Not a fraction: {problem}; expected e.g. {default}.")
        return default
    if number is None:
        return default
    if not 0 <= number.value <= 1:
        log.add(
            "E004",
            cell.where,
            f"found {show(number.value)}; expected a fraction from 0 to 1 such as {default}.",
        )
        return default
    if number.from_text:
        log.add(
            "W120",
            cell.where,
            f"{cell.text!r} was read as {show(number.value)}; type a number so the sheet's own "
            "formulas can use it.",
        )
    return number.value
