"""Real peers on loopback for notification tests: an SMTP server (aiosmtpd) and a webhook receiver.

Both run in their own thread, so a worker in the test's event loop or in another process can reach them.
They count what they receive by idempotency key (the `X-Socle-Idempotency-Key` mail header, the
`X-Socle-Delivery` webhook header) and can be made slow, failing or hanging.

Webhooks refuse http:// and internal addresses by default (core.notify.egress): settings that deliver to a
`WebhookReceiver` need `allow_loopback_webhooks(settings)` (or `SOCLE_WEBHOOK_ALLOW_HTTP=1` and
`SOCLE_WEBHOOK_ALLOW_PRIVATE=1` in a worker process's environment, see `LOOPBACK_WEBHOOK_ENV`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from core.config import Settings
from core.testing.postgres import free_port

LOOPBACK_WEBHOOK_ENV = {"SOCLE_WEBHOOK_ALLOW_HTTP": "1", "SOCLE_WEBHOOK_ALLOW_PRIVATE": "1"}


def allow_loopback_webhooks(settings: Settings) -> Settings:
    """`settings` letting webhooks be registered for and delivered to http:// loopback receivers."""
    return dataclasses.replace(settings, webhook_allow_http=True, webhook_allow_private_networks=True)


class SmtpReceiver:
    """`with SmtpReceiver() as smtp:` — `smtp.port`, `smtp.messages`, `smtp.keys`, `smtp.connections` (distinct
    client connections that sent mail); `delay` slows each DATA."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.messages: list[EmailMessage] = []
        self.keys: Counter[str] = Counter()
        self.peers: set[Any] = set()
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd handler hook
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
            self.peers.add(session.peer)
            self.keys[str(message.get("X-Socle-Idempotency-Key", ""))] += 1
        return "250 Message accepted for delivery"

    @property
    def connections(self) -> int:
        return len(self.peers)

    def __enter__(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


@dataclass
class Delivery:
    key: str
    body: bytes
    headers: dict[str, str]
    signature_ok: bool


@dataclass
class WebhookReceiver:
    """A loopback HTTP server for webhooks. `secret` verifies `X-Socle-Signature` (a bad signature gets 401);
    `statuses` is a queue of answers for the first requests (then 200): a status code, or "hang" to wait
    `hang_seconds` before answering (the sender times out first); `delay` slows every request."""

    secret: str = ""
    statuses: list[int | str] = field(default_factory=list)
    hang_seconds: float = 5.0
    delay: float = 0.0
    deliveries: list[Delivery] = field(default_factory=list)
    keys: Counter[str] = field(default_factory=Counter)
    requests: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.port = free_port()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.requests += 1
                    answer = receiver.statuses.pop(0) if receiver.statuses else 200
                wait = receiver.hang_seconds if answer == "hang" else receiver.delay
                status = 200 if answer == "hang" else int(answer)
                if wait:
                    time.sleep(wait)
                if answer == "hang":
                    return  # the sender gave up long ago
                expected = hmac.new(receiver.secret.encode(), body, hashlib.sha256).hexdigest()
                signature_ok = hmac.compare_digest(expected, self.headers.get("X-Socle-Signature", ""))
                if status == 200 and not signature_ok:
                    status = 401
                if status == 200:
                    key = self.headers.get("X-Socle-Delivery", "")
                    with receiver._lock:
                        receiver.deliveries.append(Delivery(key, body, dict(self.headers.items()), signature_ok))
                        receiver.keys[key] += 1
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # the default backlog (5) drops connections from a concurrent sender

        self._server = Server(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
