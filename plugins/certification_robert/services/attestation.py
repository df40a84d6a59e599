"""The job that renders each result's attestation PDF (seed 002: the candidate « obtient son certificat » from
their space) and keeps it as a core document. At least once: a result that already has its document is
skipped, so a retried job stores nothing twice."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from core.plugin_api import data, render_pdf, write_transaction
from plugins.certification_robert.services.convocation import french_day
from plugins.certification_robert.services.results import MAX_SCORE
from plugins.certification_robert.tables import Assignment, Candidate, Result

TEMPLATE = Path(__file__).resolve().parent.parent / "pdf" / "attestation.typ"
KEEP_YEARS = 5  # the partner's proof of the result; the candidate downloads it meanwhile
KINDS = {"centre": "session surveillée en centre agréé", "laposte": "en bureau de La Poste"}


def keep_until(day: date) -> date:
    try:
        return day.replace(year=day.year + KEEP_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + KEEP_YEARS, day=28)


def context(candidate: dict[str, Any], result: dict[str, Any], kind: str, issued: date) -> dict[str, str]:
    identity = json.loads(candidate["data"]).get("identite", {})
    born = identity.get("date_naissance", "")
    return {"title": "Attestation de résultat — Certification Le Robert",
            "name": f"{candidate['first_name']} {candidate['last_name'].upper()}".strip(),
            "birth_date": date.fromisoformat(born).strftime("%d/%m/%Y") if born else "—",
            "score": str(result["score"]), "max_score": str(MAX_SCORE), "level": result["level"],
            "passed_on": french_day(result["passed_on"]), "kind": KINDS.get(kind, "Certification Le Robert"),
            "issued": issued.strftime("%d/%m/%Y")}


async def run(payload: dict[str, Any]) -> None:
    from plugins.certification_robert.runtime import platform

    ids = [int(i) for i in payload.get("result_ids", [])]
    for result in await Result.select().where(Result.id.is_in(ids) & Result.document.is_null()) if ids else []:
        candidate = await Candidate.select().where(Candidate.id == result["candidate"]).first()
        if candidate is None:
            continue
        assigned = await Assignment.select(Assignment.kind).where(
            Assignment.candidate == candidate["id"]).order_by(Assignment.id, ascending=False).first()
        organisation = await data.organisation(result["organisation"])
        pdf = await render_pdf(TEMPLATE, context(candidate, result, assigned["kind"] if assigned else "",
                                                 date.today()), organisation)
        async with write_transaction():
            if await Result.exists().where((Result.id == result["id"]) & Result.document.is_not_null()):
                continue
            stored = await platform().store_document(
                organisation_id=result["organisation"], office_id=result["office"], kind="robert_attestation",
                title="Attestation de résultat — Certification Le Robert",
                filename=f"attestation-le-robert-{result['passed_on'].isoformat()}.pdf", content=pdf,
                content_type="application/pdf", keep_until=keep_until(result["passed_on"]),
                person_ref=f"candidat:{candidate['id']}")
            await Result.update({Result.document: stored.id}).where(Result.id == result["id"])
