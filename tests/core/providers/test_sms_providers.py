"""Plugin API 1.1, providers chosen per office: two offices using two SMS providers get their messages through
the right one; a provider's secret setting never appears in a response, a page, a log line or an audit entry;
another organisation's office answers 404; a module may publish a kind of its own."""

import json
import logging

import pytest

from core import db, jobs
from core.auth.tables import AuditEntry
from core.modules import activation
from core.notify import enqueue_sms
from core.testing.distributions import write_plugin
from core.testing.fixtures import api_token, login, submit
from tests.core.modules.helpers import add_office
from tests.core.providers.plugins import ALPHA, BETA, sent

SECRET = "cle-alpha-tres-secrete-9876"


@pytest.fixture
def app_factory(settings, plugin_folder):
    from core.web import create_app

    write_plugin(plugin_folder, "sms_alpha", ALPHA)
    write_plugin(plugin_folder, "sms_beta", BETA)
    return lambda: create_app(settings, plugins=["sms_alpha", "sms_beta"])


async def two_offices(client, make_org):
    org = await make_org()
    owner = await api_token(client, org.owner_email)
    second = await add_office(client, owner, "Annexe")
    await activation.set_active(org.organisation_id, org.office_id, "sms_alpha", True)
    await activation.set_active(org.organisation_id, second, "sms_beta", True)
    return org, owner, second


async def drain(app, settings):
    import dataclasses

    from core.config import WorkerSettings

    fast = dataclasses.replace(settings, worker=WorkerSettings(backoff_seconds=0, max_attempts=3, poll_seconds=0.05))
    return await jobs.Worker(fast, app.state.jobs).run(until_idle=True)


async def test_two_offices_send_through_their_own_provider(client, app, settings, make_org, caplog):
    caplog.set_level(logging.DEBUG)
    org, owner, second = await two_offices(client, make_org)
    first_url = f"/api/v1/offices/{org.office_id}/providers/sms"
    before = await client.get(first_url, headers=owner)
    assert before.status_code == 200, before.text
    assert before.json()["provider"] == "platform"
    assert [p["key"] for p in before.json()["providers"]] == ["platform", "sms_alpha.alpha"]  # beta inactive here

    chosen = await client.put(first_url, headers=owner, json={
        "provider": "sms_alpha.alpha", "settings": {"sender": "AUTOECOLE", "api_key": SECRET}})
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["provider"] == "sms_alpha.alpha"
    assert chosen.json()["settings"] == {"sender": "AUTOECOLE", "api_key": "•••• 9876"}
    refused = await client.put(f"/api/v1/offices/{second}/providers/sms", headers=owner,
                               json={"provider": "sms_alpha.alpha"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "provider"
    assert "sms_beta.beta" in refused.json()["errors"][0]["message"]

    await login(client, org.owner_email)  # the second office chooses on the page
    page = f"/offices/{second}/providers/sms"
    response = await submit(client, page, page, {"provider": "sms_beta.beta"})
    assert response.status_code in (302, 303), response.text
    assert "Bêta SMS" in (await client.get(f"/offices/{second}/providers")).text

    sent("sms_alpha").clear()
    sent("sms_beta").clear()
    async with db.write_transaction():
        await enqueue_sms("06 12 34 56 78", "Rappel : examen demain", organisation_id=org.organisation_id,
                          office_id=org.office_id)
        await enqueue_sms("+33698765432", "Votre leçon est confirmée", organisation_id=org.organisation_id,
                          office_id=second)
        await enqueue_sms("+33611111111", "Sans bureau", organisation_id=org.organisation_id)
    await drain(app, settings)

    [alpha] = sent("sms_alpha")
    assert (alpha.to, alpha.text, alpha.office_id) == ("+33612345678", "Rappel : examen demain", org.office_id)
    assert (alpha.settings.sender, alpha.settings.api_key) == ("AUTOECOLE", SECRET)  # in clear for the plugin
    [beta] = sent("sms_beta")
    assert (beta.to, beta.office_id, beta.settings) == ("+33698765432", second, None)
    platform_log = (settings.data_dir / "sms" / "sms.jsonl").read_text().splitlines()
    assert [json.loads(line)["text"] for line in platform_log] == ["Sans bureau"]  # the default, as before

    # the secret: in no response, page, log line or audit entry
    shown = [await client.get(first_url, headers=owner), await client.get(f"/offices/{org.office_id}/providers/sms"),
             await client.get(f"/api/v1/offices/{org.office_id}/providers", headers=owner)]
    assert all(r.status_code == 200 for r in shown)
    assert all(SECRET not in r.text for r in shown)
    assert "•••• 9876" in shown[1].text
    assert SECRET not in caplog.text
    audit = [f"{e.summary} {e.details}" for e in await AuditEntry.objects()]
    assert any("Alpha SMS" in line for line in audit)
    assert not [line for line in audit if SECRET in line]

    # the module deactivated: the office falls back to the platform's provider
    await activation.set_active(org.organisation_id, org.office_id, "sms_alpha", False)
    assert (await client.get(first_url, headers=owner)).json()["provider"] == "platform"


async def test_another_organisations_office_is_not_found(client, make_org):
    org, owner, second = await two_offices(client, make_org)
    other = await make_org("Autre auto-école")
    intruder = await api_token(client, other.owner_email)
    for method, url in (("GET", f"/api/v1/offices/{org.office_id}/providers"),
                        ("GET", f"/api/v1/offices/{org.office_id}/providers/sms"),
                        ("PUT", f"/api/v1/offices/{second}/providers/sms")):
        response = await client.request(method, url, headers=intruder, json={"provider": "platform"})
        assert response.status_code == 404, (url, response.text)
    assert (await client.get(f"/api/v1/offices/{org.office_id}/providers/paiement", headers=owner)).status_code == 404
    await login(client, other.owner_email)
    assert (await client.get(f"/offices/{org.office_id}/providers/sms")).status_code == 404


async def test_a_module_publishes_a_kind_and_resolves_its_offices_provider(client, app, make_org):
    org, owner, second = await two_offices(client, make_org)
    kinds = await client.get(f"/api/v1/offices/{second}/providers", headers=owner)
    assert [k["kind"] for k in kinds.json()] == ["sms", "exam"]  # exam: published by sms_beta, active here
    assert [k["kind"] for k in (await client.get(f"/api/v1/offices/{org.office_id}/providers",
                                                 headers=owner)).json()] == ["sms"]
    registry = app.state.plugins.providers()
    assert "sms_beta.nope" not in str(registry.kinds)  # an unknown kind is ignored

    platform = app.state.plugins.platform("sms_beta")
    assert await platform.office_provider("exam", org.organisation_id, org.office_id) is None
    assert await platform.office_provider("exam", org.organisation_id, second) is None  # none chosen, no default
    assert (await client.put(f"/api/v1/offices/{second}/providers/exam", headers=owner,
                             json={"provider": "sms_beta.exams"})).status_code == 200
    provider, provider_settings = await platform.office_provider("exam", org.organisation_id, second)
    assert await provider.implementation.book("Camille") == "réservé : Camille"
    assert provider_settings is None
