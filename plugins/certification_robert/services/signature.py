"""The signature of the certifier's results (HMAC-SHA256 with the office's shared secret).

The exam platform sends two headers: `X-Robert-Timestamp` (Unix seconds) and `X-Robert-Signature:
sha256=<hex>` where the hex is HMAC-SHA256(secret, "<timestamp>." + raw body). A request is accepted when the
signature matches (constant-time comparison), the timestamp is within `WINDOW` seconds of our clock, and the
same signed request was not accepted before (the receipt table): a captured request cannot be replayed."""

from __future__ import annotations

import hashlib
import hmac
import time

from core.plugin_api import NotAuthenticated

WINDOW = 300  # seconds either way: clocks may drift a little, a replay after 5 minutes is refused outright
TIMESTAMP_HEADER = "x-robert-timestamp"
SIGNATURE_HEADER = "x-robert-signature"


class BadSignature(NotAuthenticated):
    default_message = "Signature des résultats invalide."


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The header value the certifier sends (also used by the simulator, the tests and the bench)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes,
           now: float | None = None) -> tuple[int, str]:
    """(timestamp, receipt digest) of a valid request, or BadSignature (401) saying why in French."""
    if not secret:
        raise BadSignature("Aucun secret partagé n'est réglé pour ce bureau : résultats refusés.")
    if not timestamp or not timestamp.strip().isdigit() or len(timestamp.strip()) > 12:
        raise BadSignature("En-tête X-Robert-Timestamp absent ou invalide.")
    stamp = int(timestamp.strip())
    if abs((time.time() if now is None else now) - stamp) > WINDOW:
        raise BadSignature("Requête expirée : l'horodatage sort de la fenêtre de 5 minutes.")
    expected = sign(secret, timestamp.strip(), body)
    if not signature or not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise BadSignature()
    return stamp, hashlib.sha256(expected.encode()).hexdigest()
