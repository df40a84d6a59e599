"""The stock of certifications per type and their assignment to candidates. Consuming is one conditional
UPDATE (`quantity >= n`), so concurrent assignments can never take the stock below zero."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from core.plugin_api import Conflict, FieldError, ValidationFailed
from plugins.certification_robert.services import candidates
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Assignment, Candidate, Stock

# SQLite allows one writing transaction at a time (concurrent ones fail with « database is locked »): this
# process queues its own; across processes on PostgreSQL the conditional UPDATE keeps the stock right.
_WRITE = asyncio.Lock()
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


async def assign(c: Ctx, kind: str, planned_on: Any, candidate_ids: list[Any]) -> list[int]:
    """Assigns a certification to each candidate (all or none): they must exist in this office and have
    finished their required steps ; the stock is consumed first, so a refusal writes nothing."""
    _kind(kind)
    errors = []
    try:
        day = date.fromisoformat(str(planned_on))
    except ValueError:
        day = None
        errors.append(FieldError("planned_on", "Saisissez une date prévisionnelle valide."))
    if day is not None and day < date.today():
        errors.append(FieldError("planned_on", "La date prévisionnelle ne peut pas être passée."))
    if not candidate_ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in candidate_ids):
        errors.append(FieldError("candidate_ids", "Sélectionnez au moins un candidat."))
    if errors:
        raise ValidationFailed("Certaines informations sont invalides.", errors)
    ids = list(dict.fromkeys(candidate_ids))
    rows = await Candidate.select(Candidate.id, Candidate.status).where(
        (Candidate.organisation == c.organisation_id) & (Candidate.office == c.office_id) & Candidate.id.is_in(ids))
    if len(rows) != len(ids):
        from core.plugin_api import NotFound

        raise NotFound("Un des candidats n'existe pas.")
    not_ready = [r["id"] for r in rows if r["status"] != "a_attribuer"]
    if not_ready:
        raise ValidationFailed.on("candidate_ids",
                                  "Seuls les candidats « À attribuer » peuvent recevoir une certification.")
    await _row(c, kind)
    async with _WRITE, Stock._meta.db.transaction():
        await consume(c, kind, len(ids))
        moved = await Candidate.update({Candidate.status: "prevue" if kind == "laposte" else "en_attente",
                                        Candidate.exam_date: day}).where(
            Candidate.id.is_in(ids) & (Candidate.status == "a_attribuer")).returning(Candidate.id)
        if len(moved) != len(ids):  # a concurrent assignment took one of them: roll everything back
            raise Conflict("Un des candidats vient de recevoir une certification.")
        await Assignment.insert(*[Assignment(organisation=c.organisation_id, office=c.office_id, candidate=i,
                                             kind=kind, planned_on=day) for i in ids])
    return ids


__all__ = ["KINDS", "StockExhausted", "candidates"]
