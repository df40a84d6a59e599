"""Shared pieces of the module's services: the acting context, scoped queries and field checks."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from piccolo.table import Table

from core.plugin_api import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_ID,
    Actor,
    FieldError,
    Forbidden,
    NotFound,
    Role,
    ValidationFailed,
)

T = TypeVar("T", bound=Table)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

LEVELS = {Role.intervenant: "intervenant", Role.basic: "basique", Role.admin: "administrateur",
          Role.owner: "administrateur"}


@dataclass(frozen=True, slots=True)
class Ctx:
    """Who acts (None for a citizen) in which office of which organisation, and the office's time zone."""

    organisation_id: int
    office_id: int
    timezone: str = "Europe/Paris"
    actor: Actor | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_admin(self) -> bool:
        return self.actor is not None and self.actor.role.at_least(Role.admin)

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("Seuls les administrateurs accèdent à la configuration.")

    def objects(self, table: type[T]) -> Any:
        return table.objects().where((table.organisation == self.organisation_id)  # type: ignore[attr-defined]
                                     & (table.office == self.office_id))  # type: ignore[attr-defined]

    def select(self, table: type[Table], *columns: Any) -> Any:
        return table.select(*columns).where((table.organisation == self.organisation_id)  # type: ignore[attr-defined]
                                            & (table.office == self.office_id))  # type: ignore[attr-defined]

    async def get(self, table: type[T], row_id: Any, message: str | None = None) -> T:
        try:
            wanted = int(row_id)
        except (TypeError, ValueError):
            raise NotFound(message) from None
        if not 1 <= wanted <= MAX_ID:
            raise NotFound(message)
        row = await self.objects(table).where(table._meta.primary_key == wanted).first()
        if row is None:
            raise NotFound(message)
        return row  # type: ignore[no-any-return]


_INSERTS: dict[type[Table], tuple[str, tuple[str, ...]]] = {}


async def insert_row(row: Table) -> None:
    """Insert a new row object (as `row.save()` does: every column but the id, which it then sets) with a
    raw statement built once per table: Piccolo's query building costs more than the insert itself on the
    booking path. Column values must be plain (no JSON or Table values to convert)."""
    table = type(row)
    known = _INSERTS.get(table)
    if known is None:
        columns = [c for c in table._meta.columns if not c._meta.primary_key]
        names = tuple(c._meta.name for c in columns)
        quoted = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
        sql = (f"INSERT INTO {table._meta.tablename} ({quoted}) "
               f"VALUES ({', '.join('{}' for _ in columns)}) RETURNING {table._meta.primary_key._meta.db_column_name}")
        known = _INSERTS[table] = (sql, names)
    sql, names = known
    rows = await table.raw(sql, *(getattr(row, name) for name in names))
    setattr(row, table._meta.primary_key._meta.name, next(iter(rows[0].values())))
    row._exists_in_db = True


def ids(text: str | None) -> list[int]:
    return [int(v) for v in json.loads(text or "[]")]


def dump(values: list[Any]) -> str:
    return json.dumps(values)


FEMININE_LABELS = ("La ", "Une ", "L'heure", "L'adresse")


def _plural(label: str) -> bool:
    return label.startswith(("Les ", "Des ")) or " et " in label.split("(")[0]


def verb(label: str) -> str:
    """« doit » or « doivent » for a subject label (« La date et l'heure doivent… »)."""
    return "doivent" if _plural(label) else "doit"


def agree(label: str, adjective: str) -> str:
    """The adjective agreed with the label: « La durée … comprise », « Les délais … compris »."""
    feminine = label.startswith(FEMININE_LABELS)
    word = adjective + ("e" if feminine else "")
    return word + ("s" if _plural(label) and not word.endswith("s") else "")


class Checks:
    """Collects French field errors and raises them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def text(self, field: str, value: str | None, label: str, max_length: int = 200, required: bool = True) -> str:
        value = (value or "").strip()
        if required and not value:
            self.add(field, f"{label} est obligatoire.")
        elif len(value) > max_length:
            self.add(field, f"{label} ne doit pas dépasser {max_length} caractères.")
        return value

    def email(self, field: str, value: str | None, required: bool = False) -> str:
        value = (value or "").strip().lower()
        if required and not value:
            self.add(field, "L'adresse e-mail est obligatoire.")
        elif value and (not EMAIL_RE.match(value) or len(value) > 254):
            self.add(field, "Adresse e-mail invalide.")
        return value

    def phone(self, field: str, value: str | None, required: bool = False) -> str:
        """A French or international number, kept as typed (normalised by the SMS channel)."""
        value = (value or "").strip()
        digits = re.sub(r"[\s.\-()]", "", value)
        valid = re.fullmatch(r"0[1-9]\d{8}", digits) or re.fullmatch(r"\+[1-9]\d{7,14}", digits)
        if (value or required) and not valid:
            self.add(field, "Numéro de téléphone invalide (ex. 06 12 34 56 78).")
        return digits

    def integer(self, field: str, value: Any, label: str, low: int, high: int) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.add(field, f"{label} {verb(label)} être un nombre entier.")
            return low
        if not low <= number <= high:
            self.add(field, f"{label} {verb(label)} être {agree(label, 'compris')} entre {low} et {high}.")
        return number

    def time(self, field: str, value: str | None, label: str) -> str:
        try:
            return time.fromisoformat((value or "").strip()).strftime("%H:%M")
        except ValueError:
            self.add(field, f"{label} {verb(label)} être une heure au format HH:MM.")
            return "00:00"

    def day(self, field: str, value: Any, label: str, required: bool = True) -> date | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if not value and not required:
            return None
        try:
            day = date.fromisoformat(str(value or "").strip())
        except ValueError:
            self.add(field, f"{label} {verb(label)} être une date (AAAA-MM-JJ).")
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:  # forms too: no date arithmetic near year 9999
            self.add(field, f"{label} doit tomber entre {FIRST_YEAR} et {LAST_YEAR}.")
            return None
        return day

    def moment(self, field: str, value: Any, label: str, tz: ZoneInfo) -> datetime | None:
        """A date and time; naive values are in the office's time zone."""
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(str(value or "").strip())
            except ValueError:
                self.add(field, f"{label} {verb(label)} être une date et une heure (AAAA-MM-JJTHH:MM).")
                return None
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            self.add(field, f"{label} doit tomber entre {FIRST_YEAR} et {LAST_YEAR}.")
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=tz)

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors[0].message if len(self.errors) == 1 else None, self.errors)
