"""What every sheetokr command shares: help settings, the --on option, the exit-2 error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class UsageProblem(click.ClickException):
    """A file or value that cannot be used: one sentence, exit code 2."""

    exit_code = 2


def on_option(func: F) -> F:
    return click.option(
        "--on",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Score as of this date (YYYY-MM-DD) instead of the Cycle sheet's As of or today.",
    )(func)


def as_date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None
