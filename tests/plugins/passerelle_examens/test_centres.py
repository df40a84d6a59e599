"""« Centres d'examen »: search by département and type against the RdvPermis simulator on a loopback port
(the office's setting points at it), « + » adds a favourite, « Retirer » removes it; the provider down →
a French message, never a 500; another organisation's favourite → 404."""

from markupsafe import escape

from core.testing.fixtures import login, submit
from plugins.passerelle_examens.simulators.rdvpermis import centres_of


async def test_search_add_and_remove_a_favourite(school, client, rdvpermis) -> None:
    url, _ = rdvpermis
    s = await school()
    saved = await client.put(s.api("/settings"), headers=s.headers,
                             json={"base_url": url, "client_id": "ae", "client_secret": "secret-ae"})
    assert saved.status_code == 200, saved.text
    await login(client, s.org.owner_email)
    page = s.page("/centres?departement=69&type=moto")
    found = await client.get(page)
    first = centres_of("69", "moto")[0]
    name = str(escape(first["name"]))
    assert found.status_code == 200 and name in found.text
    assert f'aria-label="Ajouter {name} aux favoris">+</button>' in found.text
    bad = await client.get(s.page("/centres?departement=99&type=voiture"))
    assert bad.status_code == 422 and "Choisissez un département dans la liste." in bad.text
    added = await submit(client, page, s.page("/centres/favoris"),
                         {"centre_id": first["id"], "departement": "69", "type": "moto"})
    assert added.status_code in (302, 303)
    favs = (await client.get(s.api("/favourites"), headers=s.headers)).json()
    assert [f["centre_id"] for f in favs] == [first["id"]] and favs[0]["type_libelle"] == "Moto"
    listing = await client.get(s.page("/centres"))
    assert "Centres favoris" in listing.text and name in listing.text
    other = await school("Auto-école Voltaire")
    fav_id = favs[0]["id"]
    assert (await client.delete(other.api(f"/favourites/{fav_id}"), headers=other.headers)).status_code == 404
    removed = await submit(client, s.page("/centres"), s.page(f"/centres/favoris/{fav_id}/supprimer"), {})
    assert removed.status_code in (302, 303)
    assert (await client.get(s.api("/favourites"), headers=s.headers)).json() == []


async def test_provider_down_or_wrong_credentials_give_a_french_message(school, client, rdvpermis) -> None:
    url, _ = rdvpermis
    s = await school()
    await client.put(s.api("/settings"), headers=s.headers, json={"base_url": url, "client_id": "ae",
                                                                  "client_secret": "mauvais"})
    refused = await client.get(s.api("/centres?departement=75&type=voiture"), headers=s.headers)
    assert refused.status_code == 503 and "identifiants RdvPermis" in refused.text
    await client.put(s.api("/settings"), headers=s.headers, json={"base_url": "http://127.0.0.1:9"})
    await login(client, s.org.owner_email)
    down = await client.get(s.page("/centres?departement=75&type=voiture"))
    assert down.status_code == 503 and "RdvPermis ne répond pas" in down.text
