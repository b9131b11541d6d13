"""Results -> cells: computed cells land under their headers wherever the columns stand, in the
workbook's language, and the cells whose formulas cannot follow the engine are named."""

from __future__ import annotations

import datetime as dt

from sheetokr.core.engine import score_team
from sheetokr.sheets import render
from tests.builders import model

AS_OF = dt.date(2027, 2, 15)
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
    },
    {
        "id": "KR2",
        "objective": "O1",
        "title": "Tickets 120 to 30",
        "owner": "Bo",
        "metric": "decrease",
        "start": 120,
        "target": 30,
        "current": "60",
    },
]


def cells(result: object) -> dict[str, object]:
    return {c.where: c.value for c in render.computed_cells(result)}  # type: ignore[arg-type]


def test_computed_cells_follow_the_columns_wherever_they_stand() -> None:
    keys = [
        "progress",
        "id",
        "objective",
        "title",
        "owner",
        "metric",
        "start",
        "target",
        "current",
        "status",
        "score",
        "last_check_in",
    ]
    result = score_team(
        model(objectives=OBJ, key_results=KRS, columns={"key_results": keys}), AS_OF
    )
    found = cells(result)
    assert found["Key Results!A2"] == 0.5  # Progress is column A here
    assert found["Key Results!J3"] == "on track"  # Status is column J
    assert found["Key Results!K2"] == 0.5  # Score
    assert "Key Results!L2" in found and found["Key Results!L2"] is None  # no check-in
    assert found["Objectives!G2"] is not None  # objectives keep the standard layout


def test_status_labels_in_the_workbooks_language() -> None:
    krs = [
        dict(kr, metric={"decrease": "verlagen"}.get(kr.get("metric", ""), "verhogen"))
        for kr in KRS
    ]
    result = score_team(
        model(lang="nl", objectives=[dict(OBJ[0], type="vastgelegd")], key_results=krs), AS_OF
    )
    statuses = {v for k, v in cells(result).items() if isinstance(v, str)}
    assert statuses <= {"op schema", "achter", "risico", "behaald", "niet gestart"}
    assert statuses


def test_cells_whose_formulas_cannot_follow_are_named() -> None:
    krs = [*KRS, dict(KRS[0], title="Duplicate 1 to 2")]
    checks = [{"date": "2027-02-01", "key_result": "KR1", "value": 19}]
    result = score_team(model(objectives=OBJ, key_results=krs, check_ins=checks), AS_OF)
    notes = {n.where: n for n in render.formula_notes(result)}
    assert notes["Key Results!N3"].code == "W120"  # '60' typed as text in Current
    assert notes["Key Results!N4"].code == "E001"  # the duplicate ID's row
    assert notes["Check-ins!A2"].code == "W120"  # a date typed as text
    assert all(n.level == "note" for n in notes.values())


def test_issue_rows_have_a_header_in_the_workbooks_language() -> None:
    result = score_team(model(objectives=OBJ, key_results=KRS), AS_OF)
    rows = render.issue_rows(result.issues, "nl")
    assert rows[0] == ["Niveau", "Code", "Plaats", "Melding"]
    assert [r[1] for r in rows[1:]] == [i.code for i in result.issues]
    assert rows[1][0] in ("fout", "waarschuwing")
