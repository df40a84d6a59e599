"""Printel places given to élèves: « Attribuer une place » on a captured lot creates the élève's exam file
(réservé, in « Examens du permis » and its ICS feed, an email with an ICS REQUEST, an audit line) and tells
Printel; the lot shows its places assigned and free and who holds them; the same élève twice and a full lot are
refused in French; « Retirer » (confirmation step) releases the place at Printel, cancels the exam (ICS CANCEL,
late-cancellation rule) and frees the place; a Printel failure shows its message and records nothing."""

import datetime as dt

import pytest

from core.auth.tables import AuditEntry
from core.plugin_api import calendar as cal
from core.testing.fixtures import api_token, deliver_outbox, login, mail_text, submit
from plugins.passerelle_examens.providers import printel as printel_client
from plugins.passerelle_examens.tables import ExamFile
from tests.core.modules.helpers import add_office, order_modules
from tests.plugins.passerelle_examens.places_helpers import add_student
from tests.plugins.passerelle_examens.test_booking import exam_mails, invitation

TODAY = dt.date.today()


async def _calendar(s):
    return next(c for c in await cal.list_calendars(s.org.organisation_id, s.org.office_id)
                if c.name == "Examens du permis")


async def _entries(s) -> int:
    """Entries on the office's exam calendar (none when the calendar was never created)."""
    found = [c for c in await cal.list_calendars(s.org.organisation_id, s.org.office_id)
             if c.name == "Examens du permis"]
    if not found:
        return 0
    return len(await cal.bookings_between(s.org.organisation_id, [found[0].id], dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                                          dt.datetime(2100, 1, 1, tzinfo=dt.UTC)))


async def test_assign_from_the_page_makes_the_exam_file_calendar_entry_and_email(printel_lot, client,
                                                                                 settings) -> None:
    p = await printel_lot(places=2)
    s, lot = p.s, p.lot
    await login(client, s.org.owner_email)
    shown = await client.get(s.page("/places"))
    assert "2 place(s) : 0 attribuée(s), 2 libre(s)" in shown.text
    form = s.page(f"/places/{lot['id']}/attribuer")
    assert f'href="{form}"' in shown.text
    offer = await client.get(form + "?q=dur")
    assert offer.status_code == 200 and "Attribuer à DURAND Léa Marie" in offer.text
    assert "Aucun élève" in (await client.get(form + "?q=martin")).text
    done = await submit(client, form, form, {"eleve": str(p.student["id"]), "q": "dur"})
    assert done.status_code in (302, 303) and done.headers["location"].endswith("/places"), done.text
    listing = await client.get(s.page("/places"))
    assert "Place attribuée : examen du" in listing.text
    assert "2 place(s) : 1 attribuée(s), 1 libre(s)" in listing.text
    assert "DURAND Léa Marie (NEPH 123456789012)" in listing.text
    assert list(p.held()) == ["123456789012"]  # Printel was told

    [api_lot] = [x for x in (await client.get(s.api("/places"), headers=s.headers)).json() if x["id"] == lot["id"]]
    assert (api_lot["places_attribuees"], api_lot["places_libres"]) == (1, 1)
    [held] = api_lot["eleves"]
    assert (held["nom"], held["neph"], held["statut"]) == ("Durand", "123456789012", "reserve")
    exam = (await client.get(s.api(f"/exams/{held['exam_id']}"), headers=s.headers)).json()
    assert (exam["fournisseur"], exam["statut"], exam["jour"], exam["centre"]) == (
        "printel", "reserve", lot["date"], "Centre d'examen de Bron")
    [listed] = [e for e in (await client.get(s.api("/exams"), headers=s.headers)).json() if e["id"] == exam["id"]]
    assert exam["reference"] == p.held()["123456789012"] and listed["heure"] == "08:00"
    assert "DURAND Léa Marie" in (await client.get(s.page("/examens"))).text

    calendar = await _calendar(s)
    day = dt.date.fromisoformat(lot["date"])
    entries = await cal.bookings_between(s.org.organisation_id, [calendar.id],
                                         dt.datetime.combine(day, dt.time(0), dt.UTC),
                                         dt.datetime.combine(day, dt.time(23, 59), dt.UTC))
    assert [e.label for e in entries] == ["Examen B — DURAND Léa Marie — Centre d'examen de Bron"]
    assert "Examen B" in (await client.get(calendar.ics_path)).text
    [entry] = await AuditEntry.select().where((AuditEntry.action == "passerelle_examens.place_assigned")
                                              & (AuditEntry.target == f"exam_file:{exam['id']}"))
    assert f"Place Printel n° {lot['numero']}" in entry["summary"]

    await deliver_outbox(settings)
    [mail] = exam_mails(settings)
    assert "Votre examen du permis est réservé" in mail["Subject"] and "Centre d'examen de Bron" in mail_text(mail)
    assert "Inspecteur" not in mail_text(mail)  # Printel names no inspector
    assert invitation(mail)[0] == "REQUEST"

    twice = await submit(client, form, form, {"eleve": str(p.student["id"]), "q": ""})
    assert twice.status_code == 422 and "DURAND Léa Marie a déjà une place sur ce lot." in twice.text
    again = await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=s.headers,
                              json={"eleve": p.student["id"]})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "eleve", again.text
    assert "a déjà une place sur ce lot" in again.text
    assert await ExamFile.count().where(ExamFile.allocated_place == lot["id"]) == 1 and len(p.held()) == 1


async def test_retirer_releases_cancels_late_and_frees_the_place(printel_lot, client, settings) -> None:
    p = await printel_lot(days=3, places=1)  # the exam is in 3 days: a removal now is a late cancellation
    s, lot = p.s, p.lot
    made = await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=s.headers,
                             json={"eleve": p.student["id"]})
    assert made.status_code == 201, made.text
    exam = made.json()
    await login(client, s.org.owner_email)
    shown = await client.get(s.page("/places"))
    confirm = s.page(f"/places/{lot['id']}/eleves/{exam['id']}/retirer")
    assert f'href="{confirm}"' in shown.text and "Toutes les places de ce lot sont attribuées." in shown.text
    asked = await client.get(confirm)
    assert "Confirmer le retrait" in asked.text and "cette annulation est tardive" in asked.text
    assert len(p.held()) == 1  # the question changed nothing
    done = await submit(client, confirm, confirm, {})
    assert done.status_code in (302, 303) and done.headers["location"].endswith("/places"), done.text
    assert "Place libérée" in (await client.get(s.page("/places"))).text
    after = (await client.get(s.api(f"/exams/{exam['id']}"), headers=s.headers)).json()
    assert after["statut"] == "annule" and after["annulation_tardive"] is True
    assert p.held() == {}  # released at Printel
    [api_lot] = [x for x in (await client.get(s.api("/places"), headers=s.headers)).json() if x["id"] == lot["id"]]
    assert (api_lot["places_attribuees"], api_lot["places_libres"], api_lot["eleves"]) == (0, 1, [])
    assert "STATUS:CANCELLED" in (await client.get((await _calendar(s)).ics_path)).text
    await deliver_outbox(settings)
    methods = sorted(invitation(m)[0] for m in exam_mails(settings))
    assert methods == ["CANCEL", "REQUEST"]
    twice = await client.delete(s.api(f"/places/{lot['id']}/assignments/{exam['id']}"), headers=s.headers)
    assert twice.status_code == 409 and "plus réservé" in twice.text

    earliest = (TODAY + dt.timedelta(days=3 + 30)).strftime("%d/%m/%Y")  # the 30-day rule after a late one
    refused = await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=s.headers,
                                json={"eleve": p.student["id"]})
    assert refused.status_code == 422 and f"Annulation tardive : possible à partir du {earliest}" in refused.text
    page = await client.get(s.page(f"/places/{lot['id']}/attribuer"))
    assert "Attribuer à DURAND" not in page.text and "non disponible : Annulation tardive" in page.text


async def test_api_unassign_in_time_is_not_late_and_the_place_is_given_again(printel_lot, client) -> None:
    p = await printel_lot(days=20, places=1)
    s, lot = p.s, p.lot
    exam = (await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=s.headers,
                              json={"eleve": p.student["id"]})).json()
    gone = await client.delete(s.api(f"/places/{lot['id']}/assignments/{exam['id']}"), headers=s.headers)
    assert gone.status_code == 200 and gone.json()["statut"] == "annule", gone.text
    assert gone.json()["annulation_tardive"] is False and p.held() == {}
    other = await add_student(client, s)
    given = await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=s.headers,
                              json={"eleve": other["id"]})
    assert given.status_code == 201 and list(p.held()) == [other["neph"]], given.text


async def test_full_lot_bad_input_and_eligibility(printel_lot, client) -> None:
    p = await printel_lot(places=1)
    s, lot = p.s, p.lot
    path = s.api(f"/places/{lot['id']}/assignments")
    for body, field in (({}, "eleve"), ({"eleve": "x"}, "eleve"), ({"eleve": ""}, "eleve")):
        bad = await client.post(path, headers=s.headers, json=body)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == field, bad.text
    assert "Choisissez l'élève" in (await client.post(path, headers=s.headers, json={})).text
    assert (await client.post(path, headers=s.headers, json={"eleve": p.student["id"]})).status_code == 201
    other = await add_student(client, s)
    full = await client.post(path, headers=s.headers, json={"eleve": other["id"]})
    assert full.status_code == 409 and "Ce lot n'a plus de place libre" in full.text
    await login(client, s.org.owner_email)
    assert "Toutes les places de ce lot sont attribuées." in (await client.get(s.page("/places"))).text
    assert f"Attribuer une place du lot n° {lot['numero']}" not in (await client.get(s.page("/places"))).text

    p.state.extra["tilleuls"] += [{"numero": "PTMOTO1", "cle": "CLEMOTO1", "lieu": "Piste moto de Bron",
                                   "date": (TODAY + dt.timedelta(days=25)).isoformat(), "nombre_places": 3,
                                   "type": "moto"},
                                  {"numero": "PTSANS1", "cle": "CLESANS1", "lieu": "Centre de Vénissieux",
                                   "date": (TODAY + dt.timedelta(days=30)).isoformat(), "nombre_places": 3}]
    await client.post(s.api("/places/capture"), headers=s.headers)
    lots = {x["numero"]: x for x in (await client.get(s.api("/places"), headers=s.headers)).json()}
    moto, untyped = lots["PTMOTO1"], lots["PTSANS1"]
    assert (moto["type"], untyped["type"]) == ("moto", "")
    wrong = await client.post(s.api(f"/places/{moto['id']}/assignments"), headers=s.headers,
                              json={"eleve": other["id"]})
    assert wrong.status_code == 422 and "La catégorie B ne correspond pas à une session moto" in wrong.text
    busy = await client.post(s.api(f"/places/{untyped['id']}/assignments"), headers=s.headers,
                             json={"eleve": p.student["id"]})
    assert busy.status_code == 422 and "Examen déjà réservé le" in busy.text  # the first lot's exam
    page = await client.get(s.page(f"/places/{untyped['id']}/attribuer"))
    assert "Attribuer à MARTIN Hugo" in page.text
    assert "DURAND Léa Marie — non disponible : Examen déjà réservé" in page.text
    ok = await client.post(s.api(f"/places/{untyped['id']}/assignments"), headers=s.headers,
                           json={"eleve": other["id"]})
    assert ok.status_code == 201 and ok.json()["type"] == "voiture", ok.text  # the élève's category says it
    assert len(p.state.assigned) == 2


async def test_a_past_lot_is_refused(printel_lot, client) -> None:
    p = await printel_lot(days=0)
    refused = await client.post(p.s.api(f"/places/{p.lot['id']}/assignments"), headers=p.s.headers,
                                json={"eleve": p.student["id"]})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "place", refused.text
    assert p.held() == {}


async def test_roles_basic_agent_assigns_other_office_and_organisation_404(printel_lot, client, add_member,
                                                                          school) -> None:
    p = await printel_lot()
    s, lot = p.s, p.lot
    _, agent_email = await add_member(s.org, "basic")
    agent = await api_token(client, agent_email)
    made = await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=agent, json={"eleve": p.student["id"]})
    assert made.status_code == 201, made.text
    exam_id = made.json()["id"]

    annex_id = await add_office(client, s.headers, "Annexe")
    await order_modules(client, s.headers, (annex_id, "passerelle_examens", "activate"))
    annex = f"/api/v1/offices/{annex_id}/m/passerelle_examens"
    assert (await client.post(f"{annex}/places/{lot['id']}/assignments", headers=s.headers,
                              json={"eleve": p.student["id"]})).status_code == 404
    assert (await client.delete(f"{annex}/places/{lot['id']}/assignments/{exam_id}",
                                headers=s.headers)).status_code == 404
    stranger = await school("Auto-école Voltaire")
    theirs = stranger.api(f"/places/{lot['id']}/assignments")
    assert (await client.post(theirs, headers=stranger.headers, json={"eleve": p.student["id"]})).status_code == 404
    assert (await client.delete(f"{theirs}/{exam_id}", headers=stranger.headers)).status_code == 404
    assert (await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=stranger.headers,
                              json={"eleve": p.student["id"]})).status_code == 404
    their_student = await add_student(client, stranger)
    foreign = await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=s.headers,
                                json={"eleve": their_student["id"]})
    assert foreign.status_code == 404  # another organisation's élève
    assert (await client.delete(s.api(f"/places/{lot['id'] + 1000}/assignments/{exam_id}"),
                                headers=s.headers)).status_code == 404

    await login(client, agent_email)
    assert (await client.get(s.page(f"/places/{lot['id']}/attribuer"))).status_code == 200
    assert (await client.get(s.page(f"/places/{lot['id']}/eleves/{exam_id}/retirer"))).status_code == 200
    assert (await client.get(s.page(f"/places/{lot['id'] + 1000}/attribuer"))).status_code == 404
    removed = await client.delete(s.api(f"/places/{lot['id']}/assignments/{exam_id}"), headers=agent)
    assert removed.status_code == 200 and removed.json()["statut"] == "annule"
    assert await ExamFile.count().where(ExamFile.allocated_place == lot["id"]) == 1


@pytest.mark.parametrize("fault", ["errors_5xx", "expire_tokens"])
async def test_printel_down_shows_a_message_and_writes_nothing(printel_lot, client, settings, fault) -> None:
    p = await printel_lot()
    s, lot = p.s, p.lot
    setattr(p.state.faults, fault, 10 if fault == "errors_5xx" else True)
    await login(client, s.org.owner_email)
    form = s.page(f"/places/{lot['id']}/attribuer")
    failed = await submit(client, form, form, {"eleve": str(p.student["id"]), "q": ""})
    assert failed.status_code == 503, failed.text
    assert "Printel est momentanément indisponible" in failed.text or "La connexion à Printel a expiré" in failed.text
    api = await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=s.headers,
                            json={"eleve": p.student["id"]})
    assert api.status_code == 503 and "Printel" in api.json()["detail"]
    assert await ExamFile.count().where(ExamFile.allocated_place == lot["id"]) == 0 and p.held() == {}
    assert await _entries(s) == 0
    await deliver_outbox(settings)
    assert exam_mails(settings) == []
    assert "0 attribuée(s)" in (await client.get(s.page("/places"))).text

    setattr(p.state.faults, fault, 0 if fault == "errors_5xx" else False)  # back up: assign, then down again
    exam = (await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=s.headers,
                              json={"eleve": p.student["id"]})).json()
    setattr(p.state.faults, fault, 10 if fault == "errors_5xx" else True)
    confirm = s.page(f"/places/{lot['id']}/eleves/{exam['id']}/retirer")
    kept = await submit(client, confirm, confirm, {})
    assert kept.status_code == 503 and "Printel" in kept.text
    assert (await client.get(s.api(f"/exams/{exam['id']}"), headers=s.headers)).json()["statut"] == "reserve"
    assert len(p.held()) == 1


async def test_a_lost_answer_is_given_back_and_nothing_recorded(printel_lot, client, monkeypatch) -> None:
    monkeypatch.setattr(printel_client, "TIMEOUT", 0.5)
    p = await printel_lot()
    p.state.faults.hang_seconds, p.state.faults.lose_booking_answer = 1.0, 1  # accepted, answer lost
    lost = await client.post(p.s.api(f"/places/{p.lot['id']}/assignments"), headers=p.s.headers,
                             json={"eleve": p.student["id"]})
    assert lost.status_code == 503 and "Printel met trop de temps à répondre" in lost.text, lost.text
    assert p.held() == {}  # the place Printel took is released
    assert await ExamFile.count().where(ExamFile.allocated_place == p.lot["id"]) == 0
    again = await client.post(p.s.api(f"/places/{p.lot['id']}/assignments"), headers=p.s.headers,
                              json={"eleve": p.student["id"]})
    assert again.status_code == 201 and len(p.held()) == 1, again.text


async def test_results_are_recorded_on_a_printel_file(printel_lot, client) -> None:
    p = await printel_lot()
    s, lot = p.s, p.lot
    exam = (await client.post(s.api(f"/places/{lot['id']}/assignments"), headers=s.headers,
                              json={"eleve": p.student["id"]})).json()
    early = await client.post(s.api(f"/exams/{exam['id']}/result"), headers=s.headers, json={"resultat": "admis"})
    assert early.status_code == 409 and "pas encore eu lieu" in early.text
    yesterday = TODAY - dt.timedelta(days=1)
    start = dt.datetime.combine(yesterday, dt.time(8), dt.UTC)
    await ExamFile.update({ExamFile.day: yesterday, ExamFile.starts_at: start,
                           ExamFile.ends_at: start + dt.timedelta(hours=1)}).where(ExamFile.id == exam["id"])
    await login(client, s.org.owner_email)
    result_page = s.page(f"/examens/{exam['id']}/resultat")
    assert f'href="{result_page}"' in (await client.get(s.page("/examens"))).text
    done = await client.post(s.api(f"/exams/{exam['id']}/result"), headers=s.headers,
                             json={"resultat": "echec", "points": 22})
    assert done.status_code == 200 and (done.json()["statut"], done.json()["points"]) == ("echec", 22), done.text
    [api_lot] = [x for x in (await client.get(s.api("/places"), headers=s.headers)).json() if x["id"] == lot["id"]]
    assert api_lot["places_attribuees"] == 1 and api_lot["eleves"][0]["statut"] == "echec"  # still its place
    assert "Retirer DURAND" not in (await client.get(s.page("/places"))).text
