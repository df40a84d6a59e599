"""Plugin API 1.2: when a module's circuit breaker opens for an office, the organisation's owner gets one French
email through the outbox (real SMTP on loopback) — once per opening, not again while the breaker stays open,
and again after it closed and opened anew."""

import dataclasses

import pytest

from core import jobs
from core.config import WorkerSettings
from core.jobs.tables import OutboxMessage
from core.plugins import health
from core.testing.distributions import write_plugin
from core.testing.fixtures import deliver_outbox, smtp_to
from tests.core.providers.plugins import ALPHA
from tests.core.providers.test_breaker import pause_elapses


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, breaker_failures=3, breaker_window_seconds=600, breaker_pause_seconds=300,
                               worker=WorkerSettings(backoff_seconds=0, max_attempts=10, poll_seconds=0.05))


@pytest.fixture
def app_factory(settings, plugin_folder):
    from core.web import create_app

    write_plugin(plugin_folder, "sms_alpha", ALPHA)
    return lambda: create_app(settings, plugins=["sms_alpha"])


@pytest.fixture
def smtp_settings(smtp_server):
    return smtp_to(smtp_server)


async def _fail(settings, org, times: int) -> None:
    async def broken() -> None:
        raise RuntimeError("identifiants refusés (401)")

    for _ in range(times):
        with pytest.raises((RuntimeError, health.Paused)):
            await health.guard(settings, org.organisation_id, org.office_id, "sms_alpha", "provider:sms_alpha.alpha",
                               "le fournisseur « Alpha SMS »", broken)


async def _emails() -> int:
    return await OutboxMessage.count().where(OutboxMessage.kind == "email")


async def test_the_owner_is_emailed_once_per_opening(app, settings, make_org, smtp_server):
    org = await make_org("Auto-école des Tilleuls")
    before = await _emails()  # the welcome emails of the new organisation
    await _fail(settings, org, 2)
    assert await _emails() == before  # still closed: nothing sent
    await _fail(settings, org, 1)  # the third failure opens it
    assert await _emails() == before + 1
    await pause_elapses()
    await _fail(settings, org, 1)  # the try after the pause fails: paused again, no second email
    assert await _emails() == before + 1
    smtp_server.messages.clear()
    await deliver_outbox(settings)
    [mail] = [m for m in smtp_server.messages if "Module en pause" in m["Subject"]]
    assert mail["To"] == org.owner_email
    assert mail["Subject"] == "Module en pause pour le bureau « Auto-école des Tilleuls » : SMS Alpha"
    assert "Auto-école des Tilleuls" in mail["From"]
    body = mail.get_content()
    assert "Le module « SMS Alpha » (le fournisseur « Alpha SMS ») a échoué 3 fois de suite" in body
    assert "identifiants refusés (401)" in body and "nouvel essai sera fait automatiquement" in body
    assert "/config/modules/installed" in body

    await health.record_success(org.office_id, "sms_alpha", "provider:sms_alpha.alpha")  # closed
    await _fail(settings, org, 3)  # opens anew: a new email
    assert await OutboxMessage.count().where((OutboxMessage.kind == "email")
                                             & (OutboxMessage.status == jobs.PENDING)) == 1
