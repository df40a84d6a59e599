"""« Places attribuées »: the exam places Printel (or any provider with the "capture" capability) allocated to
the school, captured into the office. Idempotent: a lot is known by its numéro (and clé) in the organisation, so
capturing again never duplicates it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plugins.passerelle_examens.services import providers
from plugins.passerelle_examens.services.common import Ctx
from plugins.passerelle_examens.tables import AllocatedPlace

PROVIDER = "printel"


@dataclass(frozen=True, slots=True)
class CaptureResult:
    created: int
    known: int


async def capture(c: Ctx, provider: str = PROVIDER) -> CaptureResult:
    """Fetch the allocated places and store the new ones (ExamProviderError with a French message on failure)."""
    async with providers.opened(c, provider, "capture") as gateway:
        found = await gateway.capture()
    created = 0
    for place in found:
        rows = await AllocatedPlace.insert(AllocatedPlace(
            organisation=c.organisation_id, office=c.office_id, provider=provider, numero=place.numero[:50],
            cle=place.cle[:50], lieu=place.lieu[:200], day=place.day, places=place.places,
            dedup=f"{c.organisation_id}:{provider}:{place.numero}"[:160],
        )).on_conflict(target=AllocatedPlace.dedup, action="DO NOTHING").returning(AllocatedPlace.id)
        created += len(rows)
    return CaptureResult(created=created, known=len(found) - created)


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


async def listing(c: Ctx) -> list[dict[str, Any]]:
    rows = await AllocatedPlace.objects().where(
        (AllocatedPlace.organisation == c.organisation_id) & (AllocatedPlace.office == c.office_id)).order_by(
        AllocatedPlace.day).order_by(AllocatedPlace.numero)
    return [out(r) for r in rows]


def out(row: AllocatedPlace) -> dict[str, Any]:
    return {"id": row.id, "numero": row.numero, "cle": row.cle, "lieu": row.lieu, "date": row.day.isoformat(),
            "nombre_places": row.places, "fournisseur": row.provider, "capture_le": row.captured_at.isoformat()}


def summary(result: CaptureResult) -> str:
    if result.created == 0:
        return "Aucune nouvelle place : les places attribuées sont déjà toutes enregistrées."
    known = f" ({result.known} déjà enregistrée(s))" if result.known else ""
    return f"{result.created} lot(s) de places enregistré(s){known}."
