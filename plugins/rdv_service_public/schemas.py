"""JSON shapes of the API: one Struct per input (unset fields are left unchanged on update), outputs
built from rows by `out()`."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType
from piccolo.table import Table

JSON_FIELDS = {"weekdays", "exceptions", "motif_ids"}


class In(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    def given(self) -> dict[str, Any]:
        return {k: v for k, v in msgspec.structs.asdict(self).items() if v is not UNSET}


class NameIn(In):
    name: str | UnsetType = UNSET


class LieuIn(In):
    name: str | UnsetType = UNSET
    address: str | UnsetType = UNSET
    phone: str | UnsetType = UNSET


class MotifIn(In):
    name: str | UnsetType = UNSET
    service_id: int | UnsetType = UNSET
    duration_minutes: int | UnsetType = UNSET
    modality: str | UnsetType = UNSET
    color: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    rgpd_text: str | UnsetType = UNSET
    online: bool | UnsetType = UNSET
    min_delay_minutes: int | UnsetType = UNSET
    max_delay_minutes: int | UnsetType = UNSET
    users_may_change: bool | UnsetType = UNSET
    category: str | UnsetType | None = UNSET
    instructions_before: str | UnsetType = UNSET
    instructions_after: str | UnsetType = UNSET
    collective: bool | UnsetType = UNSET
    max_participants: int | UnsetType = UNSET


class GuichetIn(In):
    name: str | UnsetType = UNSET
    capacity: int | UnsetType = UNSET
    motif_ids: list[int] | UnsetType = UNSET


class AgentServicesIn(In):
    service_ids: list[int]


class PlageIn(In):
    member_id: int | UnsetType | None = UNSET
    guichet_id: int | UnsetType | None = UNSET
    lieu_id: int | UnsetType | None = UNSET
    weekdays: list[int] | UnsetType = UNSET
    every_weeks: int | UnsetType = UNSET
    first_day: date | UnsetType = UNSET
    until_day: date | UnsetType | None = UNSET
    start_time: str | UnsetType = UNSET
    end_time: str | UnsetType = UNSET
    motif_ids: list[int] | UnsetType = UNSET
    exceptions: list[date] | UnsetType = UNSET


class ExceptionIn(In):
    day: date


class AbsenceIn(In):
    member_id: int | UnsetType | None = UNSET
    guichet_id: int | UnsetType | None = UNSET
    starts_at: datetime | UnsetType = UNSET
    ends_at: datetime | UnsetType = UNSET
    label: str | UnsetType = UNSET


class RdvIn(In):
    motif_id: int | UnsetType = UNSET
    member_id: int | UnsetType | None = UNSET
    guichet_id: int | UnsetType | None = UNSET
    lieu_id: int | UnsetType | None = UNSET
    starts_at: datetime | UnsetType = UNSET
    duration_minutes: int | UnsetType = UNSET
    citizen_name: str | UnsetType = UNSET
    citizen_email: str | UnsetType = UNSET
    citizen_phone: str | UnsetType = UNSET
    notes: str | UnsetType = UNSET
    status: str | UnsetType = UNSET
    confirm_outside_hours: bool = False


class CitizenBookingIn(In, kw_only=True):
    motif_id: int
    lieu_id: int | None = None
    starts_at: datetime
    citizen_name: str
    citizen_email: str = ""
    citizen_phone: str = ""


def out(row: Table, hide: tuple[str, ...] = ("organisation", "token")) -> dict[str, Any]:
    """A row as JSON-ready dict: list columns decoded, foreign keys renamed `<name>_id`."""
    values: dict[str, Any] = {}
    for key, value in row.to_dict().items():
        if key in hide:
            continue
        if key in JSON_FIELDS:
            value = json.loads(value or "[]")
        if key in ("service", "motif", "member", "guichet", "lieu", "office"):
            key = f"{key}_id"
        values[key] = value
    return values
