"""SPEC 1.4, 1.7 and 3: consolidating team workbooks into one organisation."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetokr.core.engine import consolidate
from tests.builders import model
from tests.core.helpers import HALF, TEN_DAYS, find_obj, kr, obj

D = dt.date


def workbook(key, parent=None, objectives=(), key_results=(), **cycle):
    c = {**TEN_DAYS, "team_key": key, "team_name": key.title(), "parent": parent, **cycle}
    return model(cycle=c, objectives=list(objectives), key_results=list(key_results))


def company(*objectives, key_results=()):
    return workbook("company", None, objectives or [obj("O1")], key_results)


def child(key, aligned="company:O1", current=50, weight=None, parent="company", **cycle):
    return workbook(
        key, parent, [obj("O1", aligned_to=aligned, weight=weight)],
        [kr("KR1", "O1", current=current)], **cycle
    )


def org_issues(result, code):
    return [i for i in result.issues if i.code == code]


def all_issues(result, code):
    found = [(None, i) for i in result.issues if i.code == code]
    for t in result.teams:
        found += [(t.key, i) for i in t.issues if i.code == code]
    return found


# children (key, Aligned to, C, weight) -> company O1 p, org p
ROLLUP_CASES = [
    ([("sales", "company:O1", 50, None), ("support", "company:O1", 100, 3)], 0.875),
    ([("sales", "company:O1", 20, None), ("support", "COMPANY:o1", 60, None)], 0.4),
    ([("sales", "company:O1", 20, 0), ("support", "company:O1", 60, None)], 0.6),
    ([("sales", "company:O1", 30, None)], 0.3),
]


@pytest.mark.parametrize("children,p", ROLLUP_CASES)
def test_company_objective_takes_mean_of_aligned_team_objectives(children, p):
    models = [company()] + [child(k, a, c, w) for k, a, c, w in children]
    result = consolidate(models, HALF)
    root = result.team("company")
    assert find_obj(root, "O1").progress == pytest.approx(p)
    assert root.progress == pytest.approx(p)
    assert result.progress == pytest.approx(p)  # org p = the root team's p
    assert result.root == "company"
    assert not all_issues(result, "E012")
    assert not all_issues(result, "W111")


def test_company_objective_with_krs_ignores_aligned_teams():
    models = [company(key_results=[kr("KR1", "O1", current=10)]), child("sales", current=90)]
    result = consolidate(models, HALF)
    assert result.progress == pytest.approx(0.1)
    assert find_obj(result.team("sales"), "O1").progress == pytest.approx(0.9)


def test_multi_level_teams():
    models = [
        company(),
        workbook("sales", "company", [obj("O1", aligned_to="company:O1")]),
        workbook("sales-nl", "sales", [obj("O1", aligned_to="sales:O1")],
                 [kr("KR1", "O1", current=40)]),
        workbook("sales-be", "sales", [obj("O1", aligned_to="sales:O1")],
                 [kr("KR1", "O1", current=80)]),
    ]
    result = consolidate(models, HALF)
    assert result.team("sales").progress == pytest.approx(0.6)
    assert result.progress == pytest.approx(0.6)


def test_unresolved_other_team_objective_is_e006():
    result = consolidate([company(), child("sales", "company:O9", 50)], HALF)
    found = all_issues(result, "E006")
    assert [i.where for _, i in found] == ["Objectives!E2"]
    assert {team or i.team for team, i in found} == {"sales"}
    # the alignment is ignored: sales O1 still counts in its own team
    assert result.team("sales").progress == 0.5
    assert result.team("company").progress is None


def test_unknown_team_is_e006():
    result = consolidate([company(), child("sales", "nowhere:O1", 50)], HALF)
    assert len(all_issues(result, "E006")) == 1


def test_objective_with_nothing_to_measure_is_e012_after_consolidation():
    models = [company(obj("O1"), obj("O2")), child("sales")]
    result = consolidate(models, HALF)
    found = all_issues(result, "E012")
    assert [i.where for _, i in found] == ["Objectives!A3"]
    assert not all_issues(result, "W111")


def test_duplicate_team_key_is_e016():
    result = consolidate([company(), child("sales", current=10), child("Sales", current=90)], HALF)
    found = org_issues(result, "E016")
    assert len(found) >= 1 and all(i.team == "sales" for i in found)
    assert all(i.level == "error" for i in found)


def test_unknown_parent_is_e017():
    result = consolidate([company(), child("sales", parent="nowhere")], HALF)
    found = org_issues(result, "E017")
    assert [i.team for i in found] == ["sales"]


@pytest.mark.parametrize(
    "models",
    [
        lambda: [company(), workbook("other", None, [obj("O1")], [kr("KR1", "O1", current=1)])],
        lambda: [child("a", parent="b"), child("b", parent="a")],
    ],
    ids=["two roots", "no root"],
)
def test_not_exactly_one_root_is_e018(models):
    result = consolidate(models(), HALF)
    assert len(org_issues(result, "E018")) == 1


def test_cycle_in_team_tree_is_e019():
    models = [company(), child("a", aligned=None, parent="b"), child("b", aligned=None, parent="a")]
    result = consolidate(models, HALF)
    found = org_issues(result, "E019")
    assert found and {i.team for i in found} <= {"a", "b"}
    assert not org_issues(result, "E018")


def test_team_on_another_cycle_is_w112_and_not_counted():
    models = [company(), child("sales", current=20), child("support", current=100, cycle="2027-Q2")]
    result = consolidate(models, HALF)
    found = org_issues(result, "W112")
    assert [i.team for i in found] == ["support"]
    assert found[0].level == "warning"
    assert result.progress == pytest.approx(0.2)


def test_every_team_is_evaluated_at_the_same_as_of():
    models = [company(), child("sales", as_of=D(2027, 1, 11))]
    result = consolidate(models, HALF)
    assert result.as_of == HALF
    assert {t.as_of for t in result.teams} == {HALF}
    assert {t.elapsed for t in result.teams} == {0.5}


def test_org_json_shape():
    result = consolidate([company(), child("sales", current=50), child("support", current=100)],
                         HALF)
    j = result.to_json()
    assert set(j) == {"org", "teams"}
    assert set(j["org"]) == {"name", "root", "progress", "score", "status", "as_of", "issues"}
    assert j["org"]["root"] == "company"
    assert j["org"]["as_of"] == "2027-01-06"
    assert j["org"]["progress"] == pytest.approx(0.75)
    assert j["org"]["score"] == 0.75
    assert j["org"]["status"] == "on_track"
    assert sorted(t["team"]["key"] for t in j["teams"]) == ["company", "sales", "support"]
    company_json = [t for t in j["teams"] if t["team"]["key"] == "company"][0]
    assert company_json["objectives"][0]["progress"] == pytest.approx(0.75)
    for t in j["teams"]:
        assert set(t) == {"team", "cycle", "objectives", "initiatives", "issues"}
    for issue in j["org"]["issues"]:
        assert set(issue) == {"level", "code", "where", "message", "team"}


def test_org_issue_json_carries_team():
    j = consolidate([company(), child("sales", parent="nowhere")], HALF).to_json()
    (e017,) = [i for i in j["org"]["issues"] if i["code"] == "E017"]
    assert e017["team"] == "sales" and e017["level"] == "error" and e017["message"]


def test_alignment_cycle_across_teams_is_e007_in_both():
    models = [workbook("company", None, [obj("O1", aligned_to="sales:O1")]),
              child("sales", "company:O1", 50)]
    result = consolidate(models, HALF)
    found = all_issues(result, "E007")
    assert sorted((team or i.team, i.where) for team, i in found) == [
        ("company", "Objectives!E2"), ("sales", "Objectives!E2")]
    assert find_obj(result.team("sales"), "O1").progress is None
    assert find_obj(result.team("company"), "O1").progress is None


def test_w109_for_non_root_team_objective_aligned_to_nothing():
    result = consolidate([company(), child("sales", None, 50)], HALF)
    found = all_issues(result, "W109")
    assert [(team or i.team, i.where) for team, i in found] == [("sales", "Objectives!E2")]


def test_team_on_another_cycle_gets_no_e006_for_an_existing_objective():
    # company:O1 exists; the team is listed and not counted (W112), its alignment is not unknown
    models = [company(), child("sales", "company:O1", 50, cycle="2027-Q2")]
    result = consolidate(models, HALF)
    assert [i.team for i in org_issues(result, "W112")] == ["sales"]
    assert all_issues(result, "E006") == []
