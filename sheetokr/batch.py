"""Reading and scoring many workbooks on every core.

Reading a workbook is CPU-bound (unzipping, XML, parsing), so many files go to a pool of worker
processes in chunks; each worker reads and scores its files and sends back plain JSON (SPEC 3),
which is cheap to pass between processes. A file that cannot be used comes back as its sentence.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheetokr.core.engine import Consolidator
from sheetokr.core.model import TeamWorkbook
from sheetokr.core.team import PreparedTeam
from sheetokr.errors import UnusableWorkbook

# Below this many files a pool costs more than it saves.
POOL_THRESHOLD = 16


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Reading workbooks makes many small objects that all live on; Python's cyclic collector
    would scan them again and again (15-20% of the time). Collect less often meanwhile, and
    afterwards leave what was read out of later scans (gc.freeze: the objects are still freed
    by reference counting when no longer used; they hold no reference cycles)."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 100_000), old[1], old[2])
    try:
        yield
    finally:
        gc.freeze()
        gc.set_threshold(*old)


@dataclass(frozen=True)
class Scored:
    path: Path
    json: dict[str, Any] | None  # SPEC 3, or None when the file cannot be used
    error: str | None = None


def _score_chunk(paths: Sequence[Path], as_of: dt.date | None) -> list[Scored]:
    from sheetokr.core.engine import score_team
    from sheetokr.xlsx.read import load_team

    out = []
    with fewer_collections():
        for path in paths:
            try:
                out.append(Scored(path, score_team(load_team(path), as_of).to_json()))
            except UnusableWorkbook as exc:
                out.append(Scored(path, None, str(exc)))
    return out


def workers_for(n: int, workers: int | None = None) -> int:
    if workers is not None:
        return max(1, workers)
    return 1 if n < POOL_THRESHOLD else max(1, min(os.cpu_count() or 1, n // 8))


def chunks(items: Sequence[Path], size: int) -> Iterator[Sequence[Path]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def score_files(
    paths: Sequence[Path], as_of: dt.date | None = None, workers: int | None = None
) -> list[Scored]:
    """Read and score every file, in order, using `workers` processes (default: every core)."""
    n = workers_for(len(paths), workers)
    if n == 1:
        return _score_chunk(paths, as_of)
    size = max(1, len(paths) // (n * 4))
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [pool.submit(_score_chunk, part, as_of) for part in chunks(paths, size)]
        return [scored for future in futures for scored in future.result()]


@dataclass(frozen=True)
class Loaded:
    path: Path
    model: TeamWorkbook | None
    error: str | None = None


def _load_chunk(paths: Sequence[Path], labels: Sequence[str | None] | None = None) -> list[Loaded]:
    from sheetokr.xlsx.read import load_team

    out = []
    with fewer_collections():
        for i, path in enumerate(paths):
            try:
                out.append(Loaded(path, load_team(path, labels[i] if labels else None)))
            except UnusableWorkbook as exc:
                out.append(Loaded(path, None, str(exc)))
    return out


def load_files(
    paths: Sequence[Path],
    workers: int | None = None,
    *,
    labels: Sequence[str | None] | None = None,
    start_method: str | None = None,
) -> list[Loaded]:
    """Read every file into the model, in order, on `workers` processes (default: every core).

    `labels` name the files in messages; `start_method` "spawn" suits a threaded program (a
    server), where forking could copy a lock another thread holds.
    """
    n = workers_for(len(paths), workers)
    if n == 1:
        return _load_chunk(paths, labels)
    size = max(1, min(64, len(paths) // (n * 4)))
    method = start_method or (
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [
            pool.submit(
                _load_chunk,
                paths[i : i + size],
                labels[i : i + size] if labels else None,
            )
            for i in range(0, len(paths), size)
        ]
        return [loaded for future in futures for loaded in future.result()]


@dataclass(frozen=True)
class Prepared:
    """A workbook read and its team scored in a worker, sent back without its check-in rows."""

    path: Path
    team: PreparedTeam | None
    as_of: dt.date | None
    error: str | None = None


def _prepare_chunk(paths: Sequence[Path], as_of: dt.date | None) -> list[Prepared]:
    from sheetokr.core.cycle import sheet_as_of, today
    from sheetokr.core.team import prepare_team
    from sheetokr.xlsx.read import load_team

    out = []
    with fewer_collections():
        for path in paths:
            try:
                model = load_team(path)
            except UnusableWorkbook as exc:
                out.append(Prepared(path, None, None, str(exc)))
                continue
            # Not knowing the root's As of yet, a team is scored at the date asked for, else its
            # own As of (teams of one cycle share it), else today.
            when = as_of or sheet_as_of(model) or today()
            team = prepare_team(model, when)
            model.check_ins = []  # scored already; the file has them for whoever needs them
            model.partial = True
            out.append(Prepared(path, team, when))
    return out


def complete(model: TeamWorkbook) -> TeamWorkbook:
    """The model with its check-in rows: itself, or the file read again when they were left
    behind (see `Prepared`)."""
    if not model.partial or not model.path:
        return model
    from sheetokr.xlsx.read import load_team

    return load_team(model.path, model.source)


def read_and_warm(
    files: Sequence[Path], consolidator: Consolidator, as_of: dt.date | None = None
) -> tuple[list[TeamWorkbook], list[Loaded]]:
    """Read workbooks and score each team on every core, ready for `consolidator.run`.

    Worker processes read and score the files and send each team back without its check-in
    rows (the object graph of hundreds of rows costs more to send than to score). A team scored
    at another date than the organisation's "as of" (the root's As of when others left theirs
    blank) is read and scored again here, so the answer never depends on where it was scored.
    Returns the models in the files' order and the files that could not be used.
    """
    if len(files) < POOL_THRESHOLD or workers_for(len(files)) < 2:
        return _read_and_warm_here(files, consolidator, as_of)
    n = workers_for(len(files))
    size = max(1, min(32, len(files) // (n * 8)))
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    models: list[TeamWorkbook] = []
    unusable: list[Loaded] = []
    with fewer_collections():
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context(method)) as pool:
            futures = [pool.submit(_prepare_chunk, part, as_of) for part in chunks(files, size)]
            for future in futures:
                for item in future.result():
                    if item.team is None or item.as_of is None:
                        unusable.append(Loaded(item.path, None, item.error))
                        continue
                    model = item.team.result.model
                    consolidator.adopt(model, item.as_of, item.team)
                    models.append(model)
        final = as_of or Consolidator.as_of_for(models)
        for i, model in enumerate(models):
            if consolidator.scored_at(model) != final:
                models[i] = complete(model)
                consolidator.warm(models[i], final)
    return models, unusable


def _read_and_warm_here(
    files: Sequence[Path], consolidator: Consolidator, as_of: dt.date | None
) -> tuple[list[TeamWorkbook], list[Loaded]]:
    """The same, in this process: few files are not worth a worker."""
    loaded = _load_chunk(files)
    models = [item.model for item in loaded if item.model is not None]
    final = as_of or Consolidator.as_of_for(models)
    for model in models:
        consolidator.warm(model, final)
    return models, [item for item in loaded if item.model is None]
