"""PostgreSQL: a connection comes back to the pool without asyncpg's session reset (`db._keep_session`: one
round trip and four statements fewer per release), but a transaction left open on it is still rolled back,
and what a transaction sets locally ends with it."""

import pytest

from core import db
from core.tenancy.tables import Organisation


@pytest.fixture
def pool(client):  # the app started: its pool is open
    if not db.is_postgres():
        pytest.skip("PostgreSQL's connection pool only")
    pool = db.engine().pool
    assert pool is not None
    return pool


async def test_a_transaction_left_open_is_rolled_back_on_release(pool):
    async with pool.acquire() as connection:
        await connection.execute("BEGIN")
        await connection.execute(
            "INSERT INTO core_organisation (name, slug, created_at) VALUES ('Abandonnée', 'abandonnee', now())")
        seen = id(connection._con)
    async with pool.acquire() as connection:
        assert id(connection._con) == seen  # the same connection, handed on
        assert not connection.is_in_transaction()
    assert await Organisation.count().where(Organisation.slug == "abandonnee") == 0


async def test_sessions_are_not_reset_so_settings_must_be_local(pool):
    """The contract docs/plugins.md states: only what a transaction sets locally is gone afterwards."""
    async with pool.acquire() as connection:
        async with connection.transaction():
            await connection.execute("SET LOCAL statement_timeout = '1234ms'")
            await connection.execute("SELECT pg_advisory_xact_lock(4242)")
        await connection.execute("SET lock_timeout = '4321ms'")  # session-wide: what Socle's code never does
        seen = id(connection._con)
    async with pool.acquire() as connection:
        assert id(connection._con) == seen
        assert await connection.fetchval("SHOW statement_timeout") == "0"
        assert await connection.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0
        assert await connection.fetchval("SHOW lock_timeout") == "4321ms"  # no RESET ALL on release
        await connection.execute("RESET lock_timeout")
