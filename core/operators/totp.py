"""TOTP (RFC 6238, through pyotp) with replay refused, and recovery codes. Pure functions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp

STEP_SECONDS = 30
WINDOW = 1  # one step either side: a phone clock a little off still logs in


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name="Socle opérateur")


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code `code` is (within the window), or None. The caller accepts it only if it is
    later than the last accepted step, which is what refuses a replay."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    current = int(moment // STEP_SECONDS)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def new_recovery_codes(count: int = 10) -> list[str]:
    """Codes such as `k3f9-x2m7-q8pd` (60 bits of entropy each)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return ["-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3)) for _ in range(count)]


def digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()
