"""SPEC 3: the machine-readable output of one team has exactly these keys and types."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.core.helpers import kr, obj, team

TEAM_KEYS = {"key", "name", "parent", "progress", "score", "status", "expected"}
CYCLE_KEYS = {"name", "start", "end", "as_of", "elapsed"}
OBJECTIVE_KEYS = {"id", "title", "owner", "type", "aligned_to", "weight", "progress", "score",
                  "band", "status", "expected", "key_results"}
KR_KEYS = {"id", "title", "owner", "metric", "start", "target", "current", "unit", "weight",
           "risk_threshold", "final_score", "progress", "attainment", "score", "band", "status",
           "expected", "confidence", "last_check_in"}
INITIATIVE_KEYS = {"id", "objective", "key_result", "title", "owner", "status", "due"}
ISSUE_KEYS = {"level", "code", "where", "message"}

NUMBER = (int, float)


def _is_iso_date(text):
    return isinstance(text, str) and dt.date.fromisoformat(text).isoformat() == text


@pytest.fixture
def example():
    """SPEC 3's example: sales, decrease 120 -> 30 at 60, confidence 7, one initiative."""
    return team(
        [
            kr("KR1.1", "O1", title="Cut open tickets to 30", metric="decrease", start=120,
               target=30, current=None, unit="tickets", confidence="7"),
            kr("KR1.2", "O1", title="Reach 24 deals", metric=None, start=None, target=24,
               current="12"),
            kr("KR1.3", "O1", title="Launch portal", metric="milestone", start=None, target=None,
               current="40%", final_score=0.5),
            kr("KR1.4", "O1", title="Bad one", current="lots"),
        ],
        [obj("O1", aligned_to="company:O1", type="committed")],
        cycle={"start": dt.date(2027, 1, 1), "end": dt.date(2027, 3, 31), "parent": "company"},
        as_of=dt.date(2027, 2, 15),
        check_ins=[{"date": dt.date(2027, 2, 10), "key_result": "KR1.1", "value": 60}],
        initiatives=[{"id": "I1", "objective": "O1", "key_result": "KR1.1", "title": "Triage",
                      "owner": "Bo", "status": "in progress", "due": dt.date(2027, 3, 1)}],
    )


def test_keys_at_every_level(example):
    j = example.to_json()
    assert set(j) == {"team", "cycle", "objectives", "initiatives", "issues"}
    assert set(j["team"]) == TEAM_KEYS
    assert set(j["cycle"]) == CYCLE_KEYS
    for o in j["objectives"]:
        assert set(o) == OBJECTIVE_KEYS
        for k in o["key_results"]:
            assert set(k) == KR_KEYS
    for i in j["initiatives"]:
        assert set(i) == INITIATIVE_KEYS
    assert j["issues"]
    for i in j["issues"]:
        assert set(i) == ISSUE_KEYS
        assert i["level"] in ("error", "warning")


def test_values_and_types(example):
    j = json.loads(json.dumps(example.to_json()))  # survives a JSON round trip
    assert j["team"]["key"] == "sales" and j["team"]["parent"] == "company"
    assert j["cycle"] == {"name": "2027-Q1", "start": "2027-01-01", "end": "2027-03-31",
                          "as_of": "2027-02-15", "elapsed": pytest.approx(45 / 89)}
    (o,) = j["objectives"]
    assert o["aligned_to"] == "company:O1" and o["type"] == "committed"
    assert isinstance(o["weight"], NUMBER) and o["weight"] == 1
    krs = {k["id"]: k for k in o["key_results"]}
    k = krs["KR1.1"]
    assert k["metric"] == "decrease"
    assert (k["start"], k["target"], k["current"]) == (120, 30, 60)
    assert all(isinstance(k[f], NUMBER) and not isinstance(k[f], bool)
               for f in ("start", "target", "current", "weight", "progress", "attainment",
                         "score", "expected"))
    assert k["progress"] == pytest.approx(2 / 3, abs=1e-12)  # unrounded
    assert k["progress"] != round(k["progress"], 4)
    assert k["score"] == 0.67
    assert k["band"] == "yellow"
    assert k["unit"] == "tickets"
    assert k["confidence"] == "7"
    assert k["last_check_in"] == "2027-02-10" and _is_iso_date(k["last_check_in"])
    assert k["risk_threshold"] is None and k["final_score"] is None
    assert k["expected"] == pytest.approx(45 / 89)
    assert k["status"] == "on_track"
    # blank start of an increase is 0; a number read from text is a number
    assert krs["KR1.2"]["metric"] == "increase"
    assert krs["KR1.2"]["start"] == 0 and isinstance(krs["KR1.2"]["start"], NUMBER)
    assert krs["KR1.2"]["current"] == 12 and isinstance(krs["KR1.2"]["current"], NUMBER)
    # milestone current is its percent complete; final score overrides the score
    m = krs["KR1.3"]
    assert m["current"] == pytest.approx(0.4) and m["progress"] == pytest.approx(0.4)
    assert m["final_score"] == 0.5 and m["score"] == 0.5
    assert m["attainment"] is None and m["start"] is None and m["target"] is None
    # an unreadable KR is shown with nulls
    bad = krs["KR1.4"]
    assert (bad["progress"], bad["score"], bad["band"], bad["status"], bad["attainment"]) == (
        None, None, None, None, None)
    (i,) = j["initiatives"]
    assert i == {"id": "I1", "objective": "O1", "key_result": "KR1.1", "title": "Triage",
                 "owner": "Bo", "status": "in_progress", "due": "2027-03-01"}
    assert {"code": "E004", "where": "Key Results!H5"}.items() <= [
        x for x in j["issues"] if x["code"] == "E004"][0].items()


@pytest.mark.parametrize(
    "label,key",
    [("not started", "not_started"), ("in progress", "in_progress"), ("done", "done"),
     ("blocked", "blocked"), ("niet gestart", "not_started"), ("bezig", "in_progress"),
     ("klaar", "done"), ("geblokkeerd", "blocked"), ("In Progress", "in_progress")],
)
def test_initiative_status_keys(label, key):
    result = team(initiatives=[{"id": "I1", "objective": "O1", "title": "Do", "status": label}])
    assert result.to_json()["initiatives"][0]["status"] == key


def test_nulls_where_not_defined():
    result = team([], [obj("O1")], cycle={"start": None})
    j = result.to_json()
    assert j["team"]["progress"] is None and j["team"]["score"] is None
    assert j["team"]["status"] is None and j["team"]["expected"] is None
    assert j["cycle"]["start"] is None and j["cycle"]["elapsed"] is None
    o = j["objectives"][0]
    assert (o["progress"], o["score"], o["band"], o["status"], o["expected"]) == (
        None, None, None, None, None)


def test_status_values_are_keys():
    result = team([kr("KR1", current=10), kr("KR2", current=None), kr("KR3", current=100)])
    statuses = {k["status"] for k in result.to_json()["objectives"][0]["key_results"]}
    assert statuses == {"at_risk", "not_started", "achieved"}


def test_a_workbook_without_a_team_key_says_null_not_an_empty_string() -> None:
    from sheetokr.core.engine import score_team
    from tests.builders import model as build

    result = score_team(build(cycle={"team_key": None}), dt.date(2027, 2, 15))
    assert result.to_json()["team"]["key"] is None
