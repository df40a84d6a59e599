"""Online booking by citizens: open motifs, slots within the motif's delays, booking on the first free
agenda (409 when the slot was taken meanwhile), the private recap link (move, cancel), the waiting list."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from core.plugin_api import MAX_ID, Conflict, Forbidden, NotFound, ValidationFailed, data, enqueue_email
from core.plugin_api import calendar as cal
from plugins.rdv_service_public.services import agendas, availability, notices, places
from plugins.rdv_service_public.services.booking import SlotTaken
from plugins.rdv_service_public.services.common import Checks, Ctx, insert_row
from plugins.rdv_service_public.tables import Lieu, Motif, Plage, Rdv

MONTH = timedelta(days=31)
TAKEN = "Ce créneau vient d'être pris par un autre usager. Choisissez un autre créneau."


def now() -> datetime:
    return availability.utc(datetime.now().astimezone())


async def open_motifs(organisation_id: int, office_ids: list[int]) -> list[dict[str, Any]]:
    """Motifs open online in the offices where the module is active, with their service's name."""
    rows = await Motif.select(Motif.all_columns(), Motif.service.name.as_alias("service_name")).where(
        (Motif.organisation == organisation_id) & Motif.office.is_in(office_ids or [-1])
        & (Motif.online == True)).order_by(Motif.service.name).order_by(Motif.name)  # noqa: E712
    return list(rows)


async def motif_ctx(organisation_id: int, office_ids: list[int], motif_id: Any) -> tuple[Ctx, Motif]:
    """The office context of an open motif, or NotFound (closed, other organisation, inactive office)."""
    try:
        wanted = int(motif_id)
    except (TypeError, ValueError):
        raise NotFound("Ce motif n'existe pas.") from None
    if not 1 <= wanted <= MAX_ID:
        raise NotFound("Ce motif n'existe pas.")
    offices = [int(o) for o in office_ids] or [-1]
    rows = await Motif.raw(f"SELECT * FROM {Motif._meta.tablename} WHERE id = {{}} AND organisation = {{}} "
                           f"AND office IN ({', '.join('{}' for _ in offices)})", wanted, organisation_id, *offices)
    motif = Motif(**rows[0], _exists_in_db=True) if rows else None  # raw: the booking path's one motif read
    if motif is None or not motif.online:
        raise NotFound("Ce motif n'est pas ouvert à la réservation en ligne.")
    timezone = await data.office_timezone(organisation_id, motif.office)
    return Ctx(organisation_id, motif.office, timezone), motif


def bounds(motif: Motif, moment: datetime | None = None) -> tuple[datetime, datetime]:
    """The first and last start a citizen may book now (the motif's minimum and maximum delays)."""
    current = moment or now()
    return current + timedelta(minutes=motif.min_delay_minutes), current + timedelta(minutes=motif.max_delay_minutes)


async def lieux(c: Ctx, motif: Motif) -> list[Lieu]:
    """Lieux of the plages serving the motif within the next month."""
    first, last = bounds(motif)
    first_day, last_day = first.astimezone(c.tz).date(), min(last, first + MONTH).astimezone(c.tz).date()
    used = set()
    for plage in await c.objects(Plage).where((Plage.first_day <= last_day) & Plage.lieu.is_not_null()
                                              & (Plage.until_day.is_null() | (Plage.until_day >= first_day))):
        motifs = json.loads(plage.motif_ids or "[]")
        if not motifs or motif.id in motifs:
            used.add(plage.lieu)
    return list(await c.objects(Lieu).where(Lieu.id.is_in(list(used) or [-1])).order_by(Lieu.name))


async def slots(c: Ctx, motif: Motif, lieu_id: int | None, start: datetime | None = None) -> list[availability.Slot]:
    """Free slots over one month from `start` (default: as soon as allowed), only within the delays."""
    first, last = bounds(motif)
    begin = max(first, availability.utc(start)) if start else first
    end = min(last, begin + MONTH)
    if end <= begin:
        return []
    found = await availability.free_slots(c, motif, begin, end, lieu_id)
    return [s for s in found if first <= s.start <= last]


async def _take_free_agenda(c: Ctx, motif: Motif, start: datetime, lieu_id: int | None, name: str,
                            exclude: int | None = None, ids: dict[tuple[int | None, int | None], int] | None = None,
                            ) -> tuple[int | None, int | None, int | None, list[int]]:
    """Book the first agenda (member, guichet, lieu) open and free at `start` for the motif, or SlotTaken.
    `ids`: the office's agenda calendars when the caller read them before its transaction."""
    end = start + timedelta(minutes=motif.duration_minutes)
    ids = ids if ids is not None else await agendas.calendars(c)
    if not motif.collective:  # one core call: no search, capacity checked on the overlapping bookings
        ordered = sorted(ids, key=lambda agenda: (agenda[0] or 0, agenda[1] or 0))
        try:
            booking, location = await cal.book_first(
                c.organisation_id, [ids[a] for a in ordered], start, end, tags=[agendas.motif_tag(motif.id)],
                location=None if lieu_id is None else str(lieu_id), step=motif.duration_minutes, label=name,
                source_plugin=places.SOURCE)
        except cal.SlotTaken:
            raise SlotTaken(TAKEN) from None
        member, guichet = agendas.agenda_of(ids)[booking.calendar_id]
        return member, guichet, int(location) if location.isdigit() else None, [booking.id]
    found = await availability.agenda_slots(c, motif, start, start + timedelta(minutes=1), ids)
    candidates = sorted(((a, s) for a, s in found if s.start == start and (lieu_id is None or s.lieu == lieu_id)),
                        key=lambda item: (item[0][0] or 0, item[0][1] or 0))
    for agenda, slot in candidates:
        try:
            bookings = await places.take(c, [(agenda, TAKEN)], motif, start, end, name, None, exclude)
        except cal.SlotTaken:
            continue
        return agenda[0], agenda[1], slot.lieu, bookings
    raise SlotTaken(TAKEN)


def check_window(motif: Motif, start: datetime, moment: datetime | None = None) -> None:
    """A start a citizen may book at `moment` (default now): between the minimum and maximum delays."""
    first, last = bounds(motif, moment)
    if start < first:
        raise ValidationFailed.on("starts_at", "Ce créneau est trop proche : il n'est plus réservable en ligne.")
    if start > last:
        raise ValidationFailed.on("starts_at", "Ce créneau est trop lointain pour être réservé en ligne.")


async def book(c: Ctx, motif: Motif, values: dict[str, Any]) -> Rdv:
    checks = Checks()
    start = checks.moment("starts_at", values.get("starts_at"), "Le créneau", c.tz)
    name = checks.text("citizen_name", values.get("citizen_name"), "Votre nom")
    email = checks.email("citizen_email", values.get("citizen_email"), required=True)
    phone = checks.phone("citizen_phone", values.get("citizen_phone"))
    lieu_id = values.get("lieu_id") or None
    checks.done()
    assert start is not None
    start = availability.utc(start)
    check_window(motif, start)
    ids = await agendas.calendars(c)  # before the write lock: a read less while others wait
    async with data.write_transaction():
        member, guichet, lieu, bookings = await _take_free_agenda(c, motif, start, int(lieu_id) if lieu_id else None,
                                                                  name, ids=ids)
        rdv = Rdv(organisation=c.organisation_id, office=c.office_id, motif=motif.id, member=member, guichet=guichet,
                  lieu=lieu, starts_at=start, ends_at=start + timedelta(minutes=motif.duration_minutes),
                  citizen_name=name, citizen_email=email, citizen_phone=phone, online=True,
                  token=secrets.token_urlsafe(24))
        places.assign(rdv, bookings)
        await insert_row(rdv)
        await notices.queue("created", rdv, c.tz, motif)
        await notices.event("created", rdv)
    return rdv


TOKEN_MIN_LENGTH = 24  # tokens are secrets.token_urlsafe(24): 32 characters; an id is never one


async def by_token(organisation_id: int, token: str) -> tuple[Ctx, Rdv, Motif]:
    """The appointment a citizen's link names: by its unguessable token, in the organisation of the URL.
    Links never carry the id (an old `/rdv/31` bookmark finds nothing)."""
    if not token or not TOKEN_MIN_LENGTH <= len(token) <= 64:
        raise NotFound("Ce rendez-vous n'existe pas.")
    rdv = await Rdv.objects().where((Rdv.token == token) & (Rdv.organisation == organisation_id)).first()
    if rdv is None:
        raise NotFound("Ce rendez-vous n'existe pas ou a été supprimé.")
    motif = await Motif.objects().where(Motif.id == rdv.motif).first()
    assert motif is not None
    timezone = await data.office_timezone(rdv.organisation, rdv.office)
    return Ctx(rdv.organisation, rdv.office, timezone), rdv, motif


def _may_change(rdv: Rdv, motif: Motif) -> None:
    if not motif.users_may_change:
        raise Forbidden("Ce rendez-vous ne peut pas être modifié en ligne : contactez la mairie.")
    if rdv.status != "a_venir" or rdv.starts_at <= now():
        raise Conflict("Ce rendez-vous ne peut plus être modifié.")


async def cancel(organisation_id: int, token: str) -> Rdv:
    c, rdv, motif = await by_token(organisation_id, token)
    _may_change(rdv, motif)
    async with data.write_transaction():
        rdv.status = "annule"
        await places.release(c, rdv)
        await rdv.save()
        await notices.queue("cancelled", rdv, c.tz)
        await notices.event("cancelled", rdv)
        await offer_freed_slot(c, motif, rdv)
    return rdv


async def move(organisation_id: int, token: str, starts_at: Any) -> Rdv:
    c, rdv, motif = await by_token(organisation_id, token)
    _may_change(rdv, motif)
    checks = Checks()
    start = checks.moment("starts_at", starts_at, "Le nouveau créneau", c.tz)
    checks.done()
    assert start is not None
    start = availability.utc(start)
    check_window(motif, start)
    async with data.write_transaction():
        freed = Rdv(organisation=rdv.organisation, office=rdv.office, motif=rdv.motif, member=rdv.member,
                    guichet=rdv.guichet, lieu=rdv.lieu, starts_at=rdv.starts_at, ends_at=rdv.ends_at)
        await places.release(c, rdv)
        member, guichet, lieu, bookings = await _take_free_agenda(c, motif, start, rdv.lieu, rdv.citizen_name,
                                                                  exclude=rdv.id)
        rdv.member, rdv.guichet, rdv.lieu = member, guichet, lieu
        places.assign(rdv, bookings)
        rdv.starts_at, rdv.ends_at = start, start + timedelta(minutes=motif.duration_minutes)
        await rdv.save()
        await notices.queue("changed", rdv, c.tz)
        await notices.event("updated", rdv)
        await offer_freed_slot(c, motif, freed)
    return rdv


async def join_waiting_list(organisation_id: int, token: str, wanted: bool) -> Rdv:
    _, rdv, motif = await by_token(organisation_id, token)
    _may_change(rdv, motif)
    async with data.write_transaction():
        rdv.wants_earlier = wanted
        await rdv.save()
    return rdv


async def offer_freed_slot(c: Ctx, motif: Motif, freed: Rdv) -> None:
    """A slot freed up: email the citizens on the waiting list with a later appointment of that motif
    (inside the caller's transaction)."""
    if freed.starts_at <= now():
        return
    waiting = await c.objects(Rdv).where((Rdv.motif == motif.id) & (Rdv.wants_earlier == True)  # noqa: E712
                                         & (Rdv.status == "a_venir") & (Rdv.starts_at > freed.starts_at)
                                         ).order_by(Rdv.starts_at).limit(5)
    for rdv in waiting:
        info = await notices.describe(rdv, c.tz)
        text = (f"Bonjour {rdv.citizen_name},\n\nUn créneau plus tôt s'est libéré pour « {motif.name} » : "
                f"{notices.french_moment(freed.starts_at, c.tz)}.\nVotre rendez-vous actuel : {info['when']}.\n\n"
                f"Pour le déplacer : {info['recap_url']}\n")
        if rdv.citizen_email:
            await enqueue_email(rdv.citizen_email, "Un créneau plus tôt est disponible", text=text,
                                organisation_id=rdv.organisation)


async def send_reminders(moment: datetime | None = None) -> int:
    """Remind (email + SMS) every upcoming appointment starting within 48 hours, once. Returns the count."""
    current = moment or now()
    due = await Rdv.objects().where((Rdv.status == "a_venir") & (Rdv.reminded == False)  # noqa: E712
                                    & (Rdv.starts_at > current) & (Rdv.starts_at <= current + timedelta(hours=48)))
    for rdv in due:
        timezone = await data.office_timezone(rdv.organisation, rdv.office)
        async with data.write_transaction():
            updated = await Rdv.update({Rdv.reminded: True}).where(
                (Rdv.id == rdv.id) & (Rdv.reminded == False)).returning(Rdv.id)  # noqa: E712
            if updated:
                await notices.queue("reminder", rdv, Ctx(rdv.organisation, rdv.office, timezone).tz)
    return len(due)

