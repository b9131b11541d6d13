"""Alignment and roll-up (SPEC 1.4): objectives take progress from their counting key results,
or else from the objectives aligned to them (within a team, and across teams when consolidated);
teams take the weighted mean of their top-level objectives.

Alignment problems are found here: unknown targets (E006), cycles (E007), and objectives left with
nothing to measure (W111 alone, E012 consolidated). Pure.
"""

from __future__ import annotations

from sheetokr.core import scoring
from sheetokr.core.results import ObjectiveResult
from sheetokr.core.team import PreparedTeam

NodeKey = tuple[str, str]  # (team key, objective id in lower case)


def _split(aligned: str, own_team: str) -> tuple[str, str]:
    if ":" in aligned:
        team, _, oid = aligned.partition(":")
        team = team.strip().lower() or own_team
        return team, oid.strip().lower()
    return own_team, aligned.strip().lower()


def resolve_alignment(teams: list[PreparedTeam], *, consolidated: bool) -> None:
    """Link each objective to the one it is aligned to (or report E006); break cycles (E007).

    Within a team every objective can be aligned to; across teams only counted teams take part
    (a team on another cycle, W112, or with a duplicate key, E016, is listed, not counted).
    """
    counted: dict[NodeKey, ObjectiveResult] = {}
    every_key: set[NodeKey] = set()
    for team in teams:
        key = team.key
        for oid, objective in team.by_id.items():
            every_key.add((key, oid))
            if team.result.counted:
                counted[(key, oid)] = objective
    team_keys = {t.key for t in teams}

    for team in teams:
        key = team.key
        for objective in team.by_id.values():
            if not objective.aligned_to:
                continue
            target = _split(objective.aligned_to, key)
            if target[0] == key:
                found = team.by_id.get(target[1])
            elif not consolidated:
                continue  # another team's objective is checked when teams are consolidated
            else:
                found = counted.get(target) if team.result.counted else None
                if found is None and target in every_key:
                    continue  # exists, but one of the two teams is not counted: listed only
            if found is not None:
                objective.parent = target
                objective.aligned = found
                continue
            if target[0] not in team_keys:
                what = f"team '{target[0]}'"
            else:
                what = f"objective '{target[1].upper()}'" + (
                    "" if target[0] == team.key else f" of team '{target[0]}'"
                )
            team.log.add(
                "E006",
                objective.row.cell("aligned_to").where,
                f"Aligned to '{objective.aligned_to}', but there is no {what}; type an "
                "objective ID such as O2, or teamkey:O3 for another team's objective.",
            )

    # Cycles: follow the links; every objective on a loop gets E007 and no parent.
    owner = {id(o): t for t in teams for o in t.by_id.values()}
    finished: set[int] = set()
    loops: list[list[ObjectiveResult]] = []
    for team in teams:
        for first in team.by_id.values():
            path: list[ObjectiveResult] = []
            position: dict[int, int] = {}
            node: ObjectiveResult | None = first
            while node is not None and id(node) not in finished and id(node) not in position:
                position[id(node)] = len(path)
                path.append(node)
                node = node.aligned
            if node is not None and id(node) in position:
                loops.append(path[position[id(node)] :])
            finished.update(id(o) for o in path)
    for loop in loops:
        names = " -> ".join(f"{owner[id(o)].key}:{o.id}" for o in [*loop, loop[0]])
        for objective in loop:
            owner[id(objective)].log.add(
                "E007",
                objective.row.cell("aligned_to").where,
                f"Alignment cycle {names}; align each objective to one higher up.",
            )
        for objective in loop:
            objective.parent = None
            objective.aligned = None
            objective.in_cycle = True


def roll_up(teams: list[PreparedTeam], *, consolidated: bool) -> None:
    """Objective and team progress, score and status, once alignment is resolved."""
    children: dict[int, list[ObjectiveResult]] = {}
    for team in teams:
        for objective in team.by_id.values():
            if objective.aligned is not None and objective.counted:
                children.setdefault(id(objective.aligned), []).append(objective)

    done: set[int] = set()
    team_of = {id(o): t for t in teams for o in t.by_id.values()}

    def compute(team: PreparedTeam, oid: str, objective: ObjectiveResult) -> None:
        if id(objective) in done:
            return
        done.add(id(objective))
        if objective.in_cycle:
            return  # E007: p stays null
        krs = team.counting.get(oid, [])
        if krs:
            # Measured by its own key results: the same whatever other teams say, so it is
            # worked out once per scored workbook and reused by later roll-ups.
            own = team.own.get(oid)
            if own is None:
                progress = scoring.weighted_mean((kr.weight or 0.0, kr.progress) for kr in krs)
                raw = scoring.weighted_mean((kr.weight or 0.0, kr.raw_score) for kr in krs)
                status = _status(progress, [kr.status for kr in krs], objective.expected, team)
                own = team.own[oid] = (
                    progress,
                    raw,
                    scoring.rounded_score(raw),
                    scoring.band(raw),
                    status,
                )
            (
                objective.progress,
                objective.raw_score,
                objective.score,
                objective.band,
                objective.status,
            ) = own
            return
        else:
            kids = children.get(id(objective), [])
            for kid in kids:
                compute(team_of[id(kid)], kid.id.lower(), kid)
            kids = [k for k in kids if k.progress is not None and (k.weight or 0) > 0]
            pairs = [(k.weight or 0.0, k.progress) for k in kids]
            scores = [(k.weight or 0.0, k.raw_score) for k in kids]
            statuses = [k.status for k in kids]
        objective.progress = scoring.weighted_mean(pairs)
        objective.raw_score = scoring.weighted_mean(scores)
        objective.score = scoring.rounded_score(objective.raw_score)
        objective.band = scoring.band(objective.raw_score)
        objective.status = _status(objective.progress, statuses, objective.expected, team)

    for team in teams:
        for oid, objective in team.by_id.items():
            compute(team, oid, objective)
        _objective_warnings(team, consolidated)
        _team_roll_up(team)


def _status(
    progress: float | None, statuses: list[str | None], expected: float | None, team: PreparedTeam
) -> str | None:
    if progress is None:
        return None
    if statuses and all(s == "not_started" for s in statuses):
        return "not_started"
    if progress >= 1 and all(s == "achieved" for s in statuses):
        return "achieved"
    return scoring.gap_status(progress, expected, team.ctx.risk_gap)


def top_level(team: PreparedTeam) -> list[ObjectiveResult]:
    """Objectives not aligned to another objective of the same team."""
    key = team.key
    return [o for o in team.by_id.values() if o.parent is None or o.parent[0] != key]


def _team_roll_up(team: PreparedTeam) -> None:
    result = team.result
    tops_all = top_level(team)
    tops = [o for o in tops_all if o.counted and not o.in_cycle and (o.weight or 0) > 0]
    counted = [o for o in tops if o.progress is not None]
    result.progress = scoring.weighted_mean((o.weight or 0.0, o.progress) for o in counted)
    result.raw_score = scoring.weighted_mean((o.weight or 0.0, o.raw_score) for o in counted)
    result.score = scoring.rounded_score(result.raw_score)
    goal = scoring.weighted_mean((o.weight or 0.0, o.goal) for o in counted)
    result.expected = team.ctx.expected(goal) if goal is not None else None
    if result.progress is None:
        result.status = None
    elif all(o.status == "not_started" for o in counted):
        result.status = "not_started"
    else:
        result.status = scoring.gap_status(result.progress, result.expected, team.ctx.risk_gap)
    n_top = len(tops_all)
    if n_top > 5:
        sheet = team.result.model.sheets.get("objectives", "Objectives")
        team.log.add(
            "W104",
            sheet,
            f"{n_top} top-level objectives; a team focuses on 5 or fewer.",
        )


def _objective_warnings(team: PreparedTeam, consolidated: bool) -> None:
    """The checks that depend on the roll-up (E012 / W111, W108)."""
    for oid, objective in team.by_id.items():
        n = len(team.counting.get(oid, []))
        if objective.progress is None and n == 0 and not objective.in_cycle:
            where = objective.row.cell("id").where
            if consolidated:
                team.log.add(
                    "E012",
                    where,
                    f"Objective {objective.id} has nothing to measure: no counting key results "
                    "and no objectives aligned to it; add key results.",
                )
            else:
                team.log.add(
                    "W111",
                    where,
                    f"Objective {objective.id} has no counting key results; it is measured only "
                    "through objectives aligned to it, and none are in this workbook.",
                )
        if objective.type == "aspirational" and objective.score == 1.0:
            team.log.add(
                "W108",
                objective.row.cell("id").where,
                f"Aspirational objective {objective.id} scored 1.00; was it ambitious enough?",
            )
