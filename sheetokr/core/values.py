"""Reading values as users type them (SPEC 1.2): numbers, percents, durations, magnitudes,
currencies, language-dependent separators, milestone words, dates and confidence.

Each reader returns a small result or raises `ValueProblem` with a sentence saying what was found
and what is expected; the engine turns that into E004 for the cell. Pure: standard library only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sheetokr.core.model import CellError, Value, is_blank


class ValueProblem(ValueError):
    """A cell whose content cannot be read as what the column expects."""


class Number(NamedTuple):
    value: float
    from_text: bool = False  # W120: the sheet's own formulas cannot use it
    unit: str | None = None  # a currency found in the text


EXCEL_EPOCH = dt.date(1899, 12, 30)
_INF = float("inf")

DONE_WORDS = frozenset(
    ["true", "done", "yes", "y", "x", "✓", "achieved", "ja", "klaar", "gereed", "behaald"]
)
NOT_DONE_WORDS = frozenset(["false", "", "no", "n", "nee", "open", "not done", "niet klaar"])

_MAGNITUDES = {
    "k": 1e3,
    "m": 1e6,
    "mln": 1e6,
    "miljoen": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "mld": 1e9,
    "miljard": 1e9,
}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_CURRENCY_CODES = ("USD", "EUR", "GBP")
_CURRENCY_RE = re.compile(r"(?<![A-Za-z])(USD|EUR|GBP)(?![A-Za-z])", re.IGNORECASE)
_MAGNITUDE_RE = re.compile(r"^(.*?\d)\s*(miljoen|miljard|mln|mld|bn|k|m|b)$", re.IGNORECASE)
_DURATION_RE = re.compile(r"^([+-]?)(\d+):([0-5]\d)(?::([0-5]\d))?$")
_NUMBER_RE = re.compile(r"^[+-]?(\d[\d.,]*|[.,]\d+)$")


def round_half_up(x: float, places: int = 2) -> float:
    """Round half away from zero on the decimal value, as spreadsheets do (0.125 -> 0.13)."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))


def describe(value: Value) -> str:
    """How a found value is named in a message."""
    if isinstance(value, CellError):
        return f"the error value {value.text}"
    if isinstance(value, str):
        return repr(value.strip())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return f"the date {value.isoformat()[:10]}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _separators(body: str, lang: str) -> float:
    """Digits with '.'/',' read by SPEC 1.2: a grouping separator needs exactly three digits."""
    group = "." if lang == "nl" else ","
    out: list[str] = []
    seen_decimal = False
    i = 0
    while i < len(body):
        ch = body[i]
        if ch.isdigit():
            out.append(ch)
            i += 1
            continue
        # a separator
        j = i + 1
        while j < len(body) and body[j].isdigit():
            j += 1
        digits_after = j - i - 1
        if ch == group and digits_after == 3 and not seen_decimal and out:
            i += 1  # grouping: skip it
            continue
        if seen_decimal or digits_after == 0:
            raise ValueProblem("more than one decimal point")
        seen_decimal = True
        out.append(".")
        i += 1
    return float("".join(out))


def _read_plain(text: str, lang: str) -> float:
    compact = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not _NUMBER_RE.match(compact):
        raise ValueProblem("not a number")
    sign = -1.0 if compact.startswith("-") else 1.0
    body = compact.lstrip("+-")
    return sign * _separators(body, lang)


def duration_seconds(text: str, *, hours_minutes: bool = False) -> float | None:
    """`2:37` -> 157 (m:ss), `1:02:03` -> 3723; with hours_minutes, `2:37` -> 9420 (h:mm)."""
    m = _DURATION_RE.match(text.strip())
    if not m:
        return None
    sign = -1 if m.group(1) == "-" else 1
    a, b = int(m.group(2)), int(m.group(3))
    if m.group(4) is not None:
        return sign * float(a * 3600 + b * 60 + int(m.group(4)))
    return sign * float(a * 3600 + b * 60 if hours_minutes else a * 60 + b)


def read_number(value: Value, lang: str = "en", *, hours_minutes: bool = False) -> Number | None:
    """A number as typed, or None when blank. Raises ValueProblem for anything unreadable."""
    if value.__class__ is float:  # by far the most common: a number typed as a number
        if value == value and value not in (_INF, -_INF):
            return Number(value)
    if is_blank(value):
        return None
    if isinstance(value, CellError):
        raise ValueProblem(f"found {describe(value)}")
    if isinstance(value, bool):
        raise ValueProblem(f"found {describe(value)}")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueProblem(f"found {value}")
        return Number(float(value))
    if isinstance(value, dt.timedelta):
        return Number(value.total_seconds())
    if isinstance(value, dt.time):
        return Number(float(value.hour * 3600 + value.minute * 60 + value.second))
    if isinstance(value, dt.date):
        raise ValueProblem(f"found {describe(value)}")
    text = str(value).strip()
    problem = ValueProblem(f"found {describe(value)}")

    duration = duration_seconds(text, hours_minutes=hours_minutes)
    if duration is not None:
        return Number(duration, from_text=True)

    unit = None
    for symbol, code in _CURRENCY_SYMBOLS.items():
        if symbol in text:
            unit = unit or code
            text = text.replace(symbol, " ")
    found = _CURRENCY_RE.search(text)
    if found:
        unit = unit or found.group(1).upper()
        text = _CURRENCY_RE.sub(" ", text)
    text = text.strip()
    if not text:
        raise problem

    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    factor = 1.0
    m = _MAGNITUDE_RE.match(text)
    if m and not percent:
        factor = _MAGNITUDES[m.group(2).lower()]
        text = m.group(1)
    try:
        number = _read_plain(text, lang)
    except ValueProblem:
        raise problem from None
    if percent:
        number = number / 100.0
    elif factor != 1.0:
        # 1.5k: compute on the decimal value so 1.1k is exactly 1100
        number = float(Decimal(repr(number)) * Decimal(repr(factor)))
    return Number(number, from_text=True, unit=unit)


def is_time_typed(value: Value) -> bool:
    return isinstance(value, dt.time | dt.timedelta)


@dataclass(frozen=True)
class Milestone:
    fraction: float  # 1 done, 0 not done, else percent complete
    from_text: bool = False


def read_milestone(value: Value) -> Milestone:
    """Done / not done words in either language, TRUE/FALSE, or percent complete 0..1 ("40%")."""
    if isinstance(value, CellError):
        raise ValueProblem(f"found {describe(value)}")
    if isinstance(value, bool):
        return Milestone(1.0 if value else 0.0)
    if value is None:
        return Milestone(0.0)
    if isinstance(value, int | float):
        if value > 1:
            raise ValueProblem(
                f"found {describe(value)}; a milestone takes done/not done or a percent complete "
                "from 0 to 1 (e.g. 40%)"
            )
        return Milestone(float(value))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise ValueProblem(f"found {describe(value)}")
    word = " ".join(str(value).split()).casefold()
    if word in DONE_WORDS:
        return Milestone(1.0)
    if word in NOT_DONE_WORDS:
        return Milestone(0.0)
    if word.endswith("%"):
        try:
            pct = _read_plain(word[:-1].strip(), "en") / 100.0
        except ValueProblem:
            pass
        else:
            if pct > 1:
                raise ValueProblem(f"found {describe(value)}; a percent complete is 0% to 100%")
            return Milestone(pct, from_text=True)
    else:
        try:
            number = _read_plain(word, "en")
        except ValueProblem:
            pass
        else:
            if number > 1:
                raise ValueProblem(f"found {describe(value)}; a percent complete is 0 to 1")
            return Milestone(number, from_text=True)
    raise ValueProblem(
        f"found {describe(value)}; type done or not done (klaar / niet klaar), "
        "TRUE/FALSE, or a percent complete such as 40%"
    )


_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$"
)


def read_date(value: Value) -> dt.date | None:
    """A real date, an Excel serial number, or ISO text (2027-02-15); None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or isinstance(value, CellError):
        raise ValueProblem(f"found {describe(value)}")
    if isinstance(value, int | float):
        if not (1 <= value < 2958466):
            raise ValueProblem(f"found {describe(value)}")
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, dt.time | dt.timedelta):
        raise ValueProblem(f"found {describe(value)}")
    text = str(value).strip()
    m = _ISO_DATE.match(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise ValueProblem(f"found {describe(value)}; type a date such as 2027-01-31")


def confidence_text(value: Value) -> str | None:
    """Confidence as typed (1..10 or low/medium/high in either language), as text; None if blank."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def show(x: float) -> str:
    """A number for a message: 18000000, 0.6667, 2.5 (no exponent, no trailing zeros)."""
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}" if abs(x) < 1e6 else f"{x:.15g}"
