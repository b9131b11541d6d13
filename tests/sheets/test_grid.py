"""A1 arithmetic round-trips exhaustively; the layout's names are unique and found in both
languages, whatever the column order and spacing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetokr.sheets import layout
from sheetokr.sheets.grid import a1, column_index, column_letter, parse_a1


@pytest.mark.parametrize(
    ("index", "letters"),
    [
        (0, "A"),
        (25, "Z"),
        (26, "AA"),
        (51, "AZ"),
        (52, "BA"),
        (701, "ZZ"),
        (702, "AAA"),
        (16383, "XFD"),
    ],
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters
    assert column_index(letters) == index
    assert column_index(letters.lower()) == index


def test_every_column_round_trips() -> None:
    for index in range(16384):
        assert column_index(column_letter(index)) == index


@given(st.integers(1, 1_048_576), st.integers(0, 16383))
def test_a1_round_trips(row: int, column: int) -> None:
    assert parse_a1(a1(row, column)) == (row, column)
    assert parse_a1("$" + column_letter(column) + "$" + str(row)) == (row, column)


@pytest.mark.parametrize("bad", ["", "5", "A", "A0x", "1A", "A-1"])
def test_bad_references_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_a1(bad)


@pytest.mark.parametrize("sheet", layout.ALL_SHEETS, ids=lambda s: s.key)
def test_headers_are_unique_within_each_language(sheet: layout.SheetLayout) -> None:
    for lang in layout.LANGUAGES:
        headers = [layout.normalise(c.header(lang)) for c in sheet.columns]
        assert len(headers) == len(set(headers))


@pytest.mark.parametrize("sheet", layout.DATA_SHEETS, ids=lambda s: s.key)
def test_columns_are_found_in_any_order_language_and_spacing(sheet: layout.SheetLayout) -> None:
    headers = [c.nl if i % 2 else f"  {c.en.upper()} " for i, c in enumerate(sheet.columns)]
    headers = list(reversed(headers))
    row = ["My own column", *headers]
    found = layout.match_columns(sheet, row)
    assert set(found) == {c.key for c in sheet.columns}
    for key, index in found.items():
        assert layout.normalise(row[index]) in (
            layout.normalise(sheet.column(key).en),
            layout.normalise(sheet.column(key).nl),
        )


@pytest.mark.parametrize(
    ("table", "text", "key"),
    [
        (layout.METRICS, "Verlagen", "decrease"),
        (layout.METRICS, " at  least ", "at_least"),
        (layout.METRICS, "at_most", "at_most"),
        (layout.STATUSES, "Op schema", "on_track"),
        (layout.INITIATIVE_STATUSES, "geblokkeerd", "blocked"),
        (layout.OBJECTIVE_TYPES, "AMBITIEUS", "aspirational"),
        (layout.METRICS, "sideways", None),
        (layout.METRICS, None, None),
    ],
)
def test_labels_in_either_language(
    table: dict[str, tuple[str, str]], text: object, key: str | None
) -> None:
    assert layout.lookup(table, text) == key


@pytest.mark.parametrize(
    ("names", "lang"),
    [
        (["Cyclus", "Doelstellingen", "Hoofdresultaten", "Check-ins"], "nl"),
        (["Cycle", "Objectives", "Key Results", "Check-ins"], "en"),
        (["Uitleg", "Cycle", "Doelstellingen", "Hoofdresultaten"], "nl"),
        (["Check-ins", "Dashboard"], "en"),
    ],
)
def test_sheet_language(names: list[str], lang: str) -> None:
    assert layout.sheet_language(names) == lang
