"""Stored settings written by an older version of the plugin: unknown (removed) fields are ignored and a
value that no longer validates falls back to that field's default, logged, never a 500; the next save
rewrites a clean row. The row is tenant-scoped: one per (office, plugin)."""

import logging

import msgspec

from core.plugin_settings.tables import PluginSetting
from core.tenancy.scope import Scope
from core.testing.fixtures import api_token
from tests.core.modules.helpers import order_modules

API = "/api/v1/offices/{}/m/reglages/settings"


async def test_stale_values_fall_back_to_their_default_and_are_logged(client, office, caplog):
    org, headers, _ = office
    assert (await client.put(API.format(org.office_id), headers=headers, json={"greeting": "Salut"})).status_code == 200
    stale = {"greeting": "Salut", "max_per_day": 500, "channel": "fax", "tone": "amical", "sms_enabled": "oui",
             "old_field": [1, 2]}
    await PluginSetting.update({PluginSetting.data: msgspec.json.encode(stale).decode()}).where(
        PluginSetting.office == org.office_id)
    with caplog.at_level(logging.WARNING, logger="socle.plugin_settings"):
        response = await client.get(API.format(org.office_id), headers=headers)
    assert response.status_code == 200
    assert response.json() == {"greeting": "Salut", "max_per_day": 10, "sms_enabled": False, "channel": "email",
                               "tone": "amical"}
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "max_per_day" in logged and "channel" in logged and "sms_enabled" in logged
    assert "old_field" not in logged
    plugin_view = await client.get(f"/api/v1/offices/{org.office_id}/m/reglages/greeting", headers=headers)
    assert plugin_view.json()["max_per_day"] == 10

    await client.put(API.format(org.office_id), headers=headers, json={"max_per_day": 7})
    rows = await Scope(org.organisation_id).select(PluginSetting, PluginSetting.data)
    assert len(rows) == 1
    assert msgspec.json.decode(rows[0]["data"]) == {"greeting": "Salut", "max_per_day": 7, "sms_enabled": False,
                                                    "channel": "email", "tone": "amical"}


async def test_unreadable_json_reads_as_defaults(client, office):
    org, headers, _ = office
    await client.put(API.format(org.office_id), headers=headers, json={"greeting": "Salut"})
    await PluginSetting.update({PluginSetting.data: "{pas du json"}).where(PluginSetting.office == org.office_id)
    assert (await client.get(API.format(org.office_id), headers=headers)).json()["greeting"] == "Bonjour"


async def test_settings_are_per_office(client, office, make_org):
    org, headers, second = office
    await order_modules(client, headers, (second, "reglages", "activate"))
    await client.put(API.format(org.office_id), headers=headers, json={"greeting": "Siège"})
    assert (await client.get(API.format(second), headers=headers)).json()["greeting"] == "Bonjour"
    other = await make_org("Autre Mairie")
    other_headers = await api_token(client, other.owner_email)
    await order_modules(client, other_headers, (other.office_id, "reglages", "activate"))
    assert (await client.get(API.format(other.office_id), headers=other_headers)).json()["greeting"] == "Bonjour"
