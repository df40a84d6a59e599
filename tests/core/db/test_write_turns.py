"""SQLite: the outermost write transactions of one process take turns (an asyncio lock before `BEGIN
IMMEDIATE`) instead of each holding a pooled connection while SQLite's busy handler makes it wait: 20
concurrent writers reuse one connection, every write lands, a nested transaction joins without waiting, and
one that fails hands the turn on."""

import asyncio

import pytest

from core import db
from core.tenancy.tables import Organisation


async def test_concurrent_writers_take_turns_on_one_connection(app):
    if db.is_postgres():
        pytest.skip("SQLite's single writer only")
    used: set[int] = set()

    async def one(n: int) -> None:
        async with db.write_transaction() as transaction:
            used.add(id(transaction.connection))
            await Organisation.insert(Organisation(name=f"Tour {n}", slug=f"tour-{n}"))
            await asyncio.sleep(0.002)  # others are waiting meanwhile
            async with db.write_transaction():  # nested: joins, never waits for the turn it holds
                await Organisation.update({Organisation.name: f"Tour {n} bis"}).where(
                    Organisation.slug == f"tour-{n}")

    await asyncio.gather(*(one(n) for n in range(20)))
    assert await Organisation.count() == 20
    assert len(used) == 1  # without the turns: one connection (and thread) per waiting writer


async def test_a_failed_writer_hands_the_turn_on(app):
    if db.is_postgres():
        pytest.skip("SQLite's single writer only")

    async def broken() -> None:
        async with db.write_transaction():
            await Organisation.insert(Organisation(name="Annulée", slug="annulee"))
            raise RuntimeError("panne")

    with pytest.raises(RuntimeError):
        await broken()
    async with asyncio.timeout(5):
        async with db.write_transaction():
            await Organisation.insert(Organisation(name="Suivante", slug="suivante"))
    assert [r["slug"] for r in await Organisation.select(Organisation.slug)] == ["suivante"]
