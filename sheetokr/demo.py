"""A demo organisation: a company and N teams grown from the example workbooks (sheetokr.samples),
in the quarter that contains today, with weekly check-in histories up to today.

Each team moves at its own pace (some ahead, some behind, one stalled), so the overview shows
every status. Deterministic for a given seed and date.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path
from typing import Any

from sheetokr import samples

TEAMS = [
    ("sales", "Sales"),
    ("marketing", "Marketing"),
    ("support", "Customer Support"),
    ("product", "Product"),
    ("engineering", "Engineering"),
    ("finance", "Finance"),
    ("people", "People & Culture"),
    ("operations", "Operations"),
    ("design", "Design"),
    ("data", "Data & Analytics"),
    ("legal", "Legal"),
    ("partners", "Partnerships"),
    ("security", "Security"),
    ("logistics", "Logistics"),
    ("research", "Research"),
    ("platform", "Platform"),
]

COMPANY: dict[str, Any] = {
    "lang": "en",
    "objectives": [
        {
            "id": "O1",
            "title": "Delight our customers",
            "owner": "Alex Morgan",
            "type": "committed",
            "weight": 1,
        },
        {
            "id": "O2",
            "title": "Grow profitably",
            "owner": "Alex Morgan",
            "type": "committed",
            "weight": 1,
        },
        {
            "id": "O3",
            "title": "Be a great place to work",
            "owner": "Sam Rivera",
            "type": "aspirational",
            "weight": 1,
        },
    ],
    "key_results": [
        {
            "id": "KR3.1",
            "objective": "O3",
            "title": "Raise employee NPS from 20 to 40",
            "owner": "Sam Rivera",
            "metric": "increase",
            "start": 20,
            "target": 40,
            "unit": "eNPS",
        },
        {
            "id": "KR3.2",
            "objective": "O3",
            "title": "Keep regretted attrition at most 8%",
            "owner": "Sam Rivera",
            "metric": "at most",
            "target": 0.08,
            "risk_threshold": 0.1,
        },
        {
            "id": "KR3.3",
            "objective": "O3",
            "title": "Give every manager 16 hours of coaching",
            "owner": "Jo Lee",
            "metric": "increase",
            "start": 0,
            "target": 16,
            "unit": "hours",
        },
    ],
    "initiatives": [
        {
            "id": "I1",
            "objective": "O3",
            "key_result": "KR3.3",
            "title": "Manager coaching circles",
            "owner": "Jo Lee",
            "status": "in progress",
        },
    ],
}


def quarter(today: dt.date) -> tuple[dt.date, dt.date, str]:
    first_month = (today.month - 1) // 3 * 3 + 1
    start = dt.date(today.year, first_month, 1)
    nxt = dt.date(today.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1), f"{today.year}-Q{(first_month - 1) // 3 + 1}"


def _history(kr: dict[str, Any], weeks: int, pace: float, rng: random.Random) -> list[Any]:
    metric = kr.get("metric", "increase")
    start, target = kr.get("start", 0), kr.get("target", 0)
    values: list[Any] = []
    for week in range(weeks):
        p = max(0.0, min(1.2, pace * (week + 1) / 13 + rng.uniform(-0.05, 0.05)))
        if metric in ("milestone", "mijlpaal"):
            values.append(True if p >= 0.95 else round(min(p, 0.9), 1))
        elif metric in ("at least", "minimaal", "at most", "maximaal"):
            wobble = abs(target) * rng.uniform(-0.08, 0.08) * (1.4 - pace)
            values.append(round(target + wobble, 3))
        elif metric in ("baseline", "nulmeting"):
            values.append(round(4000 * (1 + 0.02 * week) + rng.uniform(-100, 100)))
        elif isinstance(start, dt.time) and isinstance(target, dt.time):
            first = start.minute * 60 + start.second
            last = target.minute * 60 + target.second
            seconds = round(first + p * (last - first))
            values.append(dt.time(0, seconds // 60, seconds % 60))
        else:
            s = float(start or 0)
            values.append(round(s + p * (float(target) - s), 2))
    return values


def team_data(
    key: str, name: str, index: int, start: dt.date, end: dt.date, cycle: str, today: dt.date
) -> dict[str, Any]:
    rng = random.Random(f"{key}-{today.isoformat()}")
    base = samples.DUTCH if index % 4 == 3 else samples.ENGLISH
    data = copy.deepcopy(base)
    data["cycle"].update(
        team_key=key, team_name=name, parent="company", cycle=cycle, start=start, end=end
    )
    pace = [1.15, 0.95, 0.75, 1.0, 0.55, 1.05, 0.85, 0.35][index % 8]
    weeks = max(1, min(13, (today - start).days // 7 + 1))
    stalled = index % 8 == 7  # one team stopped checking in a month ago
    history = {}
    for kr in data["key_results"]:
        own_pace = pace * rng.uniform(0.8, 1.2)
        n = max(1, weeks - 4) if stalled else weeks
        history[kr["id"]] = (_history(kr, n, own_pace, rng), str(rng.randint(4, 9)), kr["owner"])
    data["history"] = history
    rows = samples.check_ins(data)
    data["check_ins"] = [r for r in rows if r["date"] <= today]
    del data["history"]
    return data


def build_demo(folder: Path, teams: int = 12, today: dt.date | None = None) -> list[Path]:
    """Write company.xlsx and one workbook per team into `folder` (made if missing)."""
    from sheetokr.xlsx.template import write_team_workbook

    today = today or dt.date.today()
    start, end, cycle = quarter(today)
    folder.mkdir(parents=True, exist_ok=True)
    company = copy.deepcopy(COMPANY)
    company["cycle"] = {
        "team_key": "company",
        "team_name": "Acme Group",
        "cycle": cycle,
        "start": start,
        "end": end,
        "language": "en",
    }
    rng = random.Random(f"company-{today.isoformat()}")
    weeks = max(1, min(13, (today - start).days // 7 + 1))
    company["history"] = {
        kr["id"]: (_history(kr, weeks, 0.9, rng), "7", kr["owner"]) for kr in company["key_results"]
    }
    company["check_ins"] = [r for r in samples.check_ins(company) if r["date"] <= today]
    del company["history"]
    paths = [write_team_workbook(folder / "company.xlsx", "en", overwrite=True, data=company)]
    names = TEAMS + [(f"team-{i}", f"Team {i}") for i in range(len(TEAMS) + 1, teams + 1)]
    for index, (key, name) in enumerate(names[:teams]):
        data = team_data(key, name, index, start, end, cycle, today)
        lang = data.pop("lang")
        paths.append(write_team_workbook(folder / f"{key}.xlsx", lang, overwrite=True, data=data))
    return paths
