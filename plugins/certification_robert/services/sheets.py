"""The printable sheet of a supervised session's activation codes (Typst, through core documents)."""

from __future__ import annotations

from pathlib import Path

from core.plugin_api import NotFound, data, render_pdf
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.services.convocation import french_day
from plugins.certification_robert.tables import Assignment, Candidate, Session

TEMPLATE = Path(__file__).resolve().parent.parent / "pdf" / "codes.typ"


async def codes_pdf(c: Ctx, session_id: int) -> bytes:
    """The sheet of session `session_id` of this office (NotFound elsewhere, or for a La Poste session)."""
    session = await Session.objects().where(
        (Session.id == session_id) & (Session.organisation == c.organisation_id) & (Session.office == c.office_id)
        & (Session.kind == "centre")).first()
    if session is None:
        raise NotFound("Cette session n'existe pas ou n'a pas de codes d'activation.")
    codes = {r["candidate"]: r["code"] for r in await Assignment.select(Assignment.candidate, Assignment.code).where(
        (Assignment.session == session.id) & (Assignment.organisation == c.organisation_id))}
    people = await Candidate.select(Candidate.id, Candidate.last_name, Candidate.first_name, Candidate.email).where(
        Candidate.id.is_in(list(codes)) & (Candidate.organisation == c.organisation_id)).order_by(
        Candidate.last_name, Candidate.first_name) if codes else []
    rows = [{"name": f"{p['last_name']} {p['first_name']}".strip(), "email": p["email"], "code": codes[p["id"]]}
            for p in people]
    context = {"title": "Codes d'activation — Certification Le Robert", "day": french_day(session.planned_on),
               "kind": "centre agréé, session surveillée", "rows": rows}
    return await render_pdf(TEMPLATE, context, await data.organisation(c.organisation_id))


async def list_sessions(c: Ctx) -> list[dict[str, object]]:
    """The office's sessions, newest first, with their number of candidates and, when supervised, the sheet."""
    rows = await Session.select().where(
        (Session.organisation == c.organisation_id) & (Session.office == c.office_id)).order_by(
        Session.id, ascending=False)
    counts: dict[int, int] = {}
    for a in await Assignment.select(Assignment.session).where(
            (Assignment.organisation == c.organisation_id) & (Assignment.office == c.office_id)):
        counts[a["session"]] = counts.get(a["session"], 0) + 1
    return [{"id": r["id"], "kind": r["kind"], "planned_on": r["planned_on"].isoformat(),
             "starts_at": r["starts_at"], "address": r["address"], "candidates": counts.get(r["id"], 0),
             "codes_pdf": r["kind"] == "centre"} for r in rows]
