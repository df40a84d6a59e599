"""Plugin API 1.1, per-office health and the circuit breaker: failures of a module's provider for an office are
recorded in the database and shown to the office's admins in French; after the configured number of failures
the provider is paused for that office (its SMS wait, without using up their attempts), the owner is told, and
the first success after the pause closes it. A hook's failure is recorded for its office without pausing."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from core import db, jobs
from core.auth.tables import AuditEntry
from core.config import WorkerSettings
from core.jobs.tables import OutboxMessage
from core.modules import activation
from core.notify import enqueue_sms
from core.plugin_api import ModuleActivated
from core.plugin_settings.tables import PluginProblem
from core.plugins import health
from core.testing.distributions import write_plugin
from core.testing.fixtures import api_token, login
from tests.core.modules.helpers import add_office
from tests.core.providers.plugins import ALPHA, BETA, sent


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, breaker_failures=3, breaker_window_seconds=600, breaker_pause_seconds=300,
                               worker=WorkerSettings(backoff_seconds=0, max_attempts=10, poll_seconds=0.05))


@pytest.fixture
def app_factory(settings, plugin_folder):
    from core.web import create_app

    write_plugin(plugin_folder, "sms_alpha", ALPHA)
    write_plugin(plugin_folder, "sms_beta", BETA)
    return lambda: create_app(settings, plugins=["sms_alpha", "sms_beta"])


def failing() -> list:
    import sys

    return sys.modules["socle_test_sms_alpha.hooks"].FAIL


async def pause_elapses() -> None:
    """The pause is over (as if 5 minutes had passed): the breaker lets one try through."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    await PluginProblem.update({PluginProblem.open_until: past}).where(PluginProblem.open_until.is_not_null())
    await OutboxMessage.update({OutboxMessage.next_attempt_at: past}).where(OutboxMessage.status == jobs.PENDING)


async def test_the_breaker_opens_after_the_configured_failures_and_closes_after_a_success(client, app, settings,
                                                                                         make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    await activation.set_active(org.organisation_id, org.office_id, "sms_alpha", True)
    assert (await client.put(f"/api/v1/offices/{org.office_id}/providers/sms", headers=owner,
                             json={"provider": "sms_alpha.alpha"})).status_code == 200
    failing()[:] = ["identifiants refusés (401)"]
    sent("sms_alpha").clear()
    async with db.write_transaction():
        await enqueue_sms("0612345678", "Rappel", organisation_id=org.organisation_id, office_id=org.office_id)
    worker = jobs.Worker(settings, app.state.jobs)
    await worker.run(until_idle=True)  # three failures at once (no backoff), then paused: nothing due

    message = await OutboxMessage.objects().where(OutboxMessage.kind == "sms").first()
    assert (message.status, message.attempts) == (jobs.PENDING, 3)  # the paused try gave its attempt back
    assert "en pause" in message.last_error
    [problem] = await health.problems(org.organisation_id, org.office_id)
    assert (problem.plugin, problem.subject, problem.failures) == ("sms_alpha", "provider:sms_alpha.alpha", 3)
    assert problem.paused and message.next_attempt_at >= problem.open_until - timedelta(seconds=1)
    assert sent("sms_alpha") == []

    report = await client.get(f"/api/v1/offices/{org.office_id}/health", headers=owner)
    assert report.status_code == 200
    [shown] = report.json()
    assert shown["paused_until"] is not None
    assert shown["message"].startswith("Le module « SMS Alpha » (le fournisseur « Alpha SMS ») échoue depuis ")
    assert "identifiants refusés (401)" in shown["message"] and "Envois en pause jusqu'à" in shown["message"]
    assert any(e.action == "plugin.breaker.opened" for e in await AuditEntry.objects())
    await login(client, org.owner_email)
    assert "identifiants refusés (401)" in (await client.get("/dashboard")).text  # the dashboard card
    assert "Modules en difficulté" in (await client.get("/config/modules/installed")).text

    await pause_elapses()  # one try after the pause, still failing: paused again at once
    await worker.run(until_idle=True)
    [problem] = await health.problems(org.organisation_id, org.office_id)
    assert problem.paused and problem.total == 4
    assert (await OutboxMessage.objects().where(OutboxMessage.kind == "sms").first()).attempts == 4

    failing().clear()  # the office fixed its credentials
    await pause_elapses()
    await worker.run(until_idle=True)
    assert [m.text for m in sent("sms_alpha")] == ["Rappel"]
    assert (await OutboxMessage.objects().where(OutboxMessage.kind == "sms").first()).status == jobs.SENT
    assert await health.problems(org.organisation_id, org.office_id) == []  # closed
    assert (await client.get(f"/api/v1/offices/{org.office_id}/health", headers=owner)).json() == []


async def test_failures_spread_beyond_the_window_do_not_open_it(app, settings, make_org):
    org = await make_org()

    async def broken() -> None:
        raise RuntimeError("délai dépassé")

    for _ in range(2):
        with pytest.raises(RuntimeError):
            await health.guard(settings, org.organisation_id, org.office_id, "sms_alpha", "job:sms_alpha.sync",
                               "la tâche", broken)
    old = datetime.now(UTC) - timedelta(seconds=settings.breaker_window_seconds + 1)
    await PluginProblem.update({PluginProblem.window_start: old}).where(PluginProblem.office == org.office_id)
    with pytest.raises(RuntimeError):  # a new window starts: 1 failure, still closed
        await health.guard(settings, org.organisation_id, org.office_id, "sms_alpha", "job:sms_alpha.sync",
                           "la tâche", broken)
    [problem] = await health.problems(org.organisation_id, org.office_id)
    assert (problem.failures, problem.total, problem.paused) == (1, 3, False)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            await health.guard(settings, org.organisation_id, org.office_id, "sms_alpha", "job:sms_alpha.sync",
                               "la tâche", broken)
    with pytest.raises(health.Paused):  # open: the call is not even made
        await health.guard(settings, org.organisation_id, org.office_id, "sms_alpha", "job:sms_alpha.sync",
                           "la tâche", broken)


async def test_a_hook_failure_is_recorded_for_its_office_only(client, app, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    second = await add_office(client, owner, "Annexe")
    await activation.set_active(org.organisation_id, second, "sms_beta", True)
    await app.state.plugins.emit(ModuleActivated(organisation_id=org.organisation_id, office_id=second,
                                                 module="sms_beta"))
    [problem] = await health.problems(org.organisation_id, second)
    assert (problem.subject, problem.paused) == ("hook:on_event", False)
    assert "passerelle injoignable" in problem.last_error
    assert await health.problems(org.organisation_id, org.office_id) == []
    other = await make_org("Autre auto-école")
    intruder = await api_token(client, other.owner_email)
    assert (await client.get(f"/api/v1/offices/{second}/health", headers=intruder)).status_code == 404
    a_day_ago = datetime.now(UTC) - timedelta(days=1, seconds=1)  # no success closes a hook's problem: shown a day
    await PluginProblem.update({PluginProblem.last_at: a_day_ago}).where(PluginProblem.office == second)
    assert await health.problems(org.organisation_id, second) == []


async def test_a_job_is_paused_for_the_failing_office_only(client, app, settings, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    second = await add_office(client, owner, "Annexe")
    failing()[:] = ["la passerelle refuse vos identifiants"]
    sent("sms_alpha").clear()
    async with db.write_transaction():
        await jobs.schedule("sms_alpha.sync", {"office_id": org.office_id}, organisation_id=org.organisation_id)
    worker = jobs.Worker(settings, app.state.jobs)
    await worker.run(until_idle=True)
    [problem] = await health.problems(org.organisation_id, org.office_id)
    assert (problem.subject, problem.failures, problem.paused) == ("job:sms_alpha.sync", 3, True)
    assert "la tâche « sms_alpha.sync »" in problem.sentence("SMS Alpha")

    failing().clear()  # the other office's run is not paused
    async with db.write_transaction():
        await jobs.schedule("sms_alpha.sync", {"office_id": second}, organisation_id=org.organisation_id)
    await worker.run(until_idle=True)
    assert sent("sms_alpha") == [("sync", second)]
    await pause_elapses()
    await worker.run(until_idle=True)
    assert sent("sms_alpha") == [("sync", second), ("sync", org.office_id)]
    assert await health.problems(org.organisation_id) == []
