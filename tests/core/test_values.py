"""SPEC 1.2: values as users type them, read alone and inside whole workbooks."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetokr.core.model import CellError
from sheetokr.core.values import ValueProblem, read_number, round_half_up
from tests.core.helpers import at, codes, find_kr, kr, one_kr, team

# value, language -> number, read from text (W120)
NUMBER_CASES = [
    (5, "en", 5.0, False),
    (2.5, "nl", 2.5, False),
    (-3, "en", -3.0, False),
    ("5", "en", 5.0, True),
    ("-3", "en", -3.0, True),
    ("80%", "en", 0.8, True),
    ("80%", "nl", 0.8, True),
    ("12.5%", "en", 0.125, True),
    ("2:37", "en", 157.0, True),
    ("1:02:03", "en", 3723.0, True),
    ("0:45", "nl", 45.0, True),
    (dt.time(0, 2, 37), "en", 157.0, False),
    (dt.time(1, 2, 3), "en", 3723.0, False),
    (dt.timedelta(minutes=2, seconds=37), "en", 157.0, False),
    (dt.timedelta(hours=30), "en", 108000.0, False),
    ("12M", "en", 12e6, True),
    ("12 m", "en", 12e6, True),
    ("12m", "nl", 12e6, True),
    ("1.5k", "en", 1500.0, True),
    ("1.5k", "nl", 1500.0, True),
    ("1,5k", "nl", 1500.0, True),
    ("1.5K", "en", 1500.0, True),
    ("12 miljoen", "nl", 12e6, True),
    ("12 Miljoen", "en", 12e6, True),
    ("12 mln", "nl", 12e6, True),
    ("2bn", "en", 2e9, True),
    ("2 b", "en", 2e9, True),
    ("3 mld", "nl", 3e9, True),
    ("3 miljard", "nl", 3e9, True),
    ("1,000.5", "en", 1000.5, True),
    ("1,000,000", "en", 1e6, True),
    ("1.000,5", "nl", 1000.5, True),
    ("1.000.000", "nl", 1e6, True),
    ("30.000", "nl", 30000.0, True),
    ("30,000", "en", 30000.0, True),
    ("30.000", "en", 30.0, True),  # '.' is the decimal point in en
    ("30,000", "nl", 30.0, True),  # ',' is the decimal point in nl
    ("1,5", "en", 1.5, True),
    ("1,5", "nl", 1.5, True),
    ("1.5", "en", 1.5, True),
    ("1.5", "nl", 1.5, True),
    ("1,25", "en", 1.25, True),  # a separator followed by other than three digits is decimal
    ("1.2345", "nl", 1.2345, True),
    ("  42  ", "en", 42.0, True),
]


@pytest.mark.parametrize("value,lang,expected,from_text", NUMBER_CASES)
def test_read_number(value, lang, expected, from_text):
    n = read_number(value, lang)
    assert n is not None
    assert n.value == pytest.approx(expected, rel=1e-15)
    assert n.from_text is from_text


# currency symbols and codes are stripped; the first one found is the unit
CURRENCY_CASES = [
    ("$12", "en", 12.0, "USD"),
    ("$12M", "en", 12e6, "USD"),
    ("€ 1.000,5", "nl", 1000.5, "EUR"),
    ("€30.000", "nl", 30000.0, "EUR"),
    ("£5", "en", 5.0, "GBP"),
    ("USD 100", "en", 100.0, "USD"),
    ("100 usd", "en", 100.0, "USD"),
    ("1,000 EUR", "en", 1000.0, "EUR"),
    ("2.5k GBP", "en", 2500.0, "GBP"),
    ("12 miljoen EUR", "nl", 12e6, "EUR"),
    ("12", "en", 12.0, None),
]


@pytest.mark.parametrize("value,lang,expected,unit", CURRENCY_CASES)
def test_read_number_currency(value, lang, expected, unit):
    n = read_number(value, lang)
    assert n is not None
    assert n.value == pytest.approx(expected)
    assert n.unit == unit


def test_hours_minutes_reading():
    assert read_number("2:37", "en", hours_minutes=True).value == 2 * 3600 + 37 * 60
    # h:mm:ss stays h:mm:ss
    assert read_number("1:02:03", "en", hours_minutes=True).value == 3723


@pytest.mark.parametrize("value", [None, "", "   "])
def test_blank_is_none(value):
    assert read_number(value, "en") is None


GARBAGE = [
    "lots",
    "12 apples",
    "tbd",
    "1..2",
    "$",
    "%",
    "12kk",
    "k",
    "1:2",
    "2:75",
    CellError("#DIV/0!"),
    CellError("#N/A"),
    CellError("#REF!"),
    dt.date(2027, 1, 1),
]


@pytest.mark.parametrize("value", GARBAGE, ids=str)
def test_garbage_is_a_value_problem(value):
    with pytest.raises(ValueProblem):
        read_number(value, "en")


# SPEC 1.5: half away from zero on the decimal value
ROUNDING_CASES = [
    (0.125, 0.13),
    (0.285, 0.29),
    (0.135, 0.14),
    (0.005, 0.01),
    (0.1249999, 0.12),
    (0.994, 0.99),
    (0.995, 1.0),
    (1 / 3, 0.33),
    (2 / 3, 0.67),
    (-0.125, -0.13),
    (0.0, 0.0),
    (1.0, 1.0),
]


@pytest.mark.parametrize("x,expected", ROUNDING_CASES)
def test_round_half_up(x, expected):
    assert round_half_up(x) == expected


# --- whole workbooks -------------------------------------------------------------------------


def test_percent_text_in_a_workbook_warns_w120_at_the_cell():
    result, k = one_kr(start=0, target=1, current="80%")
    assert k.progress == pytest.approx(0.8)
    assert at(result, "W120") == ["Key Results!H2"]


def test_numbers_typed_as_numbers_give_no_w120():
    result, _ = one_kr(start=0, target=1, current=0.8)
    assert "W120" not in codes(result)


def test_time_typed_cell_makes_text_durations_hours_minutes():
    # T typed 2:00 -> a time cell of 2 hours; C "1:00" must then be 1 hour, not 1 minute.
    _, k = one_kr(start=None, target=dt.time(2, 0), current="1:00")
    assert k.target == 7200
    assert k.current == 3600
    assert k.progress == pytest.approx(0.5)


def test_time_typed_start_reads_other_texts_as_hours_minutes():
    _, k = one_kr(metric="decrease", start="5:00", target=dt.time(4, 0), current="4:30")
    assert (k.start, k.target, k.current) == (18000, 14400, 16200)
    assert k.progress == pytest.approx(0.5)


def test_timedelta_counts_total_seconds_and_switches_reading():
    _, k = one_kr(start=None, target=dt.timedelta(hours=2), current="1:30")
    assert k.current == 5400
    assert k.progress == pytest.approx(0.75)


def test_text_durations_alone_are_minutes_seconds():
    _, k = one_kr(metric="decrease", start="3:00", target="2:00", current="2:37")
    assert (k.start, k.target, k.current) == (180, 120, 157)
    assert k.progress == pytest.approx(23 / 60)


@pytest.mark.parametrize(
    "target,current,unit,expected_unit",
    [
        ("$24M", "$12M", None, "USD"),
        ("24M", "€12M", None, "EUR"),
        ("GBP 24", "12", None, "GBP"),
        ("$24M", "$12M", "dollars", "dollars"),
        (24, 12, None, None),
    ],
)
def test_currency_becomes_the_unit_when_unit_is_blank(target, current, unit, expected_unit):
    _, k = one_kr(start=None, target=target, current=current, unit=unit)
    assert k.progress == pytest.approx(0.5)
    assert k.unit == expected_unit


@pytest.mark.parametrize(
    "lang_cell,sheets,current,expected",
    [
        ("nl", "en", "30.000", 30000),
        ("en", "en", "30.000", 30),
        (None, "en", "30.000", 30),
        (None, "nl", "30.000", 30000),  # language of the sheet names
        (None, "nl", "1.000,5", 1000.5),
        ("en", "nl", "1,000.5", 1000.5),  # Language on the Cycle sheet wins
        ("nl", "en", "1,5", 1.5),
        ("en", "en", "1,5", 1.5),
    ],
)
def test_workbook_language_decides_separators(lang_cell, sheets, current, expected):
    cycle = {"language": lang_cell} if lang_cell else {}
    result = team([kr(start=0, target=100000, current=current)], cycle=cycle, lang=sheets)
    assert find_kr(result, "KR1").current == pytest.approx(expected)


@pytest.mark.parametrize(
    "cells,cell",
    [
        ({"current": "lots"}, "H2"),
        ({"current": CellError("#DIV/0!")}, "H2"),
        ({"target": CellError("#REF!")}, "G2"),
        ({"start": CellError("#N/A")}, "F2"),
        ({"current": "12 apples"}, "H2"),
    ],
)
def test_unreadable_value_is_e004_naming_the_cell(cells, cell):
    result = team([kr(**cells)])
    found = [i for i in result.issues if i.code == "E004"]
    assert [i.where for i in found] == [f"Key Results!{cell}"]
    assert found[0].level == "error"
    k = find_kr(result, "KR1")
    assert k.progress is None and k.status is None and not k.counted


def test_e004_message_says_what_was_found():
    result = team([kr(current="lots")])
    (issue,) = [i for i in result.issues if i.code == "E004"]
    assert "lots" in issue.message


def test_a_cycle_fraction_typed_as_text_is_read_with_w120() -> None:
    import datetime as dt

    from sheetokr.core.engine import score_team
    from tests.builders import model as build

    result = score_team(build(cycle={"aspirational_goal": "60%"}), dt.date(2027, 2, 15))
    w120 = [i for i in result.issues if i.code == "W120"]
    assert [i.where for i in w120] == ["Cycle!B7"]
