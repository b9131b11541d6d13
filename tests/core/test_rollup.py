"""SPEC 1.4: weights and roll-up within one team: KRs -> objectives -> aligned ones -> team."""

from __future__ import annotations

import pytest

from tests.core.helpers import at, codes, find_kr, find_obj, kr, obj, team

# KR weights, C (S 0, T 100) -> objective p; weight blank = 1, weight 0 shown but not counted
KR_WEIGHT_CASES = [
    ([(None, 100), (None, 0)], 0.5),
    ([(2, 100), (1, 0)], 2 / 3),
    ([(2, 100), (None, 0)], 2 / 3),
    ([(0, 100), (1, 50)], 0.5),
    ([(0.5, 100), (1.5, 20)], 0.4),
    ([("2", 100), (1, 0)], 2 / 3),  # a number read from text still counts (W120)
    ([(3, 10), (1, 90), (0, 100)], 0.3),
    ([(0, 100), (0, 50)], None),  # a mean over nothing
]


@pytest.mark.parametrize("weights,p", KR_WEIGHT_CASES)
def test_kr_weights(weights, p):
    krs = [kr(f"KR{i}", weight=w, current=c) for i, (w, c) in enumerate(weights, start=1)]
    o = find_obj(team(krs), "O1")
    if p is None:
        assert o.progress is None
    else:
        assert o.progress == pytest.approx(p, abs=1e-12)


@pytest.mark.parametrize("weight", [-1, -0.5, "heavy", "lots"])
def test_bad_weight_is_e009_and_not_counted(weight):
    result = team([kr("KR1", weight=weight, current=100), kr("KR2", current=50)])
    assert at(result, "E009") == ["Key Results!J2"]
    k = find_kr(result, "KR1")
    assert k.progress == 1.0  # shown where it can be computed
    assert not k.counted
    assert find_obj(result, "O1").progress == 0.5


def test_weight_zero_is_shown_in_json():
    result = team([kr("KR1", weight=0, current=100), kr("KR2", current=50)])
    j = result.to_json()["objectives"][0]["key_results"][0]
    assert j["weight"] == 0 and j["progress"] == 1.0


def test_bad_objective_weight_is_e009():
    result = team([kr("KR1", current=100), kr("KR2", "O2", current=0)],
                  [obj("O1", weight=-2), obj("O2")])
    assert at(result, "E009") == ["Objectives!F2"]
    assert result.progress == 0.0  # O1 is not counted in the team


# objective weights, p of its one KR -> team p (all top-level)
TEAM_CASES = [
    ([(1, 100), (1, 0)], 0.5),
    ([(3, 100), (1, 0)], 0.75),
    ([(None, 100), (0, 0)], 1.0),
    ([(1, 30), (1, None)], 0.15),  # C blank: p 0, still counted
]


@pytest.mark.parametrize("objectives,p", TEAM_CASES)
def test_team_progress_is_weighted_mean_of_top_level(objectives, p):
    objs = [obj(f"O{i}", weight=w) for i, (w, _) in enumerate(objectives, start=1)]
    krs = [kr(f"KR{i}", f"O{i}", current=c) for i, (_, c) in enumerate(objectives, start=1)]
    assert team(krs, objs).progress == pytest.approx(p)


def _tree(parents: dict[str, str | None], currents: dict[str, float | None],
          weights: dict[str, float] | None = None):
    """Objectives with Aligned to from `parents`; one KR for each objective listed in `currents`."""
    weights = weights or {}
    objs = [obj(o, aligned_to=a, weight=weights.get(o)) for o, a in parents.items()]
    krs = [kr(f"KR{o}", o, current=c) for o, c in currents.items()]
    return team(krs, objs)


# parents, KR currents, weights -> expected p per objective, team p
ROLLUP_CASES = [
    # O1 without KRs takes the weighted mean of O2 and O3, aligned to it
    ({"O1": None, "O2": "O1", "O3": "O1"}, {"O2": 100, "O3": 0}, {"O3": 3},
     {"O1": 0.25, "O2": 1.0, "O3": 0.0}, 0.25),
    # O1 with KRs ignores its aligned children; O2 is not top-level
    ({"O1": None, "O2": "O1"}, {"O1": 50, "O2": 100}, {},
     {"O1": 0.5, "O2": 1.0}, 0.5),
    # three levels: O2 = mean(O3, O4) = 0.6; O1 = mean(O2, O5) = 0.8
    ({"O1": None, "O2": "O1", "O3": "O2", "O4": "O2", "O5": "O1"},
     {"O3": 40, "O4": 80, "O5": 100}, {},
     {"O1": 0.8, "O2": 0.6, "O3": 0.4, "O4": 0.8, "O5": 1.0}, 0.8),
    # weights at the middle level count: O2 (w 3) 0.6 and O5 (w 1) 1.0 -> 0.7
    ({"O1": None, "O2": "O1", "O3": "O2", "O4": "O2", "O5": "O1"},
     {"O3": 40, "O4": 80, "O5": 100}, {"O2": 3},
     {"O1": 0.7, "O2": 0.6}, 0.7),
    # a child with weight 0 or null p does not count
    ({"O1": None, "O2": "O1", "O3": "O1", "O4": "O1"}, {"O2": 20, "O3": 100}, {"O3": 0},
     {"O1": 0.2, "O4": None}, 0.2),
    # two top-level objectives, one measured through its child
    ({"O1": None, "O2": "O1", "O3": None}, {"O2": 60, "O3": 20}, {},
     {"O1": 0.6, "O3": 0.2}, 0.4),
    # own team key in Aligned to means the same team; IDs are case-insensitive
    ({"O1": None, "O2": "sales:O1", "O3": " o1 "}, {"O2": 100, "O3": 50}, {},
     {"O1": 0.75}, 0.75),
]


@pytest.mark.parametrize("parents,currents,weights,expected,team_p", ROLLUP_CASES)
def test_alignment_roll_up(parents, currents, weights, expected, team_p):
    result = _tree(parents, currents, weights)
    for oid, p in expected.items():
        got = find_obj(result, oid).progress
        assert (got is None and p is None) or got == pytest.approx(p, abs=1e-12), oid
    assert result.progress == pytest.approx(team_p, abs=1e-12)
    assert "E006" not in codes(result) and "E007" not in codes(result)


def test_score_of_objective_without_krs_is_mean_of_aligned_scores():
    result = team(
        [kr("KR2", "O2", current=50, final_score=0.9), kr("KR3", "O3", current=10)],
        [obj("O1"), obj("O2", aligned_to="O1"), obj("O3", aligned_to="O1")],
    )
    o1 = find_obj(result, "O1")
    assert o1.progress == pytest.approx(0.3)
    assert o1.score == 0.5  # (0.9 + 0.1) / 2
    assert result.score == 0.5


@pytest.mark.parametrize(
    "parents,cycle_cells",
    [
        ({"O1": "O2", "O2": "O1"}, ["Objectives!E2", "Objectives!E3"]),
        ({"O1": "O1"}, ["Objectives!E2"]),
        ({"O1": "O2", "O2": "O3", "O3": "O1"}, ["Objectives!E2", "Objectives!E3", "Objectives!E4"]),
        ({"O1": "O3", "O2": "O3", "O3": "O2"}, ["Objectives!E3", "Objectives!E4"]),
    ],
)
def test_alignment_cycle_is_e007_on_each_cell(parents, cycle_cells):
    parents = {**parents, "O9": None}
    result = _tree(parents, {o: 50 for o in parents if o != "O9"} | {"O9": 40})
    assert sorted(at(result, "E007")) == cycle_cells
    rows = {int(where.removeprefix("Objectives!E")) for where in cycle_cells}
    for o in result.objectives:
        if o.row.number in rows:
            assert o.progress is None, o.id
    assert find_obj(result, "O9").progress == pytest.approx(0.4)


def test_unknown_same_team_alignment_is_e006_and_top_level():
    result = team([kr("KR1", "O1", current=100), kr("KR2", "O2", current=0)],
                  [obj("O1"), obj("O2", aligned_to="O9")])
    assert at(result, "E006") == ["Objectives!E3"]
    assert find_obj(result, "O2").progress == 0
    assert result.progress == 0.5  # O2 counts as top-level


def test_own_team_key_with_unknown_objective_is_e006():
    result = team([kr("KR1", "O1", current=100)], [obj("O1", aligned_to="sales:O7")])
    assert at(result, "E006") == ["Objectives!E2"]


def test_other_teams_objective_is_not_checked_alone_and_stays_top_level():
    result = team([kr("KR1", "O1", current=100), kr("KR2", "O2", current=0)],
                  [obj("O1"), obj("O2", aligned_to="company:O1")])
    assert "E006" not in codes(result)
    assert result.progress == 0.5


def test_objective_measured_only_through_aligned_ones_is_w111_alone():
    result = team([kr("KR2", "O2", current=40)], [obj("O1"), obj("O2")])
    assert at(result, "W111") == ["Objectives!A2"]
    assert "E012" not in codes(result)
    assert find_obj(result, "O1").progress is None
    assert result.progress == pytest.approx(0.4)  # null top-level objectives are skipped


def test_team_with_nothing_measured_has_null_progress():
    result = team([], [obj("O1")])
    assert result.progress is None and result.score is None


def test_not_counted_kr_leaves_objective_to_aligned_children():
    # O1's only KR has a bad weight: O1 has no counting KRs, so it takes O2's p
    result = team([kr("KR1", "O1", current=100, weight=-1), kr("KR2", "O2", current=30)],
                  [obj("O1"), obj("O2", aligned_to="O1")])
    assert find_obj(result, "O1").progress == pytest.approx(0.3)
