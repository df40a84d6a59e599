"""Instants from aware datetimes: the service layer compares and subtracts UTC epoch seconds, never wall clocks.

Python compares two datetimes of the same `ZoneInfo` by their wall clocks and ignores `fold`, so around the
October change 02:15 (fold=1, 01:15Z) sorts *before* 02:30 (fold=0, 00:30Z), and their difference is 15 min
instead of −45. Everything here goes through `.timestamp()`, which honours `fold`. A local time skipped by
the March change (02:00–02:59 in Paris) does not exist: it is refused, not silently shifted.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.errors import FieldError

ZONE_NEEDED = "Les dates doivent préciser leur fuseau (ex. 2026-03-10T09:00:00+01:00)."


def does_not_exist(moment: datetime) -> bool:
    """Whether this local time was skipped by a DST jump in its zone (it reads back differently from UTC)."""
    back = datetime.fromtimestamp(moment.timestamp(), moment.tzinfo)
    return back.replace(tzinfo=None) != moment.replace(tzinfo=None)


def instant(moment: datetime, field: str, errors: list[FieldError]) -> int | None:
    """UTC epoch seconds of an aware datetime, or None with a French field error (naive, or skipped by DST)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        errors.append(FieldError(field, ZONE_NEEDED))
        return None
    if does_not_exist(moment):
        errors.append(FieldError(field, f"Le {moment:%d/%m/%Y} à {moment:%H:%M} n'existe pas dans le fuseau "
                                        f"{moment.tzinfo} : l'heure avance d'une heure ce jour-là (passage à "
                                        "l'heure d'été). Choisissez une heure avant ou après le saut."))
        return None
    return int(moment.timestamp())


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
