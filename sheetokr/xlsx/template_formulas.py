"""The live formulas of the team-workbook template: SPEC section 1 written as worksheet formulas
that compute alike in Excel, LibreOffice and Google Sheets.

Only portable functions are used (IF, IFERROR, AND, OR, MIN, MAX, ROUND, INT, MOD, N, TRIM, UPPER,
LOWER, LEFT, MID, FIND, ISNUMBER, ISLOGICAL, INDEX, MATCH, SUMIFS, COUNTIFS, SUMPRODUCT, TODAY and
`_xlfn.MAXIFS`): no LET, LAMBDA, XLOOKUP, FILTER or dynamic arrays. Intermediate results live in
hidden helper columns to the right of the contract's columns, headed `calc: ...`. Where an input
is text that only the engine can read, the formula shows "" and Refresh explains on the Issues
sheet. Key results, check-ins and the Cycle block live here, the roll-up in `template_rollup`.
This module only builds formula text; openpyxl is not imported here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheetokr.sheets.layout import (
    CHECK_INS,
    CYCLE,
    KEY_RESULTS,
    METRICS,
    OBJECTIVES,
    STATUSES,
    SheetLayout,
)

# Prepared rows (header on row 1): formulas and validation already cover these.
CAPACITY = {"objectives": 20, "key_results": 100, "initiatives": 100, "check_ins": 1000}

# Check-in ranking key date*ROW_STEP+row: the latest date wins, then the row further down.
ROW_STEP = 100000

# Status codes used by the helper columns: position in layout.STATUSES (1-based).
STATUS_CODE = {key: i + 1 for i, key in enumerate(STATUSES)}
METRIC_CODE = {key: i + 1 for i, key in enumerate(METRICS)}

DONE_WORDS = ("true", "done", "yes", "y", "x", "✓", "achieved", "ja", "klaar", "gereed", "behaald")
NOT_DONE_WORDS = ("false", "no", "n", "nee", "open", "not done", "niet klaar")

# Helper columns, in order, to the right of each sheet's contract columns.
HELPERS = {
    "objectives": (
        "id",
        "goal",
        "weight",
        "parent",
        "kr_weight",
        "p1",
        "p2",
        "p3",
        "p4",
        "p5",
        "s1",
        "s2",
        "s3",
        "s4",
        "s5",
        "st1",
        "st2",
        "st3",
        "st4",
        "st5",
    ),
    "key_results": (
        "id",
        "objective",
        "metric",
        "latest",
        "current",
        "progress",
        "counted",
        "weight",
        "goal",
        "status",
        "score",
        "wp",
        "ws",
    ),
    "check_ins": ("kr", "rank"),
}
LEVELS = 5  # objective nesting levels computed without iteration (4 steps of alignment)

# Cycle sheet: labels in A, values in B, one row per field in layout order; internal block in D:E.
CYCLE_ROW = {col.key: i + 1 for i, col in enumerate(CYCLE.columns)}
CYCLE_CALC_ROW = {"as_of": 1, "t": 2, "aspirational_goal": 3, "risk_gap": 4}
STATUS_LABEL_FIRST_ROW = 6  # E6:E10 hold the five status labels in the workbook's language


def letter(index: int) -> str:
    """Column letter for a zero-based index (0 -> A, 26 -> AA)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def column(layout: SheetLayout, key: str) -> str:
    """The letter of a contract column or (prefixed 'calc.') helper column of a data sheet."""
    if key.startswith("calc."):
        name = key.removeprefix("calc.")
        return letter(len(layout.columns) + HELPERS[layout.key].index(name))
    return letter([c.key for c in layout.columns].index(key))


def last_row(layout: SheetLayout) -> int:
    return 1 + CAPACITY[layout.key]


def _array(words: tuple[str, ...]) -> str:
    return "{" + ",".join(f'"{w}"' for w in words) + "}"


@dataclass(frozen=True)
class Refs:
    """Sheet-qualified references for one workbook language."""

    lang: str

    def sheet(self, layout: SheetLayout) -> str:
        return "'" + layout.name(self.lang).replace("'", "''") + "'"

    def rng(self, layout: SheetLayout, key: str, first: int = 2) -> str:
        """Absolute range over a column's prepared rows, e.g. 'Key Results'!$X$2:$X$101."""
        c = column(layout, key)
        return f"{self.sheet(layout)}!${c}${first}:${c}${last_row(layout)}"

    def cycle_value(self, key: str) -> str:
        return f"{self.sheet(CYCLE)}!$B${CYCLE_ROW[key]}"

    def cycle_calc(self, key: str) -> str:
        return f"{self.sheet(CYCLE)}!$E${CYCLE_CALC_ROW[key]}"

    def status_labels(self) -> str:
        first = STATUS_LABEL_FIRST_ROW
        return f"{self.sheet(CYCLE)}!$E${first}:$E${first + len(STATUSES) - 1}"


def blank(ref: str) -> str:
    return f'TRIM({ref}&"")=""'


def filled(ref: str) -> str:
    return f'TRIM({ref}&"")<>""'


def gap_rule(t: str, goal: str, p: str, risk_gap: str) -> str:
    """Status code by the gap rule: gap = ROUND(t*goal - p, 12); <=0 on track, <=risk gap behind."""
    gap = f"ROUND({t}*{goal}-{p},12)"
    on, behind, risk = STATUS_CODE["on_track"], STATUS_CODE["behind"], STATUS_CODE["at_risk"]
    return f'IF({t}="","",IF({gap}<=0,{on},IF({gap}<={risk_gap},{behind},{risk})))'


def status_label(refs: Refs, code: str) -> str:
    """The label of a status code cell; blank for "" or 0 (no status)."""
    return f'=IF(N({code})<1,"",INDEX({refs.status_labels()},{code}))'


# ---------------------------------------------------------------- Cycle sheet


def cycle_formulas(refs: Refs) -> dict[str, str]:
    """The Cycle sheet's internal block: effective as-of date, t, goal, risk gap."""
    b = {key: f"$B${row}" for key, row in CYCLE_ROW.items()}
    e = {key: f"$E${row}" for key, row in CYCLE_CALC_ROW.items()}
    d0, d1, asof = f"INT({b['start']})", f"INT({b['end']})", e["as_of"]
    return {
        "as_of": (
            f'=IF({blank(b["as_of"])},TODAY(),IF(ISNUMBER({b["as_of"]}),INT({b["as_of"]}),""))'
        ),
        "t": (
            f"=IF(AND(ISNUMBER({b['start']}),ISNUMBER({b['end']}),ISNUMBER({asof})),"
            f'IF({d1}<{d0},"",IF({d1}={d0},IF({asof}<{d0},0,1),'
            f'MIN(1,MAX(0,({asof}-{d0})/({d1}-{d0}))))),"")'
        ),
        "aspirational_goal": (
            f"=IF({blank(b['aspirational_goal'])},0.7,"
            f'IF(ISNUMBER({b["aspirational_goal"]}),{b["aspirational_goal"]},""))'
        ),
        "risk_gap": (
            f'=IF({blank(b["risk_gap"])},0.25,IF(ISNUMBER({b["risk_gap"]}),{b["risk_gap"]},""))'
        ),
    }


def status_label_formula(lang: str, key: str) -> str:
    """A status label in the Cycle sheet's Language, else the template's language."""
    en, nl = STATUSES[key]
    default = nl if lang == "nl" else en
    language = f'LOWER(TRIM($B${CYCLE_ROW["language"]}&""))'
    return f'=IF({language}="nl","{nl}",IF({language}="en","{en}","{default}"))'


# ---------------------------------------------------------------- Check-ins


def check_in_formulas(refs: Refs, r: int) -> dict[str, str]:
    kr_col, date, value = (column(CHECK_INS, k) for k in ("key_result", "date", "value"))
    kr_row = column(CHECK_INS, "calc.kr")
    ids = refs.rng(KEY_RESULTS, "calc.id")
    asof = refs.cycle_calc("as_of")
    return {
        "calc.kr": (
            f"=IF({blank(f'{kr_col}{r}')},0,"
            f'IFERROR(MATCH(UPPER(TRIM({kr_col}{r}&"")),{ids},0)+1,0))'
        ),
        "calc.rank": (
            f"=IF(AND({kr_row}{r}>0,ISNUMBER({date}{r}),{filled(f'{value}{r}')}),"
            f"IF(INT({date}{r})<={asof},INT({date}{r})*{ROW_STEP}+ROW(),0),0)"
        ),
    }


# ---------------------------------------------------------------- Key Results


def key_result_formulas(refs: Refs, r: int) -> dict[str, str]:
    """Every computed and helper cell of Key Results row r."""
    k = {key: f"{column(KEY_RESULTS, key)}{r}" for key in KEY_RESULTS.input_keys}
    h = {key: f"{column(KEY_RESULTS, 'calc.' + key)}{r}" for key in HELPERS["key_results"]}
    s, t_, c, rr, fs = k["start"], k["target"], h["current"], k["risk_threshold"], k["final_score"]
    m = h["metric"]
    t = refs.cycle_calc("t")
    ci_kr, ci_rank = refs.rng(CHECK_INS, "calc.kr"), refs.rng(CHECK_INS, "calc.rank")
    ci_value = (
        f"{refs.sheet(CHECK_INS)}!${column(CHECK_INS, 'value')}$1:"
        f"${column(CHECK_INS, 'value')}${last_row(CHECK_INS)}"
    )
    inc, dec = METRIC_CODE["increase"], METRIC_CODE["decrease"]
    least, most = METRIC_CODE["at_least"], METRIC_CODE["at_most"]
    base = METRIC_CODE["baseline"]

    words: list[str] = []
    codes: list[str] = []
    for key, (en, nl) in METRICS.items():
        for w in dict.fromkeys((en, nl, key.replace("_", " "), key)):
            words.append(w)
            codes.append(str(METRIC_CODE[key]))
    metric = (
        f"=IF({blank(k['metric'])},{inc},IFERROR(INDEX({{{','.join(codes)}}},"
        f"MATCH(LOWER(TRIM({k['metric']})),{_array(tuple(words))},0)),0))"
    )
    # increase / decrease: clamp((C-S)/(T-S)); S == T: met or not; C blank: 0.
    start_ok = f"OR(AND({m}={inc},{blank(s)}),ISNUMBER({s}))"
    met = f"IF({m}={inc},{c}>={t_},{c}<={t_})"
    ratio = f"MIN(1,MAX(0,({c}-N({s}))/({t_}-N({s}))))"
    directional = (
        f'IF(AND(ISNUMBER({t_}),{start_ok},OR({c}="",ISNUMBER({c}))),'
        f'IF({c}="",0,IF(N({s})={t_},IF({met},1,0),{ratio})),"")'
    )
    guard_met = f"IF({m}={least},{c}>={t_},{c}<={t_})"
    guardrail = (
        f'IF(AND(ISNUMBER({t_}),OR({c}="",ISNUMBER({c})),OR({blank(rr)},ISNUMBER({rr}))),'
        f'IF({c}="",0,IF({guard_met},1,0)),"")'
    )
    milestone = (
        f'IF({c}="",0,IF(ISNUMBER({c}),IF({c}>1,"",MAX(0,{c})),'
        f"IF(ISLOGICAL({c}),IF({c},1,0),"
        f"IF(ISNUMBER(MATCH(TRIM({c}),{_array(DONE_WORDS)},0)),1,"
        f'IF(ISNUMBER(MATCH(TRIM({c}),{_array(NOT_DONE_WORDS)},0)),0,"")))))'
    )
    final_ok = f"OR({blank(fs)},AND(ISNUMBER({fs}),{fs}>=0,{fs}<=1))"
    progress = (
        f'=IF(OR({m}=0,{m}={base},NOT({final_ok})),"",IF({m}<={dec},{directional},'
        f"IF({m}<={most},{guardrail},{milestone})))"
    )
    wrong_way = f"OR(AND({m}={inc},{t_}<N({s})),AND({m}={dec},{t_}>N({s})))"
    safe = f"AND({filled(rr)},IF({m}={least},{c}>={rr},{c}<={rr}))"
    code = STATUS_CODE
    guard_status = (
        f"IF({h['progress']}=1,IF({t}=1,{code['achieved']},{code['on_track']}),"
        f"IF({safe},{code['behind']},{code['at_risk']}))"
    )
    status = (
        f'=IF({m}={base},IF({c}="",{code["not_started"]},{code["on_track"]}),'
        f'IF({h["progress"]}="","",IF({c}="",{code["not_started"]},'
        f"IF(OR({m}={least},{m}={most}),{guard_status},"
        f"IF({h['progress']}>=1,{code['achieved']},"
        f"{gap_rule(t, h['goal'], h['progress'], refs.cycle_calc('risk_gap'))})))))"
    )
    return {
        "calc.id": f'=UPPER(TRIM({k["id"]}&""))',
        "calc.objective": (
            f'=IF({blank(k["objective"])},0,IFERROR(MATCH(UPPER(TRIM({k["objective"]}&"")),'
            f"{refs.rng(OBJECTIVES, 'calc.id')},0)+1,0))"
        ),
        "calc.metric": metric,
        "calc.latest": f'=IF({h["id"]}="",0,_xlfn.MAXIFS({ci_rank},{ci_kr},ROW()))',
        "calc.current": (
            f"=IF({filled(k['current'])},{k['current']},IF({h['latest']}>0,"
            f'INDEX({ci_value},MOD({h["latest"]},{ROW_STEP})),""))'
        ),
        "calc.progress": progress,
        "calc.counted": (
            f"=IF(AND(ISNUMBER({h['progress']}),{h['weight']}>0,{h['objective']}>0,"
            f'{h["id"]}<>"",NOT({wrong_way})),1,0)'
        ),
        "calc.weight": (
            f"=IF({blank(k['weight'])},1,IF(ISNUMBER({k['weight']}),MAX(0,{k['weight']}),0))"
        ),
        "calc.goal": (
            f"=IF({h['objective']}>0,INDEX({refs.sheet(OBJECTIVES)}!"
            f"${column(OBJECTIVES, 'calc.goal')}$1:${column(OBJECTIVES, 'calc.goal')}"
            f"${last_row(OBJECTIVES)},{h['objective']}),1)"
        ),
        "calc.status": status,
        "calc.score": (
            f'=IF({h["progress"]}="",IF(AND({m}={base},{filled(fs)},{final_ok}),{fs},""),'
            f"IF({filled(fs)},{fs},{h['progress']}))"
        ),
        "calc.wp": f"=IF({h['counted']}=1,{h['weight']}*{h['progress']},0)",
        "calc.ws": f"=IF({h['counted']}=1,{h['weight']}*{h['score']},0)",
        "progress": f"={h['progress']}",
        "score": f'=IF({h["score"]}="","",ROUND({h["score"]},2))',
        "status": status_label(refs, h["status"]),
        "last_check_in": f'=IF({h["latest"]}>0,INT({h["latest"]}/{ROW_STEP}),"")',
    }
