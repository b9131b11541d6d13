"""The team-workbook contract (SPEC section 2): sheet names, headers and labels in en and nl.

Every medium (xlsx files, Google Sheets, xlwings payloads, the template generator) takes its names
from here, so a header is spelt in one place only. Pure: standard library only.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

LANGUAGES = ("en", "nl")


@dataclass(frozen=True)
class Column:
    """A column: a stable key, its header in each language, and whether it is computed."""

    key: str
    en: str
    nl: str
    computed: bool = False

    def header(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


@dataclass(frozen=True)
class SheetLayout:
    key: str
    en: str
    nl: str
    columns: tuple[Column, ...] = ()
    required: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def input_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if not c.computed)

    @property
    def computed_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.computed)


C = Column

OBJECTIVES = SheetLayout(
    "objectives",
    "Objectives",
    "Doelstellingen",
    (
        C("id", "ID", "ID"),
        C("title", "Objective", "Doelstelling"),
        C("owner", "Owner", "Eigenaar"),
        C("type", "Type", "Soort"),
        C("aligned_to", "Aligned to", "Afgestemd op"),
        C("weight", "Weight", "Gewicht"),
        C("progress", "Progress", "Voortgang", True),
        C("score", "Score", "Score", True),
        C("status", "Status", "Status", True),
        C("notes", "Notes", "Notities"),
    ),
    ("id", "title"),
)

KEY_RESULTS = SheetLayout(
    "key_results",
    "Key Results",
    "Hoofdresultaten",
    (
        C("id", "ID", "ID"),
        C("objective", "Objective", "Doelstelling"),
        C("title", "Key result", "Hoofdresultaat"),
        C("owner", "Owner", "Eigenaar"),
        C("metric", "Metric", "Meting"),
        C("start", "Start", "Start"),
        C("target", "Target", "Doel"),
        C("current", "Current", "Huidig"),
        C("unit", "Unit", "Eenheid"),
        C("weight", "Weight", "Gewicht"),
        C("risk_threshold", "Risk threshold", "Risicodrempel"),
        C("confidence", "Confidence", "Vertrouwen"),
        C("final_score", "Final score", "Eindscore"),
        C("progress", "Progress", "Voortgang", True),
        C("score", "Score", "Score", True),
        C("status", "Status", "Status", True),
        C("last_check_in", "Last check-in", "Laatste check-in", True),
        C("notes", "Notes", "Notities"),
    ),
    ("id", "objective", "title", "target", "current"),
)

INITIATIVES = SheetLayout(
    "initiatives",
    "Initiatives",
    "Initiatieven",
    (
        C("id", "ID", "ID"),
        C("objective", "Objective", "Doelstelling"),
        C("key_result", "Key result", "Hoofdresultaat"),
        C("title", "Initiative", "Initiatief"),
        C("owner", "Owner", "Eigenaar"),
        C("status", "Status", "Status"),
        C("due", "Due date", "Deadline"),
        C("notes", "Notes", "Notities"),
    ),
    (),
)

CHECK_INS = SheetLayout(
    "check_ins",
    "Check-ins",
    "Check-ins",
    (
        C("date", "Date", "Datum"),
        C("key_result", "Key result", "Hoofdresultaat"),
        C("value", "Value", "Waarde"),
        C("confidence", "Confidence", "Vertrouwen"),
        C("note", "Note", "Notitie"),
        C("by", "By", "Door"),
    ),
    ("date", "key_result", "value"),
)

# The Cycle sheet has no header row: labels in column A, values in column B.
CYCLE = SheetLayout(
    "cycle",
    "Cycle",
    "Cyclus",
    (
        C("team_key", "Team key", "Teamcode"),
        C("team_name", "Team name", "Teamnaam"),
        C("parent", "Parent team", "Bovenliggend team"),
        C("cycle", "Cycle", "Cyclus"),
        C("start", "Start date", "Startdatum"),
        C("end", "End date", "Einddatum"),
        C("language", "Language", "Taal"),
        C("aspirational_goal", "Aspirational goal", "Ambitieus doel"),
        C("risk_gap", "Risk gap", "Risicomarge"),
        C("as_of", "As of", "Peildatum"),
    ),
)

# Sheets a workbook may add; computed in full (Dashboard, Issues) or for people only.
DASHBOARD = SheetLayout("dashboard", "Dashboard", "Dashboard")
ISSUES = SheetLayout("issues", "Issues", "Problemen")
INSTRUCTIONS = SheetLayout("instructions", "Instructions", "Uitleg")

# The Issues sheet's columns (Refresh writes one row per problem).
ISSUE_HEADERS = {
    "en": ("Level", "Code", "Where", "Message"),
    "nl": ("Niveau", "Code", "Plaats", "Melding"),
}

DATA_SHEETS = (OBJECTIVES, KEY_RESULTS, INITIATIVES, CHECK_INS)
ALL_SHEETS = (
    INSTRUCTIONS,
    CYCLE,
    OBJECTIVES,
    KEY_RESULTS,
    INITIATIVES,
    CHECK_INS,
    DASHBOARD,
    ISSUES,
)

METRICS = {
    "increase": ("increase", "verhogen"),
    "decrease": ("decrease", "verlagen"),
    "at_least": ("at least", "minimaal"),
    "at_most": ("at most", "maximaal"),
    "milestone": ("milestone", "mijlpaal"),
    "baseline": ("baseline", "nulmeting"),
}
OBJECTIVE_TYPES = {
    "committed": ("committed", "vastgelegd"),
    "aspirational": ("aspirational", "ambitieus"),
}
STATUSES = {
    "not_started": ("not started", "niet gestart"),
    "on_track": ("on track", "op schema"),
    "behind": ("behind", "achter"),
    "at_risk": ("at risk", "risico"),
    "achieved": ("achieved", "behaald"),
}
INITIATIVE_STATUSES = {
    "not_started": ("not started", "niet gestart"),
    "in_progress": ("in progress", "bezig"),
    "done": ("done", "klaar"),
    "blocked": ("blocked", "geblokkeerd"),
}
CONFIDENCE_WORDS = {
    "low": ("low", "laag"),
    "medium": ("medium", "midden"),
    "high": ("high", "hoog"),
}

_SPACES = re.compile(r"\s+")


def normalise(text: object) -> str:
    """Header and label matching: whitespace collapsed, trimmed, case-insensitive."""
    if text is None:
        return ""
    if text.__class__ is str:
        return _normalise_text(text)
    return _normalise_text(str(text))


@functools.lru_cache(maxsize=8192)
def _normalise_text(text: str) -> str:
    """Headers, sheet names and labels repeat across every workbook: worked out once each."""
    if " " in text or "\t" in text or "\n" in text or "\xa0" in text:
        text = _SPACES.sub(" ", text).strip()
    return text.casefold()


def label(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    en, nl = table[key]
    return nl if lang == "nl" else en


_LOOKUPS: dict[int, dict[str, str]] = {}


def lookup(table: dict[str, tuple[str, str]], text: object) -> str | None:
    """The key whose English or Dutch label (or the key itself) matches `text`, else None."""
    index = _LOOKUPS.get(id(table))
    if index is None:
        index = {}
        for key, (en, nl) in table.items():
            for spelling in (key, key.replace("_", " "), en, nl):
                index.setdefault(normalise(spelling), key)
        _LOOKUPS[id(table)] = index
    return index.get(normalise(text))


def find_sheet(layout: SheetLayout, names: list[str]) -> str | None:
    """The name, as the workbook spells it, of the sheet for `layout` in either language."""
    wanted = {normalise(layout.en), normalise(layout.nl)}
    for name in names:
        if normalise(name) in wanted:
            return name
    return None


def sheet_language(names: list[str]) -> str:
    """The language a workbook's sheet names are in: 'nl' when more Dutch names than English."""
    nl = en = 0
    for layout in (OBJECTIVES, KEY_RESULTS, INITIATIVES, CYCLE, INSTRUCTIONS, ISSUES):
        if find_sheet(layout, names) is None:
            continue
        found = normalise(find_sheet(layout, names))
        if found == normalise(layout.nl) and layout.nl != layout.en:
            nl += 1
        elif found == normalise(layout.en) and layout.nl != layout.en:
            en += 1
    return "nl" if nl > en else "en"


def match_columns(layout: SheetLayout, header_row: list[object]) -> dict[str, int]:
    """Map column keys to zero-based positions by header text; the first matching column wins."""
    by_text: dict[str, str] = {}
    for col in layout.columns:
        by_text.setdefault(normalise(col.en), col.key)
        by_text.setdefault(normalise(col.nl), col.key)
    found: dict[str, int] = {}
    for index, text in enumerate(header_row):
        key = by_text.get(normalise(text))
        if key is not None and key not in found:
            found[key] = index
    return found


_CYCLE_LABELS = {normalise(text): col.key for col in CYCLE.columns for text in (col.nl, col.en)}


def cycle_label_key(text: object) -> str | None:
    """The Cycle-sheet field a column-A label names, in either language."""
    return _CYCLE_LABELS.get(normalise(text))
