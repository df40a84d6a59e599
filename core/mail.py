"""The mail transport: SMTP when configured, otherwise .eml files in the data dir.

Callers do not send directly: `core.notify.enqueue_email` puts the message on the outbox and the worker
calls `send` (see docs/notify.md).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formataddr, parseaddr

import aiosmtplib

from core.config import Settings

log = logging.getLogger("socle.mail")


# (filename, content, MIME type such as "application/pdf" or "text/calendar; charset=utf-8; method=REQUEST")
AttachmentData = tuple[str, bytes, str]


def sender(settings: Settings, display_name: str | None = None) -> str:
    """The From header: the platform's address, under `display_name` (an organisation's name) when given."""
    if not display_name:
        return settings.smtp.sender
    return formataddr((display_name, parseaddr(settings.smtp.sender)[1]))


def _mime_type(value: str) -> tuple[str, str, dict[str, str]]:
    """("text", "calendar", {"charset": "utf-8", "method": "REQUEST"}) from a Content-Type value."""
    kind, *parameters = (part.strip() for part in value.split(";"))
    maintype, _, subtype = kind.partition("/")
    params = dict(p.partition("=")[::2] for p in parameters if "=" in p)
    return maintype, subtype or "octet-stream", {k.strip().lower(): v.strip() for k, v in params.items()}


def build_message(settings: Settings, to: str, subject: str, text: str, html: str | None = None, *,
                  attachments: Sequence[AttachmentData] = (), headers: Mapping[str, str] | None = None,
                  reply_to: str | None = None, sender_name: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender(settings, sender_name)
    message["To"] = to
    message["Subject"] = subject
    if reply_to:
        message["Reply-To"] = reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, content, mime_type in attachments:
        maintype, subtype, params = _mime_type(mime_type)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename, params=params)
    return message


class SmtpPool:
    """Keeps up to `size` SMTP connections open between messages (the worker sends many in a row: no new TCP
    and TLS handshake, EHLO and login per message). A connection that fails is dropped, never reused."""

    def __init__(self, settings: Settings, size: int = 20, timeout: float = 30) -> None:
        self.settings = settings
        self.size = size
        self.timeout = timeout
        self._idle: list[aiosmtplib.SMTP] = []

    async def _connect(self) -> aiosmtplib.SMTP:
        smtp = self.settings.smtp
        client = aiosmtplib.SMTP(hostname=smtp.host, port=smtp.port, username=smtp.username or None,
                                 password=smtp.password or None, start_tls=smtp.use_tls, timeout=self.timeout)
        await client.connect()
        return client

    async def send(self, message: EmailMessage) -> int:
        """Send over a pooled connection; returns the SMTP reply code."""
        client = self._idle.pop() if self._idle else None
        if client is not None and not client.is_connected:
            client = None
        try:
            if client is None:
                client = await self._connect()
                _, reply = await client.send_message(message)
            else:
                try:
                    _, reply = await client.send_message(message)
                except aiosmtplib.SMTPServerDisconnected:  # the server closed an idle connection
                    client = await self._connect()
                    _, reply = await client.send_message(message)
        except BaseException:
            if client is not None:
                client.close()
            raise
        if len(self._idle) < self.size:
            self._idle.append(client)
        else:
            await client.quit()
        return _reply_code(reply)

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for client in idle:
            try:
                await client.quit()
            except aiosmtplib.SMTPException:
                client.close()


def _reply_code(reply: str) -> int:
    code = reply.split(" ", 1)[0]
    return int(code) if code.isdigit() else 250


async def send(settings: Settings, message: EmailMessage, *, name: str | None = None, timeout: float = 10) -> int:
    """Send `message`; returns the SMTP reply code (250), or 0 when written to a file. Without an SMTP host,
    the message goes to `<data dir>/mail/<name>.eml` (the same name overwrites: no duplicates on retry)."""
    if settings.smtp.host:
        _, reply = await aiosmtplib.send(
            message,
            hostname=settings.smtp.host,
            port=settings.smtp.port,
            username=settings.smtp.username or None,
            password=settings.smtp.password or None,
            start_tls=settings.smtp.use_tls,
            timeout=timeout,
        )
        return _reply_code(reply)
    folder = settings.data_dir / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name) if name else time.time_ns()}.eml"
    path.write_bytes(bytes(message))
    log.warning("SMTP non configuré : message « %s » pour %s écrit dans %s", message["Subject"], message["To"], path)
    return 0
