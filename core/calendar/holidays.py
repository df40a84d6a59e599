"""French public holidays (jours fériés), computed by rule for any year — never a hard-coded list."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter


@lru_cache(maxsize=256)
def french_holidays(year: int, alsace_moselle: bool = False) -> dict[date, str]:
    """The eleven national holidays of `year` (plus Good Friday and 26 December in Alsace-Moselle)."""
    easter_sunday = easter(year)
    days = {
        date(year, 1, 1): "Jour de l'an",
        easter_sunday + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du Travail",
        date(year, 5, 8): "Victoire 1945",
        easter_sunday + timedelta(days=39): "Ascension",
        easter_sunday + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }
    if alsace_moselle:
        days[easter_sunday - timedelta(days=2)] = "Vendredi saint"
        days[date(year, 12, 26)] = "Saint-Étienne"
    return dict(sorted(days.items()))


def holidays_between(start: date, end: date, alsace_moselle: bool = False) -> list[tuple[date, str]]:
    """Holidays d with start ≤ d ≤ end, in order."""
    return [(day, name) for year in range(start.year, end.year + 1)
            for day, name in french_holidays(year, alsace_moselle).items() if start <= day <= end]
