"""A minimal mail sender (SMTP when configured, otherwise .eml files in the data dir).

The notifications capability moves every message onto the outbox; this stays the transport.
"""

from __future__ import annotations

import logging
import time
from email.message import EmailMessage

import aiosmtplib

from core.config import Settings

log = logging.getLogger("socle.mail")


def build_message(settings: Settings, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


async def send(settings: Settings, message: EmailMessage) -> None:
    if settings.smtp.host:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp.host,
            port=settings.smtp.port,
            username=settings.smtp.username or None,
            password=settings.smtp.password or None,
            start_tls=settings.smtp.use_tls,
            timeout=10,
        )
        return
    folder = settings.data_dir / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{time.time_ns()}.eml"
    path.write_bytes(bytes(message))
    log.warning("SMTP non configuré : message « %s » pour %s écrit dans %s", message["Subject"], message["To"], path)
