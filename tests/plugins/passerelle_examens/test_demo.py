"""The module's demo data (`load_demo`, what `socle demo` loads into « Auto-école des Tilleuls »): favourite
centres, élèves of several categories, a history the delay rules read (greyed élèves), mandates in each state,
booked exams on the office calendar and Printel's captured places — through the simulators when they answer at
the office's addresses (what `make run` does), data only otherwise."""

from plugins.passerelle_examens.services.common import Ctx

MANDATES = {"Durand": "confirmed", "Rossi": "confirmed", "Nguyen": "requested", "Benali": "refused",
            "Lefèvre": "revoked", "Martin": "none"}


async def load(app, s) -> None:
    await app.state.plugins.call("load_demo", ["passerelle_examens"], organisation_id=s.org.organisation_id,
                                 office_id=s.org.office_id)


async def mandate_states(client, s, eleves) -> dict[str, str]:
    return {e["nom"]: (await client.get(s.api(f"/students/{e['id']}/mandate"), headers=s.headers)).json()["etat"]
            for e in eleves}


async def test_demo_data_without_a_simulator(app, client, school) -> None:
    from plugins.passerelle_examens.services import bookings, mandates

    offline = await school("Auto-école des Tilleuls")
    await client.put(offline.api("/settings"), headers=offline.headers,
                     json={"base_url": "http://127.0.0.1:9", "client_id": "ae", "client_secret": "secret-ae",
                           "printel_url": "http://127.0.0.1:9"})
    await load(app, offline)
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
    states = await mandates.states(c)  # (the mandate API reads RdvPermis first: a 503 here)
    assert {e["nom"]: states.get(e["id"], "none") for e in eleves} == MANDATES
    tom = next(e for e in eleves if e["nom"] == "Lefèvre")
    assert any(ev.event == "no_show" for ev in await bookings.history(c, tom["id"]))


async def test_demo_with_the_simulators_up_is_real_and_its_exams_cancel(app, client, school, rdvpermis,
                                                                         printel) -> None:
    """What `make run` shows: the mandates asked and answered on RdvPermis, the exams booked there (its own
    references, not « DEMO- »), Printel's places captured; cancelling a demo exam over HTTP succeeds."""
    from plugins.passerelle_examens.simulators.printel import allocated_places

    (url, state), (printel_url, _) = rdvpermis, printel
    online = await school("Auto-école des Platanes")
    await client.put(online.api("/settings"), headers=online.headers,
                     json={"base_url": url, "client_id": "ae", "client_secret": "secret-ae",
                           "printel_url": printel_url, "printel_login": "ae", "printel_password": "printel-ae"})
    await load(app, online)
    h, api = online.headers, online.api
    exams = (await client.get(api("/exams"), headers=h)).json()
    booked = [e for e in exams if e["statut"] == "reserve" and e["fournisseur"] == "rdvpermis"]
    assert len(booked) == 2 and len(state.bookings) == 2
    assert {e["reference"] for e in booked} == {b["booking_id"] for b in state.bookings.values()}
    assert not any(e["reference"].startswith("DEMO") for e in booked)
    eleves = (await client.get(api("/students"), headers=h)).json()
    assert await mandate_states(client, online, eleves) == MANDATES
    assert sorted(m["state"] for m in state.mandates.values()) == ["confirmed", "confirmed", "refused",
                                                                   "requested", "revoked"]
    captured = (await client.get(api("/places"), headers=h)).json()
    assert sorted(p["numero"] for p in captured) == sorted(p["numero"] for p in allocated_places("ae"))
    given = [p for p in captured if p["places_attribuees"]]  # one élève on the first lot, told to Printel
    assert len(given) == 1 and given[0]["eleves"][0]["nom"] == "Benali"
    assert any(e["fournisseur"] == "printel" and not e["reference"].startswith("DEMO") for e in exams)

    cancelled = await client.post(api(f"/exams/{booked[0]['id']}/cancel"), headers=h)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["statut"] == "annule" and len(state.bookings) == 1
