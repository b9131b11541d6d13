"""Benchmark: `sheetokr refresh` on one large team workbook against the 0.5 s target.

The workbook is the shipped template filled with 10 objectives x 5 key results and 500 check-ins
(built once with `write_team_workbook`). Each run refreshes a fresh copy of it, so every run writes
every computed cell, the Dashboard and the Issues sheet; copying is not timed. Prints the median
and the best of the runs and their ratio to the target (below 1.0 meets it).

    .venv/bin/python benchmarks/refresh.py [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sheetokr.xlsx.refresh import refresh  # noqa: E402
from sheetokr.xlsx.template import write_team_workbook  # noqa: E402

TARGET = 0.5  # seconds for one refresh of a 50-KR, 500-check-in workbook
START, END = dt.date(2027, 1, 1), dt.date(2027, 3, 31)


def team_data() -> dict[str, object]:
    objectives = [{"id": f"O{o}", "title": f"Objective {o}", "owner": "Ann",
                   "type": "aspirational" if o % 3 == 0 else "committed"} for o in range(1, 11)]
    key_results = []
    for o in range(1, 11):
        for k in range(1, 6):
            key_results.append({"id": f"KR{o}.{k}", "objective": f"O{o}",
                                "title": f"Reach {k * 100} customers", "owner": "Bo",
                                "metric": ("increase", "decrease", "at least", "milestone",
                                           "increase")[k - 1],
                                "start": 100 if k == 2 else 0, "target": 0 if k == 2 else 100 * k})
    check_ins = []
    for n in range(500):
        kr = key_results[n % 50]
        value: object = (n // 50 + 1) * 10
        if kr["metric"] == "milestone":
            value = "done" if n > 400 else 0.5
        check_ins.append({"date": START + dt.timedelta(days=n // 50 * 7 + n % 7),
                          "key_result": kr["id"], "value": value, "confidence": "7",
                          "note": f"week {n // 50 + 1}", "by": "Cy"})
    return {"cycle": {"as_of": dt.date(2027, 3, 15)}, "objectives": objectives,
            "key_results": key_results, "check_ins": check_ins}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sheetokr-refresh-bench-"))
    try:
        source = write_team_workbook(folder / "source.xlsx", "en", team="bench", name="Bench",
                                     cycle="2027-Q1", start=START, end=END, data=team_data())
        times, cells, issues = [], 0, 0
        for run in range(args.runs):
            target = Path(shutil.copy(source, folder / f"run-{run}.xlsx"))
            started = time.perf_counter()
            done = refresh(target)
            times.append(time.perf_counter() - started)
            cells, issues = len(done.report.changes), len(done.issues)
            assert done.report.written and len(done.result.key_results) == 50
        median, best = statistics.median(times), min(times)
        print(f"refresh of {source.stat().st_size // 1024} KB, 50 key results, 500 check-ins, "
              f"{cells} cells written, {issues} issues, {args.runs} runs")
        print(f"median {median:.3f} s   ratio {median / TARGET:.2f} of the {TARGET} s target")
        print(f"best   {best:.3f} s   ratio {best / TARGET:.2f} of the {TARGET} s target")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
