"""The person behind « Mon espace », as the core and the modules see them."""

from __future__ import annotations

from datetime import datetime

import msgspec


class Account(msgspec.Struct, frozen=True, kw_only=True):
    """A signed-in person (a core user, with or without memberships). `id` is the core user id; link a
    module's records by `email` only when `email_verified` (or by a claim the module checks itself)."""

    id: int
    email: str
    email_verified: bool
    full_name: str = ""
    phone: str = ""
    created_at: datetime | None = None
