"""The élève's emails: booking confirmation (ICS REQUEST), a move (ICS REQUEST, same UID, higher SEQUENCE: the
élève's agenda updates the event) and cancellation (ICS CANCEL, higher SEQUENCE), from the driving school's
name, on core.notify's outbox inside the caller's write transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from core.plugin_api import CalendarEvent, data, enqueue_email, invitation_attachment, stable_uid
from plugins.passerelle_examens.tables import ExamFile, Student

DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
SUBJECTS = {"booked": "Votre examen du permis est réservé", "moved": "Votre examen a été déplacé",
            "cancelled": "Votre examen du permis est annulé",
            "result": "Le résultat de votre examen du permis",
            "corrected": "Résultat corrigé de votre examen du permis"}


def french_day(row: ExamFile) -> str:
    return french_date(row.day)


def french_date(day: dt.date) -> str:
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def event(row: ExamFile, student: Student, school: Any) -> CalendarEvent:
    return CalendarEvent(
        uid=stable_uid("passerelle_examens", row.token), start=row.starts_at, end=row.ends_at,
        summary=f"Examen pratique du permis {row.category} — {row.centre_name}", sequence=row.sequence,
        location=row.centre_name, description=(f"Inspecteur : {row.inspector}. " if row.inspector else "")
        + f"Présenté par {school.name}.",
        organizer_name=school.name, organizer_email=school.email or "ne-pas-repondre@socle.localhost",
        attendee_name=f"{student.first_names} {student.last_name}", attendee_email=student.email,
        cancelled=row.status == "annule")


@dataclass(frozen=True, slots=True)
class Before:
    """What the élève was told before a move: the exam's date, local time and centre."""
    day: dt.date
    time: str
    centre: str


async def queue(kind: str, row: ExamFile, student: Student, local_time: str, before: Before | None = None) -> None:
    """The élève's message for `kind` (booked, moved — with `before` — or cancelled); nothing without an
    email. Call after bumping `row.sequence` for a move or a cancellation (the ICS replaces the booked one)."""
    if not student.email:
        return
    school = await data.organisation(row.organisation)
    old = {"old_day": french_date(before.day), "old_time": before.time, "old_centre": before.centre} if before else {}
    context = {**old, "kind": kind, "first_names": student.first_names, "last_name": student.last_name,
               "category": row.category, "day": french_day(row), "time": local_time, "centre": row.centre_name,
               "inspector": row.inspector, "school": school.name, "late": row.late_cancellation,
               "contact": " — ".join(v for v in (school.phone, school.email) if v)}
    await enqueue_email(student.email, f"{SUBJECTS[kind]} — {school.name}", template="passerelle_examens/exam",
                        context=context, attachments=[invitation_attachment(event(row, student, school),
                                                                             filename="examen.ics")],
                        organisation_id=row.organisation, sender_name=school.name,
                        reply_to=school.email or None, key=f"passerelle_examens:{kind}:{row.token}:{row.sequence}")


async def result(row: ExamFile, student: Student, corrected: bool) -> None:
    """The élève's short message with the outcome just recorded on `row` (admis, échec with the points, absent),
    or its correction; nothing without an email. No ICS: the exam's time does not change."""
    if not student.email:
        return
    school = await data.organisation(row.organisation)
    context = {"first_names": student.first_names, "last_name": student.last_name, "category": row.category,
               "day": french_day(row), "centre": row.centre_name, "outcome": row.status, "points": row.points,
               "corrected": corrected, "feminine": student.civility == "madame", "school": school.name,
               "contact": " — ".join(v for v in (school.phone, school.email) if v)}
    await enqueue_email(student.email, f"{SUBJECTS['corrected' if corrected else 'result']} — {school.name}",
                        template="passerelle_examens/result", context=context, organisation_id=row.organisation,
                        sender_name=school.name, reply_to=school.email or None)
