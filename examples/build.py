"""Rebuild the example workbooks from sheetokr.samples: a template filled in with the example
OKRs and their weekly check-ins, then refreshed as of 2027-02-15 so every computed cell holds
its value.

    .venv/bin/python examples/build.py [FOLDER]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sheetokr import samples
from sheetokr.xlsx.refresh import refresh
from sheetokr.xlsx.template import write_team_workbook

AS_OF = dt.date(2027, 2, 15)


def build(folder: Path) -> list[Path]:
    paths = []
    for name, example in samples.EXAMPLES.items():
        data = {k: example[k] for k in ("cycle", "objectives", "key_results", "initiatives")}
        data["check_ins"] = samples.check_ins(example)
        path = write_team_workbook(
            folder / f"{name}.xlsx", example["lang"], overwrite=True, data=data
        )
        refresh(path, on=AS_OF)
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for path in build(target):
        print(path)
