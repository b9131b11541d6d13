"""SPEC 1.1: milestone words in English and Dutch, percent complete, and what is not readable."""

from __future__ import annotations

import pytest

from tests.core.helpers import at, codes, find_kr, kr, team

DONE = ["TRUE", "true", "done", "Done", " DONE ", "yes", "y", "Y", "x", "X", "✓", "achieved",
        "ja", "klaar", "Klaar", "gereed", "behaald", True]
NOT_DONE = ["FALSE", "false", "no", "n", "nee", "open", "not done", "Not Done", "niet klaar",
            "  nee ", False]


def _milestone(current, metric="milestone"):
    result = team([kr(metric=metric, start=None, target=None, current=current, title="Launch")])
    return result, find_kr(result, "KR1")


@pytest.mark.parametrize("word", DONE, ids=repr)
def test_done_words(word):
    result, k = _milestone(word)
    assert k.progress == 1.0
    assert k.current == 1
    assert k.counted
    assert "W120" not in codes(result) and "E004" not in codes(result)


@pytest.mark.parametrize("word", NOT_DONE, ids=repr)
def test_not_done_words(word):
    result, k = _milestone(word)
    assert k.progress == 0.0
    assert k.current == 0
    assert k.counted
    assert "W120" not in codes(result) and "E004" not in codes(result)


def test_blank_milestone_is_not_done_and_not_started():
    _, k = _milestone(None)
    assert k.progress == 0.0
    assert k.status == "not_started"


@pytest.mark.parametrize(
    "current,p",
    [(0.4, 0.4), ("40%", 0.4), (0, 0.0), (1, 1.0), (0.999, 0.999), ("100%", 1.0), ("0%", 0.0)],
)
def test_percent_complete(current, p):
    _, k = _milestone(current)
    assert k.progress == pytest.approx(p)
    assert k.current == pytest.approx(p)


@pytest.mark.parametrize("metric", ["milestone", "Milestone", "mijlpaal", "MIJLPAAL"])
def test_milestone_labels(metric):
    _, k = _milestone("done", metric)
    assert k.metric == "milestone"
    assert k.progress == 1.0


@pytest.mark.parametrize("current", [1.5, 2, 40, "maybe", "half", "140%"])
def test_unreadable_milestone_is_e004(current):
    result, k = _milestone(current)
    assert at(result, "E004") == ["Key Results!H2"]
    assert k.progress is None and k.status is None and not k.counted


def test_milestone_needs_no_target():
    result, _ = _milestone("done")
    assert "E003" not in codes(result)


def test_negative_percent_complete_clamps_to_zero():
    # SPEC 1.1 names only "a number above 1" as E004; p = clamp(pct, 0, 1) takes the rest.
    result, k = _milestone(-0.2)
    assert k.progress == 0.0
    assert "E004" not in codes(result)
