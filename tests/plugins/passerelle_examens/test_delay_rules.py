"""Booking-delay rules on their boundaries (arrêté du 27 avril 2021)."""

from __future__ import annotations

import datetime as dt

import pytest

from plugins.passerelle_examens.services.delay_rules import HistoryEvent, check

pytestmark = pytest.mark.nodb
DAY = dt.date(2027, 3, 1)


@pytest.mark.parametrize(("event", "points", "days"), [
    ("theory_pass", None, 2), ("practical_fail", 21, 10), ("practical_fail", 25, 10),
    ("no_show", None, 40), ("late_cancellation", None, 30),
])
def test_boundaries(event: str, points: int | None, days: int) -> None:
    history = [HistoryEvent(event, DAY, points)]  # type: ignore[arg-type]
    before = check("B", history, DAY + dt.timedelta(days=days - 1))
    assert not before.allowed and before.earliest == DAY + dt.timedelta(days=days)
    assert "possible à partir du" in before.reason
    assert check("B", history, DAY + dt.timedelta(days=days)).allowed


def test_fail_outside_the_points_range_has_no_delay_in_the_table() -> None:
    assert check("B", [HistoryEvent("practical_fail", DAY, 26)], DAY).allowed


def test_latest_bound_wins() -> None:
    history = [HistoryEvent("no_show", DAY), HistoryEvent("theory_pass", DAY + dt.timedelta(days=5))]
    assert check("B", history, DAY + dt.timedelta(days=39)).earliest == DAY + dt.timedelta(days=40)
