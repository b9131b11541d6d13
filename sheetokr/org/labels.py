"""Names and headers of the org workbook's sheets, in English and Dutch.

Headers that the team workbook already names (Objective, Owner, Progress, Team key, ...) come from
`sheets.layout`; only words the org workbook adds are spelled here. Pure.
"""

from __future__ import annotations

from sheetokr.sheets import layout

Pair = tuple[str, str]  # (English, Dutch)

SHEETS: dict[str, Pair] = {
    "overview": ("Overview", "Overzicht"),
    "teams": ("Teams", "Teams"),
    "key_results": (layout.KEY_RESULTS.en, layout.KEY_RESULTS.nl),
    "attention": ("Needs attention", "Aandacht nodig"),
    "problems": ("Problems", "Problemen"),
    "trend": ("Trend", "Trend"),
}

_OWN: dict[str, Pair] = {
    "team": ("Team", "Team"),
    "kr_id": ("KR ID", "HR-ID"),
    "objective_id": ("Objective ID", "Doelstelling-ID"),
    "expected": ("Expected", "Verwacht"),
    "errors": ("Errors", "Fouten"),
    "warnings": ("Warnings", "Waarschuwingen"),
    "key_results": ("Key results", "Hoofdresultaten"),
    "no_status": ("no status", "geen status"),
    "reason": ("Reason", "Reden"),
    "kind": ("Kind", "Soort"),
    "title": ("Title", "Titel"),
    "explanation": ("Explanation", "Toelichting"),
    "where": ("Where", "Waar"),
    "level": ("Level", "Niveau"),
    "code": ("Code", "Code"),
    "message": ("Message", "Melding"),
    "week": ("Week of", "Week van"),
    "organisation": ("Organisation", "Organisatie"),
    "as_of": (layout.CYCLE.column("as_of").en, layout.CYCLE.column("as_of").nl),
    "chart_title": ("Progress by week", "Voortgang per week"),
}

KINDS: dict[str, Pair] = {
    "team": ("team", "team"),
    "objective": ("objective", "doelstelling"),
    "key_result": ("key result", "hoofdresultaat"),
}

REASONS: dict[str, Pair] = {
    "at_risk": layout.STATUSES["at_risk"],
    "behind": layout.STATUSES["behind"],
    "errors": ("errors", "fouten"),
    "stale": ("no recent check-in", "geen recente check-in"),
    "no_owner": ("no owner", "geen eigenaar"),
}

LEVELS: dict[str, Pair] = {"error": ("error", "fout"), "warning": ("warning", "waarschuwing")}


def sheet(key: str, lang: str) -> str:
    return _pick(SHEETS[key], lang)


def word(key: str, lang: str) -> str:
    """A header or word: the org workbook's own, else a team-workbook column of that key."""
    if key in _OWN:
        return _pick(_OWN[key], lang)
    for lay in (layout.OBJECTIVES, layout.KEY_RESULTS, layout.CYCLE):
        for column in lay.columns:
            if column.key == key:
                return column.header(lang)
    raise KeyError(key)


def header(lay: layout.SheetLayout, key: str, lang: str) -> str:
    return lay.column(key).header(lang)


def pick(table: dict[str, Pair], key: str | None, lang: str) -> str | None:
    return None if key is None or key not in table else _pick(table[key], lang)


def _pick(pair: Pair, lang: str) -> str:
    return pair[1] if lang == "nl" else pair[0]
