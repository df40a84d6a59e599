"""Issue 12: the configuration page is split into labelled sections with a table of contents, and services and
places can be renamed there (every field labelled); an empty name is refused in French and nothing changes."""

from core.testing.fixtures import login, submit
from tests.plugins.rdv_service_public.test_pages import office_url


async def test_services_and_places_are_edited_on_the_sectioned_page(configured, client):
    t = configured["town"]
    lieu = configured["lieu"]
    service = (await t.call("GET", "/services")).json()[0]
    await login(client, t.org.owner_email)
    page = await client.get(office_url(t, "/config"))
    assert page.status_code == 200 and 'aria-label="Sections de la configuration"' in page.text
    for key in ("en-ligne", "services", "motifs", "lieux", "guichets", "agents"):
        assert f'href="#cfg-{key}"' in page.text and f'aria-labelledby="cfg-{key}-t"' in page.text
    assert f'<label for="lieu-{lieu["id"]}-address"' in page.text
    assert f'<label for="service-{service["id"]}"' in page.text
    config = office_url(t, "/config")
    renamed = await submit(client, config, office_url(t, f"/config/services/{service['id']}"), {"name": "Accueil"})
    assert renamed.status_code in (302, 303)
    moved = await submit(client, config, office_url(t, f"/config/lieux/{lieu['id']}"),
                         {"name": "Mairie annexe", "address": "2 rue Neuve", "phone": "01 02 03 04 05"})
    assert moved.status_code in (302, 303)
    after = await client.get(office_url(t, "/config"))
    assert "Lieu « Mairie annexe » enregistré." in after.text and 'value="2 rue Neuve"' in after.text
    assert [s["name"] for s in (await t.call("GET", "/services")).json()] == ["Accueil"]
    empty = await submit(client, config, office_url(t, f"/config/lieux/{lieu['id']}"),
                         {"name": "", "address": "3 rue Neuve"})
    assert empty.status_code in (302, 303)
    refused = await client.get(office_url(t, "/config"))
    assert "nom du lieu" in refused.text.lower() and 'value="2 rue Neuve"' in refused.text


async def test_a_counter_is_edited_with_checkboxes_for_its_motifs(configured, client):
    t = configured["town"]
    motif = configured["motif"]
    [standard] = (await t.call("GET", "/guichets")).json()
    await login(client, t.org.owner_email)
    config = office_url(t, "/config")
    page = await client.get(config)
    assert f'<label for="guichet-{standard["id"]}-capacity">Capacité</label>' in page.text
    assert f'Motifs servis par « {standard["name"]} »' in page.text
    saved = await submit(client, config, office_url(t, f"/config/guichets/{standard['id']}"),
                         {"name": "Accueil principal", "capacity": "3", "motif_ids": str(motif["id"])})
    assert saved.status_code in (302, 303)
    [after] = (await t.call("GET", "/guichets")).json()
    assert (after["name"], after["capacity"], after["motif_ids"]) == ("Accueil principal", 3, [motif["id"]])
    refused = await submit(client, config, office_url(t, f"/config/guichets/{standard['id']}"),
                           {"name": "Accueil principal", "capacity": "0"})
    assert refused.status_code in (302, 303)
    assert (await t.call("GET", "/guichets")).json()[0]["capacity"] == 3
    assert "flash-error" in (await client.get(config)).text  # the refusal is said, in French


async def test_a_plage_is_edited_from_the_agenda_keeping_what_was_typed_on_error(configured, client):
    t, agent = configured["town"], configured["agent_id"]
    [plage] = (await t.call("GET", "/plages", params={"member_id": agent})).json()
    await login(client, t.org.owner_email)
    agenda = office_url(t, f"/agenda?member_id={agent}")
    listed = await client.get(agenda)
    assert f"edit_plage={plage['id']}#plage-form" in listed.text
    form_page = office_url(t, f"/agenda?member_id={agent}&edit_plage={plage['id']}")
    editing = await client.get(form_page)
    assert "Modifier la plage d'ouverture</h3>" in editing.text and 'value="09:00"' in editing.text
    assert f'action="{office_url(t, "/agenda/plages/" + str(plage["id"]))}"' in editing.text
    fields = {"weekdays": ["0", "2"], "first_day": plage["first_day"], "start_time": "08:30", "end_time": "12:00",
              "every_weeks": "1", "lieu_id": str(configured["lieu"]["id"])}
    refused = await submit(client, form_page, office_url(t, f"/agenda/plages/{plage['id']}"),
                           {**fields, "end_time": "08:00"})
    assert refused.status_code == 422 and 'value="08:00"' in refused.text and 'value="08:30"' in refused.text
    saved = await submit(client, form_page, office_url(t, f"/agenda/plages/{plage['id']}"), fields)
    assert saved.status_code in (302, 303)
    [after] = (await t.call("GET", "/plages", params={"member_id": agent})).json()
    assert (after["id"], after["start_time"], after["weekdays"]) == (plage["id"], "08:30", [0, 2])
