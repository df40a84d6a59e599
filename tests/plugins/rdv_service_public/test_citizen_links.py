"""Issue 12.14: links given to citizens (recap, move, cancel pages; emails; SMS) carry an unguessable token,
never the appointment's id; an old id bookmark opens nothing, and a token works only under its own
organisation's public URL. Ids of deleted appointments are not reused (tests/core/db covers every table)."""

import json

from core.testing.fixtures import csrf_token
from tests.plugins.rdv_service_public.test_public import CITIZEN, _book, online, public_url  # noqa: F401

BASE = "http://testserver.local"


async def test_every_citizen_link_carries_the_token_not_the_id(online, client, mails, settings):  # noqa: F811
    t, motif = online["town"], online["online_motif"]
    slot = (await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"))).json()[0]
    response = await client.post(public_url(t, "/api/rdvs"), json={
        "motif_id": motif["id"], "starts_at": slot["starts_at"], "citizen_name": "Camille",
        "citizen_email": CITIZEN, "citizen_phone": "06 12 34 56 78"})
    assert response.status_code == 201, response.text
    booked = response.json()
    token = booked["recap_url"].rsplit("/rdv/", 1)[1]
    assert len(token) >= 32 and token != str(booked["id"]) and "token" not in booked

    recap = await client.get(booked["recap_url"].removeprefix(BASE))
    assert recap.status_code == 200
    assert f"/rdv/{token}/deplacer" in recap.text and f"/rdv/{token}/annuler" in recap.text
    assert f"/rdv/{booked['id']}" not in recap.text

    [message] = await mails(CITIZEN)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert booked["recap_url"] in text and f"/rdv/{booked['id']}\n" not in text
    [sms] = [json.loads(line) for line in (settings.data_dir / "sms" / "sms.jsonl").read_text().splitlines()]
    assert sms["text"].endswith(booked["recap_url"])


async def test_an_id_bookmark_opens_nothing(online, client):  # noqa: F811
    """The appointment id in place of the token, before and after the appointment was deleted and another
    citizen booked: 404, for the page and for every action."""
    t, motif = online["town"], online["online_motif"]
    first = await _book(client, t, motif, 0, "premiere@example.org")
    bookmark = public_url(t, f"/rdv/{first['id']}")
    assert (await client.get(bookmark)).status_code == 404
    assert (await t.call("DELETE", f"/rdvs/{first['id']}")).status_code == 204
    second = await _book(client, t, motif, 0, "seconde@example.org")
    assert second["id"] != first["id"]
    csrf = await csrf_token(client, public_url(t, f"/motifs/{motif['id']}/reserver"))
    for path in (bookmark, public_url(t, f"/rdv/{second['id']}"), first["recap_url"].removeprefix(BASE)):
        assert (await client.get(path)).status_code == 404
        assert (await client.get(path + "/deplacer")).status_code == 404
        for action in ("/annuler", "/liste-attente"):
            assert (await client.post(path + action, data={"_csrf_token": csrf, "wanted": "1"})).status_code == 404
    assert (await t.call("GET", f"/rdvs/{second['id']}")).json()["status"] == "a_venir"


async def test_a_token_works_only_under_its_own_organisation(online, town, client):  # noqa: F811
    t, motif = online["town"], online["online_motif"]
    booked = await _book(client, t, motif)
    token = booked["recap_url"].rsplit("/rdv/", 1)[1]
    other = await town("Mairie voisine")
    from core.tenancy.tables import Organisation

    slug = (await Organisation.select(Organisation.slug).where(
        Organisation.id == other.org.organisation_id).first())["slug"]
    foreign = f"/public/o/{slug}/m/rdv_service_public/rdv/{token}"
    assert (await client.get(foreign)).status_code == 404
    csrf = await csrf_token(client, public_url(t, f"/motifs/{motif['id']}/reserver"))
    assert (await client.post(foreign + "/annuler", data={"_csrf_token": csrf})).status_code == 404
    assert (await t.call("GET", f"/rdvs/{booked['id']}")).json()["status"] == "a_venir"
