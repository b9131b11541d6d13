"""Invariants (STYLE habit 6): progress stays in 0..1, roll-ups ignore order and weight scale,
and a model written to a real workbook and read back is the same model."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetokr.sheets.parse import parse_grid
from sheetokr.xlsx.read import load_team
from tests.builders import grid, write_xlsx
from tests.core.helpers import find_obj, kr, obj, team

finite = st.floats(allow_nan=False, allow_infinity=False)
METRICS = st.sampled_from(["increase", "decrease", "at_least", "at_most", None])


@given(metric=METRICS, s=finite | st.none(), t=finite, c=finite | st.none())
@settings(max_examples=300, deadline=None)
def test_progress_is_always_within_zero_and_one(metric, s, t, c):
    result = team([kr(metric=metric, start=s, target=t, current=c)])
    k = result.key_results[0]
    assert k.progress is None or 0.0 <= k.progress <= 1.0
    for o in result.objectives:
        assert o.progress is None or 0.0 <= o.progress <= 1.0
    assert result.progress is None or 0.0 <= result.progress <= 1.0


@given(p=st.floats(min_value=-10, max_value=10), metric=st.sampled_from(["milestone"]))
@settings(max_examples=50, deadline=None)
def test_milestone_progress_is_within_zero_and_one_or_an_error(p, metric):
    result = team([kr(metric=metric, start=None, target=None, current=p)])
    k = result.key_results[0]
    assert k.progress is None or 0.0 <= k.progress <= 1.0
    if p > 1:
        assert k.progress is None


weights = st.integers(min_value=0, max_value=9) | st.floats(min_value=0.01, max_value=50)
kr_rows = st.lists(
    st.tuples(
        st.sampled_from(["O1", "O2", "O3"]), weights, st.floats(min_value=-50, max_value=150)
    ),
    min_size=1,
    max_size=8,
)
obj_weights = st.tuples(weights, weights, weights)


def _score(rows, ow, order=None, factor=1.0):
    krs = [kr(f"KR{i}", o, weight=w * factor, current=c) for i, (o, w, c) in enumerate(rows)]
    objs = [obj(f"O{i + 1}", weight=w * factor) for i, w in enumerate(ow)]
    if order is not None:
        krs = [krs[i] for i in order]
        objs = list(reversed(objs))
    return team(krs, objs)


def _close(a, b):
    return (a is None and b is None) or (
        a is not None and b is not None and math.isclose(a, b, rel_tol=0, abs_tol=1e-12)
    )


@given(rows=kr_rows, ow=obj_weights, data=st.data())
@settings(max_examples=150, deadline=None)
def test_roll_up_ignores_the_order_of_krs(rows, ow, data):
    order = data.draw(st.permutations(range(len(rows))))
    a, b = _score(rows, ow), _score(rows, ow, order=order)
    assert _close(a.progress, b.progress)
    for oid in ("O1", "O2", "O3"):
        assert _close(find_obj(a, oid).progress, find_obj(b, oid).progress)


@given(rows=kr_rows, ow=obj_weights, factor=st.floats(min_value=0.01, max_value=100))
@settings(max_examples=150, deadline=None)
def test_roll_up_ignores_scaling_all_weights(rows, ow, factor):
    a, b = _score(rows, ow), _score(rows, ow, factor=factor)
    assert _close(a.progress, b.progress)
    for oid in ("O1", "O2", "O3"):
        assert _close(find_obj(a, oid).progress, find_obj(b, oid).progress)


# --- a model written to a workbook and read back --------------------------------------------

text = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=("Cs",)),
    max_size=12,
).filter(lambda s: not s.startswith(("#", "=")))
cell_values = st.one_of(
    st.none(),
    text,
    st.integers(min_value=-(10**9), max_value=10**9),
    # at most 15 significant digits: openpyxl, which writes the test files, keeps 16
    st.integers(min_value=-(10**12), max_value=10**12).map(lambda n: n / 1000),
    st.booleans(),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.times().map(lambda t: t.replace(microsecond=0)),
)


def rows_for(keys, min_size=0):
    return st.lists(st.fixed_dictionaries({k: cell_values for k in keys}), max_size=4,
                    min_size=min_size)


def _blank(v):
    return None if v is None or (isinstance(v, str) and not v.strip()) else v


def _shape(model):
    sheets = {}
    for key in ("objectives", "key_results", "initiatives", "check_ins"):
        sheets[key] = [
            (r.number, {k: (_blank(c.value), c.where) for k, c in r.cells.items()})
            for r in getattr(model, key)
        ]
    cycle = {k: (_blank(c.value), c.where) for k, c in model.cycle.items()}
    issues = [(i.code, i.where) for i in model.issues]
    return model.lang, model.sheets, model.columns, cycle, sheets, issues


@given(
    objectives=rows_for(["id", "title", "owner", "type", "aligned_to", "weight"]),
    key_results=rows_for(["id", "objective", "title", "metric", "start", "target", "current",
                          "weight", "confidence"], min_size=1),
    check_ins=rows_for(["date", "key_result", "value", "confidence"]),
    lang=st.sampled_from(["en", "nl"]),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_workbook_written_and_read_back_is_the_same_model(
    objectives, key_results, check_ins, lang
):
    g = grid(objectives=objectives, key_results=key_results, check_ins=check_ins, lang=lang)
    expected = parse_grid(g, "roundtrip.xlsx")
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(Path(folder) / "roundtrip.xlsx", g)
        got = load_team(path)
    assert _shape(got) == _shape(expected)
