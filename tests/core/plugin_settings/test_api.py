"""A plugin's per-office settings through the API: defaults from the Struct, PUT validated field by field
(422 naming the field in French, nothing written), read back typed by the plugin, admins only (basic 403,
another organisation's office 404, an office where the module is inactive 404)."""

import pytest

from core.testing.fixtures import api_token

DEFAULTS = {"greeting": "Bonjour", "max_per_day": 10, "sms_enabled": False, "channel": "email", "tone": "formel"}


def url(office_id: int) -> str:
    return f"/api/v1/offices/{office_id}/m/reglages/settings"


async def test_defaults_then_saved_values_are_read_back_by_the_plugin(client, office):
    org, headers, _ = office
    assert (await client.get(url(org.office_id), headers=headers)).json() == DEFAULTS
    plugin_view = await client.get(f"/api/v1/offices/{org.office_id}/m/reglages/greeting", headers=headers)
    assert plugin_view.json() == {"type": "Settings", **DEFAULTS}

    saved = await client.put(url(org.office_id), headers=headers, json={"greeting": "Bienvenue", "max_per_day": 3,
                                                                        "sms_enabled": True, "tone": "amical"})
    assert saved.status_code == 200, saved.text
    expected = {**DEFAULTS, "greeting": "Bienvenue", "max_per_day": 3, "sms_enabled": True, "tone": "amical"}
    assert saved.json() == expected
    assert (await client.get(url(org.office_id), headers=headers)).json() == expected
    plugin_view = await client.get(f"/api/v1/offices/{org.office_id}/m/reglages/greeting", headers=headers)
    assert plugin_view.json() == {"type": "Settings", **expected}

    partial = await client.put(url(org.office_id), headers=headers, json={"channel": "sms"})
    assert partial.json() == {**expected, "channel": "sms"}  # fields left out keep their value


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"max_per_day": 0}, "max_per_day", "Saisissez un nombre entre 1 et 50."),
    ({"max_per_day": "trois"}, "max_per_day", "Saisissez un nombre entier."),
    ({"greeting": "x" * 41}, "greeting", "Saisissez entre 1 et 40 caractères."),
    ({"greeting": 12}, "greeting", "Saisissez un texte."),
    ({"channel": "pigeon"}, "channel", "Choisissez une des valeurs proposées : email, sms, courrier."),
    ({"tone": "sec"}, "tone", "Choisissez une des valeurs proposées : formel, amical."),
    ({"sms_enabled": "oui"}, "sms_enabled", "Valeur oui/non attendue."),
    ({"couleur": "bleu"}, "couleur", "Ce réglage n'existe pas."),
])
async def test_invalid_values_are_refused_naming_the_field_and_nothing_is_written(client, office, body, field,
                                                                                  message):
    org, headers, _ = office
    response = await client.put(url(org.office_id), headers=headers, json={"greeting": "Salut", **body})
    assert response.status_code == 422, response.text
    assert {"field": field, "message": message} in response.json()["errors"]
    assert (await client.get(url(org.office_id), headers=headers)).json() == DEFAULTS


@pytest.mark.parametrize("body", [b"[1, 2]", b"{pas du json", b'"texte"'])
async def test_a_body_that_is_not_an_object_is_a_422(client, office, body):
    org, headers, _ = office
    response = await client.put(url(org.office_id), headers={**headers, "Content-Type": "application/json"},
                                content=body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body"


async def test_role_matrix(client, office, make_org, add_member):
    org, owner, second = office
    _, admin_email = await add_member(org, "admin")
    _, basic_email = await add_member(org, "basic")
    admin, basic = await api_token(client, admin_email), await api_token(client, basic_email)
    assert (await client.put(url(org.office_id), headers=admin, json={"greeting": "Admin"})).status_code == 200
    assert (await client.get(url(org.office_id), headers=admin)).json()["greeting"] == "Admin"
    assert (await client.get(url(org.office_id), headers=basic)).status_code == 403
    refused = await client.put(url(org.office_id), headers=basic, json={"greeting": "Basic"})
    assert refused.status_code == 403
    assert (await client.get(url(second), headers=owner)).status_code == 404  # module not active there
    assert (await client.put(url(second), headers=owner, json={"greeting": "x"})).status_code == 404
    other = await make_org("Autre Mairie")
    stranger = await api_token(client, other.owner_email)
    assert (await client.get(url(org.office_id), headers=stranger)).status_code == 404
    assert (await client.put(url(org.office_id), headers=stranger, json={"greeting": "x"})).status_code == 404
    assert (await client.get(url(org.office_id))).status_code == 401
    assert (await client.get(url(org.office_id), headers=owner)).json()["greeting"] == "Admin"
