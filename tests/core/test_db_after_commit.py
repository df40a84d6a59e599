"""`db.after_commit`: callbacks queued inside nested write transactions run once, after the outermost commits,
outside any transaction (so they may open their own); never after a rollback; a raising one is logged and
the others still run; outside a write transaction queuing is an error."""

import logging

import pytest

from core import db
from core.tenancy.tables import Organisation


async def test_callbacks_run_after_the_outermost_commit_in_order(app, caplog):
    ran: list[str] = []

    async def record(name: str) -> None:
        ran.append(name)
        assert db.engine().current_transaction.get() is None  # committed and released
        async with db.write_transaction():  # a listener may write
            await Organisation.insert(Organisation(name=f"Après {name}", slug=f"apres-{name}"))

    async def broken() -> None:
        raise RuntimeError("listener en panne")

    async with db.write_transaction():
        db.after_commit(lambda: record("first"))
        async with db.write_transaction():  # nested: joins the outermost
            db.after_commit(broken)
            db.after_commit(lambda: record("second"))
        assert ran == []
    assert ran == ["first", "second"]
    assert await Organisation.count() == 2
    assert "listener en panne" in caplog.text and any(r.levelno == logging.ERROR for r in caplog.records)


async def test_rollback_drops_callbacks_and_queuing_needs_a_write_transaction(app):
    ran: list[str] = []

    async def record() -> None:
        ran.append("ran")

    with pytest.raises(ValueError):
        async with db.write_transaction():
            db.after_commit(record)
            raise ValueError("annulé")
    assert ran == []
    async with db.write_transaction():  # a fresh transaction has a fresh queue
        pass
    assert ran == []
    with pytest.raises(RuntimeError, match="write_transaction"):
        db.after_commit(record)
