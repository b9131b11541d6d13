"""Benchmark: consolidating N team workbooks, and again after one team changed.

Baseline: python-calamine reading every sheet of every file in one process (the least any
reader must do). Measured: what `sheetokr consolidate` does, `sheetokr.batch.read_and_warm`
(reading on every core, scoring each team as it arrives) then `Consolidator.run`; and, with
the same Consolidator, re-reading one changed workbook and consolidating again.
Targets: full run <= 1.5 x baseline; after one change < 5% of a full run.

    .venv/bin/python benchmarks/consolidate.py [--n 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.read_and_score import calamine_only  # noqa: E402
from benchmarks.workbooks import company, ensure  # noqa: E402
from sheetokr.batch import read_and_warm  # noqa: E402
from sheetokr.core.engine import Consolidator  # noqa: E402
from sheetokr.xlsx.read import load_team  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "sheetokr-bench")
    args = parser.parse_args()
    paths = ensure(args.dir, args.n)
    root = args.dir / "company.xlsx"
    if not root.exists():
        company(root)
    paths = [root, *paths]

    base, full, again = [], [], []
    org = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        calamine_only(paths)
        base.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        consolidator = Consolidator()
        models, unusable = read_and_warm(paths, consolidator)
        assert not unusable
        org = consolidator.run(models)
        full.append(time.perf_counter() - t0)

        changed = paths[len(paths) // 2]
        t0 = time.perf_counter()
        models[len(paths) // 2] = load_team(changed)
        consolidator.run(models)
        again.append(time.perf_counter() - t0)

    assert org is not None
    b, f, a = min(base), min(full), statistics.median(again)
    print(
        f"{len(paths)} workbooks ({args.n} teams and the company) on {os.cpu_count()} cores;"
        f" org progress {org.progress:.4f}, {len(org.issues)} org issues"
    )
    print(f"python-calamine alone, 1 process     : {b:7.3f} s")
    print(f"consolidate (read on every core)     : {f:7.3f} s   ratio {f / b:.2f}  (target <= 1.5)")
    print(
        f"again after one team changed         : {a:7.3f} s   {a / f:.1%} of a full run"
        "  (target < 5%)"
    )


if __name__ == "__main__":
    main()
