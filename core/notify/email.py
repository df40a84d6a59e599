"""Email through the outbox: `enqueue_email` inserts, the worker renders nothing and sends what was frozen."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any

import aiosmtplib

from core import mail
from core.jobs import DeliveryFailed, JobContext, PermanentFailure, enqueue
from core.notify.templates import render_email
from core.tenancy.validation import Checker

KIND = "email"


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"

    @classmethod
    def ics(cls, filename: str, calendar: str | bytes) -> Attachment:
        data = calendar.encode() if isinstance(calendar, str) else calendar
        return cls(filename, data, "text/calendar; charset=utf-8")

    @classmethod
    def pdf(cls, filename: str, content: bytes) -> Attachment:
        return cls(filename, content, "application/pdf")


async def enqueue_email(to: str | Sequence[str], subject: str, *, template: str | None = None,
                        context: Mapping[str, Any] | None = None, text: str | None = None, html: str | None = None,
                        attachments: Sequence[Attachment] = (), organisation_id: int | None = None,
                        key: str | None = None, reply_to: str | None = None, at: datetime | None = None,
                        sender_name: str | None = None) -> str:
    """Put an email on the outbox (call inside your write transaction); returns its idempotency key.

    Either `template` (rendered now from notify/<template>.txt and .html with `context`) or `text`/`html`.
    `sender_name` shows the message as from an organisation (the address stays the platform's); pair it
    with `reply_to` the organisation's email so answers reach it.
    """
    check = Checker()
    recipients = [check.email("to", address) for address in ([to] if isinstance(to, str) else to)]
    if not recipients:
        check.add("to", "Adresse e-mail invalide.")
    subject = check.text("subject", subject, "L'objet", max_length=250)
    if sender_name:
        sender_name = check.text("sender_name", sender_name, "Le nom de l'expéditeur", max_length=200) or None
    check.done()
    if template is not None:
        text, html = render_email(template, context or {})
    if not text:
        raise ValueError("enqueue_email needs a template or a text body")
    payload = {
        "to": recipients, "subject": subject, "text": text, "html": html, "reply_to": reply_to,
        "sender_name": sender_name,
        "attachments": [{"filename": a.filename, "mime_type": a.mime_type,
                         "content": base64.b64encode(a.content).decode()} for a in attachments],
    }
    return await enqueue(KIND, payload, key=key, organisation_id=organisation_id, at=at, ref=KIND,
                         summary=f"E-mail à {', '.join(recipients)} : {subject}")


def message_id(key: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@socle.outbox>"


async def deliver_email(context: JobContext) -> int | None:
    payload = context.payload
    settings = context.settings
    attachments = [(a["filename"], base64.b64decode(a["content"]), a["mime_type"]) for a in payload["attachments"]]
    message = mail.build_raw(  # bytes at once: EmailMessage cost more than the rest of the booking
        settings, ", ".join(payload["to"]), payload["subject"], payload["text"], payload.get("html"),
        attachments=attachments, reply_to=payload.get("reply_to"), sender_name=payload.get("sender_name"),
        headers={"Message-ID": message_id(context.key), "X-Socle-Idempotency-Key": context.key})
    envelope = parseaddr(settings.smtp.sender)[1], payload["to"]
    try:
        if not settings.smtp.host:
            return await mail.send(settings, message, name=message_id(context.key)[1:33], recipients=envelope[1])
        pool = context.resources.get("smtp")
        if pool is None:
            pool = context.resources["smtp"] = mail.SmtpPool(settings, timeout=settings.worker.smtp_timeout_seconds)
        return await pool.send(message, *envelope)
    except aiosmtplib.SMTPRecipientsRefused as error:
        codes = [r.code for r in error.recipients]
        reason = "; ".join(f"{r.recipient} : {r.code} {r.message}" for r in error.recipients)
        if all(500 <= code < 600 for code in codes):
            raise PermanentFailure(f"Destinataire refusé — {reason}") from error
        raise DeliveryFailed(f"Destinataire refusé — {reason}", codes[0] if codes else None) from error
    except aiosmtplib.SMTPResponseException as error:
        if 500 <= error.code < 600:
            raise PermanentFailure(f"Refus du serveur SMTP : {error.code} {error.message}") from error
        raise DeliveryFailed(f"Serveur SMTP : {error.code} {error.message}", error.code) from error
