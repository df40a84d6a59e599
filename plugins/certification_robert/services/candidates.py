"""Candidates: a draft created at step Identité, completed step by step (« En création » until the three
required steps are done), listed with filters (text, status, group). Email unique per organisation."""

from __future__ import annotations

import json
from typing import Any

from core.plugin_api import NotFound, ValidationFailed, data, write_transaction
from plugins.certification_robert.services import accounts, steps
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import Candidate, GroupMember

STATUSES = {"en_creation": "En création", "a_attribuer": "À attribuer", "en_attente": "En attente",
            "prevue": "Prévue", "passee": "Passée"}


async def get(c: Ctx, candidate_id: int) -> Candidate:
    row = await Candidate.objects().where(
        (Candidate.id == candidate_id) & (Candidate.organisation == c.organisation_id)
        & (Candidate.office == c.office_id)).first()
    if row is None:
        raise NotFound("Ce candidat n'existe pas.")
    return row


async def _email_taken(c: Ctx, email: str, except_id: int | None) -> bool:
    query = Candidate.select(Candidate.id).where(
        (Candidate.organisation == c.organisation_id) & (Candidate.email == email))
    return any(r["id"] != except_id for r in await query)


async def create(c: Ctx, values: dict[str, Any]) -> Candidate:
    cleaned = steps.check("identite", values)
    if await _email_taken(c, cleaned["courriel"], None):
        raise ValidationFailed.on("courriel", "Un candidat de votre organisation a déjà ce courriel.")
    row = Candidate(organisation=c.organisation_id, office=c.office_id, email=cleaned["courriel"],
                    last_name=cleaned["nom"], first_name=cleaned["prenom"], status="en_creation",
                    data=json.dumps({"identite": cleaned}), steps_done=json.dumps(["identite"]))
    await row.save()
    return row


async def save_step(c: Ctx, candidate_id: int, step: str, values: dict[str, Any]) -> Candidate:
    row = await get(c, candidate_id)
    cleaned = steps.check(step, values)
    data = json.loads(row.data)
    done = set(json.loads(row.steps_done))
    previous_email = row.email
    if step == "identite":
        if await _email_taken(c, cleaned["courriel"], row.id):
            raise ValidationFailed.on("courriel", "Un candidat de votre organisation a déjà ce courriel.")
        row.email, row.last_name, row.first_name = cleaned["courriel"], cleaned["nom"], cleaned["prenom"]
    async with write_transaction():
        if row.email != previous_email:
            await accounts.follow_email(row, previous_email)  # the « Mon espace » account signs in with it now
        if step == "mot_de_passe":
            password = cleaned.pop("mot_de_passe")  # kept only by the core account (argon2), never here
            cleaned["compte"] = await accounts.provision(row, password, bool(cleaned.get("envoyer")))
        data[step] = cleaned
        done.add(step)
        row.data = json.dumps(data)
        row.steps_done = json.dumps(sorted(done, key=steps.STEPS.index))
        if row.status == "en_creation" and all(s in done for s in steps.REQUIRED_STEPS):
            row.status = "a_attribuer"
        await row.save()
    return row


def _contains(column: Any, pattern: str) -> Any:
    """Case-insensitive match, accents kept: ILIKE on PostgreSQL; on SQLite plain LIKE, which already ignores
    ASCII case — what Piccolo falls back to for `ilike` there, with a warning on every search."""
    return column.ilike(pattern) if data.is_postgres() else column.like(pattern)


async def list_candidates(c: Ctx, text: str = "", status: str = "", group_id: int | None = None,
                          limit: int = 200) -> list[dict[str, Any]]:
    where = (Candidate.organisation == c.organisation_id) & (Candidate.office == c.office_id)
    if text.strip():
        like = f"%{text.strip()}%"
        where = where & (_contains(Candidate.last_name, like) | _contains(Candidate.first_name, like)
                         | _contains(Candidate.email, like))
    if status in STATUSES:
        where = where & (Candidate.status == status)
    if group_id is not None:
        where = where & Candidate.id.is_in(
            GroupMember.select(GroupMember.candidate).where(GroupMember.group == group_id))
    rows = await Candidate.select(Candidate.id, Candidate.email, Candidate.last_name, Candidate.first_name,
                                  Candidate.status, Candidate.exam_date).where(where).order_by(
        Candidate.last_name).order_by(Candidate.first_name).limit(limit)
    return [out_row(r) for r in rows]


def out_row(r: dict[str, Any]) -> dict[str, Any]:
    return {"id": r["id"], "nom": f"{r['last_name'].upper()} {r['first_name']}".strip(), "courriel": r["email"],
            "statut": r["status"], "statut_libelle": STATUSES.get(r["status"], r["status"]),
            "date_passage": r["exam_date"].isoformat() if r["exam_date"] else None}


def out(row: Candidate) -> dict[str, Any]:
    data = json.loads(row.data)
    for values in data.values():
        values.pop("mot_de_passe", None)
    return {**out_row({"id": row.id, "email": row.email, "last_name": row.last_name, "first_name": row.first_name,
                       "status": row.status, "exam_date": row.exam_date}),
            "etapes": json.loads(row.steps_done), "donnees": data}
