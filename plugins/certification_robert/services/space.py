"""« Ma certification Le Robert » in « Mon espace »: the candidate files partners keep under the person's
verified email or for the account the partner created with the candidate's password (seed 002, « depuis son
compte »): status, planned session and convocation, activation code, and — once the candidate filled their
Coordonnées — the score and the attestation. Nothing else: any other file does not exist (404)."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

from core.plugin_api import Account, NotFound, data, write_transaction
from plugins.certification_robert.services import results, steps
from plugins.certification_robert.services.candidates import STATUSES
from plugins.certification_robert.services.convocation import french_day
from plugins.certification_robert.tables import Assignment, Candidate, Session

KIND_LABELS = {"centre": "Session surveillée par votre centre", "laposte": "Centre d'examen La Poste"}
COORDONNEES = ("telephone", "adresse", "code_postal", "commune", "pays")


def _where(account: Account) -> Any:
    """The person's files: those kept under their verified email, and those whose account the partner created
    for them (the module's claim: the account was made for that file, with the password the partner gave)."""
    mine = Candidate.account == account.id
    if account.email_verified:
        mine = mine | (Candidate.email == account.email.strip().lower())
    return mine


async def count(account: Account) -> int:
    return int(await Candidate.count().where(_where(account) & (Candidate.status != "en_creation")))


async def candidate(account: Account, candidate_id: int) -> Candidate:
    """One file of this person, or NotFound — another person's id included."""
    row = await Candidate.objects().where((Candidate.id == candidate_id) & _where(account)
                                          & (Candidate.status != "en_creation")).first()
    if row is None:
        raise NotFound("Ce dossier n'existe pas.")
    return row


def coordonnees_of(row: dict[str, Any]) -> dict[str, str]:
    return json.loads(row["data"]).get("coordonnees", {})


def coordonnees_done(row: dict[str, Any]) -> bool:
    saved = coordonnees_of(row)
    return all(saved.get(name) for name in COORDONNEES)


async def _session(row: dict[str, Any]) -> dict[str, Any] | None:
    assigned = await Assignment.select().where(
        (Assignment.candidate == row["id"]) & (Assignment.organisation == row["organisation"])).order_by(
        Assignment.id, ascending=False).first()
    if assigned is None:
        return None
    session = await Session.select().where(Session.id == assigned["session"]).first() if assigned["session"] else None
    return {"kind": assigned["kind"], "kind_label": KIND_LABELS.get(assigned["kind"], ""),
            "day": french_day(assigned["planned_on"]), "planned_on": assigned["planned_on"],
            "starts_at": session["starts_at"] if session else "", "address": session["address"] if session else "",
            "code": assigned["code"], "convocation": assigned["kind"] == "laposte" and bool(session)}


async def files(account: Account) -> list[dict[str, Any]]:
    """The person's files, newest first, with what they may see; attestations are given to the account
    (core documents) when the result is shown."""
    rows = await Candidate.select().where(_where(account) & (Candidate.status != "en_creation")).order_by(
        Candidate.id, ascending=False)
    found = []
    for row in rows:
        done = coordonnees_done(row)
        result = (await results.of_candidates(row["organisation"], [row["id"]])).get(row["id"])
        if result and done and result["document"] is not None:
            async with write_transaction():
                from plugins.certification_robert.runtime import platform

                await platform().attach_documents([result["document"]], account.id)
        organisation = await data.organisation(row["organisation"])
        found.append({
            "id": row["id"], "organisation": organisation.name, "status": row["status"],
            "status_label": STATUSES.get(row["status"], row["status"]), "session": await _session(row),
            "coordonnees": coordonnees_of(row), "divers": json.loads(row["data"]).get("divers", {}),
            "coordonnees_done": done, "has_result": result is not None,
            "result": ({"score": result["score"], "max": results.MAX_SCORE, "level": result["level"],
                        "day": french_day(result["passed_on"]), "document": result["document"]}
                       if result and done else None)})
    return found


CANDIDATE_STEPS = ("coordonnees", "divers")


async def save_step(account: Account, candidate_id: int, step: str, values: dict[str, Any]) -> None:
    """The candidate's Coordonnées (all required here, seed 002: before the score and the certificate) or
    Divers (optional)."""
    row = await candidate(account, candidate_id)
    if step not in CANDIDATE_STEPS:
        raise NotFound("Cette étape n'existe pas.")
    cleaned = steps.check(step, values, coordonnees_required=True)
    async with write_transaction():
        stored = json.loads(row.data)
        stored[step] = cleaned
        done = json.loads(row.steps_done)
        if step not in done:
            done = [s for s in steps.STEPS if s in {*done, step}]
        await Candidate.update({Candidate.data: json.dumps(stored), Candidate.steps_done: json.dumps(done)}).where(
            Candidate.id == row.id)


async def convocation_event(account: Account, candidate_id: int) -> Any:
    """The calendar invitation of the person's La Poste exam (NotFound when there is none)."""
    from plugins.certification_robert.services import convocation, stock

    row = await candidate(account, candidate_id)
    session = await _session(row.to_dict())
    if session is None or not session["convocation"] or not session["starts_at"]:
        raise NotFound("Aucune convocation pour ce dossier.")
    organisation = await data.organisation(row.organisation)
    at = time.fromisoformat(session["starts_at"])
    person = {"first_name": row.first_name, "last_name": row.last_name, "email": row.email}
    return convocation.event(person, session["planned_on"], at, session["address"], organisation, stock._sender())


async def export(account: Account) -> list[dict[str, Any]]:
    """The person's files for « Mes données » (right of access), with their result."""
    rows = await Candidate.select(Candidate.id, Candidate.organisation, Candidate.last_name, Candidate.first_name,
                                  Candidate.status, Candidate.exam_date).where(_where(account)).order_by(Candidate.id)
    found = []
    for r in rows:
        result = (await results.of_candidates(r["organisation"], [r["id"]])).get(r.pop("id"))
        found.append({**r, "exam_date": r["exam_date"].isoformat() if r["exam_date"] else None,
                      "resultat": {"score": result["score"], "niveau": result["level"],
                                   "date": result["passed_on"].isoformat()} if result else None})
    return found
