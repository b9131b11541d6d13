"""Edits to one worksheet part's XML text that leave every byte outside the touched cells as it was.

The sheet is never parsed into a tree and serialised again: the `<row>` and `<c>` elements are found
by a single regular-expression pass over `<sheetData>`, only the rows and cells being written are
decoded, and the text between them is copied unchanged, so namespace prefixes, attribute order and
whitespace stay as Excel, LibreOffice or Google wrote them. Standard library only; the package and
the workbook map are `patch.py`'s business.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from sheetokr.core.model import CellError
from sheetokr.xlsx.xmltext import escape, unescape

Scalar: TypeAlias = None | bool | int | float | str | dt.date | dt.datetime
Old: TypeAlias = None | bool | float | str | CellError


@dataclass(frozen=True)
class Overwrite:
    """A value for a cell sheetokr owns outright: it replaces even a constant in that cell.

    A formula is still never removed; only its cached value is set.
    """

    value: Scalar


@dataclass(frozen=True)
class FormulaOnly:
    """A cached value for a cell only if it holds a formula; an empty cell or a constant is left
    alone (the Dashboard: write the results of our formulas, never into a layout a user changed).
    """

    value: Scalar


Edit: TypeAlias = Scalar | Overwrite | FormulaOnly


@dataclass(frozen=True)
class CellChange:
    """One cell whose value Refresh writes (or would write, in a dry run)."""

    sheet: str
    ref: str
    old: Old
    new: Scalar
    formula: bool = False
    """True when the cell holds a formula and only its cached value changes."""


@dataclass(frozen=True)
class KeptConstant:
    """A constant typed into a computed cell, kept as it is (the caller reports W121)."""

    sheet: str
    ref: str
    value: Old
    computed: Scalar
    differs: bool
    """False when the constant already equals the computed value."""


_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
MAX_ROW, MAX_COL = 1_048_576, 16_384


def split_ref(ref: str) -> tuple[int, int]:
    """'C7' -> (7, 3); raises ValueError for anything that is not one cell inside Excel's grid."""
    match = _REF.fullmatch(ref)
    column = col_number(match.group(1)) if match else 0
    if not match or not 1 <= int(match.group(2)) <= MAX_ROW or not 1 <= column <= MAX_COL:
        raise ValueError(f"{ref!r} is not a cell reference like 'C7'")
    return int(match.group(2)), column


def col_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def col_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@functools.lru_cache(maxsize=8)
def patterns(p: str) -> dict[str, re.Pattern[str]]:
    """The element patterns for a main-namespace prefix `p` ('' or 'x:')."""
    e = re.escape(p)
    return {
        "row": re.compile(rf"<{e}row\b([^>]*?)(?:/>|>(.*?)</{e}row\s*>)", re.S),
        "c": re.compile(rf"<{e}c\b([^>]*?)(?:/>|>(.*?)</{e}c\s*>)", re.S),
        "f": re.compile(rf"<{e}f\b[^>]*?(?:/>|>.*?</{e}f\s*>)", re.S),
        "v": re.compile(rf"<{e}v\b[^>]*?(?:/>|>(.*?)</{e}v\s*>)", re.S),
        "is": re.compile(rf"<{e}is\b[^>]*?(?:/>|>(.*?)</{e}is\s*>)", re.S),
        "t": re.compile(rf"<{e}t\b[^>]*?(?:/>|>(.*?)</{e}t\s*>)", re.S),
        "rph": re.compile(rf"<{e}rPh\b.*?</{e}rPh\s*>", re.S),
        "ext": re.compile(rf"<{e}extLst\b.*?</{e}extLst\s*>", re.S),
        "col": re.compile(rf"<{e}col\b([^>]*?)/?>"),
        "dim": re.compile(rf"<{e}dimension\b([^>]*?)/>"),
    }


def attrs_of(text: str) -> dict[str, str]:
    found = _ATTR.finditer(text)
    return {m.group(1): m.group(3) if m.group(2) is None else m.group(2) for m in found}


def set_attr(attrs: str, name: str, value: str | None) -> str:
    """`attrs` (the text inside a start tag) with `name` set, replaced in place, or removed."""
    pattern = re.compile(rf"""(\s+){re.escape(name)}\s*=\s*(?:"[^"]*"|'[^']*')""")
    found = pattern.search(attrs)
    if found:
        replacement = "" if value is None else f'{found.group(1)}{name}="{value}"'
        return attrs[: found.start()] + replacement + attrs[found.end() :]
    if value is None:
        return attrs
    body = attrs.rstrip()
    return f'{body} {name}="{value}"{attrs[len(body) :]}'


def serial(value: dt.date, epoch: dt.date) -> float:
    """A date or date-time as an Excel serial number counted from `epoch`."""
    if isinstance(value, dt.datetime):
        start = dt.datetime.combine(epoch, dt.time(), tzinfo=value.tzinfo)
        return (value - start) / dt.timedelta(days=1)
    return float((value - epoch).days)


def number_text(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be written to a cell; write None or a number")
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _normal(value: Scalar, epoch: dt.date) -> Old:
    """A value as it reads back from a cell: numbers and dates as floats."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, dt.date):
        return serial(value, epoch)
    return float(value)


def same_value(old: Old, new: Scalar, epoch: dt.date) -> bool:
    normal = _normal(new, epoch)
    return type(old) is type(normal) and old == normal


@dataclass
class CellXml:
    """One `<c>` element as found: its attribute text, body (None if self-closing) and meaning."""

    attrs: str
    body: str | None
    prefix: str

    @property
    def kind(self) -> str | None:
        return attrs_of(self.attrs).get("t")

    @property
    def has_formula(self) -> bool:
        return self.body is not None and patterns(self.prefix)["f"].search(self.body) is not None

    def value(self, strings: Callable[[int], str]) -> Old:
        """The cell's value (a formula's cached value), decoded; None when it has none."""
        if self.body is None:
            return None
        pats = patterns(self.prefix)
        kind = self.kind or "n"
        if kind == "inlineStr":
            found = pats["is"].search(self.body)
            if not found or not found.group(1):
                return None
            inner = pats["rph"].sub("", found.group(1))
            return unescape("".join(t.group(1) or "" for t in pats["t"].finditer(inner)))
        v = pats["v"].search(self.body)
        text = v.group(1) if v and v.group(1) is not None else None
        if text is None or (text == "" and kind != "str"):
            return None
        if kind == "s":
            return strings(int(text))
        if kind == "str":
            return unescape(text)
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "e":
            return CellError(unescape(text))
        if kind == "d":
            return unescape(text)
        try:
            return float(text)
        except ValueError:
            return unescape(text)


def _cell_body(value: Scalar, p: str, epoch: dt.date, formula: bool) -> tuple[str | None, str]:
    """The `t` attribute and the value XML for `value` (a formula's cache, or a cell's content)."""
    if value is None:
        return None, ""
    if isinstance(value, bool):
        return "b", f"<{p}v>{int(value)}</{p}v>"
    if isinstance(value, str):
        if formula:
            return "str", f"<{p}v>{escape(value)}</{p}v>"
        return "inlineStr", f'<{p}is><{p}t xml:space="preserve">{escape(value)}</{p}t></{p}is>'
    if isinstance(value, dt.date):
        return None, f"<{p}v>{number_text(serial(value, epoch))}</{p}v>"
    if isinstance(value, int | float):
        return None, f"<{p}v>{number_text(float(value))}</{p}v>"
    raise TypeError(f"cannot write a {type(value).__name__} to a cell: {value!r}")


def write_cached(cell: CellXml, value: Scalar, epoch: dt.date) -> str:
    """A formula cell with its cached value replaced; the <f> element stays as it is."""
    p, pats = cell.prefix, patterns(cell.prefix)
    body = cell.body or ""
    kind, new_v = _cell_body(value, p, epoch, formula=True)
    body = pats["is"].sub("", body)
    found = pats["v"].search(body)
    if found:
        body = body[: found.start()] + new_v + body[found.end() :]
    else:
        after_f = pats["f"].search(body)
        at = after_f.end() if after_f else 0
        body = body[:at] + new_v + body[at:]
    attrs = cell.attrs
    if kind is not None or cell.kind != "n":
        attrs = set_attr(attrs, "t", kind)
    return f"<{p}c{attrs}>{body}</{p}c>"


def write_value(cell: CellXml, value: Scalar, epoch: dt.date) -> str:
    """A cell without a formula given `value` as its content, keeping its style and extLst."""
    p = cell.prefix
    kind, content = _cell_body(value, p, epoch, formula=False)
    ext = patterns(p)["ext"].search(cell.body or "")
    content += ext.group(0) if ext else ""
    attrs = set_attr(cell.attrs, "t", kind)
    return f"<{p}c{attrs}/>" if not content else f"<{p}c{attrs}>{content}</{p}c>"


def new_cell(ref: str, style: str | None, value: Scalar, p: str, epoch: dt.date) -> str:
    attrs = f' r="{ref}"' + (f' s="{style}"' if style not in (None, "0") else "")
    return write_value(CellXml(attrs, None, p), value, epoch)


@dataclass
class SheetXml:
    """A worksheet part's text with its `<sheetData>` located."""

    text: str
    prefix: str
    start: int  # where the sheetData content begins
    end: int  # where it ends (the start of </sheetData>)
    self_closing: bool

    @classmethod
    def parse(cls, text: str, where: str) -> SheetXml:
        found = re.search(r"<([A-Za-z_][\w.-]*:)?sheetData\b[^>]*?(/?)>", text)
        if not found:
            raise ValueError(f"{where} has no <sheetData>")
        prefix = found.group(1) or ""
        if found.group(2):
            return cls(text, prefix, found.start(), found.end(), True)
        close = text.find(f"</{prefix}sheetData", found.end())
        if close < 0:
            raise ValueError(f"{where} has no </sheetData>")
        return cls(text, prefix, found.end(), close, False)

    def rows(self) -> list[tuple[int, re.Match[str]]]:
        """Each `<row>` with its number (implicit numbers counted as Excel does)."""
        if self.self_closing:
            return []
        found, number = [], 0
        for match in patterns(self.prefix)["row"].finditer(self.text, self.start, self.end):
            r = attrs_of(match.group(1)).get("r")
            number = int(r) if r and r.isdigit() else number + 1
            found.append((number, match))
        return found

    def with_content(self, content: str) -> str:
        if self.self_closing:
            content = f"<{self.prefix}sheetData>{content}</{self.prefix}sheetData>"
        return self.text[: self.start] + content + self.text[self.end :]

    def column_styles(self) -> list[tuple[int, int, str]]:
        head = self.text[: self.start]
        styles = []
        for match in patterns(self.prefix)["col"].finditer(head):
            a = attrs_of(match.group(1))
            if a.get("style") and a.get("min", "").isdigit() and a.get("max", "").isdigit():
                styles.append((int(a["min"]), int(a["max"]), a["style"]))
        return styles


def cells_of(body: str, p: str) -> list[tuple[int, re.Match[str]]]:
    """Each `<c>` of a row body with its column number (implicit ones counted)."""
    found, column = [], 0
    for match in patterns(p)["c"].finditer(body):
        r = attrs_of(match.group(1)).get("r")
        column = split_ref(r)[1] if r else column + 1
        found.append((column, match))
    return found


def add_r(element: str, p: str, tag: str, r: str) -> str:
    """An element that had an implicit position given an explicit `r` (needed after an insert)."""
    head = f"<{p}{tag}"
    if "r" in attrs_of(element[len(head) : element.index(">")]):
        return element
    return f'{head} r="{r}"{element[len(head) :]}'


def widen_spans(attrs: str, columns: Sequence[int]) -> str:
    spans = attrs_of(attrs).get("spans")
    if not spans or not columns:
        return attrs
    bounds = [int(n) for n in re.findall(r"\d+", spans)]
    if not bounds:
        return attrs
    low, high = min(bounds + list(columns)), max(bounds + list(columns))
    if low >= min(bounds) and high <= max(bounds):
        return attrs
    return set_attr(attrs, "spans", f"{low}:{high}")


def dimension_set(text: str, p: str, ref: str) -> str:
    found = patterns(p)["dim"].search(text)
    if not found:
        return text
    attrs = set_attr(found.group(1), "ref", ref)
    return text[: found.start()] + f"<{p}dimension{attrs}/>" + text[found.end() :]


def style_lookup(sheet: SheetXml, row_attrs: str) -> Callable[[int], str | None]:
    """The style a new cell takes: the row's own style if it has one, else its column's."""
    row = attrs_of(row_attrs)
    if row.get("customFormat") in ("1", "true") and row.get("s"):
        row_style = row["s"]
        return lambda column: row_style
    columns = sheet.column_styles()

    def lookup(column: int) -> str | None:
        for low, high, style in columns:
            if low <= column <= high:
                return style
        return None

    return lookup


EditPlan: TypeAlias = Mapping[int, Mapping[int, tuple[str, Edit]]]
"""Edits grouped by row number then column number: (A1 reference, edit)."""


def unwrap(edit: Edit) -> tuple[Scalar, bool]:
    if isinstance(edit, Overwrite):
        return edit.value, True
    if isinstance(edit, FormulaOnly):
        return edit.value, False
    return edit, False
