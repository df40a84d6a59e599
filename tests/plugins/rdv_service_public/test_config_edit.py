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
