"""What the dashboard shows, computed once per consolidated organisation: the headline figures,
the alignment tree as a flat list in reading order, the filter choices and the attention list.

`org_view(scored)` keeps the last view (one per `Scored`, which the scorer itself caches), so a
page view costs a filter walk over the tree and a join of cached row fragments: O(n), no query.
Knows no HTTP; the blueprint (dashboard) and the templates do the rest.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from sheetokr.core.results import ObjectiveResult, OrgResult, TeamResult
from sheetokr.org.attention import Attention, needs_attention
from sheetokr.org.tree import Node as TreeNode
from sheetokr.org.tree import alignment_tree
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
    _attributes: str = ""

    @property
    def status_key(self) -> str:
        return self.objective.status or "none"

    def attributes(self) -> str:
        """The data-* attributes the filter script reads (the same rule as `matches`), escaped."""
        if not self._attributes:
            o = self.objective
            self._attributes = (
                f'data-status="{escape(self.status_key)}" data-team="{escape(self.team)}" '
                f'data-owner="{escape((o.owner or "").casefold())}" '
                f'data-text="{escape(self.search)}"'
            )
        return self._attributes

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
    fragments: dict[str, Any] = field(default_factory=dict)

    def fragment(self, key: str, make: Callable[[], Any], keep: Callable[[], bool] = bool) -> Any:
        """A piece of a page made once per organisation (and language), then kept; `keep`
        says whether what was made is final (a chart still waiting for its data is not)."""
        if key in self.fragments:
            return self.fragments[key]
        made = make()
        if keep is bool or keep():
            self.fragments[key] = made
        return made

    def weekly(self, compute: Callable[[OrgResult], Any], background_over: int) -> Any:
        """The weekly trend, computed once; for a large organisation in a thread, so pages
        answer at once (without the chart) until it is ready."""
        with _lock:
            if "weekly" in self.fragments or "weekly-started" in self.fragments:
                return self.fragments.get("weekly")
            self.fragments["weekly-started"] = True

        def run() -> None:
            try:
                self.fragments["weekly"] = compute(self.result)
            except Exception:  # the page goes on without the chart; the log says why
                logging.getLogger(__name__).exception("Could not rebuild the weekly trend")
                self.fragments["weekly"] = None

        if len(self.result.teams) > background_over:
            threading.Thread(target=run, name="sheetokr-weekly-trend", daemon=True).start()
            return None
        run()
        return self.fragments["weekly"]

    def weekly_ready(self) -> bool:
        return "weekly" in self.fragments

    def visible(self, f: Filters) -> tuple[list[bool], list[bool]]:
        """(matches, visible): a node is shown when it or one of its descendants matches."""
        matches = [n.matches(f) for n in self.nodes]
        shown = list(matches)
        for node in reversed(self.nodes):  # children come after their parent
            if shown[node.index] and node.parent >= 0:
                shown[node.parent] = True
        return matches, shown

    def tree(self, key: str, f: Filters, row: Callable[[Node], Markup]) -> tuple[Markup, int]:
        """The whole tree's HTML, with `hidden` on what these filters leave out, and how many
        objectives match. Every node is sent, so the filter script can widen a filter again."""
        rows = self.rows.get(key)
        if rows is None:
            rows = self.rows[key] = [row(n) for n in self.nodes]
        if not f.active and key in self.full:
            return self.full[key], len(self.nodes)
        matches, shown = self.visible(f)
        parts: list[str] = []
        for index in self.top:
            self._emit(index, rows, matches, shown, parts)
        html = Markup("".join(parts))
        if not f.active:
            self.full[key] = html
        return html, sum(matches)

    def _emit(
        self, index: int, rows: list[Markup], matches: list[bool], shown: list[bool],
        out: list[str],
    ) -> None:
        node = self.nodes[index]
        out.append(
            ('<li class="node" ' if matches[index] else '<li class="node context" ')
            + node.attributes() + (">" if shown[index] else " hidden>")
        )
        out.append(rows[index])
        if node.children:
            out.append('<ul class="tree">')
            for child in node.children:
                self._emit(child, rows, matches, shown, out)
            out.append("</ul>")
        out.append("</li>")


def _search_text(team: TeamResult, o: ObjectiveResult) -> str:
    words = [o.id, o.title, o.owner or "", team.key, team.name or ""]
    words.extend(kr.title for kr in o.key_results)
    return " ".join(words).casefold()


def build_view(org: OrgResult) -> OrgView:
    """Flatten the org's alignment tree (`sheetokr.org.tree`) into reading order."""
    root = org.team(org.root) if org.root else None
    teams = sorted(org.teams, key=lambda t: (t is not root, t.key))
    by_key = {t.key: t for t in org.teams}
    nodes: list[Node] = []
    top: list[int] = []
    stack: list[tuple[TreeNode, int, int]] = [(n, 0, -1) for n in reversed(alignment_tree(org))]
    while stack:  # depth first, children in the tree's order
        item, depth, parent = stack.pop()
        team = by_key[item.team]
        node = Node(len(nodes), depth, parent, team.key, team.name or team.key, item.objective,
                    _search_text(team, item.objective))
        nodes.append(node)
        if parent >= 0:
            nodes[parent].children.append(node.index)
        else:
            top.append(node.index)
        stack.extend((child, depth + 1, node.index) for child in reversed(item.children))

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
