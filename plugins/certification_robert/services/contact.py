"""« Contact » of the partner's account (seed 002): a request to the Le Robert support (the address in the
module settings), sent through the outbox with the sender's address as Reply-To, and kept as the office's
history — both in one transaction, so a kept request is a sent one."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.plugin_api import FieldError, ValidationFailed, data, enqueue_email, write_transaction
from plugins.certification_robert.services.common import Ctx
from plugins.certification_robert.tables import ContactMessage

MAX_SUBJECT, MAX_BODY = 200, 5000


def check(values: dict[str, Any]) -> tuple[str, str]:
    subject = str(values.get("objet") or "").strip()
    body = str(values.get("message") or "").strip()
    errors = []
    if not subject:
        errors.append(FieldError("objet", "Indiquez l'objet de votre demande."))
    elif len(subject) > MAX_SUBJECT or any(c in subject for c in "\r\n"):
        errors.append(FieldError("objet", f"L'objet tient sur une ligne de {MAX_SUBJECT} caractères au plus."))
    if not body:
        errors.append(FieldError("message", "Précisez votre demande."))
    elif len(body) > MAX_BODY:
        errors.append(FieldError("message", f"Le message ne doit pas dépasser {MAX_BODY} caractères."))
    if errors:
        raise ValidationFailed("Certaines informations sont invalides.", errors)
    return subject, body


async def send(c: Ctx, values: dict[str, Any], support_email: str) -> int:
    subject, body = check(values)
    organisation = await data.organisation(c.organisation_id)
    actor = c.actor
    sender = f"{actor.display_name} <{actor.email}>" if actor else organisation.name
    text = (f"Demande envoyée depuis la plateforme partenaire Certification Le Robert.\n\n"
            f"Partenaire : {organisation.name} (bureau n° {c.office_id})\nDe : {sender}\n"
            f"Objet : {subject}\n\n{body}\n")
    async with write_transaction():
        row = ContactMessage(organisation=c.organisation_id, office=c.office_id,
                             member=actor.member_id if actor else None, subject=subject, body=body,
                             sent_to=support_email, created_on=date.today())
        await row.save()
        await enqueue_email(support_email, f"[Partenaire {organisation.name}] {subject}", text=text,
                            organisation_id=c.organisation_id, sender_name=organisation.name,
                            reply_to=(actor.email if actor else organisation.email) or None)
    return int(row.id)


async def history(c: Ctx, limit: int = 50) -> list[dict[str, Any]]:
    rows = await ContactMessage.select().where(
        (ContactMessage.organisation == c.organisation_id) & (ContactMessage.office == c.office_id)).order_by(
        ContactMessage.id, ascending=False).limit(limit)
    return [{"id": r["id"], "objet": r["subject"], "message": r["body"], "envoye_a": r["sent_to"],
             "date": r["created_on"].isoformat()} for r in rows]
