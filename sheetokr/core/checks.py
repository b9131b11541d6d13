"""The catalogue of checks (SPEC 1.7): stable codes, their level, and one way to build an Issue.

Codes never change meaning; messages say what was found and what is expected. Collecting, not
raising: every evaluator appends to an `IssueLog` so one bad cell never hides the others. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheetokr.core.model import Issue

TITLES = {
    "E001": "duplicate ID",
    "E002": "key result names an unknown objective",
    "E003": "target missing",
    "E004": "value not readable",
    "E005": "decrease without a start",
    "E006": "aligned to an unknown objective or team",
    "E007": "alignment cycle",
    "E008": "unknown metric",
    "E009": "negative or unreadable weight",
    "E010": "cycle dates missing, unreadable, or end before start",
    "E011": "direction contradicts start and target",
    "E012": "objective with nothing to measure",
    "E013": "check-in for an unknown key result",
    "E014": "a row with data but no ID",
    "E015": "check-in date unreadable",
    "E016": "two workbooks with one team key",
    "E017": "parent team not found",
    "E018": "not exactly one root team",
    "E019": "cycle in the team tree",
    "E020": "a required column is missing",
    "W101": "objective with 1 or 2, or more than 5, key results",
    "W102": "key result without owner",
    "W103": "start equals target",
    "W104": "more than 5 top-level objectives",
    "W105": "no check-in in the last 14 days",
    "W106": "more than 5 initiatives on one objective",
    "W107": "objective type blank",
    "W108": "aspirational objective scored 1.00",
    "W109": "objective aligned to nothing",
    "W110": "key result without a number",
    "W111": "measured only through objectives aligned to it",
    "W112": "team on another cycle",
    "W120": "number read from text",
    "W121": "constant typed over a computed cell",
}

# Errors on a key result that make its progress, score and status null (SPEC 1.3).
NULLING = frozenset({"E003", "E004", "E005", "E008"})


def level_of(code: str) -> str:
    return "error" if code.startswith("E") else "warning"


@dataclass
class IssueLog:
    """Issues in the order they were found; `team` is stamped on each when consolidating."""

    team: str | None = None
    items: list[Issue] = field(default_factory=list)

    def add(self, code: str, where: str, message: str) -> Issue:
        issue = Issue(level_of(code), code, where, message, self.team)
        self.items.append(issue)
        return issue

    def codes_at(self, where: str) -> set[str]:
        return {i.code for i in self.items if i.where == where}


def ordered(issues: list[Issue]) -> list[Issue]:
    """Errors first, then warnings, each in the order found."""
    return sorted(issues, key=lambda i: 0 if i.level == "error" else 1)
