"""One key result, scored (SPEC 1.1-1.6): its values read, its check-ins applied, its progress,
attainment, score, status and checks. Whatever goes wrong is logged against its cell and the key
result is marked as not counting; it never stops the others. Pure.
"""

from __future__ import annotations

from sheetokr.core import scoring
from sheetokr.core.checkins import CheckIn
from sheetokr.core.checks import NULLING, IssueLog
from sheetokr.core.cycle import CycleContext
from sheetokr.core.model import Cell, CellError, Row
from sheetokr.core.results import KeyResultResult
from sheetokr.core.values import (
    Number,
    ValueProblem,
    confidence_text,
    describe,
    is_time_typed,
    read_milestone,
    read_number,
    show,
)
from sheetokr.sheets.layout import METRICS, lookup

NEEDS_TARGET = ("increase", "decrease", "at_least", "at_most")


class _Reader:
    """Reads a KR's cells with one set of rules and remembers which problems it found."""

    def __init__(self, ctx: CycleContext, log: IssueLog, hours_minutes: bool) -> None:
        self.ctx = ctx
        self.log = log
        self.hours_minutes = hours_minutes
        self.codes: set[str] = set()
        self._at: dict[str, set[str]] = {}

    def add(self, code: str, cell: Cell, message: str) -> None:
        self.codes.add(code)
        self._at.setdefault(cell.where, set()).add(code)
        self.log.add(code, cell.where, message)

    def codes_at(self, cell: Cell) -> set[str]:
        return self._at.get(cell.where, set())

    def quiet_number(self, cell: Cell) -> Number | None:
        """A check-in value already checked (and reported) by `read_check_ins`."""
        try:
            return read_number(cell.value, self.ctx.lang, hours_minutes=self.hours_minutes)
        except ValueProblem:
            return None

    def number(self, cell: Cell, what: str) -> Number | None:
        try:
            found = read_number(cell.value, self.ctx.lang, hours_minutes=self.hours_minutes)
        except ValueProblem as problem:
            self.add(
                "E004",
                cell,
                f"{what.capitalize()} is not a number: {problem}; type a number, e.g. 24000000.",
            )
            return None
        if found is not None and found.from_text:
            self.add(
                "W120",
                cell,
                f"{what.capitalize()} {describe(cell.value)} was read as {show(found.value)}; "
                "type a number so the sheet's own formulas can use it.",
            )
        return found


def read_weight(cell: Cell, lang: str, log: IssueLog) -> tuple[float | None, bool]:
    """(weight, ok): blank = 1; negative or unreadable is E009 (an error value E004)."""
    if isinstance(cell.value, CellError):
        log.add(
            "E004", cell.where, f"Weight holds {describe(cell.value)}; type a number such as 1."
        )
        return None, False
    try:
        number = read_number(cell.value, lang)
    except ValueProblem:
        log.add(
            "E009",
            cell.where,
            f"Weight {describe(cell.value)} is not a number; type a weight of 0 or more "
            "(blank means 1).",
        )
        return None, False
    if number is None:
        return 1.0, True
    if number.value < 0:
        log.add("E009", cell.where, f"Weight {show(number.value)} is negative; type 0 or more.")
        return None, False
    if number.from_text:
        log.add(
            "W120",
            cell.where,
            f"Weight {describe(cell.value)} was read as {show(number.value)}; "
            "type a number so the sheet's own formulas can use it.",
        )
    return number.value, True


def score_key_result(
    row: Row,
    objective_type: str,
    check_ins: list[CheckIn],
    ctx: CycleContext,
    log: IssueLog,
) -> KeyResultResult:
    """Score one KR row; `counted` says whether it may enter its objective's roll-up."""
    metric_cell = row.cell("metric")
    metric: str | None = "increase" if metric_cell.blank else lookup(METRICS, metric_cell.value)
    codes: set[str] = set()
    if metric is None:
        codes.add("E008")
        log.add(
            "E008",
            metric_cell.where,
            f"Unknown metric {describe(metric_cell.value)}; expected one of increase, decrease, "
            "at least, at most, milestone, baseline (or verhogen, verlagen, minimaal, maximaal, "
            "mijlpaal, nulmeting).",
        )

    result = KeyResultResult(
        row=row,
        id=row.text("id"),
        objective=row.text("objective"),
        title=row.text("title"),
        owner=row.text("owner") or None,
        metric=metric,
        unit=row.text("unit") or None,
        confidence=confidence_text(row.value("confidence")),
    )
    goal = ctx.goal(objective_type)
    result.expected = ctx.expected(goal)

    hours_minutes = any(
        is_time_typed(row.raw(k)) for k in ("start", "target", "current", "risk_threshold")
    )
    reader = _Reader(ctx, log, hours_minutes)

    weight, weight_ok = read_weight(row.cell("weight"), ctx.lang, log)
    result.weight = weight

    # Final score: 0..1 when filled.
    final_cell = row.cell("final_score")
    final = reader.number(final_cell, "final score")
    if final is not None and not 0 <= final.value <= 1:
        reader.add(
            "E004",
            final_cell,
            f"Final score {show(final.value)} is outside 0..1; type a score from 0 to 1, e.g. 0.7.",
        )
        final = None
    result.final_score = final.value if final is not None else None

    # The current value: typed, else the latest counted check-in's (read by the same rules).
    usable = read_check_ins(check_ins, reader, metric) if metric is not None else []
    if usable:
        latest = usable[-1]
        result.last_check_in = latest.date
        if result.confidence is None:
            result.confidence = confidence_text(latest.row.value("confidence"))
    current_cell = row.cell("current")
    typed = not current_cell.blank
    value_cell: Cell | None = current_cell
    if not typed:
        value_cell = usable[-1].row.cell("value") if usable else None
    result.has_value = value_cell is not None

    if metric == "milestone":
        _milestone(result, value_cell, typed, reader)
    elif metric == "baseline":
        _baseline(value_cell, typed, result, reader)
    elif metric is not None:
        _measured(result, metric, row, value_cell, typed, reader)

    codes |= reader.codes
    if codes & NULLING:
        result.progress = result.attainment = result.score = None
        result.status = None
        result.band = None
        return result

    if metric == "baseline":
        result.status = scoring.kr_status(
            metric="baseline",
            progress=None,
            has_value=result.has_value,
            expected=result.expected,
            t=ctx.t,
            risk_gap=ctx.risk_gap,
        )
    elif result.progress is not None:
        guard = None
        if metric in scoring.GUARDRAILS and result.current is not None:
            assert result.target is not None
            safe = None
            if result.risk_threshold is not None:
                safe = scoring.guardrail_safe_of_risk(metric, result.risk_threshold, result.current)
            guard = (scoring.guardrail_met(metric, result.target, result.current), bool(safe))
        result.status = scoring.kr_status(
            metric=metric or "increase",
            progress=result.progress,
            has_value=result.has_value,
            expected=result.expected,
            t=ctx.t,
            risk_gap=ctx.risk_gap,
            guardrail=guard,
        )
    raw = result.final_score if result.final_score is not None else result.progress
    result.raw_score = raw
    result.score = scoring.rounded_score(raw)
    result.band = scoring.band(raw)
    result.counted = (
        weight_ok
        and "E011" not in codes
        and metric not in (None, "baseline")
        and result.progress is not None
    )
    return result


def read_check_ins(check_ins: list[CheckIn], reader: _Reader, metric: str) -> list[CheckIn]:
    """The check-ins whose value can be read; unreadable ones are reported (E004) and ignored."""
    usable = []
    at = check_ins[0].row.columns.get("value", 1 << 30) if check_ins else 0
    for check_in in check_ins:
        values = check_in.row._values
        value = values[at] if at < len(values) else None
        try:
            if metric == "milestone":
                found = read_milestone(value)
                from_text, read_as = found.from_text, found.fraction
            else:
                number = read_number(value, reader.ctx.lang, hours_minutes=reader.hours_minutes)
                assert number is not None  # blank values are not counted check-ins
                from_text, read_as = number.from_text, number.value
        except ValueProblem as problem:
            where = check_in.row.cell("value").where
            reader.log.add("E004", where, f"Check-in value not readable: {problem}.")
            continue
        if from_text:
            reader.log.add(
                "W120",
                check_in.row.cell("value").where,
                f"Check-in value {describe(value)} was read as {show(read_as)}; "
                "type a number so the sheet's own formulas can use it.",
            )
        usable.append(check_in)
    return usable


def _baseline(
    value_cell: Cell | None, typed: bool, result: KeyResultResult, reader: _Reader
) -> None:
    if value_cell is None:
        return
    if typed:
        found = reader.number(value_cell, "current value")
    else:
        found = reader.quiet_number(value_cell)
    result.current = found.value if found is not None else None


def _milestone(
    result: KeyResultResult, value_cell: Cell | None, typed: bool, reader: _Reader
) -> None:
    current = value_cell.value if value_cell is not None else None
    try:
        milestone = read_milestone(current)
    except ValueProblem as problem:
        assert value_cell is not None
        reader.add("E004", value_cell, f"Milestone value not readable: {problem}.")
        return
    if milestone.from_text and typed:
        assert value_cell is not None
        reader.add(
            "W120",
            value_cell,
            f"Current value {describe(current)} was read as {show(milestone.fraction)}; "
            "type a number so the sheet's own formulas can use it.",
        )
    result.current = milestone.fraction if result.has_value else None
    result.progress = scoring.clamp(milestone.fraction)


def _measured(
    result: KeyResultResult,
    metric: str,
    row: Row,
    value_cell: Cell | None,
    typed: bool,
    reader: _Reader,
) -> None:
    """increase, decrease, at_least, at_most."""
    start = (
        reader.number(row.cell("start"), "start") if metric in ("increase", "decrease") else None
    )
    target = reader.number(row.cell("target"), "target")
    risk = None
    if metric in scoring.GUARDRAILS:
        risk = reader.number(row.cell("risk_threshold"), "risk threshold")
    current = None
    if typed and value_cell is not None:
        current = reader.number(value_cell, "current value")
    elif value_cell is not None:
        current = reader.quiet_number(value_cell)

    if result.unit is None:
        for found in (start, target, current):
            if found is not None and found.unit:
                result.unit = found.unit
                break

    target_cell = row.cell("target")
    if target is None and "E004" not in reader.codes_at(target_cell):
        if row.has("target"):
            reader.add(
                "E003",
                target_cell,
                f"Target missing for this '{metric.replace('_', ' ')}' key result; "
                "type the value the key result aims for.",
            )
        else:
            reader.codes.add("E003")
    start_cell = row.cell("start")
    if metric == "decrease" and start is None and "E004" not in reader.codes_at(start_cell):
        reader.add(
            "E005",
            start_cell,
            "A 'decrease' key result needs a start value; type where the measure stood "
            "when the cycle began.",
        )
    result.target = target.value if target is not None else None
    result.risk_threshold = risk.value if risk is not None else None
    result.current = current.value if current is not None else None
    if metric in scoring.GUARDRAILS:
        if result.target is None:
            return
        result.progress = (
            0.0
            if result.current is None
            else (1.0 if scoring.guardrail_met(metric, result.target, result.current) else 0.0)
        )
        return

    s = start.value if start is not None else (0.0 if metric == "increase" else None)
    result.start = s
    if s is None or result.target is None:
        return
    t = result.target
    if s == t:
        reader.add(
            "W103",
            target_cell,
            f"Start equals target ({show(t)}); progress is 1 once the target is reached, else 0. "
            "Set the start to where the measure stood when the cycle began.",
        )
    elif (metric == "increase" and t < s) or (metric == "decrease" and t > s):
        other = "decrease" if metric == "increase" else "increase"
        reader.add(
            "E011",
            row.cell("metric"),
            f"Metric '{metric}' but the target ({show(t)}) is "
            f"{'below' if metric == 'increase' else 'above'} the start ({show(s)}); "
            f"use '{other}' or correct the start or target.",
        )
    if result.current is None:
        result.progress = 0.0
        return
    result.progress = scoring.ratio_progress(s, t, result.current, metric)
    result.attainment = scoring.attainment(s, t, result.current)
