"""Scoring the stored workbooks, with two in-process caches so a large organisation answers fast.

Parsed workbooks are kept per (team, sha256), so after one upload only that workbook is read again;
the consolidated result (and its JSON, already encoded) is kept per set of stored versions and
date, so `GET /api/v1/org` is a lookup until something changes. The engine does the scoring.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sheetokr.batch import load_files
from sheetokr.core.engine import Consolidator
from sheetokr.core.model import TeamWorkbook
from sheetokr.core.results import OrgResult
from sheetokr.errors import SheetokrError
from sheetokr.org.trend import Trend, trend_of
from sheetokr.xlsx.read import load_team

T = TypeVar("T")


PARALLEL_READS = 64  # from this many unread workbooks on, they are read on every core


class StoredWorkbookLost(SheetokrError):
    """A workbook the server stored is gone or damaged: the server's fault, not the user's."""

    status = 500


@dataclass(frozen=True)
class Stored:
    """A team's current workbook: its key, content hash and file."""

    key: str
    sha256: str
    path: Path


@dataclass
class Scored:
    """A consolidated organisation, its JSON, and that JSON encoded once."""

    result: OrgResult
    json: dict[str, Any]
    body: bytes
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    trend: Trend | None = None


def label(key: str) -> str:
    """The name a team's workbook goes by in messages, the same however it was read."""
    return f"{key}.xlsx"


def today(timezone: str) -> dt.date:
    return dt.datetime.now(ZoneInfo(timezone)).date()


class Scorer:
    """The caches of one app; safe to share between the threads of a threaded server."""

    def __init__(self, timezone: str = "UTC") -> None:
        self.timezone = timezone
        self._models: dict[tuple[str, str], TeamWorkbook] = {}
        self._scored: tuple[Any, Scored] | None = None
        self._current: tuple[Any, Any] | None = None  # (versions stamp, what `read` gave)
        self._last: tuple[object, dt.date, Scored] | None = None  # org() for the same list
        self._consolidator = Consolidator()  # re-scores only the workbooks that changed
        self._lock = threading.RLock()
        self._trend_lock = threading.Lock()
        self.reads = 0  # workbooks parsed, for tests and logs
        self.consolidations = 0

    def remember(self, key: str, sha256: str, model: TeamWorkbook) -> None:
        """Keep a workbook that was already parsed (an upload) so it is not read again."""
        with self._lock:
            self._models[(key, sha256)] = model

    def read_many(self, stored: Sequence[Stored]) -> None:
        """Read the workbooks not in the cache yet, on every core when there are many (a cold
        start with hundreds of teams)."""
        with self._lock:
            missing = [s for s in stored if (s.key, s.sha256) not in self._models]
        if len(missing) < PARALLEL_READS:
            return  # `model` reads the few one by one
        loaded = load_files(
            [s.path for s in missing], labels=[label(s.key) for s in missing], start_method="spawn"
        )
        with self._lock:
            for item, found in zip(missing, loaded, strict=True):
                if found.model is not None:
                    self.reads += 1
                    self._models[(item.key, item.sha256)] = found.model

    def model(self, stored: Stored) -> TeamWorkbook:
        with self._lock:
            found = self._models.get((stored.key, stored.sha256))
        if found is None:
            try:
                found = load_team(stored.path, label(stored.key))
            except SheetokrError as exc:
                raise StoredWorkbookLost(
                    f"The stored workbook of team '{stored.key}' ({stored.path}) cannot be read: "
                    f"{exc} Restore the file from a backup, or upload the team's workbook again."
                ) from exc
            with self._lock:
                self.reads += 1
                self._models[(stored.key, stored.sha256)] = found
        return found

    def current(self, stamp: Any, read: Callable[[], T]) -> T:
        """What `read` gives (the latest versions), read again only when `stamp` changed."""
        with self._lock:
            if self._current is not None and self._current[0] == stamp:
                found: T = self._current[1]
                return found
        fresh = read()
        with self._lock:
            self._current = (stamp, fresh)
        return fresh

    def org(self, current: Sequence[Stored]) -> Scored:
        """The organisation as the given versions make it, consolidated at most once per change."""
        day = today(self.timezone)
        last = self._last
        if last is not None and last[0] is current and last[1] == day:
            return last[2]  # the very list `current()` kept: nothing changed
        cache_key = (frozenset((s.key, s.sha256) for s in current), day)
        with self._lock:
            if self._scored is not None and self._scored[0] == cache_key:
                self._last = (current, day, self._scored[1])
                return self._scored[1]
            self.read_many(current)
            models = [self.model(s) for s in sorted(current, key=lambda s: s.key)]
            result = self._consolidator.run(models, timezone=self.timezone)
            self.consolidations += 1
            data = result.to_json()
            scored = Scored(
                result=result,
                json=data,
                body=json.dumps(data, ensure_ascii=False).encode("utf-8"),
                teams={str(t["team"]["key"]).lower(): t for t in data["teams"]},
            )
            self._scored = (cache_key, scored)
            self._last = (current, day, scored)
            wanted = cache_key[0]
            for stale in [k for k in self._models if k not in wanted]:
                del self._models[stale]
            return scored

    def trend(self, scored: Scored) -> Trend:
        """Each team's progress week by week, rebuilt from check-ins once per change."""
        with self._trend_lock:
            if scored.trend is None:
                scored.trend = trend_of(scored.result)
            return scored.trend
