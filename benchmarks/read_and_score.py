"""Benchmark: reading and scoring N team workbooks against python-calamine alone.

Baseline: python-calamine opening each file and reading every sheet to Python values, one file
after another, which is the least any reader must do. Measured on the same files: sheetokr's
`load_team` + `score_team` in one process, and `sheetokr.batch.score_files` (what `check` and
`consolidate` use), which spreads the files over every core. Target: ratio <= 1.5 at N = 1000.

    .venv/bin/python benchmarks/read_and_score.py [--n 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import python_calamine  # noqa: E402

from benchmarks.workbooks import ensure  # noqa: E402
from sheetokr.batch import score_files  # noqa: E402
from sheetokr.core.engine import score_team  # noqa: E402
from sheetokr.xlsx.read import load_team  # noqa: E402


def calamine_only(paths: list[Path]) -> None:
    for path in paths:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def sheetokr_read_and_score(paths: list[Path]) -> None:
    for path in paths:
        score_team(load_team(path))


def sheetokr_batch(paths: list[Path]) -> None:
    results = score_files(paths)
    assert len(results) == len(paths) and all(r.json for r in results)


def best_of(func, paths: list[Path], repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func(paths)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "sheetokr-bench")
    args = parser.parse_args()
    t0 = time.perf_counter()
    paths = ensure(args.dir, args.n)
    print(f"{args.n} workbooks in {args.dir} (ready in {time.perf_counter() - t0:.1f} s)")
    base = best_of(calamine_only, paths, args.repeat)
    ours = best_of(sheetokr_read_and_score, paths, args.repeat)
    batch = best_of(sheetokr_batch, paths, args.repeat)
    per = 1000 / args.n
    print(f"python-calamine alone, 1 process   : {base:7.3f} s  ({base * per:.2f} ms a workbook)")
    print(
        f"sheetokr read + score, 1 process   : {ours:7.3f} s  ({ours * per:.2f} ms a workbook)"
        f"  ratio {ours / base:.2f}"
    )
    print(
        f"sheetokr read + score, {os.cpu_count()} cores     : {batch:7.3f} s  "
        f"({batch * per:.2f} ms a workbook)  ratio {batch / base:.2f}  (target <= 1.5)"
    )


if __name__ == "__main__":
    main()
