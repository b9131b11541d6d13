"""The alignment tree of an organisation: the root team's objectives with, under each, the
objectives aligned to it from any team, as resolved by the engine (`ObjectiveResult.parent`).

Objectives aligned to nothing (or whose alignment was ignored, E006/E007) are roots too, so every
objective appears exactly once. Pure: standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheetokr.core.results import ObjectiveResult, OrgResult
from sheetokr.org.attention import natural_key


@dataclass
class Node:
    """One objective of one team, with the objectives aligned to it."""

    team: str
    objective: ObjectiveResult
    children: list[Node] = field(default_factory=list)
    team_name: str | None = None

    def walk(self, depth: int = 0) -> list[tuple[int, Node]]:
        """This node and everything under it, depth first, with each node's depth."""
        out = [(depth, self)]
        for child in self.children:
            out.extend(child.walk(depth + 1))
        return out


def alignment_tree(org: OrgResult) -> list[Node]:
    """Roots first the root team's objectives, then every other unaligned objective; children
    and roots ordered by team key, then by ID in reading order (O2 before O10)."""
    nodes: list[Node] = []
    by_key: dict[tuple[str, str], Node] = {}
    for team in org.teams:
        for objective in team.objectives:
            node = Node(team.key, objective, team_name=team.name)
            nodes.append(node)
            by_key.setdefault((team.key, objective.id.strip().lower()), node)

    def order(node: Node) -> tuple[object, ...]:
        return (node.team != org.root, node.team, natural_key(node.objective.id))

    roots: list[Node] = []
    for node in nodes:
        parent = node.objective.parent
        target = by_key.get(parent) if parent is not None else None
        if target is None or target is node:
            roots.append(node)
        else:
            target.children.append(node)
    # A loop of parents that the engine did not break would hang off no root: lift it.
    reached = {id(n) for root in roots for _, n in root.walk()}
    for node in nodes:
        if id(node) not in reached:
            parent = node.objective.parent
            owner = by_key.get(parent) if parent is not None else None
            if owner is not None:
                owner.children.remove(node)
            roots.append(node)
            reached.update(id(n) for _, n in node.walk())
    for node in nodes:
        node.children.sort(key=order)
    roots.sort(key=order)
    return roots
