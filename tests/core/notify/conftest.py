import dataclasses

import pytest

from core import jobs
from core.config import WorkerSettings
from core.testing.fixtures import smtp_to
from core.testing.receivers import allow_loopback_webhooks


@pytest.fixture
def smtp_settings(smtp_server):
    return smtp_to(smtp_server)


@pytest.fixture
def settings(settings):
    """The receivers listen on http://127.0.0.1: these tests allow it (test_ssrf.py turns it off again)."""
    return allow_loopback_webhooks(settings)


@pytest.fixture
def worker_settings(settings):
    """Retries at once, three tries, a 1 s webhook timeout: failure paths run in a fraction of a second."""
    return dataclasses.replace(settings, worker=WorkerSettings(backoff_seconds=0, max_attempts=3, poll_seconds=0.05,
                                                               webhook_timeout_seconds=1.0))


@pytest.fixture
def drain(worker_settings):
    """`await drain()` runs a worker with the core channels until nothing is due."""

    async def run(settings=None):
        return await jobs.Worker(settings or worker_settings, jobs.default_registry).run(until_idle=True)

    return run


@pytest.fixture
def receiver():
    from core.testing.receivers import WebhookReceiver

    with WebhookReceiver(secret="whsec_test_secret_1234567890", hang_seconds=2.0) as server:
        yield server
