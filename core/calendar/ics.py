"""The private ICS feed of a calendar: bookings from a month ago to a year ahead, written by
`core.calendar.invitations`. A booking cancelled within the last week stays in the feed as
`STATUS:CANCELLED`, so a subscribed calendar app removes it instead of keeping a stale event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.calendar.booking import bookings_between
from core.calendar.invitations import CalendarEvent, stable_uid
from core.calendar.invitations import feed as write_feed
from core.calendar.schemas import BookingOut
from core.calendar.services import calendar_by_ics_token

PAST = timedelta(days=31)
FUTURE = timedelta(days=366)
CANCELLED_KEPT = timedelta(days=7)


def _event(booking: BookingOut) -> CalendarEvent:
    summary = booking.label or "Rendez-vous"
    if booking.seats > 1:
        summary += f" ({booking.seats} places)"
    created = booking.history[0].at if booking.history else ""
    return CalendarEvent(uid=stable_uid("core.calendar.booking", f"{booking.id}:{created}"), start=booking.start,
                         end=booking.end, summary=summary, sequence=max(len(booking.history) - 1, 0),
                         cancelled=booking.status == "cancelled")


def _listed(booking: BookingOut, now: datetime) -> bool:
    if booking.status == "confirmed":
        return True
    changed = booking.history[-1].at if booking.history else None
    return changed is not None and changed >= now - CANCELLED_KEPT


async def feed(token: str, now: datetime | None = None) -> str:
    """The iCalendar text for the calendar with this token (NotFound when unknown or revoked)."""
    calendar = await calendar_by_ics_token(token)
    now = now or datetime.now(UTC)
    bookings = await bookings_between(calendar.organisation, [calendar.id], now - PAST, now + FUTURE,  # type: ignore[arg-type]
                                      include_cancelled=True)
    events = [_event(booking) for booking in bookings if _listed(booking, now)]
    return write_feed(calendar.name, events, now).decode()
