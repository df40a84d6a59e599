"""French pages: Configuration is for administrators (403 for basic agents); the planning shows
appointments and free slots; the hand-typed form warns outside opening hours and books after the
confirmation; deleting asks first."""

from core.testing.fixtures import login, submit


def office_url(t, path):
    return f"/offices/{t.org.office_id}/m/rdv_service_public{path}"


async def test_configuration_is_for_admins_only(configured, client, add_member):
    t = configured["town"]
    _, basic_email = await add_member(t.org, "basic", email="agent2@example.org")
    await login(client, basic_email)
    assert (await client.get(office_url(t, "/config"))).status_code == 403
    assert (await client.get(office_url(t, "/planning"))).status_code == 200
    client.cookies.clear()
    await login(client, t.org.owner_email)
    page = await client.get(office_url(t, "/config"))
    assert page.status_code == 200
    assert "Guichet standard" in page.text and "Carte d&#39;identité" in page.text
    assert "/public/o/" in page.text


async def test_motif_form_shows_french_field_errors(configured, client):
    t = configured["town"]
    await login(client, t.org.owner_email)
    response = await submit(client, office_url(t, "/config/motifs/new"), office_url(t, "/config/motifs/new"), {
        "name": "Passeport", "service_id": configured["service"]["id"], "duration_minutes": "30",
        "modality": "sur_place", "color": "#123456", "min_delay_minutes": "60", "max_delay_minutes": "60"})
    assert response.status_code == 422
    assert "Le délai maximum doit être supérieur au délai minimum." in response.text
    ok = await submit(client, office_url(t, "/config/motifs/new"), office_url(t, "/config/motifs/new"), {
        "name": "Passeport", "service_id": configured["service"]["id"], "duration_minutes": "30",
        "modality": "sur_place", "color": "#123456", "min_delay_minutes": "60", "max_delay_minutes": "1440",
        "online": "on"})
    assert ok.status_code in (302, 303)
    motifs = (await t.call("GET", "/motifs")).json()
    assert [m["online"] for m in motifs if m["name"] == "Passeport"] == [True]


async def test_planning_lists_free_slots_of_a_motif(configured, client):
    t = configured["town"]
    await login(client, t.org.owner_email)
    page = await client.get(office_url(t, "/planning"), params={
        "date": configured["monday"].isoformat(), "motif_id": configured["motif"]["id"], "view": "day"})
    assert page.status_code == 200
    assert "Libre 09:00" in page.text and "Libre 11:30" in page.text and "Libre 12:00" not in page.text


async def test_hand_typed_time_outside_hours_warns_then_books(configured, client):
    t = configured["town"]
    await login(client, t.org.owner_email)
    form = {"motif_id": configured["motif"]["id"], "member_id": configured["agent_id"],
            "starts_at": f"{configured['monday'].isoformat()}T17:00", "citizen_name": "Paul Durand"}
    first = await submit(client, office_url(t, "/rdvs/new"), office_url(t, "/rdvs/new"), form)
    assert first.status_code == 200
    assert "en dehors des horaires d&#39;ouverture" in first.text and "Confirmer hors horaires" in first.text
    assert (await t.call("GET", "/rdvs", params={"start": f"{configured['monday']}T00:00:00"})).json() == []
    second = await submit(client, office_url(t, "/rdvs/new"), office_url(t, "/rdvs/new"),
                          {**form, "confirm_outside_hours": "1"})
    assert second.status_code in (302, 303)
    [booked] = (await t.call("GET", "/rdvs", params={"start": f"{configured['monday']}T00:00:00"})).json()
    assert booked["citizen_name"] == "Paul Durand"
    planning = await client.get(office_url(t, "/planning"), params={"date": configured["monday"].isoformat()})
    assert "17:00 Paul Durand" in planning.text


async def test_delete_asks_for_confirmation(configured, client):
    t = configured["town"]
    booked = await t.make("/rdvs", {"motif_id": configured["motif"]["id"], "member_id": configured["agent_id"],
                                    "starts_at": f"{configured['monday']}T09:00:00", "citizen_name": "Léa"})
    await login(client, t.org.owner_email)
    confirm = await client.get(office_url(t, f"/rdvs/{booked['id']}/delete"))
    assert confirm.status_code == 200 and "irréversible" in confirm.text
    done = await submit(client, office_url(t, f"/rdvs/{booked['id']}/delete"),
                        office_url(t, f"/rdvs/{booked['id']}/delete"), {})
    assert done.status_code in (302, 303)
    assert (await t.call("GET", f"/rdvs/{booked['id']}")).status_code == 404


async def test_agenda_page_adds_a_plage(configured, client):
    t = configured["town"]
    await login(client, t.org.owner_email)
    url = office_url(t, f"/agenda?member_id={configured['agent_id']}")
    response = await submit(client, url, office_url(t, "/agenda/plages"), {
        "member_id": configured["agent_id"], "weekdays": ["1", "3"], "first_day": configured["monday"].isoformat(),
        "start_time": "14:00", "end_time": "17:00", "every_weeks": "1"})
    assert response.status_code in (302, 303)
    page = await client.get(url)
    assert "Mardi" in page.text and "14:00 – 17:00" in page.text
