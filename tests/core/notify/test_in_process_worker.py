"""With `settings.run_worker`, the web app delivers the outbox itself (the embedded `socle serve` setup)."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest

from core.testing.fixtures import csrf_token


@pytest.fixture
def app_factory(worker_settings):
    from core.web import create_app

    return lambda: create_app(dataclasses.replace(worker_settings, run_worker=True))


async def test_password_reset_email_is_delivered_by_the_app_itself(client, make_org, smtp_server):
    org = await make_org()
    token = await csrf_token(client, "/password/forgot")
    await client.post("/password/forgot", data={"email": org.owner_email, "_csrf_token": token})
    deadline = time.monotonic() + 20
    while not smtp_server.messages and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    [message] = smtp_server.messages
    assert message["To"] == org.owner_email
