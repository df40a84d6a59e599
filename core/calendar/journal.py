"""What a booking change leaves behind, inside its own transaction: an audit entry (who, what, when) and a
typed domain event delivered to the office's plugins once the transaction commits (`core.events`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core import audit, events
from core.calendar.rows import fetch
from core.calendar.schemas import BookingOut


async def _user_of(organisation_id: int, member_id: int | None) -> int | None:
    """The login behind a member (the audit log names users; intervenants have none)."""
    if member_id is None:
        return None
    rows = await fetch('SELECT "user" FROM core_member WHERE id = ? AND organisation = ?',
                       (member_id, organisation_id))
    return rows[0][0] if rows else None


def _when(booking: BookingOut) -> str:
    return f"{booking.start:%d/%m/%Y} de {booking.start:%H:%M} à {booking.end:%H:%M}"


async def _audit(action: str, organisation_id: int, member_id: int | None, booking: BookingOut, summary: str,
                 **details: Any) -> None:
    await audit.record(f"calendar.booking.{action}", organisation_id=organisation_id,
                       actor_user_id=await _user_of(organisation_id, member_id), target=f"booking:{booking.id}",
                       summary=summary, details={
                           "calendar_id": booking.calendar_id, "office_id": booking.office_id, "by": member_id,
                           "start": booking.start.isoformat(), "end": booking.end.isoformat(),
                           "source_plugin": booking.source_plugin, **details})


async def proposed(organisation_id: int, office_id: int, calendar_id: int, s: int, e: int, zone: str, *,
                   seats: int, source_plugin: str = "", source_ref: str = "", created_by: int | None = None,
                   outside_hours: bool = False, booking_id: int | None = None) -> None:
    """Before a booking is written: the plugins active in the office may refuse it (`validate_booking`)."""
    from core.plugin_api.types import BookingProposal

    tz = ZoneInfo(zone)
    await events.validate(BookingProposal(
        organisation_id=organisation_id, office_id=office_id, calendar_id=calendar_id,
        start=datetime.fromtimestamp(s, tz), end=datetime.fromtimestamp(e, tz), seats=seats,
        source_plugin=source_plugin, source_ref=source_ref, created_by=created_by, outside_hours=outside_hours,
        booking_id=booking_id))


async def created(organisation_id: int, booking: BookingOut) -> None:
    from core.plugin_api.types import BookingCreated  # the plugin API imports core.calendar

    outside = " (hors heures d'ouverture)" if booking.outside_hours else ""
    outside += " (après coup, créneau passé)" if booking.warnings else ""
    await _audit("created", organisation_id, booking.created_by, booking,
                 f"Rendez-vous n° {booking.id} réservé le {_when(booking)}{outside}",
                 seats=booking.seats, outside_hours=booking.outside_hours, warnings=booking.warnings)
    events.publish(BookingCreated(
        organisation_id=organisation_id, office_id=booking.office_id, calendar_id=booking.calendar_id,
        booking_id=booking.id, start=booking.start, end=booking.end, seats=booking.seats,
        source_plugin=booking.source_plugin, source_ref=booking.source_ref, created_by=booking.created_by,
        outside_hours=booking.outside_hours))


async def moved(organisation_id: int, booking: BookingOut, previous: BookingOut, by: int | None) -> None:
    from core.plugin_api.types import BookingMoved

    await _audit("moved", organisation_id, by, booking,
                 f"Rendez-vous n° {booking.id} déplacé du {_when(previous)} au {_when(booking)}",
                 previous_start=previous.start.isoformat(), previous_end=previous.end.isoformat(),
                 warnings=booking.warnings)
    events.publish(BookingMoved(
        organisation_id=organisation_id, office_id=booking.office_id, calendar_id=booking.calendar_id,
        booking_id=booking.id, start=booking.start, end=booking.end, previous_start=previous.start,
        previous_end=previous.end, source_plugin=booking.source_plugin, source_ref=booking.source_ref, by=by,
        outside_hours=booking.outside_hours))


async def cancelled(organisation_id: int, booking: BookingOut, by: int | None, reason: str) -> None:
    from core.plugin_api.types import BookingCancelled

    because = f" : {reason}" if reason else ""
    await _audit("cancelled", organisation_id, by, booking,
                 f"Rendez-vous n° {booking.id} du {_when(booking)} annulé{because}", reason=reason)
    events.publish(BookingCancelled(
        organisation_id=organisation_id, office_id=booking.office_id, calendar_id=booking.calendar_id,
        booking_id=booking.id, start=booking.start, end=booking.end, source_plugin=booking.source_plugin,
        source_ref=booking.source_ref, by=by, reason=reason))
