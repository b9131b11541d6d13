"""needs_attention over a real organisation: what is listed, why, where, and in which order."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from sheetokr.core.engine import consolidate
from sheetokr.core.results import OrgResult
from sheetokr.org.attention import REASONS, Attention, natural_key, needs_attention
from sheetokr.xlsx.read import load_team
from tests.builders import grid, write_xlsx
from tests.org.conftest import AS_OF, TEAMS, write_org


def _find(items: list[Attention], team: str, item_id: str, code: str) -> Attention:
    found = [a for a in items if (a.team, a.id, a.reason_code) == (team, item_id, code)]
    assert len(found) == 1, f"{team} {item_id} {code}: {found}"
    return found[0]


def test_the_at_risk_key_result_is_listed_with_its_numbers_and_cell(org: OrgResult) -> None:
    items = needs_attention(org)
    kr = org.team("sales").objectives[0].key_results[0]  # type: ignore[union-attr]
    a = _find(items, "sales", "KR1.1", "at_risk")
    assert (a.kind, a.title, a.owner, a.status) == (
        "key_result",
        "Deals 0 to 100",
        "Sam",
        "at_risk",
    )
    assert a.progress == kr.progress and a.team_name == "Sales"
    assert a.where == "Key Results!A2"
    assert "at risk" in a.reason and f"{kr.progress:.0%}" in a.reason


def test_a_key_result_without_a_check_in_for_14_days_is_stale(org: OrgResult) -> None:
    a = _find(needs_attention(org), "support", "KR1.1", "stale")
    assert a.status == "on_track"  # stale although on track
    assert "2027-01-20" in a.reason
    # every other KR checked in within 14 days: nothing else is stale
    assert [x.id for x in needs_attention(org) if x.reason_code == "stale"] == ["KR1.1"]


def test_stale_follows_the_14_day_rule_at_its_edges(models: list) -> None:
    # support's last check-in is 2027-01-20: 13 days later it is fresh, 14 days later stale
    fresh = consolidate(models, as_of=dt.date(2027, 2, 2))
    stale = consolidate(models, as_of=dt.date(2027, 2, 3))
    assert not [
        a for a in needs_attention(fresh) if a.reason_code == "stale" and a.team == "support"
    ]
    assert [
        a.id for a in needs_attention(stale) if a.reason_code == "stale" and a.team == "support"
    ]
    # after the cycle has ended nothing is stale any more
    ended = consolidate(models, as_of=dt.date(2027, 4, 30))
    assert not [a for a in needs_attention(ended) if a.reason_code == "stale"]


def test_errors_on_a_key_result_and_on_the_team(org: OrgResult) -> None:
    items = needs_attention(org)
    kr = _find(items, "ops", "KR1.1", "errors")
    assert kr.kind == "key_result" and kr.where == "Key Results!G2" and "E004" in kr.reason
    team = _find(items, "ops", "ops", "errors")
    assert team.kind == "team" and "E006" in team.reason
    assert not [a for a in items if a.reason_code == "errors" and a.team != "ops"]


def test_behind_team_and_objective(org: OrgResult) -> None:
    items = needs_attention(org)
    assert _find(items, "sales", "sales", "behind").kind == "team"
    assert _find(items, "sales", "O1", "behind").kind == "objective"


def test_missing_owners(tmp_path: Path) -> None:
    teams = {k: dict(v) for k, v in TEAMS.items()}
    teams["support"] = dict(teams["support"])
    teams["support"]["objectives"] = [{**teams["support"]["objectives"][0], "owner": None}]
    teams["support"]["key_results"] = [{**teams["support"]["key_results"][0], "owner": None}]
    org = consolidate([load_team(p) for p in write_org(tmp_path, teams)], as_of=AS_OF)
    items = needs_attention(org)
    assert _find(items, "support", "O1", "no_owner").where == "Objectives!C2"
    assert _find(items, "support", "KR1.1", "no_owner").where == "Key Results!D2"
    assert [a.team for a in items if a.reason_code == "no_owner"] == ["support", "support"]


def test_most_urgent_first_then_team_kind_and_id(org: OrgResult) -> None:
    items = needs_attention(org)
    assert [a.reason_code for a in items] == sorted(
        (a.reason_code for a in items), key=REASONS.index
    )
    assert [(a.reason_code, a.team, a.kind, a.id) for a in items] == [
        ("at_risk", "sales", "key_result", "KR1.1"),
        ("behind", "sales", "team", "sales"),
        ("behind", "sales", "objective", "O1"),
        ("errors", "ops", "team", "ops"),
        ("errors", "ops", "key_result", "KR1.1"),
        ("stale", "support", "key_result", "KR1.1"),
    ]


def test_ids_sort_in_reading_order(tmp_path: Path) -> None:
    krs = [
        {
            "id": f"KR1.{n}",
            "objective": "O1",
            "title": f"Grow 0 to {n}",
            "owner": "x",
            "start": 0,
            "target": 100,
            "current": 1,
        }
        for n in (10, 2, 1)
    ]
    team = grid(
        cycle={"team_key": "solo", "parent": None},
        objectives=[{"id": "O1", "title": "One", "owner": "x", "type": "committed"}],
        key_results=krs,
    )
    org = consolidate([load_team(write_xlsx(tmp_path / "solo.xlsx", team))], as_of=AS_OF)
    at_risk = [a.id for a in needs_attention(org) if a.kind == "key_result"]
    assert at_risk[:3] == ["KR1.1", "KR1.2", "KR1.10"]
    assert natural_key("O2") < natural_key("O10") < natural_key("P1")


def test_records_are_frozen(org: OrgResult) -> None:
    item = needs_attention(org)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.team = "x"  # type: ignore[misc]
