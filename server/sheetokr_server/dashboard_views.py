"""What the dashboard shows, computed once per consolidated organisation: the headline figures,
the alignment tree as a flat list in reading order, the filter choices and the attention list.

`org_view(scored)` keeps the last view (one per `Scored`, which the scorer itself caches), so a
page view costs a filter walk over the tree and a join of cached row fragments: O(n), no query.
Knows no HTTP; the blueprint (dashboard) and the templates do the rest.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from sheetokr.core.results import ObjectiveResult, OrgResult, TeamResult
from sheetokr.org.attention import Attention, needs_attention
from sheetokr.sheets.layout import STATUSES
from sheetokr_server.scoring import Scored

ATTENTION_SHOWN = 25


@dataclass(frozen=True)
class Filters:
    """The tree's filters as the query string gives them (all optional)."""

    status: str = ""
    team: str = ""
    owner: str = ""
    q: str = ""

    @classmethod
    def of(cls, args: Any) -> Filters:
        status = (args.get("status") or "").strip()
        return cls(
            status=status if status in STATUSES or status == "none" else "",
            team=(args.get("team") or "").strip().lower(),
            owner=(args.get("owner") or "").strip(),
            q=(args.get("q") or "").strip(),
        )

    @property
    def active(self) -> bool:
        return bool(self.status or self.team or self.owner or self.q)

    def query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class Node:
    """One objective in the alignment tree."""

    index: int
    depth: int
    parent: int  # index of the parent node, -1 at the top
    team: str
    team_name: str
    objective: ObjectiveResult
    search: str  # casefolded title, ID, owner, team and key-result titles
    children: list[int] = field(default_factory=list)

    @property
    def status_key(self) -> str:
        return self.objective.status or "none"

    def attributes(self) -> Markup:
        """The data-* attributes the filter script reads (the same rule as `matches`)."""
        o = self.objective
        return Markup(
            f'data-status="{escape(self.status_key)}" data-team="{escape(self.team)}" '
            f'data-owner="{escape((o.owner or "").casefold())}" data-text="{escape(self.search)}"'
        )

    def matches(self, f: Filters) -> bool:
        if f.status and self.status_key != f.status:
            return False
        if f.team and self.team != f.team:
            return False
        if f.owner and f.owner.casefold() not in (self.objective.owner or "").casefold():
            return False
        return not f.q or f.q.casefold() in self.search


@dataclass
class OrgView:
    """The dashboard's data for one consolidated organisation."""

    result: OrgResult
    root: TeamResult | None
    nodes: list[Node]
    top: list[int]
    teams: list[TeamResult]
    owners: list[str]
    counts: dict[str, int]
    kr_count: int
    attention: list[Attention]
    rows: dict[str, list[Markup]] = field(default_factory=dict)  # row fragments per language
    full: dict[str, Markup] = field(default_factory=dict)  # the unfiltered tree per language

    def visible(self, f: Filters) -> tuple[list[bool], list[bool]]:
        """(matches, visible): a node is shown when it or one of its descendants matches."""
        matches = [n.matches(f) for n in self.nodes]
        shown = list(matches)
        for node in reversed(self.nodes):  # children come after their parent
            if shown[node.index] and node.parent >= 0:
                shown[node.parent] = True
        return matches, shown

    def tree(self, lang: str, f: Filters, row: Callable[[Node], Markup]) -> tuple[Markup, int]:
        """The tree's HTML for these filters, and how many objectives match."""
        rows = self.rows.get(lang)
        if rows is None:
            rows = self.rows[lang] = [row(n) for n in self.nodes]
        if not f.active and lang in self.full:
            return self.full[lang], len(self.nodes)
        matches, shown = self.visible(f)
        parts: list[str] = []
        for index in self.top:
            self._emit(index, rows, matches, shown, parts)
        html = Markup("".join(parts))
        if not f.active:
            self.full[lang] = html
        return html, sum(matches)

    def _emit(
        self, index: int, rows: list[Markup], matches: list[bool], shown: list[bool],
        out: list[str],
    ) -> None:
        if not shown[index]:
            return
        node = self.nodes[index]
        cls = "node" if matches[index] else "node context"
        out.append(f'<li class="{cls}" {node.attributes()}>{rows[index]}')
        kids = [c for c in node.children if shown[c]]
        if kids:
            out.append('<ul class="tree">')
            for child in kids:
                self._emit(child, rows, matches, shown, out)
            out.append("</ul>")
        out.append("</li>")


def _search_text(team: TeamResult, o: ObjectiveResult) -> str:
    words = [o.id, o.title, o.owner or "", team.key, team.name or ""]
    words.extend(kr.title for kr in o.key_results)
    return " ".join(words).casefold()


def build_view(org: OrgResult) -> OrgView:
    """Flatten the alignment (each objective's resolved `parent`) into a tree in reading order."""
    root = org.team(org.root) if org.root else None
    teams = sorted(org.teams, key=lambda t: (t is not root, t.key))
    by_key: dict[tuple[str, str], ObjectiveResult] = {}
    owner: dict[int, TeamResult] = {}
    order: list[ObjectiveResult] = []
    for team in teams:
        for o in team.objectives:
            if not o.counted or not o.id:
                continue
            by_key.setdefault((team.key, o.id.lower()), o)
            owner[id(o)] = team
            order.append(o)
    kids: dict[int, list[ObjectiveResult]] = {}
    tops: list[ObjectiveResult] = []
    for o in order:
        parent = by_key.get(o.parent) if o.parent else None
        if parent is None or parent is o:
            tops.append(o)
        else:
            kids.setdefault(id(parent), []).append(o)

    nodes: list[Node] = []
    placed: set[int] = set()

    def place(o: ObjectiveResult, depth: int, parent: int) -> Iterator[int]:
        stack = [(o, depth, parent)]
        while stack:
            item, d, p = stack.pop()
            if id(item) in placed:
                continue
            placed.add(id(item))
            team = owner[id(item)]
            node = Node(len(nodes), d, p, team.key, team.name or team.key, item,
                        _search_text(team, item))
            nodes.append(node)
            if p >= 0:
                nodes[p].children.append(node.index)
            else:
                yield node.index
            for child in reversed(kids.get(id(item), [])):
                stack.append((child, d + 1, node.index))

    top: list[int] = []
    for o in tops:
        top.extend(place(o, 0, -1))
    for o in order:  # anything left on a loop the engine broke: shown at the top
        top.extend(place(o, 0, -1))

    counts = Counter(n.status_key for n in nodes)
    owners = sorted({n.objective.owner for n in nodes if n.objective.owner}, key=str.casefold)
    return OrgView(
        result=org,
        root=root,
        nodes=nodes,
        top=top,
        teams=teams,
        owners=owners,
        counts={k: counts.get(k, 0) for k in (*STATUSES, "none") if counts.get(k) or k != "none"},
        kr_count=sum(len(t.key_results) for t in org.teams),
        attention=needs_attention(org),
    )


_lock = threading.Lock()


def org_view(scored: Scored, cache: dict[str, Any]) -> OrgView:
    """The view of this organisation, built once per `Scored` and kept in `cache`."""
    with _lock:
        found = cache.get("view")
        if found is not None and found[0] is scored:
            view: OrgView = found[1]
            return view
    view = build_view(scored.result)
    with _lock:
        cache["view"] = (scored, view)
    return view
