"""alignment_tree: objectives nest under the objective they are aligned to, across teams."""

from __future__ import annotations

from pathlib import Path

from sheetokr.core.engine import consolidate
from sheetokr.core.results import OrgResult
from sheetokr.org.tree import Node, alignment_tree
from sheetokr.xlsx.read import load_team
from tests.builders import grid, write_xlsx
from tests.org.conftest import AS_OF


def _shape(roots: list[Node]) -> list[tuple[int, str, str]]:
    return [(d, n.team, n.objective.id) for r in roots for d, n in r.walk()]


def test_team_objectives_nest_under_the_company_objectives(org: OrgResult) -> None:
    assert _shape(alignment_tree(org)) == [
        (0, "company", "O1"),
        (1, "ops", "O1"),
        (1, "sales", "O1"),
        (0, "company", "O2"),
        (1, "support", "O1"),
        (0, "ops", "O2"),  # aligned to company:O9, which does not exist (E006): a root
    ]


def test_every_objective_appears_once_with_its_result(org: OrgResult) -> None:
    nodes = [n for r in alignment_tree(org) for _, n in r.walk()]
    objectives = [o for t in org.teams for o in t.objectives]
    assert sorted(map(id, (n.objective for n in nodes))) == sorted(map(id, objectives))
    support = next(n for n in nodes if n.team == "support")
    assert support.team_name == "Support"
    assert support.objective.progress == org.team("support").progress  # type: ignore[union-attr]


def _team(folder: Path, key: str, parent: str | None, objectives: list[dict]) -> Path:
    for o in objectives:
        o.setdefault("title", f"{key} {o['id']}")
        o.setdefault("owner", "x")
        o.setdefault("type", "committed")
    krs = [
        {
            "id": f"KR-{o['id']}",
            "objective": o["id"],
            "title": "Grow 0 to 10",
            "owner": "x",
            "start": 0,
            "target": 10,
            "current": 5,
        }
        for o in objectives
    ]
    g = grid(
        cycle={"team_key": key, "team_name": key.title(), "parent": parent},
        objectives=objectives,
        key_results=krs,
    )
    return write_xlsx(folder / f"{key}.xlsx", g)


def test_three_levels_deep_children_by_team_then_id_and_within_a_team(tmp_path: Path) -> None:
    paths = [
        _team(tmp_path, "zeta", "company", [{"id": "O1", "aligned_to": "company:O1"}]),
        _team(tmp_path, "company", None, [{"id": "O10"}, {"id": "O2"}, {"id": "O1"}]),
        _team(
            tmp_path,
            "alpha",
            "company",
            [
                {"id": "O10", "aligned_to": "company:O1"},
                {"id": "O2", "aligned_to": "company:O1"},
                {"id": "O3", "aligned_to": "O2"},  # within the team
            ],
        ),
        _team(tmp_path, "beta", "alpha", [{"id": "O1", "aligned_to": "alpha:O3"}]),
    ]
    org = consolidate([load_team(p) for p in paths], as_of=AS_OF)
    assert _shape(alignment_tree(org)) == [
        (0, "company", "O1"),
        (1, "alpha", "O2"),
        (2, "alpha", "O3"),
        (3, "beta", "O1"),
        (1, "alpha", "O10"),
        (1, "zeta", "O1"),
        (0, "company", "O2"),
        (0, "company", "O10"),
    ]


def test_objectives_of_an_alignment_cycle_are_still_shown(tmp_path: Path) -> None:
    paths = [
        _team(
            tmp_path,
            "company",
            None,
            [
                {"id": "O1", "aligned_to": "O2"},
                {"id": "O2", "aligned_to": "O1"},
                {"id": "O3"},
            ],
        ),
    ]
    org = consolidate([load_team(p) for p in paths], as_of=AS_OF)
    shape = _shape(alignment_tree(org))
    assert sorted(i for _, _, i in shape) == ["O1", "O2", "O3"]
