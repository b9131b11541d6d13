"""A cold start with many stored workbooks reads them on every core and scores the same as
reading them one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetokr.core.engine import consolidate
from sheetokr.xlsx.read import load_team
from sheetokr_server.scoring import PARALLEL_READS, Scorer, Stored, label
from tests.builders import grid, write_xlsx


def test_many_unread_workbooks_are_read_in_parallel_and_score_alike(tmp_path: Path) -> None:
    stored = []
    for i in range(PARALLEL_READS + 6):
        key = "company" if i == 0 else f"team-{i:03d}"
        path = write_xlsx(
            tmp_path / f"{key}.xlsx",
            grid(
                cycle={"team_key": key, "parent": None if i == 0 else "company"},
                objectives=[
                    {
                        "id": "O1",
                        "title": "Grow",
                        "owner": "Ann",
                        "type": "committed",
                        "aligned_to": None if i == 0 else "company:O1",
                    }
                ],
                key_results=[]
                if i == 0
                else [
                    {
                        "id": "KR1",
                        "objective": "O1",
                        "title": "Reach 10",
                        "owner": "Ann",
                        "start": 0,
                        "target": 10,
                        "current": i % 11,
                    }
                ],
            ),
        )
        stored.append(Stored(key, f"sha{i}", path))
    scorer = Scorer()
    scored = scorer.org(stored)
    assert scorer.reads == len(stored)
    direct = consolidate(
        [load_team(s.path, label(s.key)) for s in sorted(stored, key=lambda s: s.key)],
        scored.result.as_of,
    )
    assert scored.result.progress == pytest.approx(direct.progress)
    assert scored.json["teams"] == direct.to_json()["teams"]
