"""French public holidays come from rules (Easter-based ones included), for any year."""

from datetime import date

import pytest

from core.calendar.holidays import french_holidays, holidays_between

pytestmark = pytest.mark.nodb


def test_2026_easter_based_holidays():
    days = french_holidays(2026)
    assert days[date(2026, 4, 6)] == "Lundi de Pâques"
    assert days[date(2026, 5, 14)] == "Ascension"
    assert days[date(2026, 5, 25)] == "Lundi de Pentecôte"
    assert len(days) == 11


@pytest.mark.parametrize("year,easter_monday", [(2024, date(2024, 4, 1)), (2025, date(2025, 4, 21)),
                                                (2038, date(2038, 4, 26)), (2285, date(2285, 3, 23))])
def test_easter_monday_in_other_years(year, easter_monday):
    assert french_holidays(year)[easter_monday] == "Lundi de Pâques"


def test_alsace_moselle_adds_good_friday_and_saint_stephen():
    days = french_holidays(2026, alsace_moselle=True)
    assert days[date(2026, 4, 3)] == "Vendredi saint" and days[date(2026, 12, 26)] == "Saint-Étienne"


def test_between_spans_years():
    assert [d for d, _ in holidays_between(date(2026, 12, 20), date(2027, 1, 5))] == [date(2026, 12, 25),
                                                                                      date(2027, 1, 1)]
