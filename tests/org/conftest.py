"""A small organisation as real workbooks in tmp_path: a company and three teams.

- company: O1 measured by its own KR, O2 measured only through support's objective aligned to it;
- sales: aligned to company:O1; KR1.1 is at risk; KR1.2..KR1.4 carry formula-like text;
- support: aligned to company:O2; KR1.1 on track but its last check-in is 26 days old (stale);
- ops: an unreadable target (E004) and an alignment to an objective that does not exist (E006).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sheetokr.core.engine import consolidate
from sheetokr.core.model import TeamWorkbook
from sheetokr.core.results import OrgResult
from sheetokr.xlsx.read import load_team
from tests.builders import grid, write_xlsx

AS_OF = dt.date(2027, 2, 15)
DANGEROUS_TITLE = '=HYPERLINK("http://x")'
DANGEROUS = (DANGEROUS_TITLE, "@evil", "+1", "-2")


def _kr(kid: str, objective: str, title: str, owner: str | None, **more: Any) -> dict[str, Any]:
    row = {
        "id": kid,
        "objective": objective,
        "title": title,
        "owner": owner,
        "start": 0,
        "target": 100,
        "metric": "increase",
    }
    row.update(more)
    return row


TEAMS: dict[str, dict[str, Any]] = {
    "company": {
        "cycle": {"team_key": "company", "team_name": "Company", "parent": None},
        "objectives": [
            {"id": "O1", "title": "Grow revenue", "owner": "Ceo", "type": "committed"},
            {"id": "O2", "title": "Happy customers", "owner": "Ceo", "type": "committed"},
        ],
        "key_results": [_kr("KR1.1", "O1", "Revenue 0 to 100", "Ceo")],
        "check_ins": [{"date": dt.date(2027, 2, 10), "key_result": "KR1.1", "value": 55}],
    },
    "sales": {
        "cycle": {"team_key": "sales", "team_name": "Sales", "parent": "company"},
        "objectives": [
            {
                "id": "O1",
                "title": "Sell more",
                "owner": "Sam",
                "type": "committed",
                "aligned_to": "company:O1",
            },
        ],
        "key_results": [
            _kr("KR1.1", "O1", "Deals 0 to 100", "Sam"),
            _kr("KR1.2", "O1", DANGEROUS_TITLE, "@evil", current=60),
            _kr("KR1.3", "O1", "Leads 0 to 100", "+1", current=60),
            _kr("KR1.4", "O1", "Calls 0 to 100", "-2", current=60),
        ],
        "check_ins": [
            {"date": dt.date(2027, 1, 10), "key_result": "KR1.1", "value": 5},
            {"date": dt.date(2027, 2, 10), "key_result": "KR1.1", "value": 10},
            *[
                {"date": dt.date(2027, 2, 12), "key_result": k, "value": 60}
                for k in ("KR1.2", "KR1.3", "KR1.4")
            ],
        ],
    },
    "support": {
        "cycle": {"team_key": "support", "team_name": "Support", "parent": "company"},
        "objectives": [
            {
                "id": "O1",
                "title": "Answer fast",
                "owner": "Ann",
                "type": "committed",
                "aligned_to": "company:O2",
            },
        ],
        "key_results": [_kr("KR1.1", "O1", "Answered 0 to 100", "Ann")],
        "check_ins": [
            {"date": dt.date(2027, 1, 5), "key_result": "KR1.1", "value": 50},
            {"date": dt.date(2027, 1, 20), "key_result": "KR1.1", "value": 60},
        ],
    },
    "ops": {
        "cycle": {"team_key": "ops", "team_name": "Ops", "parent": "company"},
        "objectives": [
            {
                "id": "O1",
                "title": "Run well",
                "owner": "Olu",
                "type": "committed",
                "aligned_to": "company:O1",
            },
            {
                "id": "O2",
                "title": "Orphan",
                "owner": "Olu",
                "type": "committed",
                "aligned_to": "company:O9",
            },
        ],
        "key_results": [
            _kr("KR1.1", "O1", "Uptime 0 to 100", "Olu", target="tbd", current=5),
            _kr("KR2.1", "O2", "Tickets 0 to 100", "Olu", current=70),
        ],
        "check_ins": [
            {"date": dt.date(2027, 2, 14), "key_result": k, "value": 70} for k in ("KR1.1", "KR2.1")
        ],
    },
}


def write_org(folder: Path, teams: dict[str, dict[str, Any]] = TEAMS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_xlsx(folder / f"{key}.xlsx", grid(**data)) for key, data in teams.items()]


@pytest.fixture
def models(tmp_path: Path) -> list[TeamWorkbook]:
    return [load_team(p) for p in write_org(tmp_path / "teams")]


@pytest.fixture
def org(models: list[TeamWorkbook]) -> OrgResult:
    return consolidate(models, as_of=AS_OF)
