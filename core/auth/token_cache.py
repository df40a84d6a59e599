"""The actor behind each recently seen API token, kept in the process (token hash → actor).

Every `/api` request needs it, and reading it costs one three-table statement. An entry lives at most
`TTL_SECONDS`; within the process that makes a change, every write that can change what a token means
empties the whole cache at once (`forget_all`): a token revoked (one, or all of a user's on a password reset),
a member's role or name changed, a member removed, an account erased or its address changed. Another app
process (`socle serve --workers N` on PostgreSQL, `socle worker`) sees such a change within the TTL, the
same bound as the suspended organisations' cache (core.operators.suspension), which each request still
checks after this one. Only the SHA-256 of a token is kept, never the token."""

from __future__ import annotations

import time

from core.tenancy.actor import Actor

TTL_SECONDS = 2.0
MAX_ENTRIES = 10_000  # one entry per live token; past it the cache starts again empty

_entries: dict[str, tuple[Actor, float]] = {}
_generation = [0]  # bumped by each `forget_all`: a read that began before it is not kept


def generation() -> int:
    """Take it before reading the database, and give it back to `keep`."""
    return _generation[0]


def recall(digest: str) -> Actor | None:
    """The actor cached for that token hash while fresh, else None."""
    entry = _entries.get(digest)
    if entry is None:
        return None
    actor, expires = entry
    if time.monotonic() >= expires:
        _entries.pop(digest, None)
        return None
    return actor


def keep(digest: str, actor: Actor, read_at: int) -> None:
    """Cache what a read begun at generation `read_at` found, unless a change came in the meantime (on
    PostgreSQL the read awaits, and a revocation may land while it runs)."""
    if read_at != _generation[0]:
        return
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[digest] = (actor, time.monotonic() + TTL_SECONDS)


def forget_all() -> None:
    """After a write that may change or end what a token grants: the next request of every token reads
    the database again."""
    _generation[0] += 1
    _entries.clear()
