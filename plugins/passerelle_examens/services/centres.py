"""Exam centres: search the office's provider by département and exam type; favourites kept per office."""

from __future__ import annotations

from typing import Any

from core.plugin_api import FieldError, NotFound, ValidationFailed
from plugins.passerelle_examens.providers.base import Centre, ExamProviderError
from plugins.passerelle_examens.services import providers
from plugins.passerelle_examens.services.common import Ctx
from plugins.passerelle_examens.simulators.rdvpermis import DEPARTEMENTS
from plugins.passerelle_examens.tables import FavouriteCentre

EXAM_TYPES = {"voiture": "Voiture", "moto": "Moto"}


def check_search(departement: str, exam_type: str) -> tuple[str, str]:
    errors = []
    if departement not in DEPARTEMENTS:
        errors.append(FieldError("departement", "Choisissez un département dans la liste."))
    if exam_type not in EXAM_TYPES:
        errors.append(FieldError("type", "Choisissez le type d'examen : Voiture ou Moto."))
    if errors:
        raise ValidationFailed("La recherche est incomplète.", errors)
    return departement, exam_type


async def search(c: Ctx, departement: str, exam_type: str, provider: str = "rdvpermis") -> list[Centre]:
    """The centres of the office's provider `provider` (any registered through `register_exam_providers` with
    the "centres" capability); ExamProviderError (French message) when it fails."""
    departement, exam_type = check_search(departement, exam_type)
    async with providers.opened(c, provider, "centres") as gateway:
        return await gateway.search_centres(departement, exam_type)  # type: ignore[arg-type]


async def find(c: Ctx, centre_id: str, departement: str, exam_type: str) -> Centre:
    for centre in await search(c, departement, exam_type):
        if centre.id == centre_id:
            return centre
    raise NotFound("Ce centre d'examen n'existe pas chez le fournisseur.")


async def add_favourite(c: Ctx, centre_id: str, departement: str, exam_type: str) -> dict:
    """Adds the centre (checked against RdvPermis, where sessions are booked) once; adding it again keeps the
    existing one."""
    centre = await find(c, centre_id, departement, exam_type)
    existing = await FavouriteCentre.objects().where(
        (FavouriteCentre.organisation == c.organisation_id) & (FavouriteCentre.office == c.office_id)
        & (FavouriteCentre.centre_id == centre.id)).first()
    if existing:
        return out(existing)
    row = FavouriteCentre(organisation=c.organisation_id, office=c.office_id, centre_id=centre.id,
                          name=centre.name, departement=centre.departement, exam_type=centre.exam_type,
                          city=centre.city)
    await row.save()
    return out(row)


async def favourites(c: Ctx) -> list[dict[str, Any]]:
    rows = await FavouriteCentre.objects().where(
        (FavouriteCentre.organisation == c.organisation_id) & (FavouriteCentre.office == c.office_id)).order_by(
        FavouriteCentre.departement).order_by(FavouriteCentre.name)
    return [out(r) for r in rows]


async def remove_favourite(c: Ctx, favourite_id: int) -> None:
    where = ((FavouriteCentre.id == favourite_id) & (FavouriteCentre.organisation == c.organisation_id)
             & (FavouriteCentre.office == c.office_id))
    if not await FavouriteCentre.exists().where(where):
        raise NotFound("Ce centre favori n'existe pas.")
    await FavouriteCentre.delete().where(where)


def out(row: FavouriteCentre) -> dict[str, Any]:
    return {"id": row.id, "centre_id": row.centre_id, "nom": row.name, "departement": row.departement,
            "type": row.exam_type, "type_libelle": EXAM_TYPES.get(row.exam_type, row.exam_type), "ville": row.city}


def centre_out(centre: Centre) -> dict[str, Any]:
    return {"centre_id": centre.id, "nom": centre.name, "departement": centre.departement,
            "type": centre.exam_type, "type_libelle": EXAM_TYPES.get(centre.exam_type, centre.exam_type),
            "ville": centre.city}


__all__ = ["EXAM_TYPES", "ExamProviderError", "add_favourite", "favourites", "remove_favourite", "search"]
