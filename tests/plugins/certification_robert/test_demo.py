"""`socle demo` loads « Centre de langues Molière » with the module active: a stock of both types, orders,
40 candidates in every status, 4 groups (one candidate in several), pages that open for its logins."""

from core.testing.fixtures import api_token, login


async def test_demo_language_centre(client, settings):
    from core.demo import DEMO_PASSWORD, load_language_centre

    logins = await load_language_centre(settings)
    assert ("Centre de langues Molière", "Administrateur", "admin@moliere.example") in logins
    headers = await api_token(client, "admin@moliere.example", DEMO_PASSWORD)
    office = (await client.get("/api/v1/offices", headers=headers)).json()[0]["id"]
    base = f"/api/v1/offices/{office}/m/certification_robert"
    people = (await client.get(base + "/candidates", headers=headers)).json()
    assert len(people) == 40
    by_status = {s: sum(p["statut"] == s for p in people) for s in ("en_creation", "a_attribuer", "en_attente",
                                                                     "prevue", "passee")}
    assert all(by_status.values()), by_status
    assert (await client.get(base + "/stock", headers=headers)).json() == {"centre": 16, "laposte": 14}
    groups = (await client.get(base + "/groups", headers=headers)).json()
    assert len(groups) == 4 and {g["category"] for g in groups} == {"client", "classe", "session", "autre"}
    several = [p for p in people if len((await client.get(f"{base}/candidates/{p['id']}", headers=headers)
                                         ).json()["groups"]) > 1]
    assert several
    await login(client, "direction@moliere.example", DEMO_PASSWORD)
    page = f"/offices/{office}/m/certification_robert"
    home = await client.get(page + "/accueil")
    assert home.status_code == 200 and 'id="stock-total">30<' in home.text and 'id="candidates-total">40<' in home.text
    orders = await client.get(page + "/commandes")
    assert "Acceptée" in orders.text and "Devis demandé" in orders.text
    assert (await client.get(page + "/certifications")).status_code == 200
