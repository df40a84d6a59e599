"""Recording an exam's outcome on its « dossier d'examen »: admis, échec with the number of points (fautes)
or absent. Only once the exam has started and on a file that was not cancelled; the outcome then feeds the
delay rules (services/delay_rules.py) through the élève's history (services/bookings.history). Audited.

In the same transaction the exam's entry on the office calendar gets the outcome in its title and notes
(`calendar.relabel`, so the ICS feed updates it) and the élève is emailed the result; a correction sends the
correction. Recording the same outcome again changes nothing and sends nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.plugin_api import Conflict, ValidationFailed, data
from core.plugin_api import calendar as cal
from plugins.passerelle_examens.services import bookings, notices
from plugins.passerelle_examens.services.common import Ctx
from plugins.passerelle_examens.tables import ExamFile, Student

OUTCOMES = {"admis": "Admis", "echec": "Échec", "absent": "Absent"}
MAX_POINTS = 31  # the practical exam grid counts at most 31 points
RECORDABLE = ("reserve", "passe", *OUTCOMES)  # « passe »: a file the demo marked as taken


def refusal(row: ExamFile, now: dt.datetime) -> str:
    """Why no outcome may be recorded on this file now ("" when it may)."""
    if row.status not in RECORDABLE:
        return "Cet examen a été annulé : aucun résultat ne peut être saisi."
    if row.starts_at > now:
        return "Cet examen n'a pas encore eu lieu : le résultat se saisit après l'examen."
    return ""


def check(values: dict[str, Any]) -> tuple[str, int | None]:
    """(outcome, points), or ValidationFailed naming the wrong field with its French message."""
    outcome = str(values.get("resultat") or "").strip()
    raw = str(values.get("points") if values.get("points") is not None else "").strip()
    if outcome not in OUTCOMES:
        raise ValidationFailed.on("resultat", "Choisissez le résultat : admis, échec ou absent.")
    if outcome != "echec":
        return outcome, None
    if not raw:
        raise ValidationFailed.on("points", "Indiquez le nombre de points (fautes) de l'échec.")
    if not raw.isdigit() or int(raw) > MAX_POINTS:
        raise ValidationFailed.on("points", f"Le nombre de points doit être un entier de 0 à {MAX_POINTS}.")
    return outcome, int(raw)


async def record(c: Ctx, file_id: int, values: dict[str, Any]) -> ExamFile:
    """Record the outcome (404 another office's file, 409 a future exam or a cancelled file, 422 bad
    values); correcting an outcome already recorded is allowed and audited too."""
    row = await bookings.get(c, file_id)
    outcome, points = check(values)
    async with data.write_transaction():
        await data.lock(f"{bookings.SOURCE}:booking:{row.idempotency_key}")
        row = await bookings.get(c, file_id)
        reason = refusal(row, dt.datetime.now(dt.UTC))
        if reason:
            raise Conflict(reason)
        unchanged = (row.status, row.points) == (outcome, points)
        corrected = row.status in OUTCOMES and not unchanged
        row.status, row.points = outcome, points
        await row.save()
        summary = OUTCOMES[outcome] + (f" ({points} points)" if points is not None else "")
        if not unchanged:
            await _tell(c, row, summary, corrected)
        await data.audit(c.actor, f"{bookings.SOURCE}.exam_result", organisation_id=c.organisation_id,
                         target=f"exam_file:{row.id}", summary=f"Résultat saisi : {summary}",
                         details={"resultat": outcome, "points": points})
    return row


async def _tell(c: Ctx, row: ExamFile, summary: str, corrected: bool) -> None:
    """The outcome on the exam's calendar entry (title and notes) and in the élève's email."""
    student = await Student.objects().where(Student.id == row.student).first()
    if row.calendar_booking is not None and student is not None:
        label = bookings.entry_label(student, row.centre_name) + f" — {summary}"
        await cal.relabel(c.organisation_id, row.calendar_booking, label[:200], notes=f"Résultat : {summary}",
                          by=c.actor.member_id if c.actor else None,
                          reason="Résultat corrigé" if corrected else "Résultat saisi")
    if student is not None:
        await notices.result(row, student, corrected)
