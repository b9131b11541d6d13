"""What needs a leader's attention across an organisation: at-risk and behind work, key results
without a recent check-in, missing owners and workbooks with errors, most urgent first.

Reads a consolidated `OrgResult` only and returns plain frozen records, so the web dashboard and
the org workbook show the same list. Pure: standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sheetokr.core.model import Issue
from sheetokr.core.results import KeyResultResult, ObjectiveResult, OrgResult, TeamResult

STALE_DAYS = 14  # as W105 (SPEC 1.7): no counted check-in in the last 14 days
REASONS = ("at_risk", "behind", "errors", "stale", "no_owner")  # most urgent first
KINDS = ("team", "objective", "key_result")

_RANK = {code: i for i, code in enumerate(REASONS)}
_KIND_RANK = {kind: i for i, kind in enumerate(KINDS)}
_WHERE = re.compile(r"^(?P<sheet>.*)!\$?[A-Za-z]{1,3}\$?(?P<row>\d+)$")
_NUMBER = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Attention:
    """One thing to look at: which team and item, why (`reason_code`), and the cell to open."""

    team: str
    team_name: str | None
    kind: str  # "team" | "objective" | "key_result"
    id: str
    title: str
    owner: str | None
    status: str | None
    progress: float | None
    reason_code: str  # one of REASONS
    reason: str
    where: str


def natural_key(text: str) -> tuple[object, ...]:
    """Sort IDs as people read them: O2 before O10, KR1.2 before KR1.10."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in _NUMBER.split(text))


def needs_attention(org: OrgResult) -> list[Attention]:
    """Every item needing attention, one record per item and reason, most urgent first.

    Order: at_risk, behind, errors, stale, no_owner; then team key, then kind (team, objective,
    key result), then ID in reading order.
    """
    org_errors: dict[str, list[Issue]] = {}
    for issue in org.issues:
        if issue.level == "error" and issue.team:
            org_errors.setdefault(issue.team, []).append(issue)
    out: list[Attention] = []
    for team in org.teams:
        out.extend(_team_items(org, team, org_errors.get(team.key, [])))
    out.sort(
        key=lambda a: (
            _RANK[a.reason_code],
            a.team,
            _KIND_RANK[a.kind],
            natural_key(a.id),
        )
    )
    return out


class _Collector:
    """Gathers one team's records; knows the team so each call names only the item."""

    def __init__(self, team: TeamResult) -> None:
        self.team = team
        self.items: list[Attention] = []

    def add(
        self,
        kind: str,
        item: TeamResult | ObjectiveResult | KeyResultResult,
        code: str,
        reason: str,
        where: str,
    ) -> None:
        if isinstance(item, TeamResult):
            item_id, title, owner = item.key, item.name or item.key, None
        else:
            item_id, title, owner = item.id, item.title, item.owner
        self.items.append(
            Attention(
                self.team.key,
                self.team.name,
                kind,
                item_id,
                title,
                owner,
                item.status,
                item.progress,
                code,
                reason,
                where,
            )
        )


def _team_items(org: OrgResult, team: TeamResult, org_errors: list[Issue]) -> list[Attention]:
    found = _Collector(team)
    title = team.name or team.key
    if team.status in ("at_risk", "behind"):
        found.add(
            "team",
            team,
            team.status,
            _gap_sentence("Team", title, team.status, team.progress, team.expected),
            team.model.sheets.get("cycle", "Cycle"),
        )

    # Errors on a key result's row belong to that key result; the rest to the team.
    kr_rows = {(kr.row.sheet, kr.row.number): kr for kr in team.key_results}
    kr_errors: dict[int, list[Issue]] = {}
    team_errors = list(org_errors)
    for issue in team.issues:
        if issue.level != "error":
            continue
        kr = _row_of(issue, kr_rows)
        if kr is None:
            team_errors.append(issue)
        else:
            kr_errors.setdefault(id(kr), []).append(issue)
    if team_errors:
        first = team_errors[0]
        found.add(
            "team",
            team,
            "errors",
            f"Team {title} has {_count(len(team_errors), 'error')} in its workbook; "
            f"first: {first.code} at {first.where}.",
            first.where,
        )

    for objective in team.objectives:
        _objective_items(found, objective)
        for kr in objective.key_results:
            _key_result_items(found, org.as_of, kr, kr_errors.get(id(kr), []))
    return found.items


def _objective_items(found: _Collector, o: ObjectiveResult) -> None:
    if o.status in ("at_risk", "behind"):
        found.add(
            "objective",
            o,
            o.status,
            _gap_sentence("Objective", o.id, o.status, o.progress, o.expected),
            o.row.cell("id").where,
        )
    if not o.owner and o.row.has("owner"):
        found.add(
            "objective", o, "no_owner", f"Objective {o.id} has no owner.", o.row.cell("owner").where
        )


def _key_result_items(
    found: _Collector, as_of: dt.date, kr: KeyResultResult, errors: list[Issue]
) -> None:
    where = kr.row.cell("id").where
    if kr.status in ("at_risk", "behind"):
        found.add(
            "key_result",
            kr,
            kr.status,
            _gap_sentence("Key result", kr.id, kr.status, kr.progress, kr.expected),
            where,
        )
    if errors:
        first = errors[0]
        found.add(
            "key_result",
            kr,
            "errors",
            f"Key result {kr.id} has {_count(len(errors), 'error')}; first: {first.code} "
            f"at {first.where}.",
            first.where,
        )
    if _stale(as_of, found.team, kr):
        last = kr.last_check_in.isoformat() if kr.last_check_in else "never"
        found.add(
            "key_result",
            kr,
            "stale",
            f"Key result {kr.id} has no check-in in the last {STALE_DAYS} days (last: {last}).",
            where,
        )
    if not kr.owner and kr.row.has("owner"):
        found.add(
            "key_result",
            kr,
            "no_owner",
            f"Key result {kr.id} has no owner.",
            kr.row.cell("owner").where,
        )


def _stale(as_of: dt.date, team: TeamResult, kr: KeyResultResult) -> bool:
    """As W105: the cycle runs, 14 days have passed since its start, no check-in in 14 days.

    Achieved key results are left out: nothing to chase there.
    """
    if team.start is None or team.end is None or not team.start <= as_of <= team.end:
        return False
    if kr.status == "achieved" or (as_of - team.start).days < STALE_DAYS:
        return False
    return kr.last_check_in is None or (as_of - kr.last_check_in).days >= STALE_DAYS


def _row_of(issue: Issue, rows: dict[tuple[str, int], KeyResultResult]) -> KeyResultResult | None:
    match = _WHERE.match(issue.where)
    if match is None:
        return None
    return rows.get((match["sheet"], int(match["row"])))


def _gap_sentence(
    kind: str, name: str, status: str | None, progress: float | None, expected: float | None
) -> str:
    words = "is at risk" if status == "at_risk" else "is behind"
    if progress is None or expected is None:
        return f"{kind} {name} {words}."
    return f"{kind} {name} {words}: {progress:.0%} done, {expected:.0%} expected by now."


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
