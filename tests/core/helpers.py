"""Small helpers for the engine tests: one team, one KR, and the issues found at a cell.

Cells named in tests follow the builders' default column order (SPEC 2):
Objectives A ID, B Objective, C Owner, D Type, E Aligned to, F Weight, G Progress;
Key Results A ID, B Objective, C Key result, D Owner, E Metric, F Start, G Target, H Current,
I Unit, J Weight, K Risk threshold, L Confidence, M Final score, N Progress;
Check-ins A Date, B Key result, C Value, D Confidence. Cycle: labels in A, values in B, rows
Team key 1, Team name 2, Parent 3, Cycle 4, Start 5, End 6, then any extra fields in order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sheetokr.core.engine import score_team
from sheetokr.core.model import Issue
from sheetokr.core.results import KeyResultResult, ObjectiveResult, TeamResult
from tests.builders import model

# A ten-day cycle, so that t is easy to compute by hand: 2027-01-06 is t = 0.5.
TEN_DAYS = {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 1, 11)}
START = dt.date(2027, 1, 1)
HALF = dt.date(2027, 1, 6)
END = dt.date(2027, 1, 11)


def obj(oid: str = "O1", **cells: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": oid, "title": f"Objective {oid}", "owner": "Ann", "type": "committed"
    }
    row.update(cells)
    return row


def kr(kid: str = "KR1", objective: str = "O1", **cells: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": kid,
        "objective": objective,
        "title": f"Reach 100 for {kid}",
        "owner": "Ann",
        "start": 0,
        "target": 100,
    }
    row.update(cells)
    return row


def team(
    key_results: list[dict[str, Any]] | None = None,
    objectives: list[dict[str, Any]] | None = None,
    as_of: dt.date | None = HALF,
    cycle: dict[str, Any] | None = None,
    **kwargs: Any,
) -> TeamResult:
    """Score one team on the ten-day cycle (unless `cycle` says otherwise)."""
    c = dict(TEN_DAYS)
    c.update(cycle or {})
    return score_team(
        model(
            cycle=c,
            objectives=[obj()] if objectives is None else objectives,
            key_results=[kr()] if key_results is None else key_results,
            **kwargs,
        ),
        as_of,
    )


def one_kr(as_of: dt.date | None = HALF, check_ins: list[dict[str, Any]] = (), **cells: Any):  # type: ignore[assignment]
    """Score a team with one objective O1 and one KR KR1 made of `cells`; return (team, KR)."""
    result = team([kr(**cells)], as_of=as_of, check_ins=list(check_ins))
    return result, find_kr(result, "KR1")


def find_kr(result: TeamResult, kid: str) -> KeyResultResult:
    found = [k for k in result.key_results if k.id.lower() == kid.lower()]
    assert found, f"no key result {kid} in {[k.id for k in result.key_results]}"
    return found[0]


def find_obj(result: TeamResult, oid: str) -> ObjectiveResult:
    found = [o for o in result.objectives if o.id.lower() == oid.lower()]
    assert found, f"no objective {oid} in {[o.id for o in result.objectives]}"
    return found[0]


def codes(result: TeamResult) -> set[str]:
    return {i.code for i in result.issues}


def at(result: TeamResult, code: str) -> list[str]:
    """Where each issue with `code` was reported."""
    return [i.where for i in result.issues if i.code == code]


def issues(result: TeamResult, code: str) -> list[Issue]:
    return [i for i in result.issues if i.code == code]
