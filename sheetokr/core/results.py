"""Scored results and their machine-readable form (SPEC section 3).

Results keep a reference to the model row they came from (`row`), so renderers can put each value
back in its cell. Floats stay unrounded except `score`, which is rounded to 2 decimals. Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sheetokr.core.model import Issue, Row, TeamWorkbook


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


@dataclass
class KeyResultResult:
    row: Row
    id: str
    objective: str
    title: str
    owner: str | None
    metric: str | None
    start: float | None = None
    target: float | None = None
    current: float | None = None
    unit: str | None = None
    weight: float | None = None
    risk_threshold: float | None = None
    final_score: float | None = None
    progress: float | None = None
    attainment: float | None = None
    score: float | None = None
    band: str | None = None
    status: str | None = None
    expected: float | None = None
    confidence: str | None = None
    last_check_in: dt.date | None = None
    counted: bool = False
    has_value: bool = False
    raw_score: float | None = None  # unrounded, for roll-up

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "metric": self.metric,
            "start": self.start,
            "target": self.target,
            "current": self.current,
            "unit": self.unit,
            "weight": self.weight,
            "risk_threshold": self.risk_threshold,
            "final_score": self.final_score,
            "progress": self.progress,
            "attainment": self.attainment,
            "score": self.score,
            "band": self.band,
            "status": self.status,
            "expected": self.expected,
            "confidence": self.confidence,
            "last_check_in": _date(self.last_check_in),
        }


@dataclass
class ObjectiveResult:
    row: Row
    team: str
    id: str
    title: str
    owner: str | None
    type: str
    aligned_to: str | None
    weight: float | None
    goal: float = 1.0
    progress: float | None = None
    score: float | None = None
    band: str | None = None
    status: str | None = None
    expected: float | None = None
    key_results: list[KeyResultResult] = field(default_factory=list)
    counted: bool = True  # False for later duplicates, rows without an ID, unreadable weights
    in_cycle: bool = False  # E007: progress stays null
    raw_score: float | None = None
    # alignment as resolved: (team key, objective id lower-case) of the parent, or None
    parent: tuple[str, str] | None = None
    aligned: ObjectiveResult | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "type": self.type,
            "aligned_to": self.aligned_to,
            "weight": self.weight,
            "progress": self.progress,
            "score": self.score,
            "band": self.band,
            "status": self.status,
            "expected": self.expected,
            "key_results": [kr.to_json() for kr in self.key_results],
        }


@dataclass
class InitiativeResult:
    row: Row
    id: str
    objective: str | None
    key_result: str | None
    title: str
    owner: str | None
    status: str | None
    due: dt.date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "objective": self.objective,
            "key_result": self.key_result,
            "title": self.title,
            "owner": self.owner,
            "status": self.status,
            "due": _date(self.due),
        }


@dataclass
class TeamResult:
    model: TeamWorkbook
    key: str
    name: str | None
    parent: str | None
    cycle_name: str | None
    start: dt.date | None
    end: dt.date | None
    as_of: dt.date
    elapsed: float | None
    progress: float | None = None
    score: float | None = None
    status: str | None = None
    expected: float | None = None
    objectives: list[ObjectiveResult] = field(default_factory=list)
    initiatives: list[InitiativeResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    raw_score: float | None = None
    # key results whose objective is unknown (E002): scored for their own row, listed nowhere
    unattached: list[KeyResultResult] = field(default_factory=list)
    counted: bool = True  # False for a team on another cycle (W112) or a duplicate key

    @property
    def key_results(self) -> list[KeyResultResult]:
        return [kr for o in self.objectives for kr in o.key_results]

    @property
    def last_check_in(self) -> dt.date | None:
        dates = [kr.last_check_in for kr in self.key_results if kr.last_check_in]
        return max(dates) if dates else None

    def to_json(self) -> dict[str, Any]:
        return {
            "team": {
                "key": self.key or None,
                "name": self.name,
                "parent": self.parent,
                "progress": self.progress,
                "score": self.score,
                "status": self.status,
                "expected": self.expected,
            },
            "cycle": {
                "name": self.cycle_name,
                "start": _date(self.start),
                "end": _date(self.end),
                "as_of": _date(self.as_of),
                "elapsed": self.elapsed,
            },
            "objectives": [o.to_json() for o in self.objectives],
            "initiatives": [i.to_json() for i in self.initiatives],
            "issues": [i.to_json() for i in self.issues],
        }


@dataclass
class OrgResult:
    name: str | None
    root: str | None
    as_of: dt.date
    teams: list[TeamResult]
    progress: float | None = None
    score: float | None = None
    status: str | None = None
    issues: list[Issue] = field(default_factory=list)

    def team(self, key: str) -> TeamResult | None:
        for t in self.teams:
            if t.key == key:
                return t
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "org": {
                "name": self.name,
                "root": self.root,
                "progress": self.progress,
                "score": self.score,
                "status": self.status,
                "as_of": _date(self.as_of),
                "issues": [i.to_json() for i in self.issues],
            },
            "teams": [t.to_json() for t in self.teams],
        }
