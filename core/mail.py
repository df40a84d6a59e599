"""The mail transport: SMTP when configured, otherwise .eml files in the data dir.

Callers do not send directly: `core.notify.enqueue_email` puts the message on the outbox and the worker
calls `send` (see docs/notify.md).
"""

from __future__ import annotations

import base64
import logging
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import encode_rfc2231, formataddr, formatdate, parseaddr

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


def _encoded_words(value: str) -> str:
    """A header value as RFC 2047 base64 encoded words on lines of at most 78 characters (never cutting a
    character)."""
    words, chunk = [], b""
    for char in value:
        data = char.encode()
        if len(chunk) + len(data) > 39:  # 39 bytes -> 52 base64 characters + 12 around them + the header name
            words.append(chunk)
            chunk = b""
        chunk += data
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(word).decode()}?=" for word in words)


def _header(value: str) -> str:
    value = " ".join(value.split())  # no line break can be injected
    return value if value.isascii() else _encoded_words(value)


def _base64_body(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _part(content_type: str, data: bytes, disposition: str = "") -> bytes:
    head = f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: base64\r\n{disposition}\r\n"
    return head.encode() + _base64_body(data)


def _text_part(subtype: str, text: str) -> bytes:
    """A body as 8bit text, readable in the .eml files of development (as EmailMessage wrote it), or base64
    when a line exceeds SMTP's 998 octets."""
    data = "\r\n".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).encode()
    if any(len(line) > 998 for line in data.split(b"\r\n")):
        return _part(f'text/{subtype}; charset="utf-8"', data)
    encoding = "7bit" if data.isascii() else "8bit"
    return (f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n'
            .encode() + data + (b"" if data.endswith(b"\r\n") else b"\r\n"))


def _multipart(subtype: str, parts: list[bytes]) -> tuple[str, bytes]:
    boundary = f"=_{secrets.token_hex(12)}"
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return f'multipart/{subtype}; boundary="{boundary}"', body + b"--" + boundary.encode() + b"--\r\n"


def _parameters(params: Mapping[str, str]) -> str:
    return "".join(f'; {name}="{value}"' if any(c in value for c in '()<>@,;:\\"/[]?= ') else f"; {name}={value}"
                   for name, value in params.items())


def _attachment(filename: str, content: bytes, mime_type: str) -> bytes:
    maintype, subtype, params = _mime_type(mime_type)
    name = filename.replace('"', "").replace("\r", "").replace("\n", "")
    disposition = (f'Content-Disposition: attachment; filename="{name}"' if name.isascii() else
                   f"Content-Disposition: attachment; filename*={encode_rfc2231(name, 'utf-8')}") + "\r\n"
    return _part(f"{maintype}/{subtype}{_parameters(params)}", content, disposition)


def build_raw(settings: Settings, to: str, subject: str, text: str, html: str | None = None, *,
              attachments: Sequence[AttachmentData] = (), headers: Mapping[str, str] | None = None,
              reply_to: str | None = None, sender_name: str | None = None) -> bytes:
    """The same message as `build_message`, written straight to bytes (CRLF, 8bit text, base64 files): what the
    worker sends for every booking email. `email.message.EmailMessage` took 4–17 ms per message (header
    policy objects, quoted-printable in Python); this takes well under a millisecond. Falls back to
    `build_message` when an address is not ASCII (internationalised addresses need its care)."""
    addresses = [to, reply_to or "", *(headers or {}).values()]
    if not all(value.isascii() for value in addresses):
        return bytes(build_message(settings, to, subject, text, html, attachments=attachments, headers=headers,
                                   reply_to=reply_to, sender_name=sender_name))
    platform_name, address = parseaddr(settings.smtp.sender)
    name = sender_name or platform_name
    # one encoded word for the name, like formataddr: parsers disagree on the space between two of them
    origin = formataddr((name, address)) if name.isascii() else \
        f"=?utf-8?b?{base64.b64encode(' '.join(name.split()).encode()).decode()}?= <{address}>"
    lines = [f"From: {origin}", f"To: {_header(to)}", f"Subject: {_header(subject)}",
             f"Date: {formatdate()}"]
    if reply_to:
        lines.append(f"Reply-To: {_header(reply_to)}")
    lines.extend(f"{name}: {_header(value)}" for name, value in (headers or {}).items())
    body = _text_part("plain", text)
    if html:
        content_type, alternative = _multipart("alternative", [body, _text_part("html", html)])
        body = f"Content-Type: {content_type}\r\n\r\n".encode() + alternative
    if attachments:
        content_type, mixed = _multipart("mixed", [body, *(_attachment(*a) for a in attachments)])
        body = f"Content-Type: {content_type}\r\n\r\n".encode() + mixed
    lines.append("MIME-Version: 1.0")
    return "\r\n".join(lines).encode() + b"\r\n" + body


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

    async def send(self, message: EmailMessage | bytes, sender: str = "", recipients: Sequence[str] = ()) -> int:
        """Send over a pooled connection; returns the SMTP reply code. `message` is an EmailMessage, or the
        bytes of `build_raw` with the envelope `sender` and `recipients`."""
        async def deliver(client: aiosmtplib.SMTP) -> str:
            if isinstance(message, bytes):
                return (await client.sendmail(sender, list(recipients), message))[1]
            return (await client.send_message(message))[1]

        client = self._idle.pop() if self._idle else None
        if client is not None and not client.is_connected:
            client = None
        try:
            if client is None:
                client = await self._connect()
                reply = await deliver(client)
            else:
                try:
                    reply = await deliver(client)
                except aiosmtplib.SMTPServerDisconnected:  # the server closed an idle connection
                    client = await self._connect()
                    reply = await deliver(client)
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


async def send(settings: Settings, message: EmailMessage | bytes, *, name: str | None = None, timeout: float = 10,
               sender: str = "", recipients: Sequence[str] = ()) -> int:
    """Send `message` (or the bytes of `build_raw` to `recipients` from `sender`); returns the SMTP reply code
    (250), or 0 when written to a file. Without an SMTP host, the message goes to `<data dir>/mail/<name>.eml`
    (the same name overwrites: no duplicates on retry)."""
    if isinstance(message, bytes):
        if settings.smtp.host:
            async with aiosmtplib.SMTP(hostname=settings.smtp.host, port=settings.smtp.port,
                                       username=settings.smtp.username or None,
                                       password=settings.smtp.password or None, start_tls=settings.smtp.use_tls,
                                       timeout=timeout) as client:
                return _reply_code((await client.sendmail(sender, list(recipients), message))[1])
        return _write(settings, message, name, ", ".join(recipients))
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
    return _write(settings, bytes(message), name, str(message["To"]))


def _write(settings: Settings, data: bytes, name: str | None, to: str) -> int:
    folder = settings.data_dir / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name) if name else time.time_ns()}.eml"
    path.write_bytes(data)
    log.warning("SMTP non configuré : message pour %s écrit dans %s", to, path)
    return 0
