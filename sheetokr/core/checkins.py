"""Check-ins (SPEC 1.6): which rows count, and the order "latest" means.

A row counts when its date is readable and on or before "as of", its value is not blank, and it
names a known key result. On equal dates the row further down the sheet is the later one. Values
are read later, per key result, because their reading depends on the key result's metric. Pure.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sheetokr.core.checks import IssueLog
from sheetokr.core.model import Row
from sheetokr.core.values import ValueProblem, read_date


class CheckIn(NamedTuple):
    row: Row
    date: dt.date


def group_check_ins(
    rows: list[Row],
    known_krs: set[str],
    as_of: dt.date,
    log: IssueLog,
    *,
    report_unknown: bool = True,
) -> dict[str, list[CheckIn]]:
    """Counted check-ins by KR ID (lower case), oldest first; E013 and E015 for rows left out."""
    grouped: dict[str, list[CheckIn]] = {}
    ids: dict[object, str] = {}  # a few key results, named on many rows
    date_class = dt.date
    # Hundreds of rows share one column layout: look the three cells up by position.
    columns = rows[0].columns if rows else {}
    at_date, at_kr, at_value = (columns.get(k, 1 << 30) for k in ("date", "key_result", "value"))
    for row in rows:
        values = row._values
        width = len(values)
        date: dt.date | None = None
        raw_date = values[at_date] if at_date < width else None
        if raw_date.__class__ is str and not raw_date.strip():
            raw_date = None
        if raw_date.__class__ is date_class:
            date = raw_date
        else:
            try:
                date = read_date(raw_date)
            except ValueProblem as problem:
                log.add("E015", row.cell("date").where, f"Check-in date not readable: {problem}.")
            else:
                if date is None and row.has("date"):
                    log.add(
                        "E015",
                        row.cell("date").where,
                        "Check-in without a date; type the date of the check-in, e.g. 2027-02-10.",
                    )
        raw_kr = values[at_kr] if at_kr < width else None
        kr_id = ids.get(raw_kr) if raw_kr.__class__ is str else None
        if kr_id is None:
            kr_id = row.text("key_result").lower()
            if raw_kr.__class__ is str:
                ids[raw_kr] = kr_id
        if kr_id not in known_krs:
            if report_unknown and row.has("key_result"):
                kr_cell = row.cell("key_result")
                found = f"'{kr_cell.text}'" if kr_cell.text else "nothing"
                log.add(
                    "E013",
                    kr_cell.where,
                    f"Check-in for an unknown key result: found {found}; "
                    "expected the ID of a key result on the Key Results sheet.",
                )
            continue
        if date is None or date > as_of:
            continue
        value = values[at_value] if at_value < width else None
        if value is None or (value.__class__ is str and not value.strip()):
            continue
        grouped.setdefault(kr_id, []).append(CheckIn(row, date))
    for items in grouped.values():
        items.sort(key=lambda c: (c.date, c.row.number))
    return grouped
