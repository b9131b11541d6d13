"""A corpus of filled-in team workbooks for the template's formula parity tests: every case of
SPEC section 1 with numeric inputs (metrics, directions, guardrails, milestones, weights, nesting,
aspirational goals, check-in fallback, cycle dates), in English and Dutch.

Each case is (file stem, language, build_team_workbook keyword arguments). The expectations come
from the engine, never from this file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date
Q1 = {"team": "sales", "name": "Sales", "cycle": "2027-Q1", "start": D(2027, 1, 1),
      "end": D(2027, 3, 31)}


def kr(id_: str, objective: str, **cells: Any) -> dict[str, Any]:
    return {"id": id_, "objective": objective, "title": f"{id_} to 10", "owner": "Ann", **cells}


def objective(id_: str, **cells: Any) -> dict[str, Any]:
    return {"id": id_, "title": f"Objective {id_}", "owner": "Bo", "type": "committed", **cells}


def metrics_case() -> dict[str, Any]:
    objectives = [objective(f"O{i}") for i in range(1, 8)]
    objectives[6]["type"] = "aspirational"
    key_results = [
        # increase / decrease: blank start, overshoot, backwards, both directions
        kr("KR1.1", "O1", target=10, current=4),
        kr("KR1.2", "O1", metric="increase", start=12, target=30, current=24),
        kr("KR1.3", "O1", metric="increase", start=12, target=30, current=40),
        kr("KR1.4", "O1", metric="increase", start=9, target=20, current=6),
        kr("KR1.5", "O1", metric="Increase ", start=0, target=10, current=10),
        kr("KR2.1", "O2", metric="decrease", start=120, target=30, current=60),
        kr("KR2.2", "O2", metric="decrease", start=120, target=30, current=10),
        kr("KR2.3", "O2", metric="decrease", start=120, target=30, current=130),
        kr("KR2.4", "O2", metric="decrease", start=50, target=0, current=49.5),
        # S == T
        kr("KR3.1", "O3", start=10, target=10, current=10),
        kr("KR3.2", "O3", start=10, target=10, current=9),
        kr("KR3.3", "O3", metric="decrease", start=5, target=5, current=4),
        kr("KR3.4", "O3", metric="decrease", start=5, target=5, current=6),
        kr("KR3.5", "O3", target=0, current=0),
        # guardrails: at threshold, with a risk threshold safe / at R / unsafe, no R
        kr("KR4.1", "O4", metric="at least", target=95, current=95),
        kr("KR4.2", "O4", metric="at_least", target=95, current=93, risk_threshold=90),
        kr("KR4.3", "O4", metric="at least", target=95, current=90, risk_threshold=90),
        kr("KR4.4", "O4", metric="at least", target=95, current=80, risk_threshold=90),
        kr("KR4.5", "O4", metric="at least", target=95, current=94),
        kr("KR5.1", "O5", metric="at most", target=2, current=2),
        kr("KR5.2", "O5", metric="at most", target=2, current=3, risk_threshold=4),
        kr("KR5.3", "O5", metric="AT MOST", target=2, current=4, risk_threshold=4),
        kr("KR5.4", "O5", metric="at most", target=2, current=5, risk_threshold=4),
        kr("KR5.5", "O5", metric="at most", target=2, current=1.5),
        kr("KR5.6", "O5", metric="at most", target=2),
        # milestones: words in both languages, booleans, percent, blank
        kr("KR6.1", "O6", metric="milestone", current=True),
        kr("KR6.2", "O6", metric="milestone", current=False),
        kr("KR6.3", "O6", metric="milestone", current="Done"),
        kr("KR6.4", "O6", metric="mijlpaal", current=" klaar "),
        kr("KR6.5", "O6", metric="milestone", current="not  done"),
        kr("KR6.6", "O6", metric="milestone", current="Nee"),
        kr("KR6.7", "O6", metric="milestone", current=0.4),
        kr("KR6.8", "O6", metric="milestone"),
        kr("KR6.9", "O6", metric="milestone", current="✓"),
        kr("KR6.10", "O6", metric="milestone", current="x", weight=2),
        # baseline, weights 0 and 2, final scores, C blank, aspirational objective
        kr("KR7.1", "O7", metric="baseline", current=42),
        kr("KR7.2", "O7", metric="baseline"),
        kr("KR7.3", "O7", start=0, target=100, current=50, weight=0),
        kr("KR7.4", "O7", start=0, target=100, current=20, weight=2, final_score=0.285),
        kr("KR7.5", "O7", start=0, target=100, current=70, final_score=0.125),
        kr("KR7.6", "O7", start=0, target=100),
        kr("KR7.7", "O7", metric="baseline", current=3, final_score=0.5),
    ]
    return {**Q1, "data": {"cycle": {"as_of": D(2027, 2, 15)}, "objectives": objectives,
                           "key_results": key_results}}


def gap_case(aspirational: bool) -> dict[str, Any]:
    """t = 0.5 exactly (D0..D1 four days, as of day 2): gap boundaries at 0 and the risk gap."""
    kind = "aspirational" if aspirational else "committed"
    goal = 0.6 if aspirational else 1.0
    e = 0.5 * goal
    objectives = [objective("O1", type=kind), objective("O2", type=kind), objective("O3")]
    values = [e, e - 0.1, e - 0.2, e - 0.2000001, e + 0.1, 0.0]
    key_results = [
        kr(f"KR1.{i}", "O1", start=0, target=1000, current=round(v * 1000, 6))
        for i, v in enumerate(values, start=1)
    ]
    key_results += [kr("KR2.1", "O2", start=0, target=1000, current=round((e - 0.2) * 1000, 6)),
                     kr("KR2.2", "O2", start=0, target=1000, current=1000),
                     kr("KR3.1", "O3", start=0, target=1000, current=100)]
    cycle = {"as_of": D(2027, 1, 3), "aspirational_goal": 0.6 if aspirational else None,
             "risk_gap": 0.2}
    return {**Q1, "start": D(2027, 1, 1), "end": D(2027, 1, 5),
            "data": {"cycle": cycle, "objectives": objectives, "key_results": key_results}}


def nested_case() -> dict[str, Any]:
    objectives = [
        objective("O1"),
        objective("O2", aligned_to="O1"),
        objective("O3", aligned_to="sales:o2", weight=2),
        objective("O4", aligned_to=" O3 ", type="aspirational"),
        objective("O5", aligned_to="O1", weight=2),
        objective("O6", aligned_to="O1", weight=0),
        objective("O7", aligned_to="O8"),
        objective("O8"),
        objective("O9", aligned_to="O10"),
        objective("O10", aligned_to="finance:O1"),
        objective("O11", aligned_to="O99"),
        objective("O12", aligned_to="O3"),
        objective("O13", weight=0.5),
        objective("O14", aligned_to="O13"),
    ]
    key_results = [
        kr("KR4.1", "O4", target=10, current=6),
        kr("KR4.2", "O4", target=10, current=2, weight=3),
        kr("KR5.1", "O5", target=10, current=9),
        kr("KR6.1", "O6", target=10, current=1),
        kr("KR7.1", "O7", target=10),
        kr("KR7.2", "o7", metric="milestone"),
        kr("KR9.1", "O9", metric="milestone", current="done"),
        kr("KR9.2", "O9", target=10, current=12),
        kr("KR11.1", "O11", target=10, current=3),
        kr("KR12.1", "O12", target=10, current=10),
        kr("KR12.2", "O12", metric="at least", target=5, current=7),
        kr("KR13.1", "O13", target=4, current=1),
        kr("KR14.1", "O14", target=4, current=3),
    ]
    return {**Q1, "data": {"cycle": {"as_of": D(2027, 3, 1)}, "objectives": objectives,
                           "key_results": key_results}}


def deep_case() -> dict[str, Any]:
    """Four steps of alignment, O1 <- O2 <- O3 <- O4 <- O5, the formulas' full depth."""
    objectives = [objective("O1")] + [
        objective(f"O{i}", aligned_to=f"O{i - 1}", type="aspirational" if i % 2 else "committed")
        for i in range(2, 6)
    ]
    objectives.append(objective("O6", aligned_to="O4", weight=3))
    key_results = [kr("KR5.1", "O5", target=10, current=7), kr("KR5.2", "O5", target=4, current=1),
                   kr("KR6.1", "O6", metric="milestone", current=True)]
    return {**Q1, "data": {"cycle": {"as_of": D(2027, 2, 1)}, "objectives": objectives,
                           "key_results": key_results}}


def check_in_case() -> dict[str, Any]:
    objectives = [objective("O1"), objective("O2")]
    key_results = [
        kr("KR1.1", "O1", start=0, target=10),
        kr("KR1.2", "O1", start=0, target=10),
        kr("KR1.3", "O1", start=0, target=10, current=8),
        kr("kr1.4", "O1", metric="milestone"),
        kr("KR2.1", "O2", metric="decrease", start=100, target=50),
        kr("KR2.2", "O2", metric="at most", target=5),
        kr("KR2.3", "O2", start=0, target=10),
    ]
    check_ins = [
        {"date": D(2027, 1, 20), "key_result": "KR1.1", "value": 2},
        {"date": D(2027, 2, 10), "key_result": "KR1.1", "value": 5},
        {"date": D(2027, 2, 10), "key_result": "kr1.1 ", "value": 6},
        {"date": D(2027, 2, 1), "key_result": "KR1.1", "value": 9},
        {"date": D(2027, 2, 20), "key_result": "KR1.1", "value": 10},
        {"date": D(2027, 2, 12), "key_result": "KR1.2", "value": None, "note": "blank value"},
        {"date": D(2027, 2, 11), "key_result": "KR1.2", "value": 3},
        {"date": D(2027, 2, 11), "key_result": "KR1.3", "value": 1},
        {"date": D(2027, 2, 1), "key_result": "KR1.4", "value": "not done"},
        {"date": D(2027, 2, 14), "key_result": "KR1.4", "value": "done"},
        {"date": D(2027, 2, 14), "key_result": "KR2.1", "value": 90},
        {"date": D(2027, 2, 9), "key_result": "KR2.1", "value": 70},
        {"date": dt.datetime(2027, 2, 15, 18, 30), "key_result": "KR2.2", "value": 4},
        {"date": D(2027, 2, 16), "key_result": "KR2.3", "value": 4},
    ]
    return {**Q1, "data": {"cycle": {"as_of": D(2027, 2, 15)}, "objectives": objectives,
                           "key_results": key_results, "check_ins": check_ins}}


def dates_case(start: dt.date | None, end: dt.date | None, as_of: dt.date | None) -> dict[str, Any]:
    objectives = [objective("O1"), objective("O2", type="aspirational")]
    key_results = [
        kr("KR1.1", "O1", target=10, current=5),
        kr("KR1.2", "O1", metric="at least", target=5, current=5),
        kr("KR1.3", "O1", metric="at most", target=5, current=6, risk_threshold=7),
        kr("KR2.1", "O2", target=10, current=10),
        kr("KR2.2", "O2", target=10, current=1),
    ]
    return {"team": "ops", "name": "Ops", "cycle": "2027-Q1", "start": start, "end": end,
            "data": {"cycle": {"as_of": as_of}, "objectives": objectives,
                     "key_results": key_results}}


def not_started_case() -> dict[str, Any]:
    objectives = [objective("O1"), objective("O2", aligned_to="O1")]
    key_results = [kr("KR2.1", "O2", target=10), kr("KR2.2", "O2", metric="at least", target=3)]
    return {**Q1, "data": {"cycle": {"as_of": D(2027, 2, 1)}, "objectives": objectives,
                           "key_results": key_results}}


def dutch_case() -> dict[str, Any]:
    objectives = [objective("D1", type="vastgelegd"), objective("D2", type="ambitieus"),
                  objective("D3", aligned_to="verkoop:D1")]
    key_results = [
        kr("HR1.1", "D1", metric="verhogen", start=10, target=20, current=16),
        kr("HR1.2", "D1", metric="verlagen", start=20, target=10, current=18),
        kr("HR1.3", "D1", metric="minimaal", target=8, current=7, risk_threshold=6),
        kr("HR2.1", "D2", metric="maximaal", target=3, current=3),
        kr("HR2.2", "D2", metric="mijlpaal", current="gereed"),
        kr("HR2.3", "D2", metric="nulmeting", current=5),
        kr("HR3.1", "D3", metric="mijlpaal", current="niet klaar"),
        kr("HR3.2", "D3", metric="verhogen", start=0, target=50),
    ]
    check_ins = [{"date": D(2027, 2, 1), "key_result": "HR3.2", "value": 20}]
    return {"team": "verkoop", "name": "Verkoop", "cycle": "2027-K1", "start": D(2027, 1, 1),
            "end": D(2027, 3, 31),
            "data": {"cycle": {"as_of": D(2027, 2, 20)}, "objectives": objectives,
                     "key_results": key_results, "check_ins": check_ins}}


def today_case() -> dict[str, Any]:
    """As of blank: formulas use the spreadsheet's today; the test scores the engine at today."""
    today = dt.date.today()
    return dates_case(today - dt.timedelta(days=30), today + dt.timedelta(days=60), None)


def cases() -> list[tuple[str, str, dict[str, Any]]]:
    """(file stem, language, build_team_workbook keyword arguments)."""
    out: list[tuple[str, str, dict[str, Any]]] = [
        ("metrics", "en", metrics_case()),
        ("metrics-nl", "nl", metrics_case()),
        ("gap-committed", "en", gap_case(False)),
        ("gap-aspirational", "en", gap_case(True)),
        ("nested", "en", nested_case()),
        ("nested-nl", "nl", nested_case()),
        ("check-ins", "en", check_in_case()),
        ("deep", "en", deep_case()),
        ("not-started", "en", not_started_case()),
        ("dutch", "nl", dutch_case()),
        ("today", "en", today_case()),
        ("before-start", "en", dates_case(D(2027, 1, 1), D(2027, 3, 31), D(2026, 12, 1))),
        ("after-end", "en", dates_case(D(2027, 1, 1), D(2027, 3, 31), D(2027, 6, 1))),
        ("one-day-before", "en", dates_case(D(2027, 1, 1), D(2027, 1, 1), D(2026, 12, 31))),
        ("one-day-on", "en", dates_case(D(2027, 1, 1), D(2027, 1, 1), D(2027, 1, 1))),
        ("no-dates", "en", dates_case(None, None, D(2027, 2, 1))),
        ("end-before-start", "en", dates_case(D(2027, 3, 1), D(2027, 1, 1), D(2027, 2, 1))),
    ]
    for day in range(0, 95, 7):
        out.append((f"day-{day}", "en", dates_case(D(2027, 1, 1), D(2027, 3, 31),
                                                    D(2027, 1, 1) + dt.timedelta(days=day))))
    return out
