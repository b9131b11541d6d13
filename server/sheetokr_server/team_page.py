"""What a team's page shows: its figures, objectives with their key results and initiatives, its
problems, and a small check-in chart per key result. Knows no HTTP.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sheetokr.core.results import InitiativeResult, TeamResult
from sheetokr_server.charts import Chart
from sheetokr_server.db import Team
from sheetokr_server.i18n import Words
from sheetokr_server.trends import check_in_values, key_result_chart


def team_context(team: TeamResult, registered: Team, t: Words) -> dict[str, Any]:
    """The template context of `team.html`."""
    by_objective: dict[str, list[InitiativeResult]] = {}
    loose: list[InitiativeResult] = []
    known = {o.id.lower() for o in team.objectives if o.id}
    for initiative in team.initiatives:
        oid = (initiative.objective or "").lower()
        if oid in known:
            by_objective.setdefault(oid, []).append(initiative)
        else:
            loose.append(initiative)
    values = check_in_values(team)
    charts: dict[str, Chart] = {}
    for kr in team.key_results:
        found = values.get(kr.id)
        if found:
            charts[kr.id] = key_result_chart(kr, found, partial(t.value, unit=kr.unit), t("target"))
    errors = [i for i in team.issues if i.level == "error"]
    warnings = [i for i in team.issues if i.level != "error"]
    return {
        "team": team,
        "registered": registered,
        "initiatives": by_objective,
        "loose_initiatives": loose,
        "charts": charts,
        "issues": errors + warnings,
        "error_count": len(errors),
    }
