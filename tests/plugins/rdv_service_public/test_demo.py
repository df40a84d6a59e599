"""`socle demo` loads "Mairie de Saint-Vallier" with the module active: three services, a dozen motifs,
agents of every level with their services, a week of plages and appointments, and a public booking page."""

from core.testing.fixtures import api_token


async def test_demo_town_hall(client, settings):
    from core.demo import DEMO_PASSWORD, load_town_hall

    logins = await load_town_hall(settings)
    assert ("Mairie de Saint-Vallier", "Administrateur", "admin@saint-vallier.example") in logins
    headers = await api_token(client, "admin@saint-vallier.example", DEMO_PASSWORD)
    offices = (await client.get("/api/v1/offices", headers=headers)).json()
    base = f"/api/v1/offices/{offices[0]['id']}/m/rdv_service_public"
    assert len((await client.get(base + "/services", headers=headers)).json()) == 3
    motifs = (await client.get(base + "/motifs", headers=headers)).json()
    assert len(motifs) == 12 and any(m["online"] for m in motifs) and not all(m["online"] for m in motifs)
    levels = {a["level"] for a in (await client.get(base + "/agents", headers=headers)).json()}
    assert levels == {"administrateur", "basique", "intervenant"}
    rdvs = (await client.get(base + "/rdvs", headers=headers, params={"days": 14, "start": _monday()})).json()
    assert len(rdvs) >= 20
    page = await client.get("/public/o/mairie-de-saint-vallier/m/rdv_service_public/")
    assert page.status_code == 200 and "Passeport" in page.text


def _monday() -> str:
    from datetime import date, timedelta

    today = date.today()
    return f"{today - timedelta(days=today.weekday())}T00:00:00"
