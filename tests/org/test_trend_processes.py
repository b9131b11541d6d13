"""The weekly trend shared among worker processes is the same as computed in one process."""

from __future__ import annotations

import datetime as dt

from sheetokr.core.engine import consolidate
from sheetokr.core.model import TeamWorkbook
from sheetokr.org.trend import weekly_trend


def test_worker_processes_give_the_same_trend(models: list[TeamWorkbook]) -> None:
    org = consolidate(models)
    root = org.team(org.root or "")
    assert root is not None and root.start is not None and root.end is not None
    as_of = root.start + dt.timedelta(days=45)
    alone = weekly_trend(models, root.start, root.end, as_of)
    shared = weekly_trend(models, root.start, root.end, as_of, processes=2)
    assert shared == alone
    assert len(alone[root.key]) >= 3
    assert [day for day, _ in shared[root.key]] == sorted(day for day, _ in alone[root.key])


def test_models_not_read_from_files_are_sent_whole(models: list[TeamWorkbook]) -> None:
    org = consolidate(models)
    root = org.team(org.root or "")
    assert root is not None and root.start is not None and root.end is not None
    as_of = root.start + dt.timedelta(days=30)
    alone = weekly_trend(models, root.start, root.end, as_of)
    for model in models:
        model.path = None
    assert weekly_trend(models, root.start, root.end, as_of, processes=2) == alone
