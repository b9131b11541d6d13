"""LibreOffice, a real spreadsheet program, opens a refreshed workbook and, recalculating every
formula on load, arrives at the values Refresh cached: progress within 1e-9, score, status and last
check-in equal, in an English and a Dutch filled template with a fixed As of.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sheetokr.sheets import render
from sheetokr.sheets.grid import parse_a1
from sheetokr.sheets.layout import DASHBOARD, KEY_RESULTS, OBJECTIVES
from sheetokr.xlsx.refresh import refresh
from sheetokr.xlsx.template_dashboard import DASHBOARD_CELLS
from tests.libreoffice import libreoffice_profile, recalculate  # noqa: F401
from tests.xlsx.test_refresh import columns, filled, rows_of

Recalculate = Callable[[Sequence[Path]], list[Path]]


def same(key: str, cached: Any, recalculated: Any, where: str) -> None:
    if isinstance(cached, dt.datetime):
        cached = cached.date()
    if isinstance(recalculated, dt.datetime):
        recalculated = recalculated.date()
    if key in ("progress", "expected", "elapsed") and isinstance(cached, float):
        assert isinstance(recalculated, float), f"{where}: LibreOffice {recalculated!r}"
        assert abs(cached - recalculated) <= 1e-9, f"{where}: {cached!r} vs {recalculated!r}"
    else:
        assert cached == recalculated, f"{where}: Refresh {cached!r}, LibreOffice {recalculated!r}"


def test_libreoffice_recalculates_the_values_refresh_cached(
    tmp_path: Path, recalculate: Recalculate  # noqa: F811
) -> None:
    paths = [filled(tmp_path / "team-en.xlsx", "en"), filled(tmp_path / "team-nl.xlsx", "nl")]
    done = [refresh(path) for path in paths]
    outputs = recalculate(paths)
    for path, refreshed, out in zip(paths, done, outputs, strict=True):
        result, lang = refreshed.result, refreshed.result.model.lang
        compared: dict[str, int] = {}
        for sheet in (OBJECTIVES, KEY_RESULTS):
            name = sheet.name(lang)
            ours, theirs = rows_of(path, name), rows_of(out, name)
            key_of = {index: key for key, index in columns(ours, sheet, lang).items()}
            for cell in render.computed_cells(result):
                if cell.sheet != name:
                    continue
                row, column = parse_a1(cell.ref)
                key = key_of[column]
                cached, recalculated = ours[row - 1][column], theirs[row - 1][column]
                same(key, cached, recalculated, f"{path.name} {name}!{cell.ref} ({key})")
                compared[key] = compared.get(key, 0) + (cached not in ("", None))
        board = DASHBOARD.name(lang)
        ours, theirs = rows_of(path, board), rows_of(out, board)
        for key in ("progress", "score", "status", "expected", "elapsed", "as_of"):
            row, column = parse_a1(DASHBOARD_CELLS[key])
            cached = ours[row - 1][column]
            assert cached not in ("", None), f"{path.name} Dashboard {key} is empty"
            same(key, cached, theirs[row - 1][column], f"{path.name} Dashboard {key}")
        krs = sum(len(o.key_results) for o in result.objectives)
        assert compared["status"] == krs + len(result.objectives)
        assert compared["last_check_in"] >= krs - 1 and compared["progress"] >= krs
        with zipfile.ZipFile(out) as package:
            for part in package.namelist():
                if part.startswith("xl/worksheets/"):
                    errors = re.findall(rb'<c r="([A-Z]+\d+)"[^>]*t="e"', package.read(part))
                    assert not errors, f"{out.name} {part}: error values in {errors[:5]}"
