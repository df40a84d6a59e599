"""Server-side login sessions: what makes logout, « Se déconnecter partout » and a password change real.

The signed session cookie alone cannot be revoked (a copy keeps working), so it also carries a random key
whose SHA-256 is a `LoginSession` row. A page request is authenticated only while that row exists and has
not expired; the check is part of the one query that resolves the actor (`services.actor_for_session`), so
it costs no extra round trip. The API's bearer tokens are rows of their own (`ApiToken`) and do not go
through here.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

from core import db
from core.auth.tables import LoginSession

# Same lifetime as the session cookie (core.web.app): the row outlives no browser.
SESSION_LIFETIME = timedelta(hours=12)

_VALID_SQL = 'SELECT 1 FROM core_login_session WHERE key_hash = {} AND "user" = {} AND expires_at > {}'


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def epoch() -> int:
    return int(time.time())


async def open_session(user_id: int) -> str:
    """A new session for the user; returns the key to put in the cookie. Expired rows are purged here (logins
    are rare next to page views, so the purge never lands on the hot path)."""
    key = secrets.token_urlsafe(32)
    async with db.write_transaction():
        await LoginSession.delete().where(LoginSession.expires_at <= epoch())
        await LoginSession.insert(LoginSession(key_hash=_digest(key), user=user_id,
                                               expires_at=epoch() + int(SESSION_LIFETIME.total_seconds()))).run()
    return key


async def is_valid(key: str, user_id: int) -> bool:
    """Whether this cookie's session is still open (for pages that need the user but not a membership)."""
    if not key:
        return False
    return bool(await db.fetch_tuples(_VALID_SQL, _digest(key), user_id, epoch()))


async def close_session(key: str) -> None:
    """Logout: this browser's session ends; a copy of its cookie no longer opens anything."""
    if key:
        await LoginSession.delete().where(LoginSession.key_hash == _digest(key))


async def close_all_sessions(user_id: int, keep: str | None = None) -> int:
    """End every session of the user (all browsers), except `keep` when given; returns how many ended."""
    query = LoginSession.delete().where(LoginSession.user == user_id)
    if keep:
        query = query.where(LoginSession.key_hash != _digest(keep))
    ended = await query.returning(LoginSession.key_hash)
    return len(ended)
