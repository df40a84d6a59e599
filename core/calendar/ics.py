"""The private ICS feed of a calendar: confirmed bookings from a month ago to a year ahead (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.calendar.booking import bookings_between
from core.calendar.services import calendar_by_ics_token

PAST = timedelta(days=31)
FUTURE = timedelta(days=366)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 74:
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


async def feed(token: str, now: datetime | None = None) -> str:
    """The iCalendar text for the calendar with this token (NotFound when unknown or revoked)."""
    calendar = await calendar_by_ics_token(token)
    now = now or datetime.now(UTC)
    bookings = await bookings_between(calendar.organisation, [calendar.id], now - PAST, now + FUTURE)  # type: ignore[arg-type]
    stamp = _utc(now)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Socle//Agenda//FR", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(calendar.name)}", f"X-WR-TIMEZONE:{calendar.timezone}"]
    for booking in bookings:
        summary = booking.label or "Rendez-vous"
        if booking.seats > 1:
            summary += f" ({booking.seats} places)"
        lines += ["BEGIN:VEVENT", f"UID:booking-{booking.id}@socle", f"DTSTAMP:{stamp}",
                  f"DTSTART:{_utc(booking.start)}", f"DTEND:{_utc(booking.end)}", f"SUMMARY:{_escape(summary)}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
