"""The engine's front door: score one team's workbook, or consolidate many into an organisation.

    model(s) -> prepare_team (key results, check-ins, team checks) -> resolve_alignment -> roll_up

Consolidation adds the organisation checks (E016-E019, W112) and rolls progress up through
alignment across teams, every team at the same "as of". Pure: standard library only.
"""

from __future__ import annotations

import datetime as dt
import re

from sheetokr.core.checks import IssueLog, ordered
from sheetokr.core.cycle import sheet_as_of, today
from sheetokr.core.model import Issue, TeamWorkbook
from sheetokr.core.results import OrgResult, TeamResult
from sheetokr.core.rollup import resolve_alignment, roll_up
from sheetokr.core.team import PreparedTeam, prepare_team

TEAM_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def score_team(model: TeamWorkbook, as_of: dt.date | None = None) -> TeamResult:
    """Score one workbook on its own (another team's objectives are not checked)."""
    team = prepare_team(model, as_of)
    resolve_alignment([team], consolidated=False)
    roll_up([team], consolidated=False)
    team.result.issues = ordered(team.log.items)
    return team.result


def consolidate(
    models: list[TeamWorkbook],
    as_of: dt.date | None = None,
    name: str | None = None,
    *,
    timezone: str | None = None,
) -> OrgResult:
    """Score every team at one "as of" and roll up through alignment across teams.

    "As of" is `as_of`, else the root team's Cycle sheet As of, else today in `timezone`
    (default SHEETOKR_TIMEZONE, else UTC).
    """
    return Consolidator().run(models, as_of, name, timezone=timezone)


class Consolidator:
    """Consolidation that remembers each team's own scoring between runs.

    Scoring a team's key results is most of the work; the roll-up across teams is cheap. So a
    long-lived consolidator (the server keeps one) re-scores only the workbooks that changed
    (a new model object) or all of them when "as of" changes, and redoes the roll-up on fresh
    copies, so results handed out earlier never change. Not thread-safe: callers serialise runs.
    """

    def __init__(self) -> None:
        self._prepared: dict[int, tuple[TeamWorkbook, dt.date, PreparedTeam]] = {}
        self.prepared = 0  # teams scored from scratch, for tests and logs

    def warm(self, model: TeamWorkbook, as_of: dt.date) -> PreparedTeam:
        """Score one team ahead of `run` (e.g. while other workbooks are still being read);
        `run` reuses it when its "as of" turns out the same."""
        found = self._prepared.get(id(model))
        if found is not None and found[0] is model and found[1] == as_of:
            return found[2]
        team = prepare_team(model, as_of)
        self.prepared += 1
        self._prepared[id(model)] = (model, as_of, team)
        return team

    def adopt(self, model: TeamWorkbook, as_of: dt.date, team: PreparedTeam) -> None:
        """Take a team scored elsewhere (a worker process) as if `warm` had scored it."""
        self._prepared[id(model)] = (model, as_of, team)

    def scored_at(self, model: TeamWorkbook) -> dt.date | None:
        """The "as of" this model's team was scored at, if it was."""
        found = self._prepared.get(id(model))
        return found[1] if found is not None and found[0] is model else None

    @staticmethod
    def as_of_for(models: list[TeamWorkbook], timezone: str | None = None) -> dt.date:
        """The root team's Cycle sheet As of, else today (SPEC 1.5)."""
        roots = [m for m in models if not m.cycle_cell("parent").text]
        return next((d for d in map(sheet_as_of, roots) if d), None) or today(timezone)

    def _team(self, model: TeamWorkbook, as_of: dt.date) -> PreparedTeam:
        return self.warm(model, as_of).for_roll_up()

    def run(
        self,
        models: list[TeamWorkbook],
        as_of: dt.date | None = None,
        name: str | None = None,
        *,
        timezone: str | None = None,
    ) -> OrgResult:
        org_log = IssueLog()
        if as_of is None:
            as_of = self.as_of_for(models, timezone)
        teams = [self._team(m, as_of) for m in models]
        alive = {id(m) for m in models}
        for stale in [k for k in self._prepared if k not in alive]:
            del self._prepared[stale]

        by_key: dict[str, PreparedTeam] = {}
        for team in teams:
            _check_key(team, by_key, org_log)
        counted = [t for t in teams if t.result.counted]
        root = _check_tree(counted, by_key, org_log)
        if root is not None:
            for team in counted:
                if team is not root and team.ctx.name != root.ctx.name:
                    team.result.counted = False
                    _org_issue(
                        org_log,
                        "W112",
                        team,
                        "cycle",
                        f"Team '{team.key}' is on cycle '{team.ctx.name or '(none)'}', the "
                        f"organisation on '{root.ctx.name or '(none)'}'; it is listed, "
                        "not counted.",
                    )

        resolve_alignment(teams, consolidated=True)
        roll_up(teams, consolidated=True)
        for team in teams:
            team.result.issues = ordered(team.log.items)

        org = OrgResult(
            name=name or (root.result.name if root else None),
            root=root.key if root else None,
            as_of=as_of,
            teams=[t.result for t in teams],
            issues=ordered(org_log.items),
        )
        if root is not None:
            org.progress = root.result.progress
            org.score = root.result.score
            org.status = root.result.status
        return org


def _org_issue(log: IssueLog, code: str, team: PreparedTeam, field: str, message: str) -> None:
    where = team.result.model.cycle_cell(field).where or team.result.model.source
    log.items.append(
        Issue("error" if code.startswith("E") else "warning", code, where, message, team.key)
    )


def _check_key(team: PreparedTeam, by_key: dict[str, PreparedTeam], log: IssueLog) -> None:
    key = team.key
    source = team.result.model.source
    if not key or not TEAM_KEY.match(key):
        team.result.counted = False
        found = f"Team key '{key}' is not usable" if key else "has no Team key"
        _org_issue(
            log,
            "E016",
            team,
            "team_key",
            f"{source}: {found}; type a key of lower-case letters, digits, '-' or '_' "
            "(e.g. sales) on the Cycle sheet. The workbook is not counted.",
        )
        return
    if key in by_key:
        team.result.counted = False
        _org_issue(
            log,
            "E016",
            team,
            "team_key",
            f"{source} and {by_key[key].result.model.source} both have team key '{key}'; "
            "give each team its own key. The second is not counted.",
        )
        return
    by_key[key] = team


def _check_tree(
    teams: list[PreparedTeam], by_key: dict[str, PreparedTeam], log: IssueLog
) -> PreparedTeam | None:
    """E017 unknown parent, E019 cycles, E018 unless exactly one root; returns the root."""
    for team in teams:
        parent = team.result.parent
        if parent and parent not in by_key:
            _org_issue(
                log,
                "E017",
                team,
                "parent",
                f"Team '{team.key}' names parent team '{parent}', which is not among the "
                "workbooks; add that team's workbook or correct the Parent team.",
            )
    reported: set[str] = set()
    for team in teams:
        seen: list[str] = []
        key: str | None = team.key
        while key and key in by_key and key not in seen:
            seen.append(key)
            key = by_key[key].result.parent
        if key and key in seen and key not in reported:
            loop = seen[seen.index(key) :]
            reported.update(loop)
            _org_issue(
                log,
                "E019",
                by_key[key],
                "parent",
                "Teams form a cycle through their Parent team: "
                + " -> ".join([*loop, key])
                + "; one team must be the root, with no parent.",
            )
    roots = [t for t in teams if not t.result.parent]
    if len(roots) != 1:
        found = ", ".join(t.key for t in roots) or "none"
        where_team = roots[1] if len(roots) > 1 else (teams[0] if teams else None)
        if where_team is not None:
            _org_issue(
                log,
                "E018",
                where_team,
                "parent",
                f"Expected exactly one root team (a team without a parent), found {found}; "
                "give every team but the top one a Parent team.",
            )
    return roots[0] if roots else None
