"""Demo data of « Passerelle Examens » (the `load_demo` hook; « Auto-école des Tilleuls » in `socle demo`):
favourite centres, élèves of several categories, a past exam history that the delay rules read, mandates in
each state (confirmed, requested, refused, revoked), exams booked and Printel's allocated places captured.

`make run` starts the RdvPermis and Printel simulators first (`socle sim tous`, the office's default addresses),
so all of it goes through the real providers: the mandates are asked on RdvPermis and answered through the
simulator's link as the student would, the exams are real bookings (their reference is RdvPermis' own) and the
places are captured from Printel. When a simulator does not answer, the same demo is recorded as data only
(references « DEMO-… », places not captured)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from core.plugin_api import Conflict, Platform, SocleError, data
from plugins.passerelle_examens.providers.base import ExamProviderError, Mandate, Slot
from plugins.passerelle_examens.services import assignments, bookings, mandates, places, sessions, students
from plugins.passerelle_examens.services.common import Ctx
from plugins.passerelle_examens.simulators.printel import allocated_places
from plugins.passerelle_examens.simulators.rdvpermis import State, answer_link, centres_of, week_slots
from plugins.passerelle_examens.tables import AllocatedPlace, ExamFile, FavouriteCentre

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
#: élève (index in ELEVES) → the mandate state the demo leaves them in; 0 and 4 are then booked
MANDATES = {0: "confirmed", 4: "confirmed", 1: "requested", 2: "refused", 3: "revoked"}
BOOKED = ((0, FAVOURITES[0]), (4, FAVOURITES[2]))


def _neph(index: int, organisation_id: int) -> str:
    return f"{organisation_id % 1000:03d}{index + 1:09d}"


async def load(platform: Platform, organisation_id: int, office_id: int) -> None:
    c = Ctx(organisation_id, office_id, None)  # written by the demo loader, not by a member
    await _favourites(c)
    made = await _eleves(c)
    if len(made) < len(ELEVES):  # loaded twice in one organisation: keep the first
        return
    await _history(c, made)
    for index, state in MANDATES.items():
        await _mandate(c, made[index], state)
    for index, favourite in BOOKED:
        await _booking(c, made[index], favourite)
    await _places(platform, c, made[2])


async def _favourites(c: Ctx) -> None:
    for departement, exam_type, index in FAVOURITES:
        centre = centres_of(departement, exam_type)[index]
        await FavouriteCentre(organisation=c.organisation_id, office=c.office_id, centre_id=centre["id"],
                              name=centre["name"], departement=departement, exam_type=exam_type,
                              city=centre["city"]).save()


async def _eleves(c: Ctx) -> list[Any]:
    made = []
    for i, (civility, last, first, birth, email, phone, category) in enumerate(ELEVES):
        try:
            made.append(await students.create(c, {
                "civilite": civility, "nom": last, "prenoms": first, "date_naissance": birth, "courriel": email,
                "telephone": phone, "neph": _neph(i, c.organisation_id), "categorie": category}))
        except SocleError:  # the NEPH is taken in this organisation
            continue
    return made


async def _history(c: Ctx, made: list[Any]) -> None:
    """Tom missed an exam (greyed 40 days), Hugo failed one at 23 points (greyed 10 days)."""
    today = dt.date.today()
    await _past(c, made[3], centres_of("69", "voiture")[0], today - dt.timedelta(days=12), "absent")
    await _past(c, made[1], centres_of("69", "voiture")[1], today - dt.timedelta(days=5), "echec", 23)


async def _mandate(c: Ctx, student: Any, state: str) -> None:
    """Leave the élève's RdvPermis mandate in `state`, through the provider as the school and the student
    would; recorded as data only (« DEMO-M… ») when RdvPermis does not answer."""
    try:
        if state in ("confirmed", "revoked"):
            await _confirmed_mandate(c, student)
            if state == "revoked":
                await mandates.revoke(c, student.id)
        else:
            row, _ = await mandates.request(c, student.id)
            if state == "refused" and row.state == "requested" and row.confirm_url:
                await answer_link(row.confirm_url, "refuser")
                await mandates.sync(c, student.id)
    except (SocleError, ExamProviderError, httpx.HTTPError) as error:
        log.info("démo passerelle_examens : %s, mandat enregistré sans fournisseur", error)
        async with data.write_transaction():
            await mandates._store(c, student.id, mandates.PROVIDER, Mandate(
                neph=student.neph, state=state, mandate_id=f"DEMO-M{student.id:04d}"), asked=True)  # type: ignore[arg-type]


async def _booking(c: Ctx, student: Any, favourite: tuple[str, str, int]) -> None:
    """Book the first free session in two weeks at the favourite centre; data only when RdvPermis does not
    answer (or the élève's mandate could not be confirmed there)."""
    departement, exam_type, index = favourite
    centre = centres_of(departement, exam_type)[index]
    slots = _slots(centre["id"], sessions.monday_of(dt.date.today() + dt.timedelta(days=14)))
    if await mandates.mandate_status(c, student.id) == "confirmed" and not (await mandates.current(
            c, student.id)).mandate_id.startswith("DEMO-"):  # type: ignore[union-attr]
        for slot in slots:
            try:
                await bookings.book(c, student.id, centre["id"], slot.slot_id, slot.day.isoformat())
                return
            except Conflict:  # full on the simulator (kept from an earlier demo): the next session
                continue
            except (SocleError, ExamProviderError) as error:
                log.info("démo passerelle_examens : %s, examen enregistré sans fournisseur", error)
                break
    slot = slots[0]
    await bookings._record(c, student, {"nom": centre["name"], "type": exam_type}, slot,
                           f"demo-{c.organisation_id}-{student.id}-{slot.slot_id}", f"DEMO-{student.id:04d}",
                           "rdvpermis")


async def _places(platform: Platform, c: Ctx, student: Any) -> None:
    """« Capturer maintenant » on Printel: the places it allocated to the school become the office's lots, and
    the élève gets a place on the first one; when Printel does not answer, one lot with the élève as data."""
    try:
        async with data.write_transaction():
            result = await places.capture(c)
        log.info("démo passerelle_examens : %s", places.summary(result))
        first = (await places.listing(c))[0]
        await assignments.assign(c, first["id"], student.id)
    except (SocleError, ExamProviderError) as error:
        log.info("démo passerelle_examens : places Printel non capturées (%s), un lot enregistré sans fournisseur",
                 error)
        if not await places.listing(c):
            await _printel_lot(platform, c, student)


async def _printel_lot(platform: Platform, c: Ctx, student: Any) -> None:
    """One captured Printel lot with one élève assigned, as data (reference « DEMO-PA… », Printel not called):
    the first lot Printel's simulator allocates to the office's login, so a later capture knows it."""
    first = allocated_places((await platform.office_settings(c.organisation_id, c.office_id)).printel_login)[0]
    lot = AllocatedPlace(organisation=c.organisation_id, office=c.office_id, provider="printel",
                         numero=first["numero"], cle=first["cle"], lieu=first["lieu"],
                         day=dt.date.fromisoformat(first["date"]), places=first["nombre_places"],
                         exam_type=first.get("type", ""), start_time=first.get("heure", ""),
                         dedup=f"{c.organisation_id}:printel:{first['numero']}")
    await lot.save()
    await assignments.record(c, lot, student, f"demo-printel-{c.organisation_id}-{lot.id}-{student.id}",
                             f"DEMO-PA{student.id:04d}")


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


def _slots(centre_id: str, monday: dt.date) -> list[Slot]:
    """The centre's sessions of that week as the simulator offers them when nothing is booked."""
    return [Slot(centre_id=centre_id, day=dt.date.fromisoformat(row["day"]), inspector=row["inspector"],
                 free_places=row["free_places"], slot_id=row["slot_id"], start=dt.time.fromisoformat(row["start"]))
            for row in week_slots(centre_id, monday, State())]


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
