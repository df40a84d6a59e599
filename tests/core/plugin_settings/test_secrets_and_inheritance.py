"""Plugin API 1.1 settings: a SECRET field is stored sealed and never comes back (API, page, audit, logs)
while the plugin reads it in clear; a PER_ORGANISATION field is set once for the organisation, offices inherit
it, an office override beats it, and the page and API say where each value comes from."""

import dataclasses
import logging

import pytest

from core import db
from core.testing.distributions import write_plugin
from core.testing.fixtures import api_token, csrf_token, login
from tests.core.modules.helpers import add_office, order_modules

KEY = "sk_live_ABCDEFGH12345678wxyz"
SOURCE = '''
from typing import Annotated

import msgspec
from litestar import Request, get

from core.plugin_api import PER_ORGANISATION, SECRET, CurrentActor, Manifest, Platform, hookimpl


class Settings(msgspec.Struct, kw_only=True):
    api_key: Annotated[str, msgspec.Meta(title="Clé d'API", max_length=200), SECRET] = ""
    sender: Annotated[str, msgspec.Meta(title="Nom d'expéditeur", min_length=1, max_length=60),
                      PER_ORGANISATION] = "Socle"
    retries: int = 3


MANIFEST = Manifest(id="coffre", title="Passerelle à clé", settings=Settings)
PLATFORM = []


@get("/seen")
async def seen(request: Request, actor: CurrentActor) -> dict:
    settings = await PLATFORM[0].office_settings(actor.organisation_id, PLATFORM[0].office(request).id)
    return msgspec.to_builtins(settings)


@hookimpl
def register_api_routes(platform: Platform):
    PLATFORM[:] = [platform]
    return [seen]
'''


@pytest.fixture
def app_factory(settings, plugin_folder):
    from core.web import create_app

    write_plugin(plugin_folder, "coffre", SOURCE)
    return lambda: create_app(settings, plugins=["coffre"])


@pytest.fixture
async def offices(client, make_org):
    org = await make_org("Auto-école des Tilleuls")
    headers = await api_token(client, org.owner_email)
    second = await add_office(client, headers, "Villeurbanne")
    await order_modules(client, headers, (org.office_id, "coffre", "activate"), (second, "coffre", "activate"))
    return org, headers, second


def url(office_id: int, path: str = "/settings") -> str:
    return f"/api/v1/offices/{office_id}/m/coffre{path}"


async def test_a_secret_is_used_by_the_plugin_and_never_shown(client, offices, caplog):
    org, headers, _ = offices
    caplog.set_level(logging.DEBUG)
    saved = await client.put(url(org.office_id), headers=headers, json={"api_key": KEY})
    assert saved.status_code == 200, saved.text
    assert saved.json()["api_key"] == "•••• wxyz"
    assert (await client.get(url(org.office_id), headers=headers)).json()["api_key"] == "•••• wxyz"
    assert (await client.get(url(org.office_id, "/seen"), headers=headers)).json()["api_key"] == KEY

    await login(client, org.owner_email)
    html = (await client.get(f"/offices/{org.office_id}/m/coffre/settings")).text
    assert "•••• wxyz" in html and KEY not in html and 'type="password"' in html
    # saving the page with the secret left empty keeps it
    token = await csrf_token(client, f"/offices/{org.office_id}/m/coffre/settings")
    form = {"_csrf_token": token, "api_key": "", "retries": "5", "inherit-sender": "1"}
    kept = await client.post(f"/offices/{org.office_id}/m/coffre/settings", data=form)
    assert kept.status_code in (200, 302, 303), kept.text
    assert (await client.get(url(org.office_id, "/seen"), headers=headers)).json() == {
        "api_key": KEY, "sender": "Socle", "retries": 5}

    stored = await db.fetch("SELECT data FROM core_plugin_setting")
    audit = await db.fetch("SELECT summary FROM core_audit")
    everything = " ".join(str(r) for r in [*stored, *audit]) + caplog.text
    assert KEY not in everything and "wxyz" not in everything
    assert any("api_key" in str(r) for r in audit)  # the change is audited by name


async def test_secret_unreadable_with_another_key_falls_back_to_default(client, offices, app):
    org, headers, _ = offices
    await client.put(url(org.office_id), headers=headers, json={"api_key": KEY})
    app.state.settings = dataclasses.replace(app.state.settings, secret_key="another-secret-" + "y" * 20)
    assert (await client.get(url(org.office_id), headers=headers)).json()["api_key"] == ""


async def test_office_inherits_the_organisation_value_unless_it_overrides(client, offices):
    org, headers, second = offices
    shared = "/api/v1/organisation/m/coffre/settings"
    assert (await client.get(shared, headers=headers)).json() == {"sender": "Socle"}
    refused = await client.put(shared, headers=headers, json={"retries": 1})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "retries"
    assert (await client.put(shared, headers=headers, json={"sender": "Tilleuls"})).status_code == 200

    for office_id in (org.office_id, second):
        assert (await client.get(url(office_id), headers=headers)).json()["sender"] == "Tilleuls"
        assert (await client.get(url(office_id, "/settings/sources"), headers=headers)).json() == {
            "api_key": "default", "sender": "organisation", "retries": "default"}

    override = await client.put(url(second), headers=headers, json={"sender": "Tilleuls Villeurbanne"})
    assert override.json()["sender"] == "Tilleuls Villeurbanne"
    assert (await client.get(url(second, "/settings/sources"), headers=headers)).json()["sender"] == "office"
    assert (await client.get(url(org.office_id), headers=headers)).json()["sender"] == "Tilleuls"
    await client.put(shared, headers=headers, json={"sender": "Auto-école des Tilleuls"})
    assert (await client.get(url(second, "/seen"), headers=headers)).json()["sender"] == "Tilleuls Villeurbanne"
    assert (await client.get(url(org.office_id, "/seen"), headers=headers)).json()["sender"] == \
        "Auto-école des Tilleuls"

    back = await client.put(url(second), headers=headers, json={"$inherit": ["sender"]})
    assert back.json()["sender"] == "Auto-école des Tilleuls"
    wrong = await client.put(url(second), headers=headers, json={"$inherit": ["retries"]})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "$inherit"


async def test_page_says_where_each_value_comes_from(client, offices):
    org, headers, second = offices
    await client.put("/api/v1/organisation/m/coffre/settings", headers=headers, json={"sender": "Tilleuls"})
    await client.put(url(second), headers=headers, json={"sender": "Villeurbanne"})
    await login(client, org.owner_email)
    inherited = (await client.get(f"/offices/{org.office_id}/m/coffre/settings")).text
    assert "Valeur commune de l'organisation." in inherited and "/config/m/coffre/settings" in inherited
    own = (await client.get(f"/offices/{second}/m/coffre/settings")).text
    assert "Valeur propre à ce bureau." in own
    common = await client.get("/config/m/coffre/settings")
    assert common.status_code == 200 and "Réglages communs" in common.text and 'value="Tilleuls"' in common.text
    assert "retries" not in common.text


async def test_basic_member_cannot_read_the_organisation_values(client, offices, add_member):
    org, _, _ = offices
    _, email = await add_member(org, "basic")
    basic = await api_token(client, email)
    assert (await client.get("/api/v1/organisation/m/coffre/settings", headers=basic)).status_code == 403
