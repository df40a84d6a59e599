"""Élèves of the office: civility, names, birth date, contact, NEPH (12 digits, unique in the organisation)
and the licence category. Every rule and French message is here; routes only pass values through."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core.plugin_api import FieldError, NotFound, ValidationFailed, data
from plugins.passerelle_examens.services.common import Ctx
from plugins.passerelle_examens.tables import Student

CIVILITIES = {"madame": "Madame", "monsieur": "Monsieur"}
CATEGORIES = {"B": "B (voiture)", "B78": "B78 (boîte automatique)", "A1": "A1 (moto légère)",
              "A2": "A2 (moto)", "AM": "AM (cyclomoteur)"}
LABELS = {"civilite": "Civilité", "nom": "Nom", "prenoms": "Prénoms", "date_naissance": "Date de naissance",
          "courriel": "Courriel", "telephone": "Téléphone", "neph": "NEPH", "categorie": "Catégorie",
          "date_code": "Date d'obtention du code"}
FIELDS = tuple(LABELS)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 .]{10,20}$")


def normalise_neph(value: str) -> str:
    return re.sub(r"\s+", "", value)


def check(values: dict[str, Any]) -> dict[str, Any]:
    """The cleaned values, or ValidationFailed listing every wrong field with its French message."""
    v = {name: str(values.get(name) or "").strip() for name in FIELDS}
    errors: list[FieldError] = []

    def bad(field: str, message: str) -> None:
        errors.append(FieldError(field, message))

    if v["civilite"] not in CIVILITIES:
        bad("civilite", "Choisissez la civilité.")
    for name, limit in (("nom", 100), ("prenoms", 200)):
        if not v[name]:
            bad(name, f"Le champ « {LABELS[name]} » est obligatoire.")
        elif len(v[name]) > limit:
            bad(name, f"Le champ « {LABELS[name]} » ne doit pas dépasser {limit} caractères.")
    birth: dt.date | None = None
    try:
        birth = dt.date.fromisoformat(v["date_naissance"])
    except ValueError:
        bad("date_naissance", "Indiquez la date de naissance (jj/mm/aaaa).")
    if birth and not dt.date(1900, 1, 1) <= birth <= dt.date.today() - dt.timedelta(days=14 * 365):
        bad("date_naissance", "La date de naissance n'est pas plausible pour un élève (14 ans au moins).")
    if v["courriel"] and (len(v["courriel"]) > 254 or not EMAIL.match(v["courriel"])):
        bad("courriel", "Le courriel n'est pas valide (exemple : prenom.nom@exemple.fr).")
    if v["telephone"] and not PHONE.match(v["telephone"]):
        bad("telephone", "Le téléphone doit compter au moins 10 chiffres (exemple : 06 12 34 56 78).")
    v["neph"] = normalise_neph(v["neph"])
    if not re.fullmatch(r"[0-9]{12}", v["neph"]):
        bad("neph", "Le NEPH doit compter exactement 12 chiffres (les espaces sont ignorés).")
    if v["categorie"] not in CATEGORIES:
        bad("categorie", "Choisissez la catégorie de permis.")
    code: dt.date | None = None
    if v["date_code"]:
        try:
            code = dt.date.fromisoformat(v["date_code"])
        except ValueError:
            bad("date_code", "La date d'obtention du code est invalide (jj/mm/aaaa).")
        if code and code > dt.date.today() + dt.timedelta(days=1):
            bad("date_code", "La date d'obtention du code ne peut pas être dans le futur.")
            code = None
        if code and birth and code <= birth:
            bad("date_code", "La date d'obtention du code doit suivre la date de naissance.")
    if errors:
        raise ValidationFailed("Certaines informations de l'élève sont à corriger.", errors)
    return {**v, "date_naissance": birth, "date_code": code}


async def _neph_taken(c: Ctx, neph: str, but: int | None = None) -> bool:
    where = (Student.organisation == c.organisation_id) & (Student.neph == neph)
    if but is not None:
        where = where & (Student.id != but)
    rows = await Student.select(Student.id).where(where).limit(1)
    return bool(rows)


async def create(c: Ctx, values: dict[str, Any]) -> Student:
    v = check(values)
    async with data.write_transaction():  # the lock makes check-then-insert safe; the unique index backs it
        await data.lock(f"passerelle_examens:neph:{c.organisation_id}:{v['neph']}")
        if await _neph_taken(c, v["neph"]):
            raise ValidationFailed.on("neph", "Un élève de votre organisation a déjà ce NEPH.")
        row = Student(organisation=c.organisation_id, office=c.office_id, civility=v["civilite"],
                      last_name=v["nom"], first_names=v["prenoms"], birth_date=v["date_naissance"],
                      email=v["courriel"], phone=v["telephone"], neph=v["neph"], category=v["categorie"],
                      theory_passed_on=v["date_code"])
        await row.save()
    return row


async def update(c: Ctx, student_id: int, values: dict[str, Any]) -> Student:
    """Change the élève: `values` over the current ones (a field left out keeps its value), checked as at
    creation, the NEPH still unique in the organisation; audited."""
    current = out(await get(c, student_id))
    v = check({**current, **{k: values[k] for k in FIELDS if k in values}})
    async with data.write_transaction():
        await data.lock(f"passerelle_examens:neph:{c.organisation_id}:{v['neph']}")
        if await _neph_taken(c, v["neph"], but=student_id):
            raise ValidationFailed.on("neph", "Un élève de votre organisation a déjà ce NEPH.")
        row = await get(c, student_id)
        row.civility, row.last_name, row.first_names = v["civilite"], v["nom"], v["prenoms"]
        row.birth_date, row.email, row.phone, row.neph = v["date_naissance"], v["courriel"], v["telephone"], v["neph"]
        row.category, row.theory_passed_on = v["categorie"], v["date_code"]
        await row.save()
        await data.audit(c.actor, "passerelle_examens.student_updated", organisation_id=c.organisation_id,
                         target=f"student:{row.id}", summary="Élève modifié")
    return row


async def get(c: Ctx, student_id: int) -> Student:
    row = await Student.objects().where(
        (Student.id == student_id) & (Student.organisation == c.organisation_id)
        & (Student.office == c.office_id)).first()
    if row is None:
        raise NotFound("Cet élève n'existe pas.")
    return row


async def list_students(c: Ctx, limit: int = 500) -> list[dict[str, Any]]:
    rows = await Student.objects().where(
        (Student.organisation == c.organisation_id) & (Student.office == c.office_id)).order_by(
        Student.last_name).order_by(Student.first_names).limit(limit)
    return [out(r) for r in rows]


def out(row: Student) -> dict[str, Any]:
    return {"id": row.id, "civilite": row.civility, "nom": row.last_name, "prenoms": row.first_names,
            "date_naissance": row.birth_date.isoformat(), "courriel": row.email, "telephone": row.phone,
            "neph": row.neph, "categorie": row.category,
            "date_code": row.theory_passed_on.isoformat() if row.theory_passed_on else ""}
