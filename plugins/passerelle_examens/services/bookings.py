"""Booking and cancelling an exam session for an élève: the « dossier d'examen », the office calendar entry
and the élève's email are written in one transaction after the provider said yes.

Never a duplicate: the provider gets an idempotency key per (élève, slot, attempt) — the same click twice,
or a retry after a lost answer (the client reconciles against the planning), lands on the same booking and
the same file (a lock on the key, a unique index behind it). The last place is the provider's to give: when
it says the session is full the user gets a 409 and nothing is recorded.

Only an élève whose RdvPermis mandate is confirmed may be booked (services/mandates.py); the provider is
reached through the module's provider registry (`register_exam_providers`, entry « rdvpermis »)."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from core.plugin_api import Conflict, FieldError, NotFound, ValidationFailed, data
from plugins.passerelle_examens.providers.base import ExamProviderError, Slot
from plugins.passerelle_examens.runtime import platform
from plugins.passerelle_examens.services import agenda, delay_rules, mandates, notices, places, providers, students
from plugins.passerelle_examens.services.common import Ctx, ProviderFailed, check_participation
from plugins.passerelle_examens.services.delay_rules import HistoryEvent, Verdict
from plugins.passerelle_examens.services.sessions import french_date, monday_of
from plugins.passerelle_examens.tables import ExamFile, FavouriteCentre, Student

SOURCE = "passerelle_examens"
CATEGORY_TYPES = {"B": "voiture", "B78": "voiture", "A1": "moto", "A2": "moto", "AM": "moto"}
STATUS_LABELS = {"reserve": "Réservé", "annule": "Annulé", "passe": "Passé", "admis": "Admis", "echec": "Échec",
                 "absent": "Absent"}
FULL = "Cette session n'a plus de place libre : un autre utilisateur vient de réserver la dernière place."
GONE = "Cette session n'a plus de place libre ou n'est plus proposée : relancez la recherche."
NO_MANDATE = "Mandat non confirmé par l'élève"
PROVIDER = mandates.PROVIDER  # sessions are read, booked and cancelled on RdvPermis


def _where(c: Ctx) -> Any:
    return (ExamFile.organisation == c.organisation_id) & (ExamFile.office == c.office_id)


async def office_today(c: Ctx) -> dt.date:
    """Today in the office's time zone."""
    return dt.datetime.now(ZoneInfo(await data.office_timezone(c.organisation_id, c.office_id))).date()


async def history(c: Ctx, student_id: int) -> list[HistoryEvent]:
    """The élève's exam history as the delay rules read it (absence, failed exam with points, late
    cancellation), from their exam files in the organisation."""
    rows = await ExamFile.select(ExamFile.status, ExamFile.day, ExamFile.points, ExamFile.late_cancellation).where(
        (ExamFile.organisation == c.organisation_id) & (ExamFile.student == student_id))
    events: list[HistoryEvent] = []
    for r in rows:
        if r["status"] == "absent":
            events.append(HistoryEvent("no_show", r["day"]))
        elif r["status"] == "echec":
            events.append(HistoryEvent("practical_fail", r["day"], r["points"]))
        elif r["status"] == "annule" and r["late_cancellation"]:
            events.append(HistoryEvent("late_cancellation", r["day"]))
    return events


async def _reserved(c: Ctx, student_id: int, today: dt.date) -> ExamFile | None:
    return await ExamFile.objects().where(
        (ExamFile.organisation == c.organisation_id) & (ExamFile.student == student_id)
        & (ExamFile.status == "reserve") & (ExamFile.day >= today)).first()


async def mandate_state(c: Ctx, student_id: int) -> str:
    """The élève's mandate state; one still awaiting the student's answer is asked to the provider first (they
    may have just confirmed it), a confirmed one is trusted as synced (callback, view, periodic job)."""
    state = await mandates.mandate_status(c, student_id)
    if state == "requested":
        state = await mandates.mandate_status(c, student_id, refresh=True)
    return state


async def verdict(c: Ctx, student: Student, exam_type: str, day: dt.date, today: dt.date,
                  mandate: str | None = None, *, needs_mandate: bool = True) -> Verdict:
    """May this élève sit that exam? The category (when the exam type is known: `exam_type` ""), an exam
    already reserved, a confirmed mandate (`mandate`: the state when already read; a Printel place needs none),
    then the delay rules."""
    if exam_type and CATEGORY_TYPES.get(student.category) != exam_type:
        return Verdict(False, None, f"La catégorie {student.category} ne correspond pas à une session "
                                    f"{'moto' if exam_type == 'moto' else 'voiture'}")
    reserved = await _reserved(c, student.id, today)
    if reserved is not None:
        return Verdict(False, None, f"Examen déjà réservé le {reserved.day.strftime('%d/%m/%Y')}")
    if needs_mandate and (mandate if mandate is not None else await mandate_state(c, student.id)) != "confirmed":
        return Verdict(False, None, NO_MANDATE)
    return await delays(c, student, day)


async def delays(c: Ctx, student: Student, day: dt.date) -> Verdict:
    """The delay rules alone: may the élève's history (and code date) let them sit an exam on `day`?"""
    events = await history(c, student.id)
    if student.theory_passed_on is not None:
        events.append(HistoryEvent("theory_pass", student.theory_passed_on))
    return delay_rules.check(student.category, events, day)


async def waiting(c: Ctx, student: Student) -> Verdict:
    """The élève's waiting period from their history alone (for their page): the earliest exam date and why,
    and the events that set none."""
    return await delays(c, student, await office_today(c))


async def find_slot(c: Ctx, centre_id: str, slot_id: str, day: str) -> tuple[dict[str, Any], Slot]:
    """The favourite centre and the slot as the provider offers it now (a 409 when it is gone)."""
    centre = await FavouriteCentre.objects().where(
        (FavouriteCentre.organisation == c.organisation_id) & (FavouriteCentre.office == c.office_id)
        & (FavouriteCentre.centre_id == centre_id)).first()
    if centre is None:
        raise ValidationFailed.on("centre_id", "Ce centre n'est pas dans vos centres favoris.")
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        raise ValidationFailed.on("jour", "Le jour de la session est invalide.") from None
    try:
        async with providers.opened(c, PROVIDER, "sessions") as gateway:
            slots = await gateway.week_sessions(centre_id, monday_of(when))
    except ExamProviderError as error:
        raise ProviderFailed(error.message) from error
    for slot in slots:
        if slot.slot_id == slot_id:
            return {"id": centre.id, "centre_id": centre.centre_id, "nom": centre.name,
                    "type": centre.exam_type}, slot
    raise Conflict(GONE)


async def candidates(c: Ctx, exam_type: str, slot: Slot, query: str = "") -> list[dict[str, Any]]:
    """The office's élèves matching `query` (name or first names), each with whether they may take the slot
    and, when not, the reason and the earliest date."""
    today = await office_today(c)
    words = query.lower().split()
    states = await mandates.states(c)
    out = []
    for row in await students.list_students(c):
        name = f"{row['nom']} {row['prenoms']}".lower()
        if words and not all(w in name for w in words):
            continue
        student = await students.get(c, row["id"])
        state = states.get(student.id, "none")
        if state == "requested":
            state = await mandate_state(c, student.id)
        v = await verdict(c, student, exam_type, slot.day, today, state)
        out.append({**row, "autorise": v.allowed, "raison": v.reason, "mandat": state, "notes": list(v.notes),
                    "mandat_requis": not v.allowed and v.reason == NO_MANDATE,
                    "date_au_plus_tot": v.earliest.isoformat() if v.earliest and not v.allowed else None})
    return out


def _key(c: Ctx, student_id: int, slot_id: str, attempt: int) -> str:
    return f"socle-{c.organisation_id}-{student_id}-{slot_id}-{attempt}"[:200]


async def _settings(c: Ctx) -> Any:
    return await platform().office_settings(c.organisation_id, c.office_id)


async def exam_length(c: Ctx) -> dt.timedelta:
    """How long an exam holds the office's agenda from its convocation time (the office's setting)."""
    return dt.timedelta(minutes=(await _settings(c)).exam_minutes)


async def book(c: Ctx, student_id: int, centre_id: str, slot_id: str, day: str) -> tuple[ExamFile, bool]:
    """Book the slot for the élève: (exam file, created). Refusals: 404 élève, 422 with the field and the
    reason (mandate not confirmed, delay rules with the earliest date, category, past session), 409 when the
    session is full, 503 with the provider's French message."""
    student = await students.get(c, student_id)
    check_participation(await _settings(c))
    same = ExamFile.objects().where(_where(c) & (ExamFile.student == student.id) & (ExamFile.slot_id == slot_id))
    existing = await same.where(ExamFile.status == "reserve").first()
    if existing is not None:
        return existing, False
    centre, slot = await find_slot(c, centre_id, slot_id, day)
    today = await office_today(c)
    if slot.day <= today:
        raise ValidationFailed.on("slot_id", "Cette session est passée ou a lieu aujourd'hui : "
                                             "choisissez-en une autre.")
    v = await verdict(c, student, centre["type"], slot.day, today)
    if not v.allowed:
        raise ValidationFailed(f"{student.first_names} {student.last_name} ne peut pas passer cet examen.",
                               [FieldError("eleve", v.reason)])
    attempt = await ExamFile.count().where(_where(c) & (ExamFile.student == student.id)
                                           & (ExamFile.slot_id == slot_id))
    key = _key(c, student.id, slot_id, attempt)
    async with providers.opened(c, PROVIDER, "booking") as provider:
        try:
            booking = await provider.book(slot.slot_id, student.neph, key)
        except ExamProviderError as error:
            if error.code == "full":
                raise Conflict(FULL) from error
            if error.code == "mandate":  # RdvPermis knows better (revoked there): read the mandate again
                with contextlib.suppress(ExamProviderError):
                    await mandates.sync(c, student.id)
                raise ValidationFailed(f"{student.first_names} {student.last_name} ne peut pas passer cet "
                                       "examen.", [FieldError("eleve", error.message)]) from error
            raise ProviderFailed(error.message) from error
        try:
            return await _record(c, student, centre, slot, key, booking.booking_id, PROVIDER)
        except BaseException:
            with contextlib.suppress(ExamProviderError):  # nothing recorded here: give the place back
                await provider.cancel(booking.booking_id)
            raise


async def _record(c: Ctx, student: Student, centre: dict[str, Any], slot: Slot, key: str, ref: str,
                  provider: str) -> tuple[ExamFile, bool]:
    zone = ZoneInfo(await data.office_timezone(c.organisation_id, c.office_id))
    starts = dt.datetime.combine(slot.day, slot.start, tzinfo=zone)
    ends = starts + await exam_length(c)
    async with data.write_transaction():
        await data.lock(f"{SOURCE}:booking:{key}")
        again = await ExamFile.objects().where(ExamFile.idempotency_key == key).first()
        if again is not None:
            return again, False
        row = ExamFile(organisation=c.organisation_id, office=c.office_id, student=student.id, provider=provider,
                       provider_ref=ref, slot_id=slot.slot_id, idempotency_key=key, centre_id=slot.centre_id,
                       centre_name=centre["nom"], exam_type=centre["type"], category=student.category,
                       inspector=slot.inspector, day=slot.day, starts_at=starts, ends_at=ends, status="reserve",
                       token=secrets.token_urlsafe(18), created_by=c.actor.member_id if c.actor else None)
        await row.save()
        label = entry_label(student, centre["nom"])
        row.calendar_booking = await agenda.add(c, starts, ends, label[:200], f"exam_file:{row.id}")
        await row.save()
        await notices.queue("booked", row, student, slot.start.strftime("%H:%M"))
        await data.audit(c.actor, f"{SOURCE}.exam_booked", organisation_id=c.organisation_id,
                         target=f"exam_file:{row.id}", summary=f"Examen réservé le {french_date(slot.day)}")
    return row, True


def entry_label(student: Student, centre_name: str) -> str:
    """The title of the exam's entry on the office calendar (the result is appended once recorded)."""
    return f"Examen {student.category} — {student.last_name.upper()} {student.first_names} — {centre_name}"


async def get(c: Ctx, file_id: int) -> ExamFile:
    row = await ExamFile.objects().where(_where(c) & (ExamFile.id == file_id)).first()
    if row is None:
        raise NotFound("Ce dossier d'examen n'existe pas.")
    return row


async def is_late(c: Ctx, row: ExamFile) -> bool:
    return (row.day - await office_today(c)).days < delay_rules.LATE_CANCELLATION_DAYS


async def cancel(c: Ctx, file_id: int) -> ExamFile:
    """Cancel with the provider, then here: status annulé, late-cancellation rule recorded, calendar entry
    removed, the élève emailed (ICS CANCEL). Cancelling twice is a 409. A Printel file (a place of a captured
    lot) is released at Printel instead, and its place is free again; the same 7-day rule applies to it."""
    row = await get(c, file_id)
    if row.status != "reserve":
        raise Conflict("Cet examen n'est plus réservé : il ne peut pas être annulé.")
    try:
        if row.allocated_place is not None:
            await places.release(c, row)
        else:
            async with providers.opened(c, row.provider, "cancel") as provider:
                await provider.cancel(row.provider_ref)
    except ExamProviderError as error:
        raise ProviderFailed(error.message) from error
    student = await Student.objects().where(Student.id == row.student).first()
    async with data.write_transaction():
        await data.lock(f"{SOURCE}:booking:{row.idempotency_key}")
        row = await get(c, file_id)
        if row.status != "reserve":
            raise Conflict("Cet examen n'est plus réservé : il ne peut pas être annulé.")
        row.late_cancellation = await is_late(c, row)
        row.status, row.cancelled_on, row.sequence = "annule", await office_today(c), row.sequence + 1
        await row.save()
        if row.calendar_booking is not None:
            await agenda.remove(c, row.calendar_booking, "Examen annulé")
        if student is not None:
            zone = ZoneInfo(await data.office_timezone(c.organisation_id, c.office_id))
            await notices.queue("cancelled", row, student, row.starts_at.astimezone(zone).strftime("%H:%M"))
        await data.audit(c.actor, f"{SOURCE}.exam_cancelled", organisation_id=c.organisation_id,
                         target=f"exam_file:{row.id}",
                         summary="Annulation tardive" if row.late_cancellation else "Annulation")
    return row


async def list_files(c: Ctx, limit: int = 500) -> list[dict[str, Any]]:
    rows = await ExamFile.objects().where(_where(c)).order_by(ExamFile.day, ascending=False).limit(limit)
    names = {s["id"]: f"{s['nom'].upper()} {s['prenoms']}" for s in await students.list_students(c)}
    zone = ZoneInfo(await data.office_timezone(c.organisation_id, c.office_id))
    return [out(r, names.get(r.student, ""), zone) for r in rows]


async def office_zone(c: Ctx) -> ZoneInfo:
    """The office's time zone (Europe/Paris unless the office says otherwise)."""
    return ZoneInfo(await data.office_timezone(c.organisation_id, c.office_id))


async def shown(c: Ctx, row: ExamFile, student_name: str = "") -> dict[str, Any]:
    """`out` in the office's time zone: what every route gives (list and detail say the same « heure »)."""
    return out(row, student_name, await office_zone(c))


def out(row: ExamFile, student_name: str, zone: ZoneInfo) -> dict[str, Any]:
    """The exam file; `heure` is the local time in `zone` (the office's), never UTC."""
    local = row.starts_at.astimezone(zone)
    return {"id": row.id, "eleve_id": row.student, "eleve": student_name, "centre_id": row.centre_id,
            "centre": row.centre_name, "type": row.exam_type, "categorie": row.category,
            "inspecteur": row.inspector, "jour": row.day.isoformat(), "jour_libelle": french_date(row.day),
            "heure": local.strftime("%H:%M"), "statut": row.status,
            "statut_libelle": STATUS_LABELS.get(row.status, row.status), "fournisseur": row.provider,
            "reference": row.provider_ref, "annulation_tardive": row.late_cancellation, "points": row.points,
            "resultat_saisissable": row.status in ("reserve", "passe", "admis", "echec", "absent")
            and row.starts_at <= dt.datetime.now(dt.UTC)}
