"""Close each test's database engine: an idle pooled aiosqlite connection runs a non-daemon thread, and the
last test's engine (still referenced by core.db) would otherwise keep pytest from exiting. Tests that use
only `app` (service tests) never run the app's shut-down hook that does this."""

import pytest

from core import db


@pytest.fixture(autouse=True)
async def close_engine(request):
    yield
    if "app" in request.fixturenames and not db.is_postgres():  # PostgreSQL: no pool unless the client started one
        await db.stop(db.engine())
