"""Printel lots after their first capture, and the times the school reads: every « heure » of an exam file is
the office's local time (Europe/Paris), in the detail as in the list, the assignment and the pages; a lot's
time comes from Printel when it gives one (08:00 otherwise); a re-capture updates a lot Printel changed (places,
date, time, lieu) — its élèves' files follow, and fewer places than élèves keeps them all with a warning."""

import datetime as dt
from zoneinfo import ZoneInfo

import httpx

from core.plugin_api import calendar as cal
from core.testing.fixtures import deliver_outbox, login, mail_text, submit
from plugins.passerelle_examens.providers.printel import PrintelProvider
from plugins.passerelle_examens.simulators.printel import HEURES, State, allocated_places
from tests.plugins.passerelle_examens.places_helpers import LOGIN, add_student, lot_row
from tests.plugins.passerelle_examens.test_booking import exam_mails, invitation

PARIS = "Europe/Paris"


async def _assign(client, s, lot_id: int, student_id: int) -> dict:
    made = await client.post(s.api(f"/places/{lot_id}/assignments"), headers=s.headers, json={"eleve": student_id})
    assert made.status_code == 201, made.text
    return made.json()


async def _lot(client, s, lot_id: int) -> dict:
    [row] = [x for x in (await client.get(s.api("/places"), headers=s.headers)).json() if x["id"] == lot_id]
    return row


async def _entry(s, exam_id: int):
    [calendar] = [c for c in await cal.list_calendars(s.org.organisation_id, s.org.office_id)
                  if c.name == "Examens du permis"]
    found = await cal.bookings_between(s.org.organisation_id, [calendar.id], dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                                       dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    [entry] = [e for e in found if e.source_ref == f"exam_file:{exam_id}"]
    return entry


async def test_every_heure_of_an_exam_file_is_the_offices_local_time(printel_lot, client) -> None:
    p = await printel_lot(places=2)  # no heure from Printel: the convocation is at 08:00, Paris time
    s = p.s
    made = await _assign(client, s, p.lot["id"], p.student["id"])
    detail = (await client.get(s.api(f"/exams/{made['id']}"), headers=s.headers)).json()
    [listed] = [e for e in (await client.get(s.api("/exams"), headers=s.headers)).json() if e["id"] == made["id"]]
    assert made["heure"] == detail["heure"] == listed["heure"] == "08:00"
    assert (await _lot(client, s, p.lot["id"]))["heure"] == "08:00"
    await login(client, s.org.owner_email)
    asked = await client.get(s.page(f"/places/{p.lot['id']}/eleves/{made['id']}/retirer"))
    assert asked.status_code == 200 and "à 08:00 —" in asked.text
    cancel_page = await client.get(s.page(f"/examens/{made['id']}/annuler"))
    assert cancel_page.status_code == 200 and "à 08:00 —" in cancel_page.text
    removed = await client.delete(s.api(f"/places/{p.lot['id']}/assignments/{made['id']}"), headers=s.headers)
    assert removed.status_code == 200 and removed.json()["heure"] == "08:00"


async def test_a_lots_heure_from_printel_is_the_exam_time(printel_lot, client, settings) -> None:
    p = await printel_lot(places=1, heure="13:30")
    s = p.s
    assert p.lot["heure"] == "13:30"
    made = await _assign(client, s, p.lot["id"], p.student["id"])
    detail = (await client.get(s.api(f"/exams/{made['id']}"), headers=s.headers)).json()
    assert made["heure"] == detail["heure"] == "13:30"
    entry = await _entry(s, made["id"])
    assert entry.start.astimezone(ZoneInfo(PARIS)).strftime("%H:%M") == "13:30"
    await deliver_outbox(settings)
    [mail] = exam_mails(settings)
    assert "13:30" in mail_text(mail)


def test_the_simulator_gives_each_lot_a_deterministic_heure_and_keeps_its_dates() -> None:
    lots = allocated_places(LOGIN, dt.date(2030, 1, 7))
    assert lots == allocated_places(LOGIN, dt.date(2030, 1, 7))
    assert all(lot["heure"] in HEURES for lot in lots)
    state = State(anchors={LOGIN: "2030-01-07"})  # first read that day: the lots keep those dates afterwards
    assert state.places(LOGIN) == lots


async def test_the_client_reads_heure_and_leaves_it_out_when_printel_does(printel) -> None:
    url, state = printel
    state.extra[LOGIN] = [lot_row("PTH0001", heure="09:15"), lot_row("PTH0002")]
    provider = PrintelProvider(url, LOGIN, f"printel-{LOGIN}")
    try:
        lots = {lot.numero: lot for lot in await provider.capture()}
    finally:
        await provider.aclose()
    assert lots["PTH0001"].start == dt.time(9, 15) and lots["PTH0002"].start is None
    assert all(lots[x["numero"]].start is not None for x in allocated_places(LOGIN))


async def test_a_recapture_updates_a_changed_lot_and_keeps_the_eleves_with_a_warning(printel_lot, client) -> None:
    p = await printel_lot(places=2, days=20)
    s, lot_id = p.s, p.lot["id"]
    other = await add_student(client, s)
    first = await _assign(client, s, lot_id, p.student["id"])
    second = await _assign(client, s, lot_id, other["id"])
    same = (await client.post(s.api("/places/capture"), headers=s.headers)).json()
    assert same["mises_a_jour"] == 0 and "déjà toutes enregistrées" in same["message"]

    changed = lot_row(p.numero, days=27, places=1, heure="14:00", lieu="Centre d'examen de Vénissieux")
    async with httpx.AsyncClient(base_url=p.url) as sim:  # Printel now gives one place, a week later, at 14:00
        assert (await sim.post("/_places", json={"login": LOGIN, "places": [changed]})).status_code == 204
    captured = await client.post(s.api("/places/capture"), headers=s.headers)
    assert captured.status_code == 200, captured.text
    answer = captured.json()
    assert (answer["nouvelles"], answer["mises_a_jour"]) == (0, 1)
    assert "1 lot(s) mis à jour" in answer["message"]

    lot = await _lot(client, s, lot_id)
    assert (lot["date"], lot["heure"], lot["lieu"], lot["nombre_places"]) == (
        changed["date"], "14:00", "Centre d'examen de Vénissieux", 1)
    assert (lot["places_attribuees"], lot["places_libres"], lot["places_en_trop"]) == (2, 0, 1)
    assert sorted(e["exam_id"] for e in lot["eleves"]) == sorted([first["id"], second["id"]])
    assert "Printel n'attribue plus que 1 place(s) à ce lot, mais 2 élève(s)" in lot["avertissement"]
    for made in (first, second):  # kept, and moved with the lot
        exam = (await client.get(s.api(f"/exams/{made['id']}"), headers=s.headers)).json()
        assert (exam["statut"], exam["jour"], exam["heure"], exam["centre"]) == (
            "reserve", changed["date"], "14:00", "Centre d'examen de Vénissieux")
        entry = await _entry(s, made["id"])
        assert entry.status != "cancelled" and entry.start.date().isoformat() == changed["date"]
    third = await add_student(client, s, nom="Petit", neph="999988887777")
    full = await client.post(s.api(f"/places/{lot_id}/assignments"), headers=s.headers, json={"eleve": third["id"]})
    assert full.status_code == 409

    await login(client, s.org.owner_email)
    page = await client.get(s.page("/places"))
    assert "Attention : Printel n&#39;attribue plus que 1 place(s) à ce lot, mais 2 élève(s) y sont inscrits" \
        in page.text
    again = await client.post(s.api("/places/capture"), headers=s.headers)
    assert again.json()["mises_a_jour"] == 0


async def test_the_capture_page_says_how_many_lots_were_updated(printel_lot, client) -> None:
    p = await printel_lot(places=2)
    s = p.s
    p.state.extra[LOGIN] = [lot_row(p.numero, places=3)]
    await login(client, s.org.owner_email)
    shown = await submit(client, s.page("/places"), s.page("/places/capturer"), {})
    assert shown.status_code == 200 and "1 lot(s) mis à jour (modifiés par Printel)." in shown.text
    assert "3 place(s) : 0 attribuée(s), 3 libre(s)" in shown.text


async def test_an_eleve_a_moved_lot_puts_inside_their_delays_is_kept_with_a_warning(printel_lot, client) -> None:
    """Printel moves a lot earlier: an élève whose code is too recent for the new date (2 days) stays assigned
    — the place is theirs at Printel — and the school sees why beside their name, in the API and on the page."""
    p = await printel_lot(places=2, days=20)
    s, lot_id = p.s, p.lot["id"]
    today = dt.date.today()
    recent = await add_student(client, s, nom="Roux", neph="555566667777", date_code=today.isoformat())
    settled = await _assign(client, s, lot_id, p.student["id"])
    fresh = await _assign(client, s, lot_id, recent["id"])
    assert all(not e["avertissement"] for e in (await _lot(client, s, lot_id))["eleves"])  # fine on day +20

    async with httpx.AsyncClient(base_url=p.url) as sim:  # Printel moves the session to tomorrow
        moved = await sim.post("/_places", json={"login": LOGIN, "places": [lot_row(p.numero, days=1)]})
        assert moved.status_code == 204
    assert (await client.post(s.api("/places/capture"), headers=s.headers)).json()["mises_a_jour"] == 1
    lot = await _lot(client, s, lot_id)
    warned = {e["exam_id"]: e["avertissement"] for e in lot["eleves"]}
    earliest = (today + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    tomorrow = (today + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert warned[settled["id"]] == ""
    assert warned[fresh["id"]] == (f"ne peut pas passer l'examen le {tomorrow} (Code obtenu il y a moins de 2 jours"
                                   f" : possible à partir du {earliest}) : retirez l'élève du lot ou vérifiez "
                                   "auprès de Printel")
    exam = (await client.get(s.api(f"/exams/{fresh['id']}"), headers=s.headers)).json()
    assert (exam["statut"], exam["jour"]) == ("reserve", (today + dt.timedelta(days=1)).isoformat())  # kept, moved

    await login(client, s.org.owner_email)
    page = await client.get(s.page("/places"))
    assert f"Attention : ne peut pas passer l&#39;examen le {tomorrow}" in page.text
    assert page.text.count("Attention : ne peut pas passer") == 1


async def test_the_exam_length_in_the_agenda_is_the_offices_setting(printel_lot, client, settings) -> None:
    """The agenda entry and the élève's invitation last the office's « Durée d'un examen » (60 min unless set)."""
    p = await printel_lot(places=2, heure="09:30")
    s = p.s
    other = await add_student(client, s)
    default = await _assign(client, s, p.lot["id"], other["id"])
    entry = await _entry(s, default["id"])
    assert entry.end - entry.start == dt.timedelta(minutes=60)
    short = await client.put(s.api("/settings"), headers=s.headers, json={"exam_minutes": 5})
    assert short.status_code == 422 and "exam_minutes" in short.text
    saved = await client.put(s.api("/settings"), headers=s.headers, json={"exam_minutes": 45})
    assert saved.status_code == 200, saved.text
    made = await _assign(client, s, p.lot["id"], p.student["id"])
    entry = await _entry(s, made["id"])
    assert (entry.start.astimezone(ZoneInfo(PARIS)).strftime("%H:%M"), entry.end - entry.start) == (
        "09:30", dt.timedelta(minutes=45))
    await deliver_outbox(settings)
    [mail] = exam_mails(settings)
    _, event = invitation(mail)
    assert event["DTEND"].dt - event["DTSTART"].dt == dt.timedelta(minutes=45)
