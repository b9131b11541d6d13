"""SPEC 1.5: elapsed time, expected progress, the five statuses, scores and bands; E010."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetokr.core.engine import score_team
from tests.builders import model
from tests.core.helpers import END, HALF, START, at, find_kr, find_obj, kr, obj, team

D = dt.date

# D0, D1, as of -> t (both days inclusive; t = clamp((d - D0) / (D1 - D0)))
ELAPSED_CASES = [
    (D(2027, 1, 1), D(2027, 3, 31), D(2027, 2, 15), 45 / 89),  # SPEC 3's 0.5056
    (D(2027, 1, 1), D(2027, 1, 11), D(2027, 1, 6), 0.5),
    (D(2027, 1, 1), D(2027, 1, 11), D(2027, 1, 1), 0.0),
    (D(2027, 1, 1), D(2027, 1, 11), D(2026, 12, 1), 0.0),
    (D(2027, 1, 1), D(2027, 1, 11), D(2027, 1, 11), 1.0),
    (D(2027, 1, 1), D(2027, 1, 11), D(2027, 6, 1), 1.0),
    (D(2027, 1, 1), D(2027, 1, 11), D(2027, 1, 4), 0.3),
    (D(2027, 1, 1), D(2027, 1, 1), D(2026, 12, 31), 0.0),  # D1 == D0: 0 before D0
    (D(2027, 1, 1), D(2027, 1, 1), D(2027, 1, 1), 1.0),  # and 1 from D0 on
    (D(2027, 1, 1), D(2027, 1, 1), D(2027, 1, 2), 1.0),
]


@pytest.mark.parametrize("d0,d1,as_of,t", ELAPSED_CASES)
def test_elapsed(d0, d1, as_of, t):
    result = team(cycle={"start": d0, "end": d1}, as_of=as_of)
    assert result.elapsed == pytest.approx(t, abs=1e-12)
    assert result.to_json()["cycle"]["elapsed"] == pytest.approx(t, abs=1e-12)
    # a committed KR expects t
    assert find_kr(result, "KR1").expected == pytest.approx(t, abs=1e-12)


def test_as_of_comes_from_the_cycle_sheet_when_not_given():
    result = team(cycle={"as_of": D(2027, 1, 6)}, as_of=None)
    assert result.as_of == D(2027, 1, 6)
    assert result.elapsed == pytest.approx(0.5)


def test_as_of_given_wins_over_the_cycle_sheet():
    result = team(cycle={"as_of": D(2027, 1, 6)}, as_of=D(2027, 1, 11))
    assert result.as_of == D(2027, 1, 11)
    assert result.elapsed == 1.0


# objective type, Aspirational goal on the Cycle sheet -> expected at t = 0.5
EXPECTED_CASES = [
    ("committed", None, 0.5),
    (None, None, 0.5),  # blank type = committed
    ("aspirational", None, 0.35),  # default goal 0.7
    ("ambitieus", None, 0.35),
    ("aspirational", 0.6, 0.3),
    ("aspirational", "60%", 0.3),
    ("committed", 0.6, 0.5),
]


@pytest.mark.parametrize("kind,goal,expected", EXPECTED_CASES)
def test_expected_is_t_times_goal(kind, goal, expected):
    cycle = {"aspirational_goal": goal} if goal is not None else {}
    result = team([kr(current=50)], [obj(type=kind)], cycle=cycle)
    assert find_obj(result, "O1").expected == pytest.approx(expected)
    assert find_kr(result, "KR1").expected == pytest.approx(expected)


# KR status on the ten-day cycle (committed unless said): as of, cells -> status
KR_STATUS_CASES = [
    (HALF, {"current": None}, "not_started"),
    (HALF, {"current": 0}, "at_risk"),  # gap 0.5
    (HALF, {"current": 24}, "at_risk"),  # gap 0.26
    (HALF, {"current": 25}, "behind"),  # gap 0.25 exactly
    (HALF, {"current": 26}, "behind"),
    (HALF, {"current": 49}, "behind"),
    (HALF, {"current": 50}, "on_track"),  # gap 0
    (HALF, {"current": 80}, "on_track"),
    (HALF, {"current": 100}, "achieved"),
    (HALF, {"current": 130}, "achieved"),
    (START, {"current": 0}, "on_track"),  # t = 0: gap 0
    (END, {"current": 99}, "behind"),
    (END, {"current": 74}, "at_risk"),
    (END, {"current": 100}, "achieved"),
    (HALF, {"metric": "decrease", "start": 100, "target": 0, "current": 75}, "behind"),
    (HALF, {"metric": "decrease", "start": 100, "target": 0, "current": 50}, "on_track"),
    (HALF, {"metric": "milestone", "start": None, "target": None, "current": "done"}, "achieved"),
    (HALF, {"metric": "milestone", "start": None, "target": None, "current": "no"}, "at_risk"),
    (HALF, {"metric": "milestone", "start": None, "target": None, "current": 0.3}, "behind"),
    (HALF, {"metric": "milestone", "start": None, "target": None, "current": None}, "not_started"),
]


@pytest.mark.parametrize("as_of,cells,status", KR_STATUS_CASES)
def test_kr_status(as_of, cells, status):
    result = team([kr(**cells)], as_of=as_of)
    assert find_kr(result, "KR1").status == status


# guardrails: metric, T, R, C, as of -> status
GUARDRAIL_STATUS_CASES = [
    ("at_least", 100, 80, 100, HALF, "on_track"),  # met
    ("at_least", 100, 80, 120, HALF, "on_track"),
    ("at_least", 100, 80, 100, END, "achieved"),  # met and t = 1
    ("at_least", 100, 80, 90, HALF, "behind"),  # between R and T
    ("at_least", 100, 80, 80, HALF, "behind"),  # exactly at R: safe side
    ("at_least", 100, 80, 79, HALF, "at_risk"),  # beyond R
    ("at_least", 100, None, 90, HALF, "at_risk"),  # no R
    ("at_least", 100, 80, 90, END, "behind"),
    ("at_most", 5, 8, 5, HALF, "on_track"),
    ("at_most", 5, 8, 5, END, "achieved"),
    ("at_most", 5, 8, 6, HALF, "behind"),
    ("at_most", 5, 8, 8, HALF, "behind"),
    ("at_most", 5, 8, 9, HALF, "at_risk"),
    ("at_most", 5, None, 6, HALF, "at_risk"),
    ("at_most", 5, None, 3, START, "on_track"),
]


@pytest.mark.parametrize("metric,t,r,c,as_of,status", GUARDRAIL_STATUS_CASES)
def test_guardrail_status(metric, t, r, c, as_of, status):
    result = team(
        [kr(metric=metric, start=None, target=t, risk_threshold=r, current=c)], as_of=as_of
    )
    k = find_kr(result, "KR1")
    assert k.status == status
    assert k.risk_threshold == r


# risk gap on the Cycle sheet: C at t = 0.5 (committed, e = 0.5)
@pytest.mark.parametrize(
    "risk_gap,current,status",
    [
        (None, 35, "behind"),  # default 0.25: gap 0.15
        (0.1, 35, "at_risk"),
        (0.1, 40, "behind"),  # gap 0.1 exactly
        (0.4, 15, "behind"),
        (0.4, 9, "at_risk"),
        ("10%", 35, "at_risk"),
    ],
)
def test_risk_gap(risk_gap, current, status):
    cycle = {"risk_gap": risk_gap} if risk_gap is not None else {}
    result = team([kr(current=current)], cycle=cycle)
    assert find_kr(result, "KR1").status == status


def test_gap_is_rounded_before_comparing_with_zero():
    # t = 0.3, aspirational 0.7: e = 0.21; p = (12.1-10)/(20-10) = 0.21, though in binary
    # floating point e - p is about 3e-17 > 0; rounded to 12 decimals it is 0: on track.
    result = team(
        [kr(start=10, target=20, current=12.1)],
        [obj(type="aspirational")],
        as_of=D(2027, 1, 4),
    )
    assert find_kr(result, "KR1").status == "on_track"


def test_gap_is_rounded_before_comparing_with_the_risk_gap():
    # t = 0.9, goal 0.6: e = 0.54, p = 0.29; 0.54 - 0.29 is 0.25000000000000006 in floating point
    result = team(
        [kr(current=29)],
        [obj(type="aspirational")],
        cycle={"aspirational_goal": 0.6},
        as_of=D(2027, 1, 10),
    )
    assert find_kr(result, "KR1").status == "behind"


# objective status: its KRs' cells, type, as of -> status
OBJECTIVE_STATUS_CASES = [
    ([{"current": None}, {"current": None}], "committed", HALF, "not_started"),
    ([{"current": None}, {"current": 0}], "committed", HALF, "at_risk"),
    ([{"current": 100}, {"current": 100}], "committed", HALF, "achieved"),
    # p = 1 but a guardrail met before the end is on track, not achieved: gap rule
    (
        [{"current": 100}, {"metric": "at_least", "start": None, "current": 100}],
        "committed",
        HALF,
        "on_track",
    ),
    (
        [{"current": 100}, {"metric": "at_least", "start": None, "current": 100}],
        "committed",
        END,
        "achieved",
    ),
    ([{"current": 35}], "aspirational", HALF, "on_track"),
    ([{"current": 35}], "committed", HALF, "behind"),
    ([{"current": 20}, {"current": 30}], "committed", HALF, "behind"),  # p .25, gap .25
    ([{"current": 10}, {"current": 20}], "committed", HALF, "at_risk"),  # p .15, gap .35
    ([{"current": 60}, {"current": 50}], "committed", HALF, "on_track"),
]


@pytest.mark.parametrize("krs,kind,as_of,status", OBJECTIVE_STATUS_CASES)
def test_objective_status(krs, kind, as_of, status):
    rows = [kr(f"KR{i}", **cells) for i, cells in enumerate(krs, start=1)]
    result = team(rows, [obj(type=kind)], as_of=as_of)
    assert find_obj(result, "O1").status == status


# team status: objectives (type, weight, C of its one KR) -> status at t = 0.5.
# e = t * (weighted mean of the top-level objectives' goals).
TEAM_STATUS_CASES = [
    ([("committed", 1, 45), ("aspirational", 1, 45)], "on_track"),  # e .425, p .45
    ([("committed", 1, 20), ("aspirational", 1, 20)], "behind"),  # gap .225
    ([("committed", 1, 10), ("aspirational", 1, 10)], "at_risk"),  # gap .325
    ([("committed", 3, 45), ("aspirational", 1, 45)], "behind"),  # e .4625, gap .0125
    ([("committed", 1, None), ("aspirational", 1, None)], "not_started"),
    ([("committed", 1, 50)], "on_track"),
]


@pytest.mark.parametrize("objectives,status", TEAM_STATUS_CASES)
def test_team_status(objectives, status):
    objs = [obj(f"O{i}", type=k, weight=w) for i, (k, w, _) in enumerate(objectives, start=1)]
    krs = [kr(f"KR{i}", f"O{i}", current=c) for i, (_, _, c) in enumerate(objectives, start=1)]
    result = team(krs, objs)
    assert result.status == status


def test_team_expected_uses_the_weighted_mean_goal():
    objs = [obj("O1", type="committed", weight=3), obj("O2", type="aspirational", weight=1)]
    result = team([kr("KR1", "O1", current=45), kr("KR2", "O2", current=45)], objs)
    assert result.expected == pytest.approx(0.5 * (3 * 1 + 0.7) / 4)


# score and band: Final score (or p) -> rounded score, band on the rounded score
SCORE_CASES = [
    ({"final_score": 0.39}, 0.39, "red"),
    ({"final_score": 0.394}, 0.39, "red"),
    ({"final_score": 0.395}, 0.4, "yellow"),
    ({"final_score": 0.4}, 0.4, "yellow"),
    ({"final_score": 0.69}, 0.69, "yellow"),
    ({"final_score": 0.695}, 0.7, "green"),
    ({"final_score": 0.7}, 0.7, "green"),
    ({"final_score": 1}, 1.0, "green"),
    ({"final_score": 0}, 0.0, "red"),
    ({"final_score": 0.125}, 0.13, "red"),
    ({"final_score": 0.285}, 0.29, "red"),
    ({"current": 28.5}, 0.29, "red"),  # p = 0.285
    ({"current": 12.5}, 0.13, "red"),
    ({"current": 69.5}, 0.7, "green"),
    ({"current": 50}, 0.5, "yellow"),
]


@pytest.mark.parametrize("cells,score,band", SCORE_CASES)
def test_kr_score_and_band(cells, score, band):
    cells = {"current": 50, **cells}
    result = team([kr(**cells)])
    k = find_kr(result, "KR1")
    assert (k.score, k.band) == (score, band)
    o = find_obj(result, "O1")
    assert (o.score, o.band) == (score, band)
    assert result.score == score
    assert result.to_json()["objectives"][0]["key_results"][0]["score"] == score


def test_final_score_overrides_score_not_progress():
    result = team([kr("KR1", current=50, final_score=0.9), kr("KR2", current=100)])
    assert find_kr(result, "KR1").progress == 0.5
    assert find_kr(result, "KR1").final_score == 0.9
    o = find_obj(result, "O1")
    assert o.progress == 0.75
    assert o.score == 0.95
    assert result.score == 0.95
    assert result.progress == 0.75


@pytest.mark.parametrize("final", [1.2, -0.1, "great"])
def test_final_score_out_of_range_is_e004(final):
    result = team([kr(current=50, final_score=final)])
    assert at(result, "E004") == ["Key Results!M2"]


def test_objective_score_is_unrounded_mean_of_kr_scores():
    # 0.005 and 0.004 -> mean 0.0045 -> 0.00; rounding the KRs first would give 0.005 -> 0.01
    result = team([kr("KR1", final_score=0.005), kr("KR2", final_score=0.004)])
    assert find_obj(result, "O1").score == 0.0


# E010: progress and score computed; e, expected and gap-based statuses null
@pytest.mark.parametrize(
    "cycle,cell",
    [
        ({"start": None}, "Cycle!B5"),
        ({"end": None}, "Cycle!B6"),
        ({"start": "soon"}, "Cycle!B5"),
        ({"end": "later"}, "Cycle!B6"),
        ({"start": D(2027, 1, 11), "end": D(2027, 1, 1)}, ("Cycle!B5", "Cycle!B6")),
    ],
)
def test_e010_bad_cycle_dates(cycle, cell):
    result = team(
        [kr("KR1", current=50), kr("KR2", current=None), kr("KR3", current=100)], cycle=cycle
    )
    where = at(result, "E010")
    assert len(where) == 1
    assert where[0] in (cell if isinstance(cell, tuple) else (cell,))
    assert result.elapsed is None and result.expected is None
    k1, k2, k3 = (find_kr(result, k) for k in ("KR1", "KR2", "KR3"))
    assert k1.progress == 0.5 and k1.score == 0.5
    assert k1.expected is None and k1.status is None
    assert k2.status == "not_started"
    assert k3.status == "achieved"
    o = find_obj(result, "O1")
    assert o.progress == pytest.approx(0.5) and o.expected is None and o.status is None
    assert result.progress == pytest.approx(0.5) and result.status is None
    j = result.to_json()
    assert j["cycle"]["elapsed"] is None and j["team"]["expected"] is None


def test_baseline_status_and_null_progress():
    result = team(
        [
            kr("KR1", metric="baseline", start=None, target=None, current=42),
            kr("KR2", metric="nulmeting", start=None, target=None, current=None),
            kr("KR3", current=50),
        ]
    )
    k1, k2 = find_kr(result, "KR1"), find_kr(result, "KR2")
    assert (k1.progress, k1.status) == (None, "on_track")
    assert (k2.progress, k2.status) == (None, "not_started")
    assert not k1.counted and not k2.counted
    assert find_obj(result, "O1").progress == 0.5  # never rolled up


def test_baseline_with_a_check_in_is_on_track():
    result = team(
        [kr(metric="baseline", start=None, target=None, current=None)],
        check_ins=[{"date": D(2027, 1, 3), "key_result": "KR1", "value": 7}],
    )
    assert find_kr(result, "KR1").status == "on_track"
    assert find_kr(result, "KR1").progress is None


def test_score_team_without_as_of_uses_today():
    m = model(objectives=[obj()], key_results=[kr(current=50)])
    result = score_team(m)
    assert isinstance(result.as_of, dt.date)
    assert abs((result.as_of - dt.date.today()).days) <= 1


def test_guardrail_with_blank_current_is_not_started():
    k = find_kr(team([kr(metric="at_least", start=None, target=5, current=None)]), "KR1")
    assert (k.progress, k.status) == (0.0, "not_started")


@pytest.mark.parametrize(
    "start,end",
    [("2027-01-01", "2027-01-11"), (dt.datetime(2027, 1, 1), dt.datetime(2027, 1, 11))],
)
def test_cycle_dates_as_iso_text_or_datetime(start, end):
    result = team(cycle={"start": start, "end": end})
    assert result.elapsed == 0.5
    assert at(result, "E010") == []


def test_e010_when_the_date_row_is_missing_names_the_sheet():
    m = model(cycle={"start": D(2027, 1, 1), "end": D(2027, 1, 11)}, objectives=[obj()],
              key_results=[kr(current=5)])
    del m.cycle["end"]
    result = score_team(m, HALF)
    assert at(result, "E010") == ["Cycle"]
    assert result.elapsed is None
