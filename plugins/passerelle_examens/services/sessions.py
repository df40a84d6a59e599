"""« Sessions » : the free exam sessions of the office's favourite centres for one week and one exam type,
sorted by day, then centre, then inspector (provider calls in parallel, bounded), read on RdvPermis through
the module's provider registry."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from core.plugin_api import FieldError, ValidationFailed
from plugins.passerelle_examens.providers.base import Slot
from plugins.passerelle_examens.providers.rdvpermis import week_search
from plugins.passerelle_examens.runtime import platform
from plugins.passerelle_examens.services import centres, providers
from plugins.passerelle_examens.services.common import Ctx, check_participation

DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def french_date(day: dt.date) -> str:
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def check_week(exam_type: str, week: str) -> tuple[str, dt.date]:
    """The exam type and the Monday of the week containing `week` (ISO date), or ValidationFailed."""
    errors = []
    if exam_type not in centres.EXAM_TYPES:
        errors.append(FieldError("type", "Choisissez le type d'examen : Voiture ou Moto."))
    day: dt.date | None = None
    try:
        day = dt.date.fromisoformat(week)
    except ValueError:
        errors.append(FieldError("semaine", "Choisissez un jour de la semaine voulue (jj/mm/aaaa)."))
    if day is not None and not dt.date(2020, 1, 1) <= day <= dt.date(2100, 12, 31):
        errors.append(FieldError("semaine", "Choisissez une semaine entre 2020 et 2100."))
    if errors:
        raise ValidationFailed("La recherche de sessions est incomplète.", errors)
    assert day is not None
    return exam_type, monday_of(day)


@dataclass(frozen=True, slots=True)
class Week:
    exam_type: str
    monday: dt.date
    favourites: list[dict[str, Any]]
    slots: list[Slot]


async def search(c: Ctx, exam_type: str, week: str) -> Week:
    """The free slots of the favourite centres of that type; ExamProviderError when the provider fails."""
    exam_type, monday = check_week(exam_type, week)
    check_participation(await platform().office_settings(c.organisation_id, c.office_id))
    favourites = [f for f in await centres.favourites(c) if f["type"] == exam_type]
    slots: list[Slot] = []
    if favourites:
        async with providers.opened(c, "rdvpermis", "sessions") as gateway:
            slots = await week_search(gateway, [f["centre_id"] for f in favourites], monday)
    return Week(exam_type, monday, favourites, slots)


def slot_out(slot: Slot, names: dict[str, str]) -> dict[str, Any]:
    return {"slot_id": slot.slot_id, "centre_id": slot.centre_id, "centre": names.get(slot.centre_id, slot.centre_id),
            "jour": slot.day.isoformat(), "jour_libelle": french_date(slot.day), "heure": slot.start.strftime("%H:%M"),
            "inspecteur": slot.inspector, "places_libres": slot.free_places}


def week_out(week: Week) -> list[dict[str, Any]]:
    names = {f["centre_id"]: f["nom"] for f in week.favourites}
    return [slot_out(s, names) for s in week.slots]


def month_grid(month: dt.date) -> list[list[dt.date | None]]:
    """The weeks of `month` (Monday first), days outside the month as None."""
    return [[day if day.month == month.month else None for day in week]
            for week in calendar.Calendar(0).monthdatescalendar(month.year, month.month)]


def shift_month(month: dt.date, delta: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)
