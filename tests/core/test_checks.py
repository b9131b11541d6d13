"""SPEC 1.7: every check with its code, level and `where` cell, and what errors take out (1.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.core.helpers import at, codes, find_kr, find_obj, issues, kr, obj, team


def test_duplicate_kr_id_is_e001_on_the_later_row():
    result = team([kr("KR1", current=100), kr("KR2", current=0), kr("kr1 ", current=0)])
    assert at(result, "E001") == ["Key Results!A4"]
    first = [k for k in result.key_results if k.row.number == 2][0]
    later = [k for k in result.key_results if k.row.number == 4]
    assert first.counted
    assert all(not k.counted for k in later)
    assert find_obj(result, "O1").progress == 0.5  # rows 2 and 3 only


def test_duplicate_objective_id_is_e001_and_first_row_used():
    result = team(
        [kr("KR1", "O1", current=40)],
        [obj("O1", title="First"), obj("O1", title="Second")],
    )
    assert at(result, "E001") == ["Objectives!A3"]
    counted = [o for o in result.objectives if o.counted]
    assert [o.title for o in counted] == ["First"]
    assert counted[0].progress == pytest.approx(0.4)
    assert result.progress == pytest.approx(0.4)


def test_numeric_ids_are_text_without_point_zero():
    result = team([kr(1, 1.0, current=50)], [obj(1)])
    assert find_kr(result, "1").id == "1"
    assert find_obj(result, "1").progress == 0.5
    assert "E002" not in codes(result)


def test_kr_with_unknown_objective_is_e002_and_not_counted():
    result = team([kr("KR1", "O1", current=50), kr("KR2", "O9", current=100)])
    assert at(result, "E002") == ["Key Results!B3"]
    assert find_obj(result, "O1").progress == 0.5
    assert all(k.id != "KR2" for o in result.objectives if o.counted for k in o.key_results
               if k.counted)


@pytest.mark.parametrize(
    "sheet,rows,cell",
    [
        ("key_results", [{"objective": "O1", "title": "Reach 5", "current": 3}], "Key Results!A3"),
        ("key_results", [{"id": "  ", "objective": "O1", "target": 5}], "Key Results!A3"),
        ("objectives", [{"title": "Orphan objective"}], "Objectives!A3"),
    ],
)
def test_row_with_data_but_no_id_is_e014(sheet, rows, cell):
    krs = [kr("KR1", current=50)]
    objs = [obj("O1")]
    (krs if sheet == "key_results" else objs).extend(rows)
    result = team(krs, objs)
    assert at(result, "E014") == [cell]
    assert find_obj(result, "O1").progress == 0.5


def test_blank_rows_and_computed_cells_alone_are_skipped():
    result = team([kr("KR1", current=50), {"progress": 0.3, "status": "behind"}, {}])
    assert "E014" not in codes(result)


@pytest.mark.parametrize(
    "sheet,keep,missing",
    [
        ("key_results", ["id", "objective", "title", "start", "current", "owner"], "target"),
        ("key_results", ["id", "objective", "title", "target", "owner"], "current"),
        ("objectives", ["id", "owner", "type"], "title"),
        ("check_ins", ["date", "key_result"], "value"),
    ],
)
def test_missing_required_column_is_e020_once_on_the_sheet(sheet, keep, missing):
    sheet_name = {"key_results": "Key Results", "objectives": "Objectives",
                  "check_ins": "Check-ins"}[sheet]
    result = team(
        [kr("KR1", current=40), kr("KR2", current=60)],
        check_ins=[{"date": dt.date(2027, 1, 2), "key_result": "KR1", "value": 1}],
        columns={sheet: keep},
    )
    e020 = issues(result, "E020")
    assert [i.where for i in e020] == [sheet_name]
    assert missing.lower() in e020[0].message.lower() or sheet_name in e020[0].message
    if missing == "target":
        assert "E003" not in codes(result)  # the per-row errors are not repeated
    if sheet == "objectives":
        assert "E014" not in codes(result)


def test_missing_current_column_still_reads_the_rest():
    result = team(
        [kr("KR1"), kr("KR2")],
        columns={"key_results": ["id", "objective", "title", "start", "target", "owner"]},
    )
    assert [i.where for i in issues(result, "E020")] == ["Key Results"]
    assert {k.id for k in result.key_results} == {"KR1", "KR2"}


@pytest.mark.parametrize("code", ["E001", "E002", "E003", "E004", "E005", "E009", "E020"])
def test_error_codes_are_errors(code):
    cases = {
        "E001": team([kr("KR1"), kr("KR1")]),
        "E002": team([kr("KR1", "O7")]),
        "E003": team([kr(target=None, current=1)]),
        "E004": team([kr(current="??")]),
        "E005": team([kr(metric="decrease", start=None, target=1, current=2)]),
        "E009": team([kr(weight=-1)]),
        "E020": team(columns={"key_results": ["id", "objective", "title", "current"]}),
    }
    found = issues(cases[code], code)
    assert found and all(i.level == "error" for i in found)
    assert all(i.message.strip() for i in found)


# --- warnings ---------------------------------------------------------------------------------

def _krs(n: int, objective: str = "O1", **cells):
    return [kr(f"KR{objective}.{i}", objective, current=50, **cells) for i in range(1, n + 1)]


@pytest.mark.parametrize("n,warned", [(1, True), (2, True), (3, False), (5, False), (6, True)])
def test_w101_number_of_counting_krs(n, warned):
    result = team(_krs(n))
    assert at(result, "W101") == (["Objectives!A2"] if warned else [])


def test_w101_counts_only_counting_krs():
    krs = _krs(3) + [kr("KRx", weight=0, current=1)]
    assert at(team(krs), "W101") == []
    krs = _krs(2) + [kr("KRx", weight=0, current=1)]
    assert at(team(krs), "W101") == ["Objectives!A2"]


@pytest.mark.parametrize("owner,warned", [(None, True), ("  ", True), ("Bo", False)])
def test_w102_kr_without_owner(owner, warned):
    result = team([kr(owner=owner, current=1)])
    assert at(result, "W102") == (["Key Results!D2"] if warned else [])


def test_w103_start_equals_target():
    assert at(team([kr(start=5, target=5, current=5)]), "W103") == ["Key Results!G2"]
    assert at(team([kr(start=4, target=5, current=5)]), "W103") == []


@pytest.mark.parametrize("n,warned", [(5, False), (6, True)])
def test_w104_more_than_five_top_level_objectives(n, warned):
    objs = [obj(f"O{i}") for i in range(1, n + 1)]
    objs.append(obj("O99", aligned_to="O1"))  # aligned: not top-level
    krs = [kr(f"KR{i}", f"O{i}", current=1) for i in range(1, n + 1)] + [kr("KR99", "O99")]
    assert at(team(krs, objs), "W104") == (["Objectives"] if warned else [])


@pytest.mark.parametrize("n,warned", [(5, False), (6, True)])
def test_w106_more_than_five_initiatives(n, warned):
    rows = [{"id": f"I{i}", "objective": "O1", "title": f"Do {i}", "owner": "Ann"}
            for i in range(1, n + 1)]
    result = team(initiatives=rows)
    assert at(result, "W106") == (["Objectives!A2"] if warned else [])


@pytest.mark.parametrize("kind,warned", [(None, True), ("committed", False),
                                         ("aspirational", False), ("vastgelegd", False)])
def test_w107_blank_type(kind, warned):
    result = team([kr(current=50)], [obj(type=kind)])
    assert at(result, "W107") == (["Objectives!D2"] if warned else [])
    assert find_obj(result, "O1").type == (kind and ("committed" if kind == "vastgelegd"
                                                     else kind) or "committed")


@pytest.mark.parametrize(
    "kind,current,warned",
    [("aspirational", 100, True), ("aspirational", 99.6, True),  # score rounds to 1.00
     ("aspirational", 99, False), ("committed", 100, False)],
)
def test_w108_aspirational_scored_one(kind, current, warned):
    result = team([kr(current=current)], [obj(type=kind)])
    assert at(result, "W108") == (["Objectives!A2"] if warned else [])


@pytest.mark.parametrize(
    "parent,aligned,warned",
    [("company", None, True), ("company", "company:O1", False), (None, None, False)],
)
def test_w109_non_root_objective_aligned_to_nothing(parent, aligned, warned):
    result = team([kr(current=50)], [obj(aligned_to=aligned)], cycle={"parent": parent})
    assert at(result, "W109") == (["Objectives!E2"] if warned else [])


@pytest.mark.parametrize(
    "title,metric,warned",
    [("Grow revenue", None, True), ("Grow revenue", "increase", True),
     ("Reach 24 deals", None, False), ("Launch the site", "milestone", False),
     ("Measure churn", "baseline", False), ("Keep uptime", "at_least", True)],
)
def test_w110_kr_title_without_digit(title, metric, warned):
    result = team([kr(title=title, metric=metric, current=1)])
    assert at(result, "W110") == (["Key Results!C2"] if warned else [])


def test_w111_objective_measured_only_through_aligned_ones():
    result = team([kr("KR1", "O2", current=1)], [obj("O1"), obj("O2")])
    assert at(result, "W111") == ["Objectives!A2"]


@pytest.mark.parametrize("cells,where", [({"current": "50"}, "H2"), ({"target": "1,000"}, "G2"),
                                         ({"start": "$0"}, "F2"), ({"weight": "2"}, "J2")])
def test_w120_number_read_from_text(cells, where):
    result = team([kr(**{"current": 50, **cells})])
    assert at(result, "W120") == [f"Key Results!{where}"]


@pytest.mark.parametrize("risk,value", [("80", 80), ("80%", 0.8), ("1.5k", 1500)])
def test_w120_for_a_guardrail_risk_threshold(risk, value):
    result = team([kr(metric="at_least", start=None, target=100, current=100,
                      risk_threshold=risk)])
    assert at(result, "W120") == ["Key Results!K2"]
    assert find_kr(result, "KR1").risk_threshold == value


def test_w120_not_for_words_or_dates():
    result = team([kr(metric="milestone", start=None, target=None, current="done",
                      confidence="high")],
                  check_ins=[{"date": "2027-01-02", "key_result": "KR1", "value": "yes"}])
    assert "W120" not in codes(result)


def test_warnings_are_warnings():
    result = team([kr(owner=None, title="Grow", start=5, target=5, current="5")], [obj(type=None)])
    found = [i for i in result.issues if i.code.startswith("W")]
    assert {i.code for i in found} >= {"W101", "W102", "W103", "W107", "W110", "W120"}
    assert all(i.level == "warning" for i in found)
