"""SPEC 1.6: check-ins give Current when it is blank, the last check-in date and confidence."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.core.helpers import at, codes, find_kr, kr, team

D = dt.date


def ci(day: int, value, kid: str = "KR1", confidence=None, month: int = 1):
    return {
        "date": D(2027, month, day), "key_result": kid, "value": value, "confidence": confidence
    }


# KR Current, check-ins (as of 2027-01-06 unless said) -> current, last check-in
CHECK_IN_CASES = [
    ("latest date wins", None, [ci(2, 10), ci(4, 30), ci(3, 20)], 30, D(2027, 1, 4)),
    ("equal dates: the row further down", None, [ci(4, 30), ci(4, 40), ci(2, 10)], 40,
     D(2027, 1, 4)),
    ("equal dates, reverse order", None, [ci(4, 40), ci(4, 30)], 30, D(2027, 1, 4)),
    ("after as of ignored", None, [ci(2, 10), ci(9, 90)], 10, D(2027, 1, 2)),
    ("on as of counts", None, [ci(2, 10), ci(6, 60)], 60, D(2027, 1, 6)),
    ("blank value ignored", None, [ci(2, 10), ci(5, None)], 10, D(2027, 1, 2)),
    ("Current filled wins", 25, [ci(2, 10), ci(4, 30)], 25, D(2027, 1, 4)),
    ("KR ID case-insensitive", None, [ci(3, 70, kid=" kr1 ")], 70, D(2027, 1, 3)),
    ("text value", None, [ci(3, "70")], 70, D(2027, 1, 3)),
    ("no check-ins", 25, [], 25, None),
    ("only future check-ins", None, [ci(8, 80)], None, None),
]


@pytest.mark.parametrize("name,current,check_ins,expected,last", CHECK_IN_CASES,
                         ids=[c[0] for c in CHECK_IN_CASES])
def test_check_ins(name, current, check_ins, expected, last):
    result = team([kr(current=current)], check_ins=check_ins)
    k = find_kr(result, "KR1")
    assert k.current == expected
    assert k.last_check_in == last
    if expected is not None:
        assert k.progress == pytest.approx(expected / 100)
    j = result.to_json()["objectives"][0]["key_results"][0]
    assert j["last_check_in"] == (last.isoformat() if last else None)


def test_kr_with_check_in_is_not_not_started():
    result = team([kr(current=None)], check_ins=[ci(3, 0)])
    k = find_kr(result, "KR1")
    assert k.progress == 0
    assert k.status == "at_risk"  # gap 0.5 at t = 0.5


def test_only_future_check_ins_leave_kr_not_started():
    result = team([kr(current=None)], check_ins=[ci(8, 80)])
    assert find_kr(result, "KR1").status == "not_started"


def test_datetime_check_in_dates():
    rows = [{"date": dt.datetime(2027, 1, 3, 9, 30), "key_result": "KR1", "value": 20},
            {"date": dt.datetime(2027, 1, 5, 0, 0), "key_result": "KR1", "value": 50}]
    k = find_kr(team([kr(current=None)], check_ins=rows), "KR1")
    assert k.current == 50 and k.last_check_in == D(2027, 1, 5)


# KR Confidence cell, check-ins -> confidence as typed
CONFIDENCE_CASES = [
    ("high", [ci(3, 10, confidence="7")], "high"),
    (None, [ci(3, 10, confidence="7")], "7"),
    (None, [ci(3, 10, confidence=7)], "7"),
    (None, [ci(2, 10, confidence="low"), ci(4, 20, confidence="hoog")], "hoog"),
    (None, [ci(4, 10, confidence="3"), ci(2, 20, confidence="9")], "3"),
    (8, [ci(3, 10, confidence="2")], "8"),
    (None, [], None),
    ("Medium", [], "Medium"),
]


@pytest.mark.parametrize("cell,check_ins,expected", CONFIDENCE_CASES)
def test_confidence(cell, check_ins, expected):
    result = team([kr(current=None, confidence=cell)], check_ins=check_ins)
    assert find_kr(result, "KR1").confidence == expected
    assert result.to_json()["objectives"][0]["key_results"][0]["confidence"] == expected


def test_check_in_for_unknown_kr_is_e013_and_ignored():
    result = team([kr(current=None)], check_ins=[ci(3, 50, kid="KR9"), ci(2, 10)])
    assert at(result, "E013") == ["Check-ins!B2"]
    assert find_kr(result, "KR1").current == 10


@pytest.mark.parametrize("date", ["someday", "32/13/2027", 12.5e9])
def test_unreadable_check_in_date_is_e015_and_ignored(date):
    rows = [{"date": date, "key_result": "KR1", "value": 90}, ci(2, 10)]
    result = team([kr(current=None)], check_ins=rows)
    assert at(result, "E015") == ["Check-ins!A2"]
    k = find_kr(result, "KR1")
    assert k.current == 10 and k.last_check_in == D(2027, 1, 2)


def test_unreadable_check_in_value_is_e004_at_the_value_cell():
    result = team([kr(current=None)], check_ins=[ci(2, 10), ci(3, "lots")])
    assert at(result, "E004") == ["Check-ins!C3"]


# W105: no counted check-in in the last 14 days while the cycle runs and >= 14 days since D0
LONG = {"start": D(2027, 1, 1), "end": D(2027, 3, 31)}
W105_CASES = [
    (D(2027, 2, 15), [], True),
    (D(2027, 2, 15), [ci(10, 10, month=2)], False),  # 5 days ago
    (D(2027, 2, 15), [ci(20, 10, month=1)], True),  # 26 days ago
    (D(2027, 2, 15), [ci(20, 10, month=2)], True),  # after as of: not counted
    (D(2027, 2, 15), [ci(10, None, month=2)], True),  # blank value: not counted
    (D(2027, 1, 10), [], False),  # fewer than 14 days since D0
    (D(2027, 4, 20), [], False),  # the cycle has ended
    (D(2026, 12, 1), [], False),  # not started
]


@pytest.mark.parametrize("as_of,check_ins,warned", W105_CASES)
def test_w105_stale_key_results(as_of, check_ins, warned):
    result = team([kr(current=50)], cycle=LONG, as_of=as_of, check_ins=check_ins)
    assert at(result, "W105") == (["Key Results!A2"] if warned else [])


def test_check_in_with_confidence_only_is_ignored():
    result = team([kr(current=None)], check_ins=[ci(3, None, confidence="9")])
    k = find_kr(result, "KR1")
    assert k.current is None and k.last_check_in is None
    assert "E013" not in codes(result)


def test_check_in_value_read_from_text_is_w120_at_the_value_cell():
    result = team([kr(current=None)], check_ins=[ci(3, "70%")])
    assert at(result, "W120") == ["Check-ins!C2"]
    assert find_kr(result, "KR1").current == pytest.approx(0.7)


def test_milestone_takes_its_latest_check_in_word():
    result = team([kr(metric="milestone", start=None, target=None, current=None)],
                  check_ins=[ci(2, "nee"), ci(3, "ja")])
    k = find_kr(result, "KR1")
    assert (k.progress, k.current, k.status) == (1.0, 1, "achieved")


def test_check_in_date_as_iso_text():
    rows = [{"date": "2027-01-03", "key_result": "KR1", "value": 20}]
    k = find_kr(team([kr(current=None)], check_ins=rows), "KR1")
    assert k.current == 20 and k.last_check_in == D(2027, 1, 3)
