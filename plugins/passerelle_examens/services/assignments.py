"""Assigning the places of a captured Printel lot to élèves (« Attribuer une place », « Retirer »).

An assignment is an exam file (`ExamFile.allocated_place` = the lot): status réservé, on the office's
« Examens du permis » calendar and ICS feed, the élève emailed with an ICS REQUEST, audited — written in one
transaction after Printel accepted the NEPH on the lot. Never more files than places: the lot is locked while
its places are counted (an advisory lock on PostgreSQL, SQLite's single writer), and Printel counts too. If
the local write fails after Printel said yes, the place is released at Printel (as bookings.py cancels a
booking it could not record); a provider failure records nothing.

Eligibility is the booking's (bookings.verdict): the category when the lot says its exam type, an exam already
reserved, the delay rules with the earliest date; no RdvPermis mandate (the places are the school's). Removing
an élève is the cancellation of bookings.py (the same 7-day late-cancellation rule applies)."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from core.plugin_api import Conflict, FieldError, NotFound, ValidationFailed, check_id, data
from plugins.passerelle_examens.providers.base import ExamProviderError
from plugins.passerelle_examens.services import agenda, bookings, notices, places, providers, students
from plugins.passerelle_examens.services.common import Ctx, ProviderFailed
from plugins.passerelle_examens.services.sessions import french_date
from plugins.passerelle_examens.tables import AllocatedPlace, ExamFile, Student

SOURCE = bookings.SOURCE
FULL = "Ce lot n'a plus de place libre : toutes ses places sont attribuées."
PAST = "Ce lot de places est passé ou a lieu aujourd'hui : ses places ne peuvent plus être attribuées."


def _name(student: Student) -> str:
    return f"{student.last_name.upper()} {student.first_names}"


def _twice(student: Student) -> str:
    return f"{_name(student)} a déjà une place sur ce lot."


async def candidates(c: Ctx, lot: AllocatedPlace, query: str = "") -> list[dict[str, Any]]:
    """The office's élèves matching `query` (name or first names), each with whether they may take a place of
    the lot and, when not, the reason and the earliest date."""
    today = await bookings.office_today(c)
    holding = {f.student for f in await places.holders(c, [lot.id])}
    words = query.lower().split()
    out = []
    for row in await students.list_students(c):
        if words and not all(w in f"{row['nom']} {row['prenoms']}".lower() for w in words):
            continue
        student = await students.get(c, row["id"])
        if student.id in holding:
            allowed, reason, earliest = False, "A déjà une place sur ce lot", None
        else:
            v = await bookings.verdict(c, student, lot.exam_type, lot.day, today, needs_mandate=False)
            allowed, reason, earliest = v.allowed, v.reason, v.earliest
        out.append({**row, "autorise": allowed, "raison": reason,
                    "date_au_plus_tot": earliest.isoformat() if earliest and not allowed else None})
    return out


async def _check(c: Ctx, lot: AllocatedPlace, student: Student) -> None:
    """Refusals before asking Printel: 422 past lot, same élève twice, not eligible; 409 full."""
    today = await bookings.office_today(c)
    if lot.day <= today:
        raise ValidationFailed.on("place", PAST)
    taken = await places.holders(c, [lot.id])
    if any(f.student == student.id for f in taken):
        raise ValidationFailed.on("eleve", _twice(student))
    if len(taken) >= lot.places:
        raise Conflict(FULL)
    v = await bookings.verdict(c, student, lot.exam_type, lot.day, today, needs_mandate=False)
    if not v.allowed:
        raise ValidationFailed(f"{_name(student)} ne peut pas passer cet examen.", [FieldError("eleve", v.reason)])


async def _holds(c: Ctx, lot_id: int, student_id: int) -> bool:
    return any(f.student == student_id for f in await places.holders(c, [lot_id]))


async def assign(c: Ctx, place_id: int, student_id: int) -> ExamFile:
    """Give the élève a place of the lot: the new exam file. 404 lot or élève of another office, 422 naming
    the field (`eleve`: twice, not eligible; `place`: past lot), 409 full, 503 Printel's French message."""
    lot = await places.get(c, place_id)
    student = await students.get(c, student_id)
    await _check(c, lot, student)
    attempt = await ExamFile.count().where(
        (ExamFile.organisation == c.organisation_id) & (ExamFile.allocated_place == lot.id)
        & (ExamFile.student == student.id))
    key = f"printel-{c.organisation_id}-{lot.id}-{student.id}-{attempt}"[:200]
    async with providers.opened(c, lot.provider, "assign") as provider:
        try:
            ref = (await provider.assign(lot.numero, lot.cle, student.neph, key)).booking_id
        except ExamProviderError as error:
            if error.code == "full":
                raise Conflict(FULL) from error
            if error.retryable and not await _holds(c, lot.id, student.id):  # Printel may hold it: give it back
                with contextlib.suppress(ExamProviderError):
                    await provider.release(lot.numero, lot.cle, student.neph)
            raise ProviderFailed(error.message) from error
        try:
            return await record(c, lot, student, key, ref[:100])
        except BaseException:
            if not await _holds(c, lot.id, student.id):  # not the élève's place from a concurrent click
                with contextlib.suppress(ExamProviderError):
                    await provider.release(lot.numero, lot.cle, student.neph)
            raise


async def record(c: Ctx, lot: AllocatedPlace, student: Student, key: str, ref: str) -> ExamFile:
    """Write the exam file, its calendar entry, the élève's email and the audit line in one transaction,
    the lot locked while its places are counted (also used by the demo, as data only)."""
    zone = ZoneInfo(await data.office_timezone(c.organisation_id, c.office_id))
    starts = dt.datetime.combine(lot.day, places.start_of(lot), tzinfo=zone)
    length = await bookings.exam_length(c)
    async with data.write_transaction():
        await data.lock(f"{SOURCE}:place:{lot.id}")
        taken = await places.holders(c, [lot.id])
        if any(f.student == student.id for f in taken):
            raise ValidationFailed.on("eleve", _twice(student))
        if len(taken) >= lot.places:
            raise Conflict(FULL)
        category = student.category
        row = ExamFile(organisation=c.organisation_id, office=c.office_id, student=student.id, provider=lot.provider,
                       provider_ref=ref, slot_id=f"printel:{lot.numero}:{student.neph}"[:200], idempotency_key=key,
                       centre_id=lot.numero, centre_name=lot.lieu,
                       exam_type=lot.exam_type or bookings.CATEGORY_TYPES.get(category, "voiture"),
                       category=category, day=lot.day, starts_at=starts,
                       ends_at=starts + length, status="reserve",
                       token=secrets.token_urlsafe(18), created_by=c.actor.member_id if c.actor else None,
                       allocated_place=lot.id)
        await row.save()
        label = f"Examen {category} — {_name(student)} — {lot.lieu}"
        row.calendar_booking = await agenda.add(c, starts, row.ends_at, label[:200], f"exam_file:{row.id}")
        await row.save()
        await notices.queue("booked", row, student, places.start_of(lot).strftime("%H:%M"))
        await data.audit(c.actor, f"{SOURCE}.place_assigned", organisation_id=c.organisation_id,
                         target=f"exam_file:{row.id}",
                         summary=f"Place Printel n° {lot.numero} du {french_date(lot.day)} attribuée à "
                                 f"{_name(student)}")
    return row


async def held(c: Ctx, place_id: int, file_id: int) -> ExamFile:
    """The exam file of an élève on that lot (404 when the file is not one of the lot's)."""
    row = await bookings.get(c, file_id)
    if row.allocated_place != place_id:
        raise NotFound("Cet élève n'a pas de place sur ce lot.")
    return row


async def unassign(c: Ctx, place_id: int, file_id: int) -> ExamFile:
    """« Retirer »: the cancellation of bookings.py — released at Printel, calendar entry removed, ICS CANCEL
    email, status annulé, the late-cancellation rule recorded; the place is free again."""
    await places.get(c, place_id)
    await held(c, place_id, file_id)
    return await bookings.cancel(c, file_id)


def student_ref(value: object) -> int:
    """The `eleve` of a form or a JSON body: the élève's id, or a 422 naming the field."""
    if value is None or str(value).strip() == "":
        raise ValidationFailed.on("eleve", "Choisissez l'élève à qui attribuer la place.")
    return check_id("eleve", value)
