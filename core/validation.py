"""The one set of field types every API input is declared with (core and modules, through `core.plugin_api`).

Request bodies are msgspec Structs whose fields use these types; the web layer (`core.web.params`) gives the
same bounds to path and query parameters, and `core.web.errors` turns every refusal into a 422 naming the
field. Bounds: ids 1 … 2³¹−1 (the INTEGER id columns of PostgreSQL; SQLite would take up to 2⁶³−1),
dates and instants between the years 1900 and 2200 (so date arithmetic never overflows), durations positive
and at most a year, time-zone names as IANA spells them, texts no longer than their column.

`Moment` and `Day` are subclasses of `datetime` and `date` that only decode from ISO 8601 strings: msgspec
hands them to `decode_moment` / `decode_day` (registered as the app's type decoders), so `"starts_at": 12345`
is refused instead of read as a 1970 timestamp. Services may call `check_moment` / `check_day` on values
that come from forms.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from core.errors import ValidationFailed

MAX_ID = 2**31 - 1  # id columns are INTEGER (SERIAL) on PostgreSQL: a larger number cannot even be compared
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_MINUTES = 366 * 24 * 60  # a year: the longest duration, notice or horizon anything asks for
MAX_COUNT = 10_000  # occurrences, seats, capacities, participants…
TZ_RE = r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,3}$"

Id = Annotated[int, Meta(ge=1, le=MAX_ID, description="Identifiant (1 à 2³¹−1).")]
Minutes = Annotated[int, Meta(ge=0, le=MAX_MINUTES, description="Durée en minutes (0 à un an).")]
Duration = Annotated[int, Meta(ge=1, le=MAX_MINUTES, description="Durée en minutes (1 à un an).")]
Count = Annotated[int, Meta(ge=0, le=MAX_COUNT)]
Positive = Annotated[int, Meta(ge=1, le=MAX_COUNT)]
TimeZoneName = Annotated[str, Meta(min_length=1, max_length=64, pattern=TZ_RE,
                                   description="Fuseau horaire IANA, ex. Europe/Paris.")]
HHMM = Annotated[str, Meta(max_length=5, description="Heure HH:MM (le service dit ce qui ne va pas).")]


def text(max_length: int, min_length: int = 0) -> Any:
    """A string of at most `max_length` characters (the column's length)."""
    return Annotated[str, Meta(min_length=min_length, max_length=max_length)]


Name = text(200)
ShortText = text(40)
LongText = text(10_000)
Email = text(254)


class Moment(datetime):
    """An instant (ISO 8601 string) between 1900 and 2200; naive values are read in the office's zone."""


class Day(date):
    """A calendar date "YYYY-MM-DD" between 1900 and 2200."""


def _year_message() -> str:
    return f"L'année doit être comprise entre {FIRST_YEAR} et {LAST_YEAR}."


def decode_moment(kind: type, value: Any) -> Moment:
    if not isinstance(value, str):
        raise ValueError("Date et heure attendues au format ISO 8601 (ex. 2026-03-02T09:30:00+01:00).")
    try:
        moment = Moment.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("Date et heure invalides (format attendu : 2026-03-02T09:30:00+01:00).") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(_year_message())
    return moment


def decode_day(kind: type, value: Any) -> Day:
    if not isinstance(value, str):
        raise ValueError("Date attendue au format AAAA-MM-JJ.")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("Date invalide (format attendu : AAAA-MM-JJ).") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(_year_message())
    return Day(day.year, day.month, day.day)


def plain(value: Any) -> Any:
    """`value` with every `Moment`/`Day` (also inside a list) as a plain `datetime`/`date`: what services,
    rows and encoders (msgspec refuses subclasses) should see."""
    if isinstance(value, Moment):
        return datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                        value.microsecond, value.tzinfo, fold=value.fold)
    if isinstance(value, Day):
        return date(value.year, value.month, value.day)
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


class Input(msgspec.Struct):
    """Base of request bodies: once decoded (and checked), its `Moment`/`Day` fields hold plain values."""

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            value = getattr(self, name)
            converted = plain(value)
            if converted is not value:
                setattr(self, name, converted)


TYPE_DECODERS: list[tuple[Any, Any]] = [
    (lambda kind: kind is Moment, decode_moment),
    (lambda kind: kind is Day, decode_day),
]


def check_moment(field: str, value: datetime) -> datetime:
    """`value` if its year is in range, else a 422 naming `field`."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationFailed.on(field, _year_message())
    return value


def check_day(field: str, value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationFailed.on(field, _year_message())
    return value


def check_id(field: str, value: object) -> int:
    """An id from text (a form, a path): an integer in 1 … 2³¹−1, else a 422 naming `field`."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed.on(field, "Identifiant invalide : un nombre entier est attendu.") from None
    if not 1 <= number <= MAX_ID:
        raise ValidationFailed.on(field, "Identifiant hors limites.")
    return number


def valid_timezone(name: str) -> bool:
    """True for an IANA zone name this machine knows (bounded: never opens a path built from a long name)."""
    if not name or len(name) > 64 or not re.match(TZ_RE, name):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
