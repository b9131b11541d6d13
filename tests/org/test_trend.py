"""weekly_trend: each team's progress rebuilt week by week from its check-ins."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetokr.core.engine import consolidate
from sheetokr.core.model import TeamWorkbook
from sheetokr.org.trend import MAX_WEEKS, org_trend, week_dates, weekly_trend
from tests.org.conftest import AS_OF

START, END = dt.date(2027, 1, 1), dt.date(2027, 3, 31)


@pytest.mark.parametrize(
    ("as_of", "first", "last", "count"),
    [
        (dt.date(2027, 1, 1), dt.date(2027, 1, 1), dt.date(2027, 1, 1), 1),
        (dt.date(2027, 1, 8), dt.date(2027, 1, 1), dt.date(2027, 1, 8), 2),
        (dt.date(2027, 1, 10), dt.date(2027, 1, 1), dt.date(2027, 1, 10), 3),
        (dt.date(2027, 2, 15), dt.date(2027, 1, 1), dt.date(2027, 2, 15), 8),
        (dt.date(2027, 6, 1), dt.date(2027, 1, 1), dt.date(2027, 3, 31), 14),  # stops at the end
    ],
)
def test_week_dates(as_of: dt.date, first: dt.date, last: dt.date, count: int) -> None:
    days = week_dates(START, END, as_of)
    assert (days[0], days[-1], len(days)) == (first, last, count)
    assert all((b - a).days == 7 for a, b in zip(days, days[1:-1], strict=False))


def test_week_dates_before_the_cycle_and_the_cap() -> None:
    assert week_dates(START, END, dt.date(2026, 12, 31)) == []
    long = week_dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31), dt.date(2027, 12, 31))
    assert len(long) == MAX_WEEKS and long[-1] == dt.date(2027, 12, 31)


def test_each_week_is_the_organisation_as_of_that_week(models: list[TeamWorkbook]) -> None:
    trend = weekly_trend(models, START, END, AS_OF)
    assert sorted(trend) == ["company", "ops", "sales", "support"]
    days = week_dates(START, END, AS_OF)
    for day in (days[0], days[3], days[-1]):
        org = consolidate(models, as_of=day)
        for team in org.teams:
            assert dict(trend[team.key])[day] == team.progress
    assert [d for d, _ in trend["support"]] == days


def test_progress_follows_the_check_ins(models: list[TeamWorkbook]) -> None:
    support = dict(weekly_trend(models, START, END, AS_OF)["support"])
    # check-ins of 50 on 2027-01-05 and 60 on 2027-01-20, target 100
    assert support[dt.date(2027, 1, 1)] == 0
    assert support[dt.date(2027, 1, 8)] == pytest.approx(0.5)
    assert support[dt.date(2027, 1, 15)] == pytest.approx(0.5)
    assert support[dt.date(2027, 1, 22)] == pytest.approx(0.6)
    # company O2 has no KRs of its own: it follows support across teams
    company = dict(weekly_trend(models, START, END, AS_OF)["company"])
    assert company[dt.date(2027, 1, 8)] == pytest.approx((0 + 0.5) / 2)


def test_org_trend_uses_the_root_cycle(models: list[TeamWorkbook]) -> None:
    trend = org_trend(models, AS_OF)
    assert [d for d, _ in trend["company"]] == week_dates(START, END, AS_OF)
