"""« Places attribuées »: the exam places Printel (or any provider with the "capture" capability) allocated to
the school, captured into the office. Idempotent: a lot is known by its numéro (and clé) in the organisation, so
capturing again never duplicates it. A re-capture updates a stored lot that Printel changed (lieu, date, time,
number of places): the élèves' reserved exam files on it follow the new date, time and lieu (calendar entry
moved, and each élève with an email told « Votre examen a été déplacé », old → new, with an ICS REQUEST of the
same UID and a higher SEQUENCE, on the outbox in the capture's transaction; a change of places only tells no
one), and when Printel now gives fewer places than élèves already assigned, every assignment is kept (nothing
deleted silently) and the lot shows a warning (`places_en_trop`) until the school removes élèves. Likewise an
élève whose booking delays (services/delay_rules.py) forbid the lot's date — Printel moved it earlier, or a
result recorded since — stays assigned, with a warning beside their name (`eleves[].avertissement`).

Printel gives a lot's local convocation time (`heure`) when it knows it; a lot without one is at 08:00 (START).

Each lot is an exam session of the school with its N places: the élèves assigned to it are its exam files
(`ExamFile.allocated_place`, services/assignments.py); a cancelled file frees its place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from core.plugin_api import NotFound, data
from plugins.passerelle_examens.providers.base import AllocatedPlace as Found
from plugins.passerelle_examens.services import agenda, notices, providers
from plugins.passerelle_examens.services.common import Ctx
from plugins.passerelle_examens.tables import AllocatedPlace, ExamFile, Student

PROVIDER = "printel"
START = dt.time(8, 0)  # a lot whose time Printel does not give: the convocation is at 8:00 (office's time)


@dataclass(frozen=True, slots=True)
class CaptureResult:
    created: int
    known: int
    updated: int = 0  # among `known`: lots Printel changed since the last capture


def start_of(lot: AllocatedPlace) -> dt.time:
    """The lot's local convocation time: Printel's when it gave one, else 08:00."""
    try:
        return dt.time.fromisoformat(lot.start_time) if lot.start_time else START
    except ValueError:
        return START


def _start_text(place: Found) -> str:
    start = getattr(place, "start", None)
    return start.strftime("%H:%M") if isinstance(start, dt.time) else ""


async def capture(c: Ctx, provider: str = PROVIDER) -> CaptureResult:
    """Fetch the allocated places and store the new ones (ExamProviderError with a French message on failure)."""
    async with providers.opened(c, provider, "capture") as gateway:
        found = await gateway.capture()
    created = updated = 0
    for place in found:
        dedup = f"{c.organisation_id}:{provider}:{place.numero}"[:160]
        rows = await AllocatedPlace.insert(AllocatedPlace(
            organisation=c.organisation_id, office=c.office_id, provider=provider, numero=place.numero[:50],
            cle=place.cle[:50], lieu=place.lieu[:200], day=place.day, places=place.places,
            exam_type=_type(getattr(place, "exam_type", "")), start_time=_start_text(place), dedup=dedup,
        )).on_conflict(target=AllocatedPlace.dedup, action="DO NOTHING").returning(AllocatedPlace.id)
        created += len(rows)
        if not rows:
            updated += await _update(c, dedup, place)
    return CaptureResult(created=created, known=len(found) - created, updated=updated)


async def _update(c: Ctx, dedup: str, place: Found) -> int:
    """Bring the stored lot in line with what Printel gives now (1 when it changed, else 0); its élèves'
    reserved exam files follow a new date, time or lieu. Fewer places than élèves: the files are kept."""
    row = await AllocatedPlace.objects().where(AllocatedPlace.dedup == dedup).first()
    if row is None or row.organisation != c.organisation_id or row.office != c.office_id:
        return 0  # another office of the organisation captured that numéro first: it is theirs
    new = {"lieu": place.lieu[:200], "day": place.day, "places": place.places, "cle": place.cle[:50],
           "start_time": _start_text(place), "exam_type": _type(getattr(place, "exam_type", "")) or row.exam_type}
    if all(getattr(row, k) == v for k, v in new.items()):
        return 0
    moved = (row.day, row.start_time, row.lieu) != (new["day"], new["start_time"], new["lieu"])
    for k, v in new.items():
        setattr(row, k, v)
    await row.save()
    if moved:
        await _move_files(c, row)
    await data.audit(c.actor, "passerelle_examens.places_updated", organisation_id=c.organisation_id,
                     target=f"allocated_place:{row.id}", summary=f"Lot Printel n° {row.numero} mis à jour")
    return 1


async def _move_files(c: Ctx, lot: AllocatedPlace) -> None:
    """The lot's reserved exam files take its new date, time and lieu (and their calendar entries move); each
    élève whose exam moved is emailed (old → new, ICS REQUEST with a higher SEQUENCE)."""
    zone = ZoneInfo(await data.office_timezone(c.organisation_id, c.office_id))
    starts = dt.datetime.combine(lot.day, start_of(lot), tzinfo=zone)
    time = starts.strftime("%H:%M")
    files = await ExamFile.objects().where((ExamFile.organisation == c.organisation_id)
                                           & (ExamFile.allocated_place == lot.id) & (ExamFile.status == "reserve"))
    for f in files:
        before = notices.Before(f.day, f.starts_at.astimezone(zone).strftime("%H:%M"), f.centre_name)
        if before == notices.Before(lot.day, time, lot.lieu):
            continue  # this file already said what the lot says now: nothing moved for the élève
        ends = starts + (f.ends_at - f.starts_at)
        f.day, f.starts_at, f.ends_at, f.centre_name = lot.day, starts, ends, lot.lieu
        f.sequence += 1
        await f.save()
        if f.calendar_booking:
            await agenda.move(c, f.calendar_booking, starts, ends)
        student = await Student.objects().where(Student.id == f.student).first()
        if student is not None:
            await notices.queue("moved", f, student, time, before)


def _type(value: object) -> str:
    return value if value in ("voiture", "moto") else ""  # type: ignore[return-value]


async def capture_all(payload: dict[str, Any]) -> None:
    """Job `passerelle_examens.capture_places` (periodic): capture again for every office that captured once and
    where the module is still active; an office whose provider fails is skipped (logged), the others go on."""
    from core.plugin_api import write_transaction
    from plugins.passerelle_examens.providers.base import ExamProviderError
    from plugins.passerelle_examens.runtime import platform

    rows = await AllocatedPlace.select(AllocatedPlace.organisation, AllocatedPlace.office,
                                       AllocatedPlace.provider).distinct()
    for where in rows:
        c = Ctx(organisation_id=where["organisation"], office_id=where["office"])
        if not await platform().is_active(c.office_id):
            continue
        try:
            async with write_transaction():
                await capture(c, where["provider"])
        except ExamProviderError as error:
            platform().log.warning("places of office %s not captured: %s", c.office_id, error.message)


def _where(c: Ctx) -> Any:
    return (AllocatedPlace.organisation == c.organisation_id) & (AllocatedPlace.office == c.office_id)


async def get(c: Ctx, place_id: int) -> AllocatedPlace:
    """The office's lot (404 for another office's or organisation's)."""
    row = await AllocatedPlace.objects().where(_where(c) & (AllocatedPlace.id == place_id)).first()
    if row is None:
        raise NotFound("Ce lot de places n'existe pas.")
    return row


async def holders(c: Ctx, place_ids: list[int]) -> list[ExamFile]:
    """The exam files holding a place of these lots: every file not cancelled (reserved, or with a result)."""
    if not place_ids:
        return []
    return await ExamFile.objects().where(
        (ExamFile.organisation == c.organisation_id) & ExamFile.allocated_place.is_in(place_ids)
        & (ExamFile.status != "annule")).order_by(ExamFile.id)


async def listing(c: Ctx) -> list[dict[str, Any]]:
    rows = await AllocatedPlace.objects().where(_where(c)).order_by(AllocatedPlace.day).order_by(
        AllocatedPlace.numero)
    return await described(c, rows)


async def described(c: Ctx, lots: list[AllocatedPlace]) -> list[dict[str, Any]]:
    """The lots as `out` gives them, with their élèves and the delay warnings of their reserved files."""
    files = await holders(c, [r.id for r in lots])
    ids = list({f.student for f in files})
    people = {s.id: s for s in await Student.objects().where(Student.id.is_in(ids))} if ids else {}
    warnings = await _delay_warnings(c, [f for f in files if f.status == "reserve"], people)
    return [out(r, [f for f in files if f.allocated_place == r.id], people, warnings) for r in lots]


async def _delay_warnings(c: Ctx, files: list[ExamFile], people: dict[int, Student]) -> dict[int, str]:
    """{exam file id: why its élève may not sit the exam on the file's day} for the files the booking delays
    now forbid (checked when assigned, but Printel may move a lot earlier)."""
    from plugins.passerelle_examens.services import bookings  # bookings builds on this module

    found = {}
    for f in files:
        student = people.get(f.student)
        if student is None:
            continue
        verdict = await bookings.delays(c, student, f.day)
        if not verdict.allowed:
            found[f.id] = (f"ne peut pas passer l'examen le {f.day.strftime('%d/%m/%Y')} ({verdict.reason}) : "
                           "retirez l'élève du lot ou vérifiez auprès de Printel")
    return found


def out(row: AllocatedPlace, files: list[ExamFile] | None = None, people: dict[int, Student] | None = None,
        warnings: dict[int, str] | None = None) -> dict[str, Any]:
    """The lot, with its places assigned and free and the élèves assigned (name, NEPH, delay warning)."""
    files, people, warnings = files or [], people or {}, warnings or {}
    eleves = []
    for f in files:
        person = people.get(f.student)
        eleves.append({"exam_id": f.id, "eleve_id": f.student, "nom": person.last_name if person else "",
                       "prenoms": person.first_names if person else "", "neph": person.neph if person else "",
                       "statut": f.status, "avertissement": warnings.get(f.id, "")})
    return {"id": row.id, "numero": row.numero, "cle": row.cle, "lieu": row.lieu, "date": row.day.isoformat(),
            "nombre_places": row.places, "type": row.exam_type, "fournisseur": row.provider,
            "heure": start_of(row).strftime("%H:%M"), "capture_le": row.captured_at.isoformat(),
            "places_attribuees": len(files), "places_libres": max(0, row.places - len(files)),
            "places_en_trop": max(0, len(files) - row.places), "avertissement": warning(row.places, len(files)),
            "eleves": eleves}


def warning(places: int, assigned: int) -> str:
    """The French warning of a lot Printel reduced below the élèves already assigned ("" when none)."""
    if assigned <= places:
        return ""
    return (f"Printel n'attribue plus que {places} place(s) à ce lot, mais {assigned} élève(s) y sont inscrits : "
            f"retirez {assigned - places} élève(s) ou vérifiez auprès de Printel. Aucun dossier d'examen n'a été "
            "supprimé.")


def assigned_neph(row: ExamFile) -> str:
    """The NEPH Printel holds the place for (recorded at assignment: the élève's NEPH may be corrected since)."""
    return row.slot_id.rsplit(":", 1)[-1]


async def release(c: Ctx, row: ExamFile) -> None:
    """Give a Printel file's place back to the provider (ExamProviderError on failure); a lot no longer
    stored has nothing to release."""
    lot = await AllocatedPlace.objects().where(
        (AllocatedPlace.organisation == c.organisation_id) & (AllocatedPlace.id == row.allocated_place)).first()
    if lot is None:
        return
    async with providers.opened(c, lot.provider, "assign") as gateway:
        await gateway.release(lot.numero, lot.cle, assigned_neph(row))


def summary(result: CaptureResult) -> str:
    updated = f" {result.updated} lot(s) mis à jour (modifiés par Printel)." if result.updated else ""
    if result.created == 0:
        if result.updated:
            return f"Aucune nouvelle place.{updated}"
        return "Aucune nouvelle place : les places attribuées sont déjà toutes enregistrées."
    known = f" ({result.known} déjà enregistrée(s))" if result.known else ""
    return f"{result.created} lot(s) de places enregistré(s){known}.{updated}"
