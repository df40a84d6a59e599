"""Agréments of a training centre (seed 003 prerequisites): added by an admin of the office, read by the
controls. Validation raises `ValidationFailed` with one French message per field; nothing is half-written."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin_api import FieldError, ValidationFailed
from plugins.formation_cqc.services.controls import parse_date
from plugins.formation_cqc.services.rules import TRAINING_LABELS, Agrement, Sector, TrainingType
from plugins.formation_cqc.tables import AgrementRow

SECTOR_LABELS = {Sector.marchandises: "Marchandises", Sector.voyageurs: "Voyageurs"}


def parse(data: dict[str, Any]) -> Agrement:
    errors: list[FieldError] = []
    training = sector = None
    try:
        training = TrainingType(str(data.get("training", "")))
    except ValueError:
        errors.append(FieldError("training", "Choisissez le type de formation."))
    try:
        sector = Sector(str(data.get("sector", "")))
    except ValueError:
        errors.append(FieldError("sector", "Choisissez le secteur (marchandises ou voyageurs)."))
    number = " ".join(str(data.get("number", "")).split())
    if not number or len(number) > 60:
        errors.append(FieldError("number", "Indiquez le numéro d'agrément (60 caractères au plus)."))
    days: dict[str, date | None] = {}
    for name, label in (("valid_from", "de début"), ("valid_to", "de fin")):
        days[name] = parse_date(str(data.get(name, "")))
        if days[name] is None:
            errors.append(FieldError(name, f"Indiquez la date {label} de validité (JJ/MM/AAAA)."))
    start, end = days["valid_from"], days["valid_to"]
    if start and end and end < start:
        errors.append(FieldError("valid_to", "La fin de validité doit suivre son début."))
    if errors or training is None or sector is None or start is None or end is None:
        raise ValidationFailed("Certaines informations de l'agrément sont invalides.", errors)
    return Agrement(training, sector, number, start, end)


async def add(organisation_id: int, office_id: int, data: dict[str, Any]) -> Agrement:
    agrement = parse(data)
    await AgrementRow.insert(
        AgrementRow(organisation=organisation_id, office=office_id, training=agrement.training.value,
                    sector=agrement.sector.value, number=agrement.number, valid_from=agrement.valid_from,
                    valid_to=agrement.valid_to)
    ).run()
    return agrement


async def of_office(office_id: int) -> list[Agrement]:
    rows = await AgrementRow.select().where(AgrementRow.office == office_id).order_by(AgrementRow.valid_from)
    return [Agrement(TrainingType(r["training"]), Sector(r["sector"]), r["number"], r["valid_from"], r["valid_to"])
            for r in rows]


def labels() -> dict[str, dict[str, str]]:
    return {"training": {t.value: label for t, label in TRAINING_LABELS.items()},
            "sector": {s.value: label for s, label in SECTOR_LABELS.items()}}
