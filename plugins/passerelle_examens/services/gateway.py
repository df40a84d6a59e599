"""The office's RdvPermis client, kept per (event loop, address, credentials): its connection pool and its
token serve the next searches and bookings instead of a token round trip each time.

The module reaches RdvPermis through the provider registry (`register_exam_providers`, providers/own.py): the
RdvPermis entry opens `shared(settings)`, a borrowed view of the cached client whose `aclose()` leaves the
pool open for the next call."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from plugins.passerelle_examens.providers.rdvpermis import RdvPermisProvider

_CLIENTS: dict[tuple[int, str, str, str], tuple[asyncio.AbstractEventLoop, RdvPermisProvider]] = {}
MAX_CLIENTS = 64
TIMEOUT = 5.0  # seconds per provider call; a lost booking answer is reconciled after it


def provider_for(settings: Any) -> RdvPermisProvider:
    """The client for the office's settings (a change of address or secret gives a new one)."""
    secret = hashlib.sha256(str(settings.client_secret).encode()).hexdigest()
    loop = asyncio.get_running_loop()
    key = (id(loop), str(settings.base_url), str(settings.client_id), secret + str(TIMEOUT))
    found = _CLIENTS.get(key)
    if found is not None and found[0] is loop:  # the loop is held, so its id is not reused
        return found[1]
    if len(_CLIENTS) >= MAX_CLIENTS:
        _CLIENTS.pop(next(iter(_CLIENTS)))
    client = RdvPermisProvider(settings.base_url, settings.client_id, settings.client_secret, timeout=TIMEOUT)
    _CLIENTS[key] = (loop, client)
    return client


class Borrowed:
    """The cached client as an ExamProvider for one use: every call goes to it, `aclose()` keeps it open."""

    def __init__(self, client: RdvPermisProvider) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def aclose(self) -> None:
        """Nothing to close: the pool and the token stay for the office's next call."""


def shared(settings: Any) -> Borrowed:
    return Borrowed(provider_for(settings))
