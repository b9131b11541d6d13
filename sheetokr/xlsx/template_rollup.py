"""The roll-up formulas of the team-workbook template: objective progress, score and status from
their key results or, without counting key results, from the objectives aligned to them (nested
levels computed without iteration), and the team's figures for the Dashboard (SPEC 1.4, 1.5).

Builds formula text only, on the helper columns defined in `template_formulas`.
"""

from __future__ import annotations

from collections.abc import Callable

from sheetokr.sheets.layout import KEY_RESULTS, OBJECTIVES
from sheetokr.xlsx.template_formulas import (
    HELPERS,
    LEVELS,
    STATUS_CODE,
    Refs,
    blank,
    column,
    gap_rule,
    last_row,
    status_label,
)

# ---------------------------------------------------------------- Objectives


def objective_formulas(refs: Refs, r: int) -> dict[str, str]:
    """Every computed and helper cell of Objectives row r.

    Levels: p1 is the weighted mean of the objective's counting key results (-1 = none); level n
    keeps p1 when it exists, else takes the weighted mean of level n-1 over the objectives aligned
    to this one. Five levels follow four steps of nesting without iterative calculation.
    """
    k = {key: f"{column(OBJECTIVES, key)}{r}" for key in OBJECTIVES.input_keys}
    h = {key: f"{column(OBJECTIVES, 'calc.' + key)}{r}" for key in HELPERS["objectives"]}
    kr = {key: refs.rng(KEY_RESULTS, "calc." + key) for key in HELPERS["key_results"]}
    local = {key: _local_range(key) for key in HELPERS["objectives"]}
    team = refs.cycle_value("team_key")
    aligned = k["aligned_to"]
    colon = f'FIND(":",{aligned})'
    target = (
        f'IF(ISNUMBER({colon}),IF(OR(TRIM(LEFT({aligned},{colon}-1))="",'
        f"LOWER(TRIM(LEFT({aligned},{colon}-1)))="
        f'LOWER(TRIM({team}&""))),UPPER(TRIM(MID({aligned},{colon}+1,255))),"|OTHER TEAM|"),'
        f'UPPER(TRIM({aligned}&"")))'
    )
    out = {
        "calc.id": f'=UPPER(TRIM({k["id"]}&""))',
        "calc.goal": (
            f'=IF(ISNUMBER(MATCH(LOWER(TRIM({k["type"]}&"")),{{"aspirational","ambitieus"}},'
            f"0)),{refs.cycle_calc('aspirational_goal')},1)"
        ),
        "calc.weight": (
            f"=IF({blank(k['weight'])},1,IF(ISNUMBER({k['weight']}),MAX(0,{k['weight']}),0))"
        ),
        "calc.parent": (f"=IF({blank(aligned)},0,IFERROR(MATCH({target},{local['id']},0)+1,0))"),
        "calc.kr_weight": (
            f'=IF({h["id"]}="",0,SUMIFS({kr["weight"]},{kr["objective"]},ROW(),{kr["counted"]},1))'
        ),
    }
    for measure, sums in (("p", kr["wp"]), ("s", kr["ws"])):
        out[f"calc.{measure}1"] = (
            f"=IF({h['kr_weight']}>0,SUMIFS({sums},{kr['objective']},ROW())/{h['kr_weight']},-1)"
        )
        for level in range(2, LEVELS + 1):
            below = local[f"{measure}{level - 1}"]
            weights = f'SUMIFS({local["weight"]},{local["parent"]},ROW(),{below},">=0")'
            total = (
                f"SUMPRODUCT(--({local['parent']}=ROW()),--({below}>=0),{local['weight']},{below})"
            )
            own = h[f"{measure}1"]
            out[f"calc.{measure}{level}"] = (
                f"=IF({own}>=0,{own},IF({weights}>0,{total}/{weights},-1))"
            )
    p, score = h[f"p{LEVELS}"], h[f"s{LEVELS}"]
    out.update(_objective_statuses(refs, h, local, kr))
    out["progress"] = f'=IF({p}>=0,{p},"")'
    out["score"] = f'=IF({score}>=0,ROUND({score},2),"")'
    out["status"] = status_label(refs, h[f"st{LEVELS}"])
    return out


def _objective_statuses(
    refs: Refs, h: dict[str, str], local: dict[str, str], kr: dict[str, str]
) -> dict[str, str]:
    """Status codes by level (0 = none): from the counting key results' statuses when there are
    any, else from the statuses of the aligned objectives that count (progress and weight > 0)."""
    ns, ach = STATUS_CODE["not_started"], STATUS_CODE["achieved"]
    t, risk_gap = refs.cycle_calc("t"), refs.cycle_calc("risk_gap")

    def decide(p: str, n: str, count: Callable[[int], str]) -> str:
        return (
            f"IF(AND({n}>0,{count(ns)}={n}),{ns},IF(AND({p}>=1,{count(ach)}={n}),{ach},"
            f"{gap_rule(t, h['goal'], p, risk_gap)}))"
        )

    def kr_count(code: int) -> str:
        return f"COUNTIFS({kr['objective']},ROW(),{kr['counted']},1,{kr['status']},{code})"

    counted = f"COUNTIFS({kr['objective']},ROW(),{kr['counted']},1)"
    out = {"calc.st1": f"=IF({h['p1']}<0,0,{decide(h['p1'], counted, kr_count)})"}
    for level in range(2, LEVELS + 1):
        below_p, below_st = local[f"p{level - 1}"], local[f"st{level - 1}"]
        children = f'{local["parent"]},ROW(),{below_p},">=0",{local["weight"]},">0"'

        def child_count(code: int, children: str = children, below_st: str = below_st) -> str:
            return f"COUNTIFS({children},{below_st},{code})"

        p = h[f"p{level}"]
        out[f"calc.st{level}"] = (
            f"=IF({p}<0,0,IF({h['p1']}>=0,{h['st1']},"
            f"{decide(p, f'COUNTIFS({children})', child_count)}))"
        )
    return out


def _local_range(helper: str) -> str:
    c = column(OBJECTIVES, "calc." + helper)
    return f"${c}$2:${c}${last_row(OBJECTIVES)}"


# ---------------------------------------------------------------- Team (Dashboard)


def team_formulas(refs: Refs) -> dict[str, str]:
    """Team progress, score, status code and expected progress over top-level objectives."""
    o = {key: refs.rng(OBJECTIVES, "calc." + key) for key in HELPERS["objectives"]}
    p, s = o[f"p{LEVELS}"], o[f"s{LEVELS}"]
    top = f"--({o['parent']}=0)"
    weights = f'SUMIFS({o["weight"]},{o["parent"]},0,{p},">=0")'

    def mean(values: str) -> str:
        return f"SUMPRODUCT({top},--({p}>=0),{o['weight']},{values})/{weights}"

    t = refs.cycle_calc("t")
    goal = mean(o["goal"])
    tops = f'COUNTIFS({o["parent"]},0,{p},">=0",{o["weight"]},">0")'
    not_started = (
        f'COUNTIFS({o["parent"]},0,{p},">=0",{o["weight"]},">0",'
        f"{o[f'st{LEVELS}']},{STATUS_CODE['not_started']})"
    )
    progress = f'IF({weights}>0,{mean(p)},"")'
    return {
        "progress": f"={progress}",
        "score": f'=IF({weights}>0,ROUND({mean(s)},2),"")',
        "expected": f'=IF(AND({weights}>0,ISNUMBER({t})),{t}*{goal},"")',
        "status_code": (
            f"=IF({weights}>0,IF({not_started}={tops},{STATUS_CODE['not_started']},"
            f'{gap_rule(t, goal, mean(p), refs.cycle_calc("risk_gap"))}),"")'
        ),
    }
