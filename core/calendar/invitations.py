"""Calendar invitations and feeds (RFC 5545, methods of RFC 5546) written with the `icalendar` library.

One helper for everything Socle puts in a calendar app: the private feed of an agenda and the invitation a
module attaches to an email. An event keeps one UID for its whole life (`stable_uid`), its `sequence` grows
on every change, a creation or a move is sent as `METHOD:REQUEST` and a cancellation as `METHOD:CANCEL`, so
the person's calendar updates or removes the event instead of adding a copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar

from core.notify.email import Attachment

PRODID = "-//Socle//Agenda//FR"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One appointment as a calendar app sees it. Times are aware datetimes (written in UTC)."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    sequence: int = 0
    location: str = ""
    description: str = ""
    organizer_name: str = ""
    organizer_email: str = ""
    attendee_name: str = ""
    attendee_email: str = ""
    url: str = ""
    cancelled: bool = False


def stable_uid(namespace: str, secret: str) -> str:
    """A UID that is the same every time for (`namespace`, `secret`) and reveals neither: pass something
    unguessable and never reused that the record keeps for life (a random token, or an id with its creation
    time), and a namespace such as your plugin id."""
    digest = hashlib.sha256(f"{namespace}\x00{secret}".encode()).hexdigest()[:40]
    return f"{digest}@socle"


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("calendar events need aware datetimes")
    return moment.astimezone(UTC)


def _vevent(event: CalendarEvent, stamp: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _utc(event.start))
    vevent.add("dtend", _utc(event.end))
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.summary)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    if event.url:
        vevent.add("url", event.url)
    if event.organizer_email:
        organizer = icalendar.vCalAddress(f"mailto:{event.organizer_email}")
        if event.organizer_name:
            organizer.params["cn"] = icalendar.vText(event.organizer_name)
        vevent.add("organizer", organizer)
    if event.attendee_email:
        attendee = icalendar.vCalAddress(f"mailto:{event.attendee_email}")
        attendee.params.update({"role": "REQ-PARTICIPANT", "rsvp": "FALSE"})
        if event.attendee_name:
            attendee.params["cn"] = icalendar.vText(event.attendee_name)
        vevent.add("attendee", attendee)
    return vevent


def _calendar(method: str | None, name: str = "") -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def method_of(event: CalendarEvent) -> str:
    return "CANCEL" if event.cancelled else "REQUEST"


def invitation(event: CalendarEvent, now: datetime | None = None) -> bytes:
    """The iCalendar file for one email: `METHOD:REQUEST` (creation, move) or `METHOD:CANCEL`."""
    calendar = _calendar(method_of(event))
    calendar.add_component(_vevent(event, now or datetime.now(UTC)))
    return calendar.to_ical()


def invitation_attachment(event: CalendarEvent, filename: str = "rendez-vous.ics",
                          now: datetime | None = None) -> Attachment:
    """`invitation(event)` as an email attachment, `text/calendar; charset=utf-8; method=…`."""
    return Attachment(filename, invitation(event, now), f"text/calendar; charset=utf-8; method={method_of(event)}")


def feed(name: str, events: Iterable[CalendarEvent], now: datetime | None = None) -> bytes:
    """A subscribable calendar (no method): cancelled events are listed with `STATUS:CANCELLED`."""
    stamp = now or datetime.now(UTC)
    calendar = _calendar(None, name)
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    return calendar.to_ical()


__all__ = ["CalendarEvent", "feed", "invitation", "invitation_attachment", "method_of", "stable_uid"]
