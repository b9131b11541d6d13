"""The words of the team-workbook template that are not part of the sheet contract: the
Instructions sheet, the Issues and Dashboard headings and the labels of internal helper columns,
in English and Dutch.

Sheet names, column headers and status labels come from `sheetokr.sheets.layout`; this module holds
only the prose a person reads. Pure: standard library only.
"""

from __future__ import annotations

# Issues sheet headers (Level, Code, Where, Message), filled by Refresh.
from sheetokr.sheets.layout import ISSUE_HEADERS  # noqa: F401  (re-exported)

# Dashboard wording, by key.
DASHBOARD = {
    "title": ("OKR dashboard", "OKR-dashboard"),
    "team": ("Team", "Team"),
    "cycle": ("Cycle", "Cyclus"),
    "as_of": ("As of", "Peildatum"),
    "elapsed": ("Time elapsed", "Verstreken tijd"),
    "expected": ("Expected progress", "Verwachte voortgang"),
    "progress": ("Team progress", "Voortgang team"),
    "score": ("Team score", "Score team"),
    "status": ("Team status", "Status team"),
    "by_status": ("Count by status", "Aantal per status"),
    "status_col": ("Status", "Status"),
    "objectives": ("Objectives", "Doelstellingen"),
    "key_results": ("Key results", "Hoofdresultaten"),
    "per_objective": ("Progress per objective", "Voortgang per doelstelling"),
    "id": ("ID", "ID"),
    "objective": ("Objective", "Doelstelling"),
    "obj_progress": ("Progress", "Voortgang"),
    "obj_score": ("Score", "Score"),
    "obj_status": ("Status", "Status"),
    "chart_title": ("Progress per objective", "Voortgang per doelstelling"),
    "note": (
        "Everything on this sheet is computed. Refresh lists problems on the Issues sheet.",
        "Alles op dit blad wordt berekend. Vernieuwen zet problemen op het blad Problemen.",
    ),
}

# Prefix of the grey, hidden helper-column headers; the reader ignores these columns.
CALC_PREFIX = "calc: "

# The Cycle sheet's internal block (column D labels, column E formulas).
CYCLE_CALC = {
    "as_of": "calc: as of used",
    "t": "calc: time elapsed",
    "aspirational_goal": "calc: aspirational goal",
    "risk_gap": "calc: risk gap",
}

INSTRUCTIONS = {
    "en": [
        ("title", "How to use this OKR workbook"),
        ("h", "The method"),
        ("p", "An objective says what you want to achieve this cycle: qualitative and inspiring."),
        (
            "p",
            "Give each objective 3 to 5 key results: measurable outcomes with a start, a target "
            "and one owner each. Progress is measured, not estimated.",
        ),
        ("p", "Initiatives are the work you do to move the key results; they are not scored."),
        (
            "p",
            "Committed objectives must be met in full (goal 1.0). Aspirational ones stretch: "
            "reaching the Aspirational goal on the Cycle sheet (0.7) counts as success.",
        ),
        (
            "p",
            "Check in every week: add a row on Check-ins with the date, the key result ID and the "
            "value. A key result whose Current cell is blank takes its latest check-in.",
        ),
        ("quote", "I will [objective] as measured by [key results] via [initiatives]."),
        ("h", "Filling in the workbook"),
        ("p", "1. Cycle: team key, team name, parent team, cycle name, start and end date."),
        ("p", "2. Objectives: an ID (O1), the objective, an owner, the type, and Aligned to."),
        (
            "p",
            "3. Key Results: an ID (KR1.1), the objective ID, a metric, start, target, current "
            "value. Metrics: increase, decrease, at least, at most (guardrails), milestone "
            "(done / not done or a percent), baseline (measure only).",
        ),
        ("p", "4. Initiatives and Check-ins as you go. Weight blank = 1; weight 0 = not counted."),
        (
            "p",
            "Grey-headed columns (Progress, Score, Status, Last check-in) and the Dashboard are "
            "computed: do not type over them. Statuses: on track, behind, at risk, achieved, "
            "not started. Scores: red below 0.4, yellow below 0.7, green from 0.7.",
        ),
        (
            "p",
            "Leave As of blank to score at today's date. Refresh writes problems to the Issues "
            "sheet, each with the cell to fix.",
        ),
    ],
    "nl": [
        ("title", "Zo gebruik je deze OKR-werkmap"),
        ("h", "De methode"),
        (
            "p",
            "Een doelstelling zegt wat je deze cyclus wilt bereiken: kwalitatief en inspirerend.",
        ),
        (
            "p",
            "Geef elke doelstelling 3 tot 5 hoofdresultaten: meetbare uitkomsten met een start, "
            "een doel en elk één eigenaar. Voortgang wordt gemeten, niet geschat.",
        ),
        (
            "p",
            "Initiatieven zijn het werk dat de hoofdresultaten vooruit helpt; ze krijgen geen "
            "score.",
        ),
        (
            "p",
            "Vastgelegde doelstellingen moeten helemaal gehaald worden (doel 1,0). Ambitieuze "
            "rekken op: het Ambitieus doel op het blad Cyclus (0,7) halen is een succes.",
        ),
        (
            "p",
            "Check elke week in: voeg op Check-ins een regel toe met de datum, het ID van het "
            "hoofdresultaat en de waarde. Is Huidig leeg, dan telt de laatste check-in.",
        ),
        (
            "quote",
            "Ik ga [doelstelling], gemeten aan [hoofdresultaten], door middel van [initiatieven].",
        ),
        ("h", "De werkmap invullen"),
        ("p", "1. Cyclus: teamcode, teamnaam, bovenliggend team, cyclus, start- en einddatum."),
        (
            "p",
            "2. Doelstellingen: een ID (O1), de doelstelling, een eigenaar, de soort en "
            "afgestemd op.",
        ),
        (
            "p",
            "3. Hoofdresultaten: een ID (KR1.1), het ID van de doelstelling, een meting, start, "
            "doel, huidige waarde. Metingen: verhogen, verlagen, minimaal, maximaal "
            "(grenswaarden), mijlpaal (klaar / niet klaar of een percentage), nulmeting.",
        ),
        ("p", "4. Initiatieven en check-ins gaandeweg. Gewicht leeg = 1; gewicht 0 telt niet mee."),
        (
            "p",
            "Kolommen met een grijze kop (Voortgang, Score, Status, Laatste check-in) en het "
            "Dashboard worden berekend: typ er niet overheen. Statussen: op schema, achter, "
            "risico, behaald, niet gestart. Scores: rood onder 0,4, geel onder 0,7, groen vanaf "
            "0,7.",
        ),
        (
            "p",
            "Laat Peildatum leeg om op de datum van vandaag te scoren. Vernieuwen zet problemen "
            "op het blad Problemen, elk met de cel die je moet aanpassen.",
        ),
    ],
}


def word(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    en, nl = table[key]
    return nl if lang == "nl" else en
