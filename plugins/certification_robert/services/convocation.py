"""The La Poste convocation: a French email (centre's address, date and time, what to bring) with a
calendar invitation, queued on the outbox inside the assignment's transaction, so a candidate is convoked
if and only if the assignment is committed."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.plugin_api import CalendarEvent, OrganisationInfo, enqueue_email, invitation_attachment, stable_uid

PARIS = ZoneInfo("Europe/Paris")
DURATION = timedelta(hours=2)  # the exam's slot in the candidate's calendar
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
SUBJECT = "Convocation à la certification Le Robert"


def french_day(day: date) -> str:
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def event(candidate: dict[str, Any], day: date, at: time, address: str, organisation: OrganisationInfo,
          sender: str) -> CalendarEvent:
    start = datetime.combine(day, at, PARIS)
    name = f"{candidate['first_name']} {candidate['last_name']}".strip()
    return CalendarEvent(
        uid=stable_uid("certification_robert", secrets.token_hex(16)), start=start, end=start + DURATION,
        summary=f"Certification Le Robert — {organisation.name}", location=address,
        description="À apporter : votre identifiant, votre mot de passe et une pièce d'identité.",
        organizer_name=organisation.name, organizer_email=organisation.email or sender,
        attendee_name=name, attendee_email=candidate["email"])


async def queue(candidates: list[dict[str, Any]], day: date, at: time, address: str,
                organisation: OrganisationInfo, sender: str) -> None:
    """One convocation per candidate (call inside the write transaction)."""
    when = f"{french_day(day)} à {at:%H:%M}"
    for cand in candidates:
        context = {"name": f"{cand['first_name']} {cand['last_name']}".strip(), "when": when, "address": address,
                   "identifiant": cand["email"], "organisation": organisation.name}
        await enqueue_email(cand["email"], f"{SUBJECT} — {organisation.name}",
                            template="certification_robert/convocation", context=context,
                            attachments=[invitation_attachment(event(cand, day, at, address, organisation, sender))],
                            organisation_id=cand["organisation"], sender_name=organisation.name,
                            reply_to=organisation.email or None)
