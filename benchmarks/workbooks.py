"""Generate team workbooks for benchmarks: 5 objectives x 4 key results, 10 initiatives and
200 check-ins each, laid out as SPEC section 2 (openpyxl write-only mode, deterministic)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sheetokr.sheets import layout

START = dt.date(2027, 1, 1)
END = dt.date(2027, 3, 31)


def write_team(
    path: Path, index: int, *, parent: str | None = "company", key: str | None = None
) -> None:
    import openpyxl

    rng = random.Random(index)
    wb = openpyxl.Workbook(write_only=True)
    cycle = wb.create_sheet("Cycle")
    for label, value in (
        ("Team key", key or f"team-{index:04d}"),
        ("Team name", f"Team {index}"),
        ("Parent team", parent),
        ("Cycle", "2027-Q1"),
        ("Start date", START),
        ("End date", END),
        ("Language", "en"),
        ("As of", dt.date(2027, 2, 15)),
    ):
        cycle.append([label, value])

    def sheet(lay: layout.SheetLayout, rows: list[dict[str, object]]) -> None:
        ws = wb.create_sheet(lay.en)
        ws.append([c.en for c in lay.columns])
        for row in rows:
            ws.append([row.get(c.key) for c in lay.columns])

    objectives, krs, initiatives, check_ins = [], [], [], []
    for o in range(1, 6):
        objectives.append(
            {
                "id": f"O{o}",
                "title": f"Objective {o}",
                "owner": "Owner",
                "type": "committed",
                # teams align to the company's objectives; the company to nothing
                "aligned_to": f"company:O{(index + o) % 5 + 1}" if parent else None,
                "weight": 1,
            }
        )
        for k in range(1, 5):
            start = rng.randint(0, 100)
            target = start + rng.randint(10, 200)
            krs.append(
                {
                    "id": f"KR{o}.{k}",
                    "objective": f"O{o}",
                    "title": f"Grow {k} to {target}",
                    "owner": "Owner",
                    "metric": "increase",
                    "start": start,
                    "target": target,
                    "unit": "things",
                    "weight": 1,
                }
            )
    for i in range(1, 11):
        initiatives.append(
            {
                "id": f"I{i}",
                "objective": f"O{(i - 1) % 5 + 1}",
                "title": f"Do {i}",
                "owner": "Owner",
                "status": "in progress",
                "due": END,
            }
        )
    for c in range(200):
        kr = krs[c % 20]
        check_ins.append(
            {
                "date": START + dt.timedelta(days=c // 20 * 7),
                "key_result": kr["id"],
                "value": kr["start"] + rng.random() * (kr["target"] - kr["start"]),
                "confidence": str(rng.randint(1, 10)),
                "by": "Owner",
            }
        )
    sheet(layout.OBJECTIVES, objectives)
    sheet(layout.KEY_RESULTS, krs)
    sheet(layout.INITIATIVES, initiatives)
    sheet(layout.CHECK_INS, check_ins)
    wb.save(path)


def company(path: Path) -> None:
    write_team(path, 0, parent=None, key="company")


def ensure(folder: Path, n: int) -> list[Path]:
    """N team workbooks in `folder` (made once, reused by later runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, n + 1):
        path = folder / f"team-{i:04d}.xlsx"
        if not path.exists():
            write_team(path, i)
        paths.append(path)
    return paths
