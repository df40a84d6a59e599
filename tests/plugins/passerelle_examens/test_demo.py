"""The module's demo data (`load_demo`, what `socle demo` loads into « Auto-école des Tilleuls »): favourite
centres, élèves of several categories, a history the delay rules read (greyed élèves), and booked exams on
the office calendar — booked with the simulator when it answers at the office's address, data only otherwise."""

from plugins.passerelle_examens.services.common import Ctx


async def test_demo_data_with_and_without_a_simulator(app, client, school, rdvpermis) -> None:
    from plugins.passerelle_examens.services import bookings

    url, state = rdvpermis
    offline = await school("Auto-école des Tilleuls")
    await client.put(offline.api("/settings"), headers=offline.headers,
                     json={"base_url": "http://127.0.0.1:9", "client_id": "ae", "client_secret": "secret-ae"})
    await app.state.plugins.call("load_demo", ["passerelle_examens"], organisation_id=offline.org.organisation_id,
                                 office_id=offline.org.office_id)
    h, api = offline.headers, offline.api
    assert len((await client.get(api("/favourites"), headers=h)).json()) == 3
    eleves = (await client.get(api("/students"), headers=h)).json()
    assert {e["categorie"] for e in eleves} >= {"B", "A2"} and len(eleves) == 6
    exams = (await client.get(api("/exams"), headers=h)).json()
    assert sorted(e["statut"] for e in exams) == ["absent", "echec", "reserve", "reserve", "reserve"]
    assert {e["reference"][:4] for e in exams if e["statut"] == "reserve"} == {"DEMO"}
    [lot] = (await client.get(api("/places"), headers=h)).json()  # one Printel lot, one élève on it
    assert lot["places_attribuees"] == 1 and lot["eleves"][0]["nom"] == "Benali"
    assert any(e["fournisseur"] == "printel" and e["centre"] == lot["lieu"] for e in exams)
    c = Ctx(offline.org.organisation_id, offline.org.office_id)
    tom = next(e for e in eleves if e["nom"] == "Lefèvre")
    assert any(ev.event == "no_show" for ev in await bookings.history(c, tom["id"]))

    online = await school("Auto-école des Platanes")
    await client.put(online.api("/settings"), headers=online.headers,
                     json={"base_url": url, "client_id": "ae", "client_secret": "secret-ae"})
    await app.state.plugins.call("load_demo", ["passerelle_examens"], organisation_id=online.org.organisation_id,
                                 office_id=online.org.office_id)
    booked = [e for e in (await client.get(online.api("/exams"), headers=online.headers)).json()
              if e["statut"] == "reserve" and e["fournisseur"] == "rdvpermis"]
    assert len(booked) == 2 and len(state.bookings) == 2
    assert {e["reference"] for e in booked} == {b["booking_id"] for b in state.bookings.values()}
