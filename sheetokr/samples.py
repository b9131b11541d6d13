"""Example OKRs, as data: an English team built from the examples of Microsoft's OKR guide and a
Dutch team. `examples/` holds them as real workbooks; `sheetokr demo` grows an organisation
from them. Rows are dicts keyed by layout column keys. Pure: standard library only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

START = dt.date(2027, 1, 1)
END = dt.date(2027, 3, 31)


def _t(minutes: int, seconds: int) -> dt.time:
    """A duration typed as m:ss, stored as a time of day (how Excel keeps 0:02:37)."""
    return dt.time(0, minutes, seconds)


ENGLISH: dict[str, Any] = {
    "lang": "en",
    "cycle": {
        "team_key": "webshop",
        "team_name": "Web Shop",
        "parent": "company",
        "cycle": "2027-Q1",
        "start": START,
        "end": END,
        "language": "en",
        "aspirational_goal": 0.7,
        "risk_gap": 0.25,
    },
    "objectives": [
        {
            "id": "O1",
            "title": "Delight our customers at every step",
            "owner": "Priya Shah",
            "type": "committed",
            "aligned_to": "company:O1",
            "weight": 1,
        },
        {
            "id": "O2",
            "title": "Grow the business profitably",
            "owner": "Tom Becker",
            "type": "committed",
            "aligned_to": "company:O2",
            "weight": 1,
        },
        {
            "id": "O3",
            "title": "Help customers help themselves",
            "owner": "Ana Lopes",
            "type": "aspirational",
            "aligned_to": "company:O1",
            "weight": 1,
        },
    ],
    "key_results": [
        {
            "id": "KR1.1",
            "objective": "O1",
            "title": "Reduce support tickets from 120 to 30 a month",
            "owner": "Ana Lopes",
            "metric": "decrease",
            "start": 120,
            "target": 30,
            "unit": "tickets/month",
        },
        {
            "id": "KR1.2",
            "objective": "O1",
            "title": "Cut checkout from 9 steps to 6",
            "owner": "Jonas Weber",
            "metric": "decrease",
            "start": 9,
            "target": 6,
            "unit": "steps",
        },
        {
            "id": "KR1.3",
            "objective": "O1",
            "title": "Raise time on site from 2:37 to 3:45 per session",
            "owner": "Priya Shah",
            "metric": "increase",
            "start": _t(2, 37),
            "target": _t(3, 45),
            "unit": "m:ss",
        },
        {
            "id": "KR2.1",
            "objective": "O2",
            "title": "Grow revenue from 12 to 24 M USD",
            "owner": "Tom Becker",
            "metric": "increase",
            "start": 12,
            "target": 24,
            "unit": "M USD",
            "weight": 2,
        },
        {
            "id": "KR2.2",
            "objective": "O2",
            "title": "Grow monthly active users from 250k to 350k",
            "owner": "Mei Chen",
            "metric": "increase",
            "start": 250000,
            "target": 350000,
            "unit": "users",
        },
        {
            "id": "KR2.3",
            "objective": "O2",
            "title": "Generate 950 marketing-qualified leads",
            "owner": "Mei Chen",
            "metric": "increase",
            "target": 950,
            "unit": "leads",
        },
        {
            "id": "KR2.4",
            "objective": "O2",
            "title": "Grow the sales pipeline from 30k to 45k USD",
            "owner": "Tom Becker",
            "metric": "increase",
            "start": 30000,
            "target": 45000,
            "unit": "USD",
        },
        {
            "id": "KR3.1",
            "objective": "O3",
            "title": "Grow knowledge-base articles from 25 to 100",
            "owner": "Ana Lopes",
            "metric": "increase",
            "start": 25,
            "target": 100,
            "unit": "articles",
        },
        {
            "id": "KR3.2",
            "objective": "O3",
            "title": "Launch the self-service returns portal",
            "owner": "Jonas Weber",
            "metric": "milestone",
        },
        {
            "id": "KR3.3",
            "objective": "O3",
            "title": "Keep customer satisfaction at 8.0 or more",
            "owner": "Priya Shah",
            "metric": "at least",
            "target": 8,
            "risk_threshold": 7.5,
            "unit": "CSAT",
        },
    ],
    "initiatives": [
        {
            "id": "I1",
            "objective": "O1",
            "key_result": "KR1.1",
            "title": "Rewrite the top 20 help answers",
            "owner": "Ana Lopes",
            "status": "in progress",
            "due": dt.date(2027, 2, 28),
        },
        {
            "id": "I2",
            "objective": "O1",
            "key_result": "KR1.2",
            "title": "One-page checkout",
            "owner": "Jonas Weber",
            "status": "in progress",
            "due": dt.date(2027, 3, 15),
        },
        {
            "id": "I3",
            "objective": "O2",
            "key_result": "KR2.3",
            "title": "Webinar series with partners",
            "owner": "Mei Chen",
            "status": "not started",
            "due": dt.date(2027, 3, 1),
        },
        {
            "id": "I4",
            "objective": "O3",
            "key_result": "KR3.2",
            "title": "Returns portal pilot",
            "owner": "Jonas Weber",
            "status": "blocked",
            "due": dt.date(2027, 2, 15),
        },
        {
            "id": "I5",
            "objective": "O3",
            "key_result": "KR3.1",
            "title": "Write-a-thon Fridays",
            "owner": "Ana Lopes",
            "status": "done",
            "due": dt.date(2027, 1, 31),
        },
    ],
    # (KR, [values week by week from the first Monday]), confidence, by
    "history": {
        "KR1.1": ([120, 112, 101, 96, 88, 80, 74], "7", "Ana Lopes"),
        "KR1.2": ([9, 9, 8, 8, 8, 7, 7], "medium", "Jonas Weber"),
        "KR1.3": (
            [_t(2, 37), _t(2, 41), _t(2, 48), _t(2, 52), _t(2, 55), _t(3, 1), _t(3, 4)],
            "6",
            "Priya Shah",
        ),
        "KR2.1": ([12, 13.1, 14.5, 15.2, 16.4, 17.1, 18.0], "8", "Tom Becker"),
        "KR2.2": ([250000, 256000, 263000, 268500, 274000, 281000, 287500], "6", "Mei Chen"),
        "KR2.3": ([0, 60, 130, 185, 240, 300, 360], "5", "Mei Chen"),
        "KR2.4": ([30000, 31000, 32500, 33000, 35500, 36000, 37200], "low", "Tom Becker"),
        "KR3.1": ([25, 29, 34, 38, 41, 47, 52], "7", "Ana Lopes"),
        "KR3.2": ([False, False, False, False, 0.4, 0.5, 0.6], "6", "Jonas Weber"),
        "KR3.3": ([8.1, 8.0, 7.9, 8.2, 8.3, 7.8, 8.1], "high", "Priya Shah"),
    },
}

DUTCH: dict[str, Any] = {
    "lang": "nl",
    "cycle": {
        "team_key": "klantenservice",
        "team_name": "Klantenservice",
        "parent": "company",
        "cycle": "2027-Q1",
        "start": START,
        "end": END,
        "language": "nl",
        "aspirational_goal": 0.7,
        "risk_gap": 0.25,
    },
    "objectives": [
        {
            "id": "O1",
            "title": "Klanten snel en goed helpen",
            "owner": "Sanne de Vries",
            "type": "vastgelegd",
            "aligned_to": "company:O1",
            "weight": 1,
        },
        {
            "id": "O2",
            "title": "Een kennisbank waar klanten zelf het antwoord vinden",
            "owner": "Daan Jansen",
            "type": "ambitieus",
            "aligned_to": "company:O1",
            "weight": 1,
        },
    ],
    "key_results": [
        {
            "id": "KR1.1",
            "objective": "O1",
            "title": "Wachttijd aan de telefoon van 6 naar 2 minuten",
            "owner": "Sanne de Vries",
            "metric": "verlagen",
            "start": 6,
            "target": 2,
            "unit": "min",
        },
        {
            "id": "KR1.2",
            "objective": "O1",
            "title": "Klanttevredenheid van 7,1 naar 8,0",
            "owner": "Sanne de Vries",
            "metric": "verhogen",
            "start": 7.1,
            "target": 8,
            "unit": "cijfer",
        },
        {
            "id": "KR1.3",
            "objective": "O1",
            "title": "Maximaal 5% van de vragen heropend",
            "owner": "Lotte Bakker",
            "metric": "maximaal",
            "target": 0.05,
            "risk_threshold": 0.08,
        },
        {
            "id": "KR2.1",
            "objective": "O2",
            "title": "Kennisbankartikelen van 25 naar 100",
            "owner": "Daan Jansen",
            "metric": "verhogen",
            "start": 25,
            "target": 100,
            "unit": "artikelen",
        },
        {
            "id": "KR2.2",
            "objective": "O2",
            "title": "Zoekfunctie in de kennisbank live",
            "owner": "Daan Jansen",
            "metric": "mijlpaal",
        },
        {
            "id": "KR2.3",
            "objective": "O2",
            "title": "Aantal bezoekers kennisbank per maand (nulmeting)",
            "owner": "Lotte Bakker",
            "metric": "nulmeting",
        },
    ],
    "initiatives": [
        {
            "id": "I1",
            "objective": "O1",
            "key_result": "KR1.1",
            "title": "Terugbelservice invoeren",
            "owner": "Sanne de Vries",
            "status": "bezig",
            "due": dt.date(2027, 2, 28),
        },
        {
            "id": "I2",
            "objective": "O2",
            "key_result": "KR2.2",
            "title": "Zoekmachine kiezen",
            "owner": "Daan Jansen",
            "status": "klaar",
            "due": dt.date(2027, 1, 29),
        },
    ],
    "history": {
        "KR1.1": ([6, 5.6, 5.1, 4.8, 4.4, 4.1, 3.9], "7", "Sanne de Vries"),
        "KR1.2": ([7.1, 7.2, 7.2, 7.4, 7.5, 7.5, 7.6], "midden", "Sanne de Vries"),
        "KR1.3": ([0.07, 0.065, 0.06, 0.058, 0.052, 0.049, 0.047], "hoog", "Lotte Bakker"),
        "KR2.1": ([25, 31, 38, 44, 49, 57, 63], "8", "Daan Jansen"),
        "KR2.2": (["nee", "nee", 0.3, 0.5, 0.6, 0.8, 0.8], "7", "Daan Jansen"),
        "KR2.3": ([None, 4200, 4350, 4410, 4600, 4720, 4800], None, "Lotte Bakker"),
    },
}

EXAMPLES = {"webshop-en": ENGLISH, "klantenservice-nl": DUTCH}


def check_ins(example: dict[str, Any], weeks: int | None = None) -> list[dict[str, Any]]:
    """Weekly check-in rows (Mondays from the cycle start) for an example's history."""
    start: dt.date = example["cycle"]["start"]
    first_monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    rows = []
    for kr, (values, confidence, by) in example["history"].items():
        for week, value in enumerate(values[:weeks]):
            if value is None:
                continue
            rows.append(
                {
                    "date": first_monday + dt.timedelta(weeks=week),
                    "key_result": kr,
                    "value": value,
                    "confidence": confidence,
                    "note": None,
                    "by": by,
                }
            )
    rows.sort(key=lambda r: (r["date"], r["key_result"]))
    return rows
