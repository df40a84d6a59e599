"""The stock of certifications per type and their assignment to candidates. Consuming is one conditional
UPDATE (`quantity >= n`), so concurrent assignments can never take the stock below zero."""

from __future__ import annotations

import asyncio
import weakref
from datetime import date, time
from email.utils import parseaddr
from typing import Any

from core.plugin_api import Conflict, FieldError, NotFound, ValidationFailed, data
from plugins.certification_robert.services import candidates, codes, convocation
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Assignment, Candidate, Session, Stock

# SQLite allows one writing transaction at a time (concurrent ones fail with « database is locked »): this
# process queues its own; across processes on PostgreSQL the conditional UPDATE keeps the stock right.
_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def write_lock() -> asyncio.Lock:
    """The queue of this process's stock writes (also taken by orders), one per event loop: an asyncio lock
    belongs to the loop it first waited in, and tests or scripts may run several loops in turn."""
    loop = asyncio.get_running_loop()
    lock = _LOCKS.get(loop)
    if lock is None:
        lock = _LOCKS[loop] = asyncio.Lock()
    return lock

KINDS = {"centre": "Partenaire / centre agréé", "laposte": "Partenaire / La Poste"}


class StockExhausted(Conflict):
    default_message = "Le stock de certifications est insuffisant."


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationFailed.on("kind", "Choisissez un type de certification.")
    return kind


async def _row(c: Ctx, kind: str) -> Stock:
    where = (Stock.organisation == c.organisation_id) & (Stock.office == c.office_id) & (Stock.kind == kind)
    row = await Stock.objects().where(where).first()
    if row is None:
        row = Stock(organisation=c.organisation_id, office=c.office_id, kind=kind, quantity=0)
        await row.save()
    return row


async def levels(c: Ctx) -> dict[str, int]:
    return {kind: (await _row(c, kind)).quantity for kind in KINDS}


async def add(c: Ctx, kind: str, quantity: int) -> None:
    row = await _row(c, _kind(kind))
    await Stock.update({Stock.quantity: Stock.quantity + quantity}).where(Stock.id == row.id)


async def consume(c: Ctx, kind: str, quantity: int) -> None:
    """Takes `quantity` units or none (StockExhausted, 409)."""
    row = await _row(c, _kind(kind))
    taken = await Stock.update({Stock.quantity: Stock.quantity - quantity}).where(
        (Stock.id == row.id) & (Stock.quantity >= quantity)).returning(Stock.id)
    if not taken:
        raise StockExhausted(f"Le stock « {KINDS[kind]} » est insuffisant pour {quantity} candidat(s).")


def _planning(kind: str, planned_on: Any, candidate_ids: list[Any], starts_at: Any,
              address: Any) -> tuple[date, time | None, str]:
    """The checked date, and for La Poste the time and the centre's address (ValidationFailed naming each
    refused field)."""
    errors = []
    day = at = None
    try:
        day = date.fromisoformat(str(planned_on))
    except ValueError:
        errors.append(FieldError("planned_on", "Saisissez une date prévisionnelle valide."))
    if day is not None and day < date.today():
        errors.append(FieldError("planned_on", "La date prévisionnelle ne peut pas être passée."))
    if not candidate_ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in candidate_ids):
        errors.append(FieldError("candidate_ids", "Sélectionnez au moins un candidat."))
    place = str(address or "").strip() if kind == "laposte" else ""
    if kind == "laposte":
        try:
            at = time.fromisoformat(str(starts_at or ""))
        except ValueError:
            errors.append(FieldError("starts_at", "Saisissez l'heure de l'examen (HH:MM)."))
        if not place or len(place) > 300:
            errors.append(FieldError("address", "Saisissez l'adresse du centre d'examen (300 caractères au plus)."))
    if errors:
        raise ValidationFailed("Certaines informations sont invalides.", errors)
    return day, at, place  # type: ignore[return-value]


def _sender() -> str:
    """The platform's sending address: the invitation's organizer when the organisation has no email."""
    from plugins.certification_robert import runtime

    try:
        return parseaddr(runtime.platform().settings.smtp.sender)[1]
    except IndexError:  # no platform (scripts)
        return "ne-pas-repondre@socle.localhost"


async def assign(c: Ctx, kind: str, planned_on: Any, candidate_ids: list[Any], starts_at: Any = None,
                 address: Any = None) -> tuple[int, list[int]]:
    """Assigns a certification to each candidate (all or none) as one session: they must exist in this office
    and have finished their required steps; the stock is consumed first, so a refusal writes nothing. A
    supervised (centre) assignment gets an activation code; a La Poste one sends the convocation (same
    transaction). Returns (session id, candidate ids)."""
    _kind(kind)
    day, at, place = _planning(kind, planned_on, candidate_ids, starts_at, address)
    ids = list(dict.fromkeys(candidate_ids))
    rows = await Candidate.select(Candidate.id, Candidate.status, Candidate.email, Candidate.first_name,
                                  Candidate.last_name, Candidate.organisation).where(
        (Candidate.organisation == c.organisation_id) & (Candidate.office == c.office_id) & Candidate.id.is_in(ids))
    if len(rows) != len(ids):
        raise NotFound("Un des candidats n'existe pas.")
    if any(r["status"] != "a_attribuer" for r in rows):
        raise ValidationFailed.on("candidate_ids",
                                  "Seuls les candidats « À attribuer » peuvent recevoir une certification.")
    organisation = await data.organisation(c.organisation_id) if kind == "laposte" else None
    await _row(c, kind)
    async with write_lock(), Stock._meta.db.transaction():
        await consume(c, kind, len(ids))
        moved = await Candidate.update({Candidate.status: "prevue" if kind == "laposte" else "en_attente",
                                        Candidate.exam_date: day}).where(
            Candidate.id.is_in(ids) & (Candidate.status == "a_attribuer")).returning(Candidate.id)
        if len(moved) != len(ids):  # a concurrent assignment took one of them: roll everything back
            raise Conflict("Un des candidats vient de recevoir une certification.")
        session = Session(organisation=c.organisation_id, office=c.office_id, kind=kind, planned_on=day,
                          starts_at=f"{at:%H:%M}" if at else "", address=place)
        await session.save()
        drawn = codes.activation_codes(len(ids)) if kind == "centre" else [None] * len(ids)
        await Assignment.insert(*[Assignment(organisation=c.organisation_id, office=c.office_id, candidate=i,
                                             kind=kind, planned_on=day, session=session.id, code=code)
                                  for i, code in zip(ids, drawn, strict=True)])
        if organisation is not None and at is not None:
            await convocation.queue(rows, day, at, place, organisation, _sender())
    return session.id, ids


__all__ = ["KINDS", "StockExhausted", "candidates"]
