"""Reading the dashboard's HTML back in tests: the alignment tree's nodes with their nesting,
filter state and figures, parsed with the standard library's HTMLParser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class TreeNode:
    team: str
    status: str
    hidden: bool
    context: bool
    parent: TreeNode | None
    oid: str = ""
    title: str = ""
    pct: str = ""
    children: list[TreeNode] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.team}:{self.oid}"


class TreeParser(HTMLParser):
    """Collects every `li.node` of the page with its ID, title text and progress text."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[TreeNode] = []
        self._stack: list[TreeNode | None] = []  # one entry per open <li>
        self._capture: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "li":
            if "node" in classes:
                parent = next((n for n in reversed(self._stack) if n is not None), None)
                node = TreeNode(a.get("data-team") or "", a.get("data-status") or "",
                                "hidden" in a, "context" in classes, parent)
                if parent is not None:
                    parent.children.append(node)
                self.nodes.append(node)
                self._stack.append(node)
            else:
                self._stack.append(None)
        elif self._stack and self._stack[-1] is not None and tag == "span":
            if "oid" in classes and not self._stack[-1].oid:
                self._capture = "oid"
            elif "pct" in classes and not self._stack[-1].pct:
                self._capture = "pct"
        elif self._stack and self._stack[-1] is not None and tag == "a" and "title" in classes:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._stack:
            self._stack.pop()
        if tag == "span":
            self._capture = None
        if tag == "a":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        node = self._stack[-1] if self._stack else None
        if node is None:
            return
        if self._capture is not None:
            setattr(node, self._capture, getattr(node, self._capture) + data.strip())
        elif self._in_title:
            node.title += data


def tree_nodes(html: str) -> list[TreeNode]:
    parser = TreeParser()
    parser.feed(html)
    return parser.nodes
