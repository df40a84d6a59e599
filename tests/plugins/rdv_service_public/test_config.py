"""Configuration: services, motifs (every field checked, delays 30 min … 1 year with max > min), lieux,
guichets ("Guichet standard" on activation), agents' services (changeable, audited). Only admins write;
basic agents get 403; another organisation's ids are 404."""

import pytest

from core.testing.fixtures import api_token

YEAR = 366 * 24 * 60


async def test_activation_creates_the_standard_counter(town):
    t = await town()
    response = await t.call("GET", "/guichets")
    assert response.status_code == 200
    assert [g["name"] for g in response.json()] == ["Guichet standard"]


@pytest.mark.parametrize(("low", "high", "field"), [
    (29, 60, "min_delay_minutes"),
    (30, YEAR + 1, "max_delay_minutes"),
    (120, 120, "max_delay_minutes"),
    (120, 60, "max_delay_minutes"),
])
async def test_motif_delays_out_of_bounds_are_refused(town, low, high, field):
    t = await town()
    service = await t.make("/services", {"name": "État civil"})
    response = await t.call("POST", "/motifs", json={"name": "Passeport", "service_id": service["id"],
                                                     "min_delay_minutes": low, "max_delay_minutes": high})
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert (await t.call("GET", "/motifs")).json() == []


async def test_motif_delays_at_their_exact_bounds_are_accepted(town):
    t = await town()
    service = await t.make("/services", {"name": "État civil"})
    motif = await t.make("/motifs", {"name": "Passeport", "service_id": service["id"], "min_delay_minutes": 30,
                                     "max_delay_minutes": YEAR, "category": "passeport", "modality": "visio",
                                     "color": "#AA0011", "collective": True, "max_participants": 4})
    assert (motif["min_delay_minutes"], motif["max_delay_minutes"]) == (30, YEAR)
    assert motif["online"] is False  # off by default
    assert (motif["category"], motif["modality"], motif["max_participants"]) == ("passeport", "visio", 4)


@pytest.mark.parametrize(("payload", "field"), [
    ({"name": ""}, "name"),
    ({"modality": "pigeon"}, "modality"),
    ({"color": "rouge"}, "color"),
    ({"category": "permis"}, "category"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"service_id": 999999}, "service_id"),
])
async def test_bad_motif_fields_are_named(town, payload, field):
    t = await town()
    service = await t.make("/services", {"name": "État civil"})
    response = await t.call("POST", "/motifs", json={"name": "Passeport", "service_id": service["id"], **payload})
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_unknown_field_is_refused(town):
    t = await town()
    response = await t.call("POST", "/services", json={"name": "État civil", "couleur": "bleu"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "couleur", "message": "Champ inconnu."}]


async def test_motif_update_keeps_unsent_fields(town):
    t = await town()
    service = await t.make("/services", {"name": "État civil"})
    motif = await t.make("/motifs", {"name": "Passeport", "service_id": service["id"], "online": True})
    response = await t.call("PUT", f"/motifs/{motif['id']}", json={"name": "Passeport (dépôt)"})
    assert response.status_code == 200
    assert response.json()["name"] == "Passeport (dépôt)" and response.json()["online"] is True


async def test_basic_agent_reads_but_cannot_configure(town, add_member, client):
    t = await town()
    _, email = await add_member(t.org, "basic")
    basic = await api_token(client, email)
    assert (await t.call("GET", "/motifs", basic)).status_code == 200
    for path, payload in [("/services", {"name": "X"}), ("/lieux", {"name": "X", "address": "Y"}),
                          ("/guichets", {"name": "X"})]:
        assert (await t.call("POST", path, basic, json=payload)).status_code == 403
    assert (await t.call("GET", "/guichets")).json()[0]["name"] == "Guichet standard"


async def test_admin_configures(town, add_member, client):
    t = await town()
    _, email = await add_member(t.org, "admin")
    admin = await api_token(client, email)
    service = await t.make("/services", {"name": "Urbanisme"}, admin)
    assert service["name"] == "Urbanisme"


async def test_other_organisation_ids_are_not_found(town):
    a = await town("Mairie A")
    b = await town("Mairie B")
    service = await a.make("/services", {"name": "État civil"})
    motif = await a.make("/motifs", {"name": "CNI", "service_id": service["id"]})
    assert (await b.call("PUT", f"/motifs/{motif['id']}", json={"name": "volé"})).status_code == 404
    assert (await b.call("DELETE", f"/services/{service['id']}")).status_code == 404
    # B cannot reach A's office at all
    assert (await a.call("GET", "/motifs", b.headers)).status_code == 404
    other = await b.call("POST", "/motifs", json={"name": "CNI", "service_id": service["id"]})
    assert other.status_code == 422  # A's service is not a service of B


async def test_agent_services_change_is_audited(town, add_member):
    from core.auth.tables import AuditEntry

    t = await town()
    s1 = await t.make("/services", {"name": "État civil"})
    s2 = await t.make("/services", {"name": "Urbanisme"})
    agent_id, _ = await add_member(t.org, "basic")
    assert (await t.call("PUT", f"/agents/{agent_id}/services", json={"service_ids": [s1["id"]]})).status_code == 200
    assert (await t.call("PUT", f"/agents/{agent_id}/services",
                         json={"service_ids": [s2["id"], s1["id"]]})).status_code == 200
    agents = {a["id"]: a for a in (await t.call("GET", "/agents")).json()}
    assert agents[agent_id]["service_ids"] == sorted([s1["id"], s2["id"]])
    assert agents[agent_id]["level"] == "basique"
    entries = await AuditEntry.select().where(AuditEntry.action == "rdv_service_public.agent_services"
                                              ).output(load_json=True).order_by(AuditEntry.id)
    assert [e["details"]["after"] for e in entries] == [[s1["id"]], sorted([s1["id"], s2["id"]])]
    bad = await t.call("PUT", f"/agents/{agent_id}/services", json={"service_ids": [999999]})
    assert bad.status_code == 422


async def test_levels_follow_member_roles(town, add_member):
    t = await town()
    await add_member(t.org, "admin")
    await add_member(t.org, "intervenant")
    levels = sorted(a["level"] for a in (await t.call("GET", "/agents")).json())
    assert levels == ["administrateur", "administrateur", "intervenant"]


async def test_service_with_motifs_cannot_be_deleted(town):
    t = await town()
    service = await t.make("/services", {"name": "État civil"})
    await t.make("/motifs", {"name": "CNI", "service_id": service["id"]})
    response = await t.call("DELETE", f"/services/{service['id']}")
    assert response.status_code == 409 and "motifs" in response.json()["detail"]


async def test_other_office_is_separate(town, add_member, client):
    """Data belongs to one office: another office's ids are 404, and an agent attached only to the first
    office cannot reach the second (404)."""
    from tests.core.modules.helpers import add_office, order_modules

    t = await town()
    second = await add_office(client, t.headers, "Mairie annexe")
    await order_modules(client, t.headers, (second, "rdv_service_public", "activate"))
    service = await t.make("/services", {"name": "État civil"})
    other = f"/api/v1/offices/{second}/m/rdv_service_public"
    assert (await client.put(f"{other}/services/{service['id']}", headers=t.headers,
                             json={"name": "x"})).status_code == 404
    assert (await client.get(f"{other}/services", headers=t.headers)).json() == []
    _, email = await add_member(t.org, "basic", office_ids=[t.org.office_id])
    basic = await api_token(client, email)
    assert (await client.get(f"{other}/motifs", headers=basic)).status_code == 404
    assert (await t.call("GET", "/motifs", basic)).status_code == 200
