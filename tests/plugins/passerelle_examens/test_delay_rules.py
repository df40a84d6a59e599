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


@pytest.mark.parametrize("points", [0, 20, 26, 31])
def test_fail_outside_the_points_range_has_no_delay_and_says_so(points: int) -> None:
    """Neither the seed nor MODULES.md gives a delay outside 21–25 points: none is invented, the user is told."""
    verdict = check("B", [HistoryEvent("practical_fail", DAY, points)], DAY)
    assert verdict.allowed and verdict.earliest is None
    assert verdict.notes == (f"Échec à l'examen pratique ({points} points) le 01/03/2027 : aucun délai d'attente ne "
                             "s'applique (la table des délais, arrêté du 27 avril 2021, n'en prévoit qu'après un "
                             "échec de 21 à 25 points)",)


def test_an_event_covered_by_a_rule_has_no_note_and_a_category_without_rules_says_so() -> None:
    assert check("B", [HistoryEvent("practical_fail", DAY, 23)], DAY + dt.timedelta(days=10)).notes == ()
    [note] = check("A2", [HistoryEvent("no_show", DAY)], DAY).notes
    assert note.endswith("n'en prévoit aucun pour la catégorie A2)")


def test_latest_bound_wins() -> None:
    history = [HistoryEvent("no_show", DAY), HistoryEvent("theory_pass", DAY + dt.timedelta(days=5))]
    assert check("B", history, DAY + dt.timedelta(days=39)).earliest == DAY + dt.timedelta(days=40)
