"""Bookings: no double booking, ever. The capacity check and the insert run in one write transaction that
holds the calendar: `BEGIN IMMEDIATE` on SQLite (one writer at a time), `SELECT … FOR UPDATE` on the
calendar row on PostgreSQL (bookings of one calendar are serialised, across processes). Each change also
writes an audit entry in that transaction and publishes a domain event delivered once it commits (`journal`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from piccolo.utils.encoding import dump_json

from core import db
from core.calendar import journal
from core.calendar.instants import instant
from core.calendar.loading import LOOK_BACK_SECONDS, MAX_BOOKING_SECONDS, CalendarData, load
from core.calendar.ownership import ApiCall, check_change, check_new_booking, check_outside_hours
from core.calendar.rows import as_json, fetch, id_list
from core.calendar.schemas import BookingOut, HistoryEntry
from core.calendar.sweep import load_profile, merge, peak
from core.calendar.tables import Booking
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from core.ops.metrics import counted_booking
from core.tenancy.scope import Scope

NO_BOOKING = "Ce rendez-vous n'existe pas."


class SlotTaken(Conflict):
    default_message = "Ce créneau n'est plus disponible."


class OutsideHours(Conflict):
    default_message = "Ce créneau est en dehors des heures d'ouverture de l'agenda."


PAST_REFUSED = "Ce créneau est déjà passé : il ne peut plus être réservé."
PAST_NOTE = "Enregistré après coup : le créneau était déjà passé."
PAST_WARNING = "Attention : ce rendez-vous est dans le passé. Il a été enregistré après coup."


def _in_the_past(s: int, allow_past: bool, now: datetime | None) -> bool:
    """Whether the start is already past (then refused unless `allow_past`: agents record what happened)."""
    if s >= int((now or datetime.now(UTC)).timestamp()):
        return False
    if not allow_past:
        raise ValidationFailed.on("start", PAST_REFUSED)
    return True


def _check_times(start: datetime, end: datetime, seats: int) -> tuple[int, int]:
    """The booking's instants (UTC seconds): both exist, the end follows the start, at most 24 real hours."""
    errors: list[FieldError] = []
    s, e = instant(start, "start", errors), instant(end, "end", errors)
    if s is not None and e is not None:
        if e <= s:
            errors.append(FieldError("end", "La fin du rendez-vous doit suivre son début."))
        elif e - s > MAX_BOOKING_SECONDS:
            errors.append(FieldError("end", "Un rendez-vous dure au plus 24 heures."))
    if not 1 <= seats <= 10_000:
        errors.append(FieldError("seats", "Le nombre de places doit être positif."))
    if errors:
        raise ValidationFailed(errors[0].message if len(errors) == 1 else None, errors)
    assert s is not None and e is not None
    return s, e


async def _lock(calendar_id: int) -> None:
    if db.is_postgres():
        await fetch("SELECT id FROM core_calendar WHERE id = ? FOR UPDATE", (calendar_id,))


def _opening_capacity(data: CalendarData, s: int, e: int) -> int | None:
    """The capacity of the opening holding [s, e) when no closure meets it; None when outside hours."""
    starts, ends = merge(data.closures)
    if any(cs < e and ce > s for cs, ce in zip(starts, ends, strict=True)):
        return None
    inside = [cap for o_start, o_end, cap, _ in data.openings if o_start <= s and e <= o_end]
    return max(inside) if inside else None


def _when(ts: int, zone: str) -> str:
    return datetime.fromtimestamp(ts, ZoneInfo(zone)).strftime("%d/%m/%Y à %H:%M")


async def _check_capacity(organisation_id: int, calendar_id: int, s: int, e: int, seats: int,
                          allow_outside_hours: bool, exclude: int | None = None) -> tuple[CalendarData, bool]:
    data = (await load(organisation_id, [calendar_id], s, e, exclude_booking=exclude)).get(calendar_id)
    if data is None:
        raise NotFound("Cet agenda n'existe pas.")
    capacity = _opening_capacity(data, s, e)
    outside = capacity is None
    if outside and not allow_outside_hours:
        raise OutsideHours(f"Le {_when(s, data.timezone)}, l'agenda n'est pas ouvert : confirmez pour réserver "
                           "en dehors des heures d'ouverture.")
    capacity = capacity or data.capacity
    points, levels = load_profile(data.busy)
    free = capacity - peak(points, levels, s, e)
    if free < seats:
        left = f"il ne reste que {free} place(s)" if free > 0 else "il est complet"
        raise SlotTaken(f"Le créneau du {_when(s, data.timezone)} n'est plus disponible : {left}.")
    return data, outside


def _history(raw: Any) -> list[dict[str, Any]]:
    return list(as_json(raw) or [])


def _event(action: str, by: int | None, s: int | None = None, e: int | None = None, reason: str = "") -> dict:
    event: dict[str, Any] = {"at": datetime.now(UTC).isoformat(), "action": action, "by": by}
    if s is not None and e is not None:
        event["start"] = datetime.fromtimestamp(s, UTC).isoformat()
        event["end"] = datetime.fromtimestamp(e, UTC).isoformat()
    if reason:
        event["reason"] = reason
    return event


def booking_out(row: dict[str, Any], zone: str = "UTC") -> BookingOut:
    tz = ZoneInfo(zone)
    return BookingOut(id=row["id"], calendar_id=row["calendar"], office_id=row["office"],
                      start=datetime.fromtimestamp(row["start_ts"], tz), end=datetime.fromtimestamp(row["end_ts"], tz),
                      seats=row["seats"], status=row["status"], label=row["label"], source_plugin=row["source_plugin"],
                      source_ref=row["source_ref"], created_by=row["created_by"], outside_hours=row["outside_hours"],
                      history=msgspec.convert(_history(row["history"]), list[HistoryEntry]))


async def insert_booking(organisation_id: int, office_id: int, calendar_id: int, s: int, e: int, *, seats: int,
                         label: str, source_plugin: str, source_ref: str, created_by: int | None,
                         outside_hours: bool, reason: str = "") -> dict[str, Any]:
    """Write a checked booking (one raw insert, in the caller's transaction); the row as `booking_out` reads it."""
    row: dict[str, Any] = {
        "organisation": organisation_id, "office": office_id, "calendar": calendar_id, "start_ts": s, "end_ts": e,
        "seats": seats, "status": "confirmed", "label": label.strip()[:200], "source_plugin": source_plugin[:60],
        "source_ref": source_ref[:120], "created_by": created_by, "outside_hours": outside_hours,
        "history": [_event("booked", created_by, s, e, reason)], "created_at": datetime.now(UTC), "notes": ""}
    row["id"] = await db.insert(Booking, {**row, "history": dump_json(row["history"])})
    return row


@counted_booking
async def book(organisation_id: int, calendar_id: int, start: datetime, end: datetime, *, seats: int = 1,
               label: str = "", source_plugin: str = "", source_ref: str = "", created_by: int | None = None,
               allow_outside_hours: bool = False, allow_past: bool = True,
               now: datetime | None = None, via: ApiCall | None = None) -> BookingOut:
    """Take `seats` on the calendar from start to end, or raise SlotTaken (409) if that would exceed the
    capacity at any instant, OutsideHours (409) outside the openings unless `allow_outside_hours` (the
    booking is then flagged). Never for the public: only an agent who saw the warning passes it.
    A start before `now` is refused (422 on `start`) with `allow_past=False` — what public pages pass;
    agents may record a past appointment: its history says so and the result carries a warning.
    `via`: see core.calendar.ownership (the core API passes it; modules and the core do not)."""
    check_new_booking(source_plugin, via)
    check_outside_hours(allow_outside_hours, via)
    s, e = _check_times(start, end, seats)
    past = _in_the_past(s, allow_past, now)
    async with db.write_transaction():
        await _lock(int(calendar_id))
        data, outside = await _check_capacity(organisation_id, int(calendar_id), s, e, seats, allow_outside_hours)
        await journal.proposed(organisation_id, data.office, data.id, s, e, data.timezone, seats=seats,
                               source_plugin=source_plugin, source_ref=source_ref, created_by=created_by,
                               outside_hours=outside)
        row = await insert_booking(organisation_id, data.office, data.id, s, e, seats=seats, label=label,
                                   source_plugin=source_plugin, source_ref=source_ref, created_by=created_by,
                                   outside_hours=outside, reason=PAST_NOTE if past else "")
        out = booking_out(row, data.timezone)
        if past:
            out.warnings.append(PAST_WARNING)
        await journal.created(organisation_id, out)
    return out


async def _get(organisation_id: int, booking_id: Any, office_id: int | None) -> Booking:
    booking = await Scope(organisation_id).get(Booking, booking_id, NO_BOOKING)
    if office_id is not None and booking.office != office_id:
        raise NotFound(NO_BOOKING)
    return booking


async def _zone(calendar_id: int) -> str:
    rows = await fetch("SELECT timezone FROM core_calendar WHERE id = ?", (calendar_id,))
    return rows[0][0] if rows else "UTC"


async def cancel(organisation_id: int, booking_id: Any, *, by: int | None = None, reason: str = "",
                 office_id: int | None = None, via: ApiCall | None = None) -> BookingOut:
    """Cancel a booking (kept, with the event in its history); cancelling twice is refused. Through the core
    API (`via`), a module's booking is refused (core.calendar.ownership)."""
    async with db.write_transaction():
        booking = await _get(organisation_id, booking_id, office_id)
        check_change("booking", booking.source_plugin, via)
        if booking.status != "confirmed":
            raise Conflict("Ce rendez-vous est déjà annulé.")
        reason = reason.strip()[:200]
        booking.status = "cancelled"
        booking.history = [*_history(booking.history), _event("cancelled", by, reason=reason)]  # type: ignore[assignment]
        await booking.save()
        out = booking_out(booking.to_dict(), await _zone(booking.calendar))  # type: ignore[arg-type]
        await journal.cancelled(organisation_id, out, by, reason)
    return out


async def relabel(organisation_id: int, booking_id: Any, label: str, *, notes: str | None = None,
                  by: int | None = None, reason: str = "", office_id: int | None = None,
                  via: ApiCall | None = None) -> BookingOut:
    """Change a booking's title (`label`, at most 200 characters) and, when given, its `notes`, keeping its times;
    the history records it, so the ICS feed's SEQUENCE grows and subscribed calendars update the event. A
    cancelled booking may be relabelled too (an outcome recorded late). Through the core API (`via`), a
    module's booking is refused (core.calendar.ownership)."""
    async with db.write_transaction():
        booking = await _get(organisation_id, booking_id, office_id)
        check_change("booking", booking.source_plugin, via)
        booking.label = label.strip()[:200]
        if notes is not None:
            booking.notes = notes.strip()
        booking.history = [*_history(booking.history), _event("relabelled", by, reason=reason.strip()[:200])]  # type: ignore[assignment]
        await booking.save()
        return booking_out(booking.to_dict(), await _zone(booking.calendar))  # type: ignore[arg-type]


async def move(organisation_id: int, booking_id: Any, start: datetime, end: datetime, *, by: int | None = None,
               allow_outside_hours: bool = False, office_id: int | None = None, allow_past: bool = True,
               now: datetime | None = None, via: ApiCall | None = None) -> BookingOut:
    """Move a booking to new times on its calendar, with the same checks as `book`; history keeps the old times.
    Through the core API (`via`), a module's booking is refused (core.calendar.ownership)."""
    s, e = _check_times(start, end, 1)
    past = _in_the_past(s, allow_past, now)
    async with db.write_transaction():
        booking = await _get(organisation_id, booking_id, office_id)
        check_change("booking", booking.source_plugin, via)
        check_outside_hours(allow_outside_hours, via)
        if booking.status != "confirmed":
            raise Conflict("Un rendez-vous annulé ne peut pas être déplacé.")
        await _lock(booking.calendar)  # type: ignore[arg-type]
        data, outside = await _check_capacity(organisation_id, booking.calendar, s, e, booking.seats,  # type: ignore[arg-type]
                                              allow_outside_hours, exclude=booking.id)
        await journal.proposed(organisation_id, data.office, data.id, s, e, data.timezone, seats=booking.seats,
                               source_plugin=booking.source_plugin, source_ref=booking.source_ref, created_by=by,
                               outside_hours=outside, booking_id=booking.id)
        old = (booking.start_ts, booking.end_ts)
        previous = booking_out(booking.to_dict(), data.timezone)
        booking.history = [*_history(booking.history),  # type: ignore[assignment]
                           _event("moved", by, *old, reason=PAST_NOTE if past else "")]
        booking.start_ts, booking.end_ts, booking.outside_hours = s, e, outside
        await booking.save()
        out = booking_out(booking.to_dict(), data.timezone)
        if past:
            out.warnings.append(PAST_WARNING)
        await journal.moved(organisation_id, out, previous, by)
    return out


async def bookings_between(organisation_id: int, calendar_ids: Iterable[int], start: datetime, end: datetime, *,
                           include_cancelled: bool = False) -> list[BookingOut]:
    """Bookings of these calendars meeting [start, end), by start (times in each calendar's zone)."""
    errors: list[FieldError] = []
    s, e = instant(start, "start", errors), instant(end, "end", errors)
    if s is None or e is None:
        raise ValidationFailed(errors[0].message, errors)
    ids = id_list(calendar_ids)
    zones = {row[0]: row[1] for row in await fetch(
        f"SELECT id, timezone FROM core_calendar WHERE organisation = ? AND id IN ({ids})", (organisation_id,))}
    query = Booking.select().where(
        (Booking.organisation == organisation_id) & Booking.calendar.is_in(list(zones) or [0])
        & (Booking.start_ts >= s - LOOK_BACK_SECONDS) & (Booking.start_ts < e) & (Booking.end_ts > s))
    if not include_cancelled:
        query = query.where(Booking.status == "confirmed")
    rows = await query.order_by(Booking.start_ts).order_by(Booking.id)
    return [booking_out(row, zones[row["calendar"]]) for row in rows]


def in_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


__all__ = ["OutsideHours", "SlotTaken", "book", "bookings_between", "cancel", "move"]
