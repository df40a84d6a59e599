"""JSON shapes of the API: one Struct per input (unset fields are left unchanged on update), outputs
built from rows by `out()`."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType
from piccolo.table import Table

from core.plugin_api import (
    HHMM,
    Count,
    Day,
    Duration,
    Email,
    Id,
    Input,
    LongText,
    Minutes,
    Moment,
    Name,
    Positive,
    text,
)

Phone = text(40)
Address = text(2000)
Label = text(20)
Color = text(7)

JSON_FIELDS = {"weekdays", "exceptions", "motif_ids"}


class In(Input, forbid_unknown_fields=True, kw_only=True):
    def given(self) -> dict[str, Any]:
        return {k: v for k, v in msgspec.structs.asdict(self).items() if v is not UNSET}


class NameIn(In):
    name: Name | UnsetType = UNSET


class LieuIn(In):
    name: Name | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET


class MotifIn(In):
    name: Name | UnsetType = UNSET
    service_id: Id | UnsetType = UNSET
    duration_minutes: Duration | UnsetType = UNSET
    modality: Label | UnsetType = UNSET
    color: Color | UnsetType = UNSET
    description: LongText | UnsetType = UNSET
    rgpd_text: LongText | UnsetType = UNSET
    online: bool | UnsetType = UNSET
    min_delay_minutes: Minutes | UnsetType = UNSET
    max_delay_minutes: Minutes | UnsetType = UNSET
    users_may_change: bool | UnsetType = UNSET
    category: Label | UnsetType | None = UNSET
    instructions_before: LongText | UnsetType = UNSET
    instructions_after: LongText | UnsetType = UNSET
    collective: bool | UnsetType = UNSET
    max_participants: Positive | UnsetType = UNSET


class GuichetIn(In):
    name: Name | UnsetType = UNSET
    capacity: Positive | UnsetType = UNSET
    motif_ids: list[Id] | UnsetType = UNSET


class AgentServicesIn(In):
    service_ids: list[Id]


class PlageIn(In):
    member_id: Id | UnsetType | None = UNSET
    guichet_id: Id | UnsetType | None = UNSET
    lieu_id: Id | UnsetType | None = UNSET
    weekdays: list[Count] | UnsetType = UNSET
    every_weeks: Positive | UnsetType = UNSET
    first_day: Day | UnsetType = UNSET
    until_day: Day | UnsetType | None = UNSET
    start_time: HHMM | UnsetType = UNSET
    end_time: HHMM | UnsetType = UNSET
    motif_ids: list[Id] | UnsetType = UNSET
    exceptions: list[Day] | UnsetType = UNSET


class ExceptionIn(In):
    day: Day


class AbsenceIn(In):
    member_id: Id | UnsetType | None = UNSET
    guichet_id: Id | UnsetType | None = UNSET
    starts_at: Moment | UnsetType = UNSET
    ends_at: Moment | UnsetType = UNSET
    label: Name | UnsetType = UNSET


class RdvIn(In):
    motif_id: Id | UnsetType = UNSET
    member_id: Id | UnsetType | None = UNSET
    guichet_id: Id | UnsetType | None = UNSET
    lieu_id: Id | UnsetType | None = UNSET
    starts_at: Moment | UnsetType = UNSET
    duration_minutes: Duration | UnsetType = UNSET
    citizen_name: Name | UnsetType = UNSET
    citizen_email: Email | UnsetType = UNSET
    citizen_phone: Phone | UnsetType = UNSET
    notes: LongText | UnsetType = UNSET
    status: Label | UnsetType = UNSET
    confirm_outside_hours: bool = False


class CitizenBookingIn(In, kw_only=True):
    motif_id: Id
    lieu_id: Id | None = None
    starts_at: Moment
    citizen_name: Name
    citizen_email: Email = ""
    citizen_phone: Phone = ""


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
