"""Secret settings fields (API keys, a gateway's password): stored sealed with the platform's secret key,
never sent back. A str field annotated with `SECRET` reaches the plugin in clear through
`Platform.office_settings`; the API and the page show only « •••• » and its last 4 characters; logs and audit
entries never see it."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

SEALED = "$sealed"  # stored JSON of a secret value: {"$sealed": "<Fernet token>"}


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"socle.plugin_settings\x00" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret_key: str, value: str) -> dict[str, str]:
    return {SEALED: _fernet(secret_key).encrypt(value.encode()).decode()}


def is_sealed(stored: Any) -> bool:
    return isinstance(stored, dict) and isinstance(stored.get(SEALED), str)


def unseal(secret_key: str, stored: Any) -> str | None:
    """The clear value, or None when it cannot be read (another secret key, a damaged token)."""
    if not is_sealed(stored):
        return None
    try:
        return _fernet(secret_key).decrypt(stored[SEALED].encode()).decode()
    except InvalidToken:
        return None


def masked(value: str | None) -> str:
    """What the page and the API show of a secret: « •••• 1234 », or "" when none is set."""
    if not value:
        return ""
    return "•••• " + value[-4:] if len(value) > 8 else "••••"
