"""The dashboard's words in English and Dutch, and which language a request is answered in.

Status, metric and initiative labels come from `sheetokr.sheets.layout` (the sheets' own words);
this module holds only the words of the web pages. `?lang=nl|en` wins over Accept-Language.
"""

from __future__ import annotations

import datetime as dt

from flask import request

from sheetokr.core.values import round_half_up
from sheetokr.sheets import layout

LANGS = layout.LANGUAGES
DURATIONS = ("m:ss", "mm:ss", "h:mm", "hh:mm", "h:mm:ss", "hh:mm:ss")

WORDS: dict[str, tuple[str, str]] = {
    "title": ("Organisation overview", "Overzicht organisatie"),
    "progress": ("Progress", "Voortgang"),
    "score": ("Score", "Score"),
    "status": ("Status", "Status"),
    "elapsed": ("Time elapsed", "Verstreken tijd"),
    "expected": ("expected", "verwacht"),
    "as_of": ("As of", "Peildatum"),
    "cycle": ("Cycle", "Cyclus"),
    "teams": ("Teams", "Teams"),
    "team": ("Team", "Team"),
    "objectives": ("Objectives", "Doelstellingen"),
    "key_results": ("Key results", "Hoofdresultaten"),
    "initiatives": ("Initiatives", "Initiatieven"),
    "owner": ("Owner", "Eigenaar"),
    "current": ("Current", "Huidig"),
    "target": ("Target", "Doel"),
    "start": ("Start", "Start"),
    "due": ("Due", "Deadline"),
    "last_check_in": ("Last check-in", "Laatste check-in"),
    "confidence": ("Confidence", "Vertrouwen"),
    "alignment": ("Alignment", "Afstemming"),
    "filter": ("Filter", "Filteren"),
    "any_status": ("Every status", "Elke status"),
    "any_team": ("Every team", "Elk team"),
    "search": ("Search", "Zoeken"),
    "search_hint": ("title, ID or owner", "titel, ID of eigenaar"),
    "apply": ("Apply", "Toepassen"),
    "clear": ("Clear", "Wissen"),
    "shown": ("shown", "getoond"),
    "no_match": ("No objective matches these filters.", "Geen doelstelling past bij deze filters."),
    "attention": ("Needs attention", "Vraagt aandacht"),
    "nothing_attention": ("Nothing needs attention.", "Niets vraagt aandacht."),
    "more": ("and {n} more", "en nog {n}"),
    "trend": ("Progress over time", "Voortgang door de tijd"),
    "weekly": ("Progress week by week, from check-ins", "Voortgang per week, uit check-ins"),
    "uploads": ("Progress at each upload", "Voortgang bij elke upload"),
    "no_history": ("No history yet: it grows with every upload.",
                   "Nog geen geschiedenis: die groeit met elke upload."),
    "organisation": ("Organisation", "Organisatie"),
    "sheet": ("Team sheet", "Teamblad"),
    "download": ("Download workbook", "Werkmap downloaden"),
    "source": ("Source", "Bron"),
    "problems": ("Problems", "Problemen"),
    "no_problems": ("No problems found.", "Geen problemen gevonden."),
    "error": ("error", "fout"),
    "warning": ("warning", "waarschuwing"),
    "check_ins": ("Check-in history", "Check-ingeschiedenis"),
    "no_check_ins": ("No check-ins yet.", "Nog geen check-ins."),
    "none": ("none", "geen"),
    "back": ("Overview", "Overzicht"),
    "login_title": ("Sign in", "Aanmelden"),
    "login_text": ("Paste the token your administrator gave you. It is kept in a signed cookie "
                   "for this browser.",
                   "Plak het token dat je van je beheerder kreeg. Het wordt bewaard in een "
                   "ondertekende cookie voor deze browser."),
    "token": ("Token", "Token"),
    "refused": ("That token is unknown or has been revoked.",
                "Dat token is onbekend of ingetrokken."),
    "sign_in": ("Sign in", "Aanmelden"),
    "sign_out": ("Sign out", "Afmelden"),
    "not_found": ("Not found", "Niet gevonden"),
    "no_team": ("There is no team '{key}'.", "Er is geen team '{key}'."),
    "no_workbook": ("Team '{key}' has no workbook yet.", "Team '{key}' heeft nog geen werkmap."),
    "empty": ("No workbooks yet. Upload one with PUT /api/v1/teams/<key>/workbook.",
              "Nog geen werkmappen. Upload er een met PUT /api/v1/teams/<key>/workbook."),
    "language": ("Nederlands", "English"),
    "no_status": ("no status", "geen status"),
    "aligned_to": ("Aligned to", "Afgestemd op"),
    "reason_at_risk": ("at risk", "risico"),
    "reason_behind": ("behind", "achter"),
    "reason_errors": ("errors in the sheet", "fouten in het blad"),
    "reason_stale": ("no recent check-in", "geen recente check-in"),
    "reason_no_owner": ("no owner", "geen eigenaar"),
    "kind_team": ("team", "team"),
    "kind_objective": ("objective", "doelstelling"),
    "kind_key_result": ("key result", "hoofdresultaat"),
    "collapse": ("Collapse all", "Alles inklappen"),
    "expand": ("Expand all", "Alles uitklappen"),
}


def choose_lang() -> tuple[str, bool]:
    """The request's language, and whether it was asked for explicitly with ?lang=."""
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in LANGS:
        return asked, True
    best = request.accept_languages.best_match(LANGS, default="en")
    return best or "en", False


class Words:
    """The words of one language, for templates: `t("progress")`, `t.status("on_track")`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._index = 1 if lang == "nl" else 0

    def __call__(self, word: str, /, **values: object) -> str:
        text = WORDS[word][self._index]
        return text.format(**values) if values else text

    def status(self, key: str | None) -> str:
        if key is None or key not in layout.STATUSES:
            return self("no_status")
        return layout.label(layout.STATUSES, key, self.lang)

    def initiative(self, key: str | None) -> str:
        if key is None or key not in layout.INITIATIVE_STATUSES:
            return ""
        return layout.label(layout.INITIATIVE_STATUSES, key, self.lang)

    def metric(self, key: str | None) -> str:
        if key is None or key not in layout.METRICS:
            return ""
        return layout.label(layout.METRICS, key, self.lang)

    def percent(self, x: float | None) -> str:
        return "–" if x is None else f"{round_half_up(x * 100, 0):.0f}%"

    def number(self, x: float | None) -> str:
        """A value as people read it in this language (12,5 in Dutch; 1,250 in English)."""
        if x is None:
            return "–"
        text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")
        if self.lang == "nl":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text

    def value(self, x: float | None, unit: str | None = None) -> str:
        """A key result's value: durations (unit m:ss, h:mm) as the sheet shows them."""
        shape = (unit or "").strip().lower()
        if x is None or shape not in DURATIONS:
            return self.number(x)
        sign, total = ("-" if x < 0 else ""), round(abs(x))
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        if shape in ("m:ss", "mm:ss"):
            return f"{sign}{hours * 60 + minutes}:{seconds:02d}"
        if shape in ("h:mm", "hh:mm"):
            return f"{sign}{hours}:{minutes:02d}"
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"

    def score(self, x: float | None) -> str:
        if x is None:
            return "–"
        text = f"{x:.2f}"
        return text.replace(".", ",") if self.lang == "nl" else text

    def date(self, d: dt.date | None) -> str:
        return d.isoformat() if d is not None else "–"
