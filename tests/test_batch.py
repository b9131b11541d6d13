"""Reading and scoring many workbooks on every core gives exactly what one process gives,
including when teams were scored at another date than the root's and had to be scored again,
and when the trend needs the check-ins a worker left behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheetokr.batch import POOL_THRESHOLD, complete, read_and_warm, score_files
from sheetokr.core.engine import Consolidator, consolidate
from sheetokr.org.trend import trend_of
from sheetokr.xlsx.read import load_team
from tests.builders import grid, write_xlsx

ROOT_AS_OF = dt.date(2027, 2, 15)


def _org(folder: Path, teams: int, root_as_of: dt.date | None) -> list[Path]:
    paths = [
        write_xlsx(
            folder / "company.xlsx",
            grid(
                cycle={"team_key": "company", "as_of": root_as_of},
                objectives=[{"id": "O1", "title": "Grow", "owner": "Ann", "type": "committed"}],
            ),
        )
    ]
    for i in range(teams):
        key = f"team-{i:02d}"
        paths.append(
            write_xlsx(
                folder / f"{key}.xlsx",
                grid(
                    cycle={"team_key": key, "parent": "company"},
                    objectives=[
                        {
                            "id": "O1",
                            "title": "Help",
                            "owner": "Bo",
                            "type": "committed",
                            "aligned_to": "company:O1",
                        }
                    ],
                    key_results=[
                        {
                            "id": "KR1",
                            "objective": "O1",
                            "title": "Reach 10",
                            "owner": "Bo",
                            "start": 0,
                            "target": 10,
                        }
                    ],
                    check_ins=[
                        {"date": dt.date(2027, 1, 10), "key_result": "KR1", "value": i % 5},
                        {"date": dt.date(2027, 2, 10), "key_result": "KR1", "value": i % 9},
                        {"date": dt.date(2027, 3, 10), "key_result": "KR1", "value": 10},
                    ],
                ),
            )
        )
    return paths


@pytest.mark.parametrize("root_as_of", [ROOT_AS_OF, None], ids=["root-as-of", "today"])
def test_workers_give_what_one_process_gives(tmp_path: Path, root_as_of: dt.date | None) -> None:
    paths = _org(tmp_path, POOL_THRESHOLD + 4, root_as_of)
    consolidator = Consolidator()
    models, unusable = read_and_warm(paths, consolidator)
    assert not unusable
    org = consolidator.run(models)
    direct = consolidate([load_team(p) for p in paths])
    assert org.as_of == direct.as_of
    assert org.to_json() == direct.to_json()
    if root_as_of is not None:
        # teams had no As of of their own: scored at today first, then again at the root's
        assert org.as_of == root_as_of
        assert org.progress == pytest.approx(direct.progress)


def test_the_trend_reads_back_the_check_ins_workers_left_behind(tmp_path: Path) -> None:
    paths = _org(tmp_path, POOL_THRESHOLD + 2, ROOT_AS_OF)
    consolidator = Consolidator()
    models, _ = read_and_warm(paths, consolidator, ROOT_AS_OF)
    assert any(m.partial for m in models)
    assert all(not complete(m).partial and complete(m).check_ins for m in models[1:])
    org = consolidator.run(models, ROOT_AS_OF)
    direct = consolidate([load_team(p) for p in paths], ROOT_AS_OF)
    assert trend_of(org, processes=0) == trend_of(direct, processes=0)


def test_score_files_is_score_team_on_each(tmp_path: Path) -> None:
    paths = _org(tmp_path, POOL_THRESHOLD + 1, ROOT_AS_OF)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("no")
    results = score_files([*paths, junk], ROOT_AS_OF)
    assert [r.path for r in results] == [*paths, junk]
    assert results[-1].json is None and "not an Excel workbook" in str(results[-1].error)
    from sheetokr.core.engine import score_team

    for result in results[:-1]:
        assert result.json == score_team(load_team(result.path), ROOT_AS_OF).to_json()
