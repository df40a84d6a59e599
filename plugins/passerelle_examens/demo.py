"""Demo data of « Passerelle Examens » (the `load_demo` hook; « Auto-école des Tilleuls » in `socle demo`):
favourite centres, élèves of several categories, a past exam history that the delay rules read, and exams
booked — against the RdvPermis simulator when it answers at the office's address (`socle plugins run
passerelle_examens simulateur`), otherwise recorded as data only (reference « DEMO-… »). A booked élève has
given a confirmed mandate first: asked on RdvPermis and accepted through the simulator's link as the student
would (offline: recorded as data, « DEMO-M… »)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from core.plugin_api import Platform, SocleError, data
from plugins.passerelle_examens.providers.base import ExamProviderError, Mandate, Slot
from plugins.passerelle_examens.services import bookings, mandates, sessions, students
from plugins.passerelle_examens.services.common import Ctx
from plugins.passerelle_examens.simulators.rdvpermis import State, answer_link, centres_of, week_slots
from plugins.passerelle_examens.tables import ExamFile, FavouriteCentre

log = logging.getLogger(__name__)

ELEVES = [
    ("madame", "Durand", "Léa", "2005-03-14", "lea.durand@tilleuls.example", "0612345678", "B"),
    ("monsieur", "Nguyen", "Hugo", "2004-11-02", "hugo.nguyen@tilleuls.example", "", "B"),
    ("madame", "Benali", "Sarah", "2003-07-21", "", "0678123456", "B78"),
    ("monsieur", "Lefèvre", "Tom", "2006-01-30", "", "", "B"),
    ("madame", "Rossi", "Giulia", "2001-05-09", "", "", "A2"),
    ("monsieur", "Martin", "Lucas", "2007-09-12", "", "", "A1"),
]
FAVOURITES = [("69", "voiture", 0), ("69", "voiture", 1), ("69", "moto", 0)]


def _neph(index: int, organisation_id: int) -> str:
    return f"{organisation_id % 1000:03d}{index + 1:09d}"


async def load(platform: Platform, organisation_id: int, office_id: int) -> None:
    c = Ctx(organisation_id, office_id, None)  # written by the demo loader, not by a member
    for departement, exam_type, index in FAVOURITES:
        centre = centres_of(departement, exam_type)[index]
        await FavouriteCentre(organisation=organisation_id, office=office_id, centre_id=centre["id"],
                              name=centre["name"], departement=departement, exam_type=exam_type,
                              city=centre["city"]).save()
    made = []
    for i, (civility, last, first, birth, email, phone, category) in enumerate(ELEVES):
        try:
            made.append(await students.create(c, {
                "civilite": civility, "nom": last, "prenoms": first, "date_naissance": birth, "courriel": email,
                "telephone": phone, "neph": _neph(i, organisation_id), "categorie": category}))
        except SocleError:  # loaded twice in one organisation: the NEPH is taken, keep the first
            continue
    if len(made) < len(ELEVES):
        return
    today = dt.date.today()
    await _past(c, made[3], centres_of("69", "voiture")[0], today - dt.timedelta(days=12), "absent")
    await _past(c, made[1], centres_of("69", "voiture")[1], today - dt.timedelta(days=5), "echec", 23)
    monday = sessions.monday_of(today + dt.timedelta(days=14))
    for student, (departement, exam_type, index) in ((made[0], FAVOURITES[0]), (made[4], FAVOURITES[2])):
        centre = centres_of(departement, exam_type)[index]
        slot = _first_slot(centre["id"], monday)
        try:
            await _confirmed_mandate(c, student)
            await bookings.book(c, student.id, centre["id"], slot.slot_id, slot.day.isoformat())
        except (SocleError, ExamProviderError) as error:  # no simulator answering: the exam as data only
            log.info("démo passerelle_examens : %s, examen enregistré sans fournisseur", error)
            async with data.write_transaction():
                await mandates._store(c, student.id, mandates.PROVIDER, Mandate(
                    neph=student.neph, state="confirmed", mandate_id=f"DEMO-M{student.id:04d}"), asked=True)
            await bookings._record(c, student, {"nom": centre["name"], "type": exam_type}, slot,
                                   f"demo-{organisation_id}-{student.id}-{slot.slot_id}",
                                   f"DEMO-{student.id:04d}", "rdvpermis")
    await _printel_lot(platform, c, made[2])


async def _confirmed_mandate(c: Ctx, student: Any) -> None:
    """« Demander le mandat », then the élève accepts it through the simulator's link (as they would from
    the email), then the school reads it back (the callback may not reach a demo server)."""
    row, _ = await mandates.request(c, student.id)
    if row.state == "requested" and row.confirm_url:
        try:
            await answer_link(row.confirm_url, "accepter")
        except (httpx.HTTPError, ValueError) as error:  # a real RdvPermis: the élève answers themselves
            raise ExamProviderError(f"mandat non confirmé ({error})") from error
    await mandates.sync(c, student.id)


def _first_slot(centre_id: str, monday: dt.date) -> Slot:
    row = week_slots(centre_id, monday, State())[0]
    return Slot(centre_id=centre_id, day=dt.date.fromisoformat(row["day"]), inspector=row["inspector"],
                free_places=row["free_places"], slot_id=row["slot_id"], start=dt.time.fromisoformat(row["start"]))


async def _past(c: Ctx, student: Any, centre: dict[str, str], day: dt.date, status: str,
                points: int | None = None) -> None:
    """A past exam of the élève's history (no calendar entry, no email)."""
    zone = ZoneInfo(await data.office_timezone(c.organisation_id, c.office_id))
    starts = dt.datetime.combine(day, dt.time(9, 0), tzinfo=zone)
    await ExamFile(organisation=c.organisation_id, office=c.office_id, student=student.id, provider="rdvpermis",
                   provider_ref=f"DEMO-P{student.id:04d}", slot_id=f"{centre['id']}_{day.isoformat()}_0",
                   idempotency_key=f"demo-past-{c.organisation_id}-{student.id}-{day.isoformat()}",
                   centre_id=centre["id"], centre_name=centre["name"], exam_type=centre["exam_type"],
                   category=student.category, inspector="Mme Bernard", day=day, starts_at=starts,
                   ends_at=starts + dt.timedelta(hours=1), status=status, points=points,
                   token=secrets.token_urlsafe(18)).save()


async def _printel_lot(platform: Platform, c: Ctx, student: Any) -> None:
    """One captured Printel lot with one élève assigned, as data (reference « DEMO-PA… », Printel not called):
    the first lot Printel's simulator allocates to the office's login, so a later capture knows it."""
    from plugins.passerelle_examens.services import assignments
    from plugins.passerelle_examens.simulators.printel import allocated_places
    from plugins.passerelle_examens.tables import AllocatedPlace

    first = allocated_places((await platform.office_settings(c.organisation_id, c.office_id)).printel_login)[0]
    lot = AllocatedPlace(organisation=c.organisation_id, office=c.office_id, provider="printel",
                         numero=first["numero"], cle=first["cle"], lieu=first["lieu"],
                         day=dt.date.fromisoformat(first["date"]), places=first["nombre_places"],
                         exam_type=first.get("type", ""), dedup=f"{c.organisation_id}:printel:{first['numero']}")
    await lot.save()
    await assignments.record(c, lot, student, f"demo-printel-{c.organisation_id}-{lot.id}-{student.id}",
                             f"DEMO-PA{student.id:04d}")
