"""« Sessions »: the free sessions of the week for the favourite centres of a type, sorted by day, centre then
inspector, on the page (month calendar, « Chercher », « + ») and in the API; bad input next to the field;
the provider down → a French message, never a 500."""

import datetime as dt

from markupsafe import escape

from core.testing.fixtures import login
from plugins.passerelle_examens.simulators.rdvpermis import week_slots

NEXT = dt.date.today() + dt.timedelta(days=28)
MONDAY = NEXT - dt.timedelta(days=NEXT.weekday())


async def test_week_search_page_and_api(ready, client) -> None:
    r = await ready()
    s = r.s
    api = await client.get(s.api(f"/sessions?type=voiture&semaine={NEXT.isoformat()}"), headers=s.headers)
    assert api.status_code == 200, api.text
    body = api.json()
    expected = sorted(week_slots(r.centre["id"], MONDAY, r.state), key=lambda x: (x["day"], x["inspector"]))
    assert body["semaine"] == MONDAY.isoformat() and body["centres_favoris"] == 1
    assert [x["slot_id"] for x in body["sessions"]] == [x["slot_id"] for x in expected]
    assert [(x["jour"], x["inspecteur"]) for x in body["sessions"]] == sorted(
        (x["jour"], x["inspecteur"]) for x in body["sessions"])
    assert {x["centre"] for x in body["sessions"]} == {r.centre["name"]}
    moto = (await client.get(s.api(f"/sessions?type=moto&semaine={NEXT}"), headers=s.headers)).json()
    assert moto["sessions"] == [] and moto["centres_favoris"] == 0
    bad = await client.get(s.api("/sessions?type=camion&semaine=demain"), headers=s.headers)
    assert bad.status_code == 422 and "semaine" in bad.text and "type" in bad.text

    await login(client, s.org.owner_email)
    picked = await client.get(s.page(f"/sessions?type=voiture&semaine={NEXT.isoformat()}"))
    assert picked.status_code == 200 and 'aria-current="true"' in picked.text
    assert "Sessions libres" not in picked.text  # a day picks the week; « Chercher » searches
    page = await client.get(s.page(f"/sessions?type=voiture&semaine={NEXT.isoformat()}&chercher=1"))
    assert page.status_code == 200
    first = body["sessions"][0]
    label = f"Réserver la session du {first['jour_libelle']} à {first['heure']}, {escape(r.centre['name'])}"
    assert label in page.text and f"{len(expected)} session(s) libre(s)" in page.text
    wrong = await client.get(s.page("/sessions?type=voiture&semaine=2027-13-45&chercher=1"))
    assert wrong.status_code == 422
    assert 'aria-invalid="true"' in wrong.text and 'id="semaine-error"' in wrong.text


async def test_provider_down_gives_a_french_message(ready, client) -> None:
    r = await ready()
    r.state.faults.errors_5xx = 10
    api = await client.get(r.s.api(f"/sessions?type=voiture&semaine={NEXT}"), headers=r.s.headers)
    assert api.status_code == 503 and "momentanément indisponible" in api.text
    r.state.faults.errors_5xx = 10
    await login(client, r.s.org.owner_email)
    page = await client.get(r.s.page(f"/sessions?type=voiture&semaine={NEXT}&chercher=1"))
    assert page.status_code == 503 and "RdvPermis est momentanément indisponible" in page.text


async def test_an_office_outside_the_rdvpermis_experiment_cannot_search_or_book(ready, client) -> None:
    r = await ready()
    off = await client.put(r.s.api("/settings"), headers=r.s.headers,
                           json={"rdvpermis": False, "base_url": r.url, "client_id": "ae",
                                 "client_secret": "secret-ae"})
    assert off.status_code == 200 and off.json()["rdvpermis"] is False, off.text
    api = await client.get(r.s.api(f"/sessions?type=voiture&semaine={NEXT}"), headers=r.s.headers)
    assert api.status_code == 409 and "ne participe pas à l'expérimentation RdvPermis" in api.text
    slot = week_slots(r.centre["id"], MONDAY, r.state)[0]
    booked = await client.post(r.s.api("/exams"), headers=r.s.headers, json={
        "eleve_id": r.student["id"], "centre_id": slot["centre_id"], "slot_id": slot["slot_id"], "jour": slot["day"]})
    assert booked.status_code == 409 and r.state.bookings == {}
    await login(client, r.s.org.owner_email)
    page = await client.get(r.s.page(f"/sessions?type=voiture&semaine={NEXT}&chercher=1"))
    assert page.status_code == 409 and "ne participe pas à l&#39;expérimentation RdvPermis" in page.text
