"""XML from a workbook is never allowed to reach outside it: external entities (XXE) and entity
expansion bombs in any part are refused or ignored, by the reader, Refresh and the server."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from sheetokr.errors import UnusableWorkbook
from sheetokr.xlsx.read import load_team
from sheetokr.xlsx.refresh import refresh
from tests.builders import grid, write_xlsx

OBJ = [{"id": "O1", "title": "Grow", "owner": "Ann", "type": "committed"}]
KRS = [
    {
        "id": "KR1",
        "objective": "O1",
        "title": "Revenue 12 to 24",
        "owner": "Ann",
        "start": 12,
        "target": 24,
        "current": 18,
    }
]


def _inject(path: Path, part_pattern: str, doctype: str, entity_use: str) -> None:
    """Rewrite one XML part: add a DOCTYPE and use its entity where a text value stands."""
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if re.fullmatch(part_pattern, info.filename):
                text = content.decode("utf-8")
                head = re.match(r"<\?xml[^>]*\?>", text)
                at = head.end() if head else 0
                text = text[:at] + doctype + text[at:]
                text = text.replace("Revenue 12 to 24", entity_use, 1)
                content = text.encode("utf-8")
            dst.writestr(info, content)
    path.write_bytes(out.getvalue())


def _variants(tmp_path: Path) -> list[tuple[str, str]]:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN-123")
    xxe = f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
    laughs = (
        '<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    )
    return [(xxe, "&e;"), (laughs, "&d;")]


def _cells(path: Path) -> str:
    try:
        model = load_team(path)
    except UnusableWorkbook:
        return ""
    return " ".join(str(c.value) for r in model.key_results for c in r.cells.values())


@pytest.mark.parametrize("part", [r"xl/sharedStrings\.xml", r"xl/workbook\.xml"])
@pytest.mark.parametrize("which", [0, 1], ids=["external-entity", "entity-expansion"])
def test_reader_never_expands_entities(tmp_path: Path, part: str, which: int) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", grid(objectives=OBJ, key_results=KRS))
    doctype, use = _variants(tmp_path)[which]
    _inject(path, part, doctype, use)
    text = _cells(path)
    assert "SECRET-TOKEN" not in text
    assert "lollollol" not in text


@pytest.mark.parametrize("which", [0, 1], ids=["external-entity", "entity-expansion"])
def test_refresh_refuses_or_ignores_entities(tmp_path: Path, which: int) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", grid(objectives=OBJ, key_results=KRS))
    doctype, use = _variants(tmp_path)[which]
    _inject(path, r"xl/workbook\.xml", doctype, use)
    before = path.read_bytes()
    with pytest.raises(UnusableWorkbook):
        refresh(path)
    assert path.read_bytes() == before


def test_error_cells_with_an_entity_in_workbook_xml_are_one_sentence(tmp_path: Path) -> None:
    """The reader's second look (for #DIV/0! cells) parses workbook.xml: entities are refused."""
    import openpyxl

    path = write_xlsx(tmp_path / "t.xlsx", grid(objectives=OBJ, key_results=KRS))
    wb = openpyxl.load_workbook(path)
    wb["Key Results"]["H2"].value = "#DIV/0!"
    wb["Key Results"]["H2"].data_type = "e"
    wb.save(path)
    doctype, use = _variants(tmp_path)[0]
    _inject(path, r"xl/workbook\.xml", doctype, use)
    with pytest.raises(UnusableWorkbook, match="entit"):
        load_team(path)
