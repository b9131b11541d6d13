"""SPEC 1.1 and 1.3: progress and attainment of each metric type, and what errors take out."""

from __future__ import annotations

import pytest

from tests.core.helpers import at, find_kr, find_obj, kr, obj, one_kr, team

NA = object()  # "not given": the cell stays blank

# metric, S, T, C -> p, attainment (hand-computed from SPEC 1.1)
RATIO_CASES = [
    ("increase", 12, 24, 18, 0.5, 0.5),
    ("decrease", 120, 30, 60, 2 / 3, 2 / 3),
    ("increase", 12, 24, 30, 1.0, 1.5),  # overshoot: p clamps, attainment does not
    ("increase", 12, 24, 24, 1.0, 1.0),
    ("increase", 12, 24, 12, 0.0, 0.0),
    ("increase", 12, 24, 6, 0.0, -0.5),  # going backwards
    ("decrease", 9, 6, 10, 0.0, -1 / 3),  # 9 -> 6 at 10
    ("decrease", 9, 6, 3, 1.0, 2.0),
    ("decrease", 100, 0, 25, 0.75, 0.75),
    ("increase", -10, 10, 0, 0.5, 0.5),
    ("increase", NA, 10, 4, 0.4, 0.4),  # blank start = 0
    ("increase", 0.1, 0.3, 0.2, 0.5, 0.5),
    (None, 12, 24, 18, 0.5, 0.5),  # blank metric = increase
    ("verhogen", 12, 24, 18, 0.5, 0.5),
    ("VERLAGEN", 120, 30, 60, 2 / 3, 2 / 3),
    ("  Increase ", 12, 24, 18, 0.5, 0.5),
]


def _cells(metric, s, t, c, **more):
    cells = {"metric": metric, "target": t, "current": c, **more}
    cells["start"] = None if s is NA else s
    return cells


@pytest.mark.parametrize("metric,s,t,c,p,attainment", RATIO_CASES)
def test_ratio_metrics(metric, s, t, c, p, attainment):
    _, k = one_kr(**_cells(metric, s, t, c))
    assert k.progress == pytest.approx(p, abs=1e-12)
    assert k.attainment == pytest.approx(attainment, abs=1e-12)
    assert k.counted


def test_blank_start_of_increase_is_zero_in_json():
    result, k = one_kr(**_cells("increase", NA, 10, 4))
    assert find_obj(result, "O1").to_json()["key_results"][0]["start"] == 0
    assert k.start == 0


# S == T: p = 1 if C >= T (increase) or C <= T (decrease), else 0; attainment null; W103.
SAME_CASES = [
    ("increase", 10, 10, 1.0),
    ("increase", 10, 11, 1.0),
    ("increase", 10, 9, 0.0),
    ("decrease", 10, 10, 1.0),
    ("decrease", 10, 9, 1.0),
    ("decrease", 10, 11, 0.0),
    ("increase", 0, 0, 1.0),  # blank start = 0 = target
]


@pytest.mark.parametrize("metric,s_and_t,c,p", SAME_CASES)
def test_start_equals_target(metric, s_and_t, c, p):
    result, k = one_kr(**_cells(metric, s_and_t, s_and_t, c))
    assert k.progress == p
    assert k.attainment is None
    assert at(result, "W103") == ["Key Results!G2"]


# Guardrails compare inclusively against T; p is 1 or 0; attainment is null.
GUARDRAIL_CASES = [
    ("at_least", 100, 100, 1.0),
    ("at_least", 100, 150, 1.0),
    ("at_least", 100, 99.99, 0.0),
    ("at least", 100, 100, 1.0),
    ("minimaal", 100, 50, 0.0),
    ("at_most", 5, 5, 1.0),
    ("at_most", 5, 0, 1.0),
    ("at_most", 5, 5.01, 0.0),
    ("At Most", 5, 4, 1.0),
    ("maximaal", 5, 6, 0.0),
]


@pytest.mark.parametrize("metric,t,c,p", GUARDRAIL_CASES)
def test_guardrails(metric, t, c, p):
    _, k = one_kr(start=None, metric=metric, target=t, current=c)
    assert k.progress == p
    assert k.attainment is None
    assert k.counted


def test_current_blank_without_check_in_is_zero_and_not_started():
    _, k = one_kr(metric="increase", start=0, target=10, current=None)
    assert k.progress == 0
    assert k.status == "not_started"


# Errors that null a KR (SPEC 1.3): E003, E004, E005, E008 -> p, attainment, score, status null.
NULLING_CASES = [
    ("E003", "G2", {"metric": "increase", "start": 0, "target": None, "current": 5}),
    ("E003", "G2", {"metric": "decrease", "start": 10, "target": None, "current": 5}),
    ("E003", "G2", {"metric": "at_least", "start": None, "target": None, "current": 5}),
    ("E003", "G2", {"metric": "at_most", "start": None, "target": None, "current": 5}),
    ("E005", "F2", {"metric": "decrease", "start": None, "target": 30, "current": 60}),
    ("E008", "E2", {"metric": "grow", "start": 0, "target": 10, "current": 5}),
    ("E008", "E2", {"metric": "more", "start": 0, "target": 10, "current": 5}),
    ("E004", "H2", {"metric": "increase", "start": 0, "target": 10, "current": "lots"}),
    ("E004", "G2", {"metric": "increase", "start": 0, "target": "tbd", "current": 5}),
    ("E004", "F2", {"metric": "increase", "start": "zero", "target": 10, "current": 5}),
]


@pytest.mark.parametrize("code,cell,cells", NULLING_CASES)
def test_errors_that_null_a_key_result(code, cell, cells):
    result = team([kr("KR1", **cells), kr("KR2", current=50)])
    k = find_kr(result, "KR1")
    assert at(result, code) == [f"Key Results!{cell}"]
    assert (k.progress, k.attainment, k.score, k.status) == (None, None, None, None)
    assert not k.counted
    # O1 rolls up KR2 alone
    assert find_obj(result, "O1").progress == pytest.approx(0.5)


# E011: direction contradicts S and T: p shown where it can be computed, the KR not counted.
CONTRADICTION_CASES = [
    ("increase", 24, 12, 18, 0.5),
    ("increase", 24, 12, 30, 0.0),
    ("decrease", 30, 120, 60, 1 / 3),  # (60-30)/(120-30)
    ("decrease", 30, 120, 20, 0.0),
]


@pytest.mark.parametrize("metric,s,t,c,p", CONTRADICTION_CASES)
def test_direction_contradiction(metric, s, t, c, p):
    result = team([kr("KR1", metric=metric, start=s, target=t, current=c), kr("KR2", current=100)])
    k = find_kr(result, "KR1")
    assert at(result, "E011") == ["Key Results!E2"]
    assert not k.counted
    assert find_obj(result, "O1").progress == 1.0
    assert k.progress == pytest.approx(p)


def test_weight_zero_kr_is_shown_not_counted():
    result = team([kr("KR1", current=100, weight=0), kr("KR2", current=50)])
    k = find_kr(result, "KR1")
    assert k.progress == 1.0 and k.weight == 0
    assert find_obj(result, "O1").progress == pytest.approx(0.5)


def test_objective_fixture_is_used():
    # guard for the helpers: an objective with no KRs has no progress alone
    result = team([kr("KR1", objective="O2", current=50)], [obj("O1"), obj("O2")])
    assert find_obj(result, "O2").progress == pytest.approx(0.5)
    assert find_obj(result, "O1").progress is None


def test_blank_start_counts_as_zero_for_direction():
    # increase with blank S (= 0) and T = -5 contradicts its direction
    result = team([kr("KR1", start=None, target=-5, current=-1)])
    assert at(result, "E011") == ["Key Results!E2"]
    assert find_kr(result, "KR1").progress == pytest.approx(0.2)
    assert not find_kr(result, "KR1").counted
