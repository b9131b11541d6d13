"""One team's workbook scored up to its key results: IDs checked, check-ins applied, every key
result scored, initiatives read, and the checks that need only this team (SPEC 1.7).

Objective progress, alignment and roll-up come after, in `core.rollup`, because they may reach
across teams. Pure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TypeVar

from sheetokr.core.checkins import group_check_ins
from sheetokr.core.checks import IssueLog
from sheetokr.core.cycle import CycleContext, read_cycle
from sheetokr.core.keyresults import read_weight, score_key_result
from sheetokr.core.model import Row, TeamWorkbook
from sheetokr.core.results import InitiativeResult, KeyResultResult, ObjectiveResult, TeamResult
from sheetokr.core.values import ValueProblem, describe, read_date
from sheetokr.sheets.layout import INITIATIVE_STATUSES, OBJECTIVE_TYPES, lookup

STALE_DAYS = 14
T = TypeVar("T")
_DIGIT = re.compile(r"\d")


@dataclass
class PreparedTeam:
    """A team scored up to its key results, waiting for the roll-up."""

    result: TeamResult
    ctx: CycleContext
    log: IssueLog
    by_id: dict[str, ObjectiveResult] = field(default_factory=dict)  # first rows only
    counting: dict[str, list[KeyResultResult]] = field(default_factory=dict)
    prepared_issues: int = 0  # issues found before the roll-up; the rest come from it
    # objectives measured by their own key results: (progress, raw score, status), shared by
    # every copy made for a roll-up
    own: dict[str, tuple[float | None, float | None, float | None, str | None, str | None]] = field(
        default_factory=dict
    )

    @property
    def key(self) -> str:
        return self.result.key

    def for_roll_up(self) -> PreparedTeam:
        """A copy that alignment and roll-up may change, leaving this one as scored.

        Key results are shared (the roll-up never changes them); the team, its objectives and
        the issue log are fresh, so an earlier run's results stay as they were.
        """
        objectives = {id(o): _clone(o) for o in self.result.objectives}
        result = _clone(self.result)
        result.objectives = [objectives[id(o)] for o in self.result.objectives]
        log = IssueLog(self.log.team, list(self.log.items))
        return PreparedTeam(
            result=result,
            ctx=self.ctx,
            log=log,
            by_id={oid: objectives[id(o)] for oid, o in self.by_id.items()},
            counting=self.counting,
            prepared_issues=self.prepared_issues,
            own=self.own,
        )


def _clone(obj: T) -> T:
    """A shallow copy of a dataclass instance (what copy.copy does, without its overhead)."""
    new = object.__new__(obj.__class__)
    new.__dict__.update(obj.__dict__)
    return new


def _ids(rows: list[Row], sheet_label: str, log: IssueLog) -> list[str | None]:
    """Each row's ID in lower case; None without an ID (E014) or for later duplicates (E001)."""
    seen: dict[str, int] = {}
    out: list[str | None] = []
    for row in rows:
        cell = row.cell("id")
        key = cell.text.lower()
        if not key:
            if row.has("id"):
                log.add(
                    "E014",
                    cell.where,
                    f"This {sheet_label} row has data but no ID; give it an ID such as "
                    f"{'O1' if sheet_label == 'objective' else 'KR1.1'}.",
                )
            out.append(None)
        elif key in seen:
            log.add(
                "E001",
                cell.where,
                f"Duplicate ID '{cell.text}': row {seen[key]} already uses it; "
                "give this row its own ID.",
            )
            out.append(None)
        else:
            seen[key] = row.number
            out.append(key)
    return out


def prepare_team(model: TeamWorkbook, as_of: dt.date | None) -> PreparedTeam:
    log = IssueLog()
    log.items.extend(model.issues)
    ctx = read_cycle(model, as_of, log)
    key = model.team_key
    result = TeamResult(
        model=model,
        key=key,
        name=model.cycle_cell("team_name").text or None,
        parent=model.cycle_cell("parent").text.lower() or None,
        cycle_name=ctx.name,
        start=ctx.start,
        end=ctx.end,
        as_of=ctx.as_of,
        elapsed=ctx.t,
    )
    team = PreparedTeam(result, ctx, log)

    # Objectives
    for row, oid in zip(model.objectives, _ids(model.objectives, "objective", log), strict=True):
        team.result.objectives.append(_objective(row, oid, key, team))

    # Key results
    kr_ids = _ids(model.key_results, "key result", log)
    known = {k for k in kr_ids if k}
    grouped = group_check_ins(model.check_ins, known, ctx.as_of, log)
    for row, kid in zip(model.key_results, kr_ids, strict=True):
        objective_cell = row.cell("objective")
        objective = team.by_id.get(objective_cell.text.lower())
        if objective is None and row.has("objective"):
            found = f"'{objective_cell.text}'" if objective_cell.text else "nothing"
            log.add(
                "E002",
                objective_cell.where,
                f"Key result names an unknown objective: found {found}; expected the ID of an "
                "objective on the Objectives sheet.",
            )
        kr = score_key_result(
            row,
            objective.type if objective else "committed",
            grouped.get(kid, []) if kid else [],
            ctx,
            log,
        )
        if kid is None or objective is None or not kr.weight:
            kr.counted = False
        if objective is None:
            team.result.unattached.append(kr)
        else:
            objective.key_results.append(kr)
            if kr.counted and objective.counted:
                team.counting.setdefault(objective.id.lower(), []).append(kr)
        _kr_warnings(kr, kid, ctx, log)

    team.result.initiatives = _initiatives(model, log)
    _initiative_count(team)
    _objective_checks(team)
    team.prepared_issues = len(log.items)
    return team


def _objective(row: Row, oid: str | None, team_key: str, team: PreparedTeam) -> ObjectiveResult:
    log = team.log
    type_cell = row.cell("type")
    kind = lookup(OBJECTIVE_TYPES, type_cell.value)
    if kind is None:
        if type_cell.blank:
            message = "Type is blank; treated as committed. Choose committed or aspirational."
        else:
            message = (
                f"Type {describe(type_cell.value)} is not committed or aspirational "
                "(vastgelegd / ambitieus); treated as committed."
            )
        if row.has("type"):
            log.add("W107", type_cell.where, message)
        kind = "committed"
    weight, ok = read_weight(row.cell("weight"), team.ctx.lang, log)
    objective = ObjectiveResult(
        row=row,
        team=team_key,
        id=row.text("id"),
        title=row.text("title"),
        owner=row.text("owner") or None,
        type=kind,
        aligned_to=row.text("aligned_to") or None,
        weight=weight if ok else None,
        goal=team.ctx.goal(kind),
        counted=oid is not None and ok,
    )
    objective.expected = team.ctx.expected(objective.goal)
    if oid is not None:
        team.by_id[oid] = objective
    return objective


def _kr_warnings(kr: KeyResultResult, kid: str | None, ctx: CycleContext, log: IssueLog) -> None:
    row = kr.row
    if kid is None:
        return
    if not kr.owner and row.has("owner"):
        log.add("W102", row.cell("owner").where, f"Key result {kr.id} has no owner; name one.")
    if kr.metric not in ("milestone", "baseline") and not _DIGIT.search(kr.title):
        log.add(
            "W110",
            row.cell("title").where,
            f"Key result {kr.id} has no number in its title; say how much, e.g. "
            "'Grow revenue from 12 to 24 M USD'.",
        )
    if (
        ctx.running
        and ctx.start is not None
        and (ctx.as_of - ctx.start).days >= STALE_DAYS
        and (kr.last_check_in is None or (ctx.as_of - kr.last_check_in).days >= STALE_DAYS)
    ):
        last = kr.last_check_in.isoformat() if kr.last_check_in else "never"
        log.add(
            "W105",
            row.cell("id").where,
            f"Key result {kr.id} has no check-in in the last {STALE_DAYS} days (last: {last}); "
            "add a check-in.",
        )


def _initiatives(model: TeamWorkbook, log: IssueLog) -> list[InitiativeResult]:
    out = []
    for row, iid in zip(model.initiatives, _ids(model.initiatives, "initiative", log), strict=True):
        status_cell = row.cell("status")
        status = lookup(INITIATIVE_STATUSES, status_cell.value)
        due_cell = row.cell("due")
        try:
            due = read_date(due_cell.value)
        except ValueProblem as problem:
            log.add("E004", due_cell.where, f"Due date not readable: {problem}.")
            due = None
        if iid is None and not row.has("id"):
            continue
        out.append(
            InitiativeResult(
                row=row,
                id=row.text("id"),
                objective=row.text("objective") or None,
                key_result=row.text("key_result") or None,
                title=row.text("title"),
                owner=row.text("owner") or None,
                status=status,
                due=due,
            )
        )
    return out


def _initiative_count(team: PreparedTeam) -> None:
    kr_objective = {
        kr.id.lower(): o.id.lower() for o in team.result.objectives for kr in o.key_results
    }
    counts: dict[str, int] = {}
    for initiative in team.result.initiatives:
        oid = (initiative.objective or "").lower() or kr_objective.get(
            (initiative.key_result or "").lower(), ""
        )
        if oid in team.by_id:
            counts[oid] = counts.get(oid, 0) + 1
    for oid, n in counts.items():
        if n > 5:
            objective = team.by_id[oid]
            team.log.add(
                "W106",
                objective.row.cell("id").where,
                f"Objective {objective.id} has {n} initiatives; focus on 5 or fewer.",
            )


def _objective_checks(team: PreparedTeam) -> None:
    """W101 (number of counting key results) and W109 (aligned to nothing), per objective."""
    for oid, objective in team.by_id.items():
        n = len(team.counting.get(oid, []))
        if n in (1, 2) or n > 5:
            team.log.add(
                "W101",
                objective.row.cell("id").where,
                f"Objective {objective.id} has {n} counting key result{'s' if n != 1 else ''}; "
                "aim for 3 to 5.",
            )
        if team.ctx.has_parent and not objective.aligned_to and objective.row.has("aligned_to"):
            team.log.add(
                "W109",
                objective.row.cell("aligned_to").where,
                f"Objective {objective.id} is aligned to nothing; align it to an objective of "
                "the parent team, e.g. company:O1.",
            )
