"""Citizen online booking on the organisation's public URL: only open motifs, only slots within the
motif's delays (exact bounds), a slot taken meanwhile → 409 and a French message with a new choice,
confirmation email with ICS and SMS, recap link with move/cancel when allowed, waiting list, reminders."""

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.testing.fixtures import csrf_token

DAY = 24 * 60
CITIZEN = "citoyen@example.org"
PARIS = ZoneInfo("Europe/Paris")


def public_url(t, path=""):
    return f"/public/o/{t.slug}/m/rdv_service_public{path}"


@pytest.fixture
async def online(configured, town):
    """The configured town with its agent open every day 8:00-18:00 for an online motif (1 day … 8 days)."""
    from core.tenancy.tables import Organisation

    t = configured["town"]
    row = await Organisation.select(Organisation.slug).where(Organisation.id == t.org.organisation_id).first()
    t.slug = row["slug"]
    motif = await t.make("/motifs", {"name": "Passeport", "service_id": configured["service"]["id"],
                                     "duration_minutes": 30, "online": True, "min_delay_minutes": DAY,
                                     "max_delay_minutes": 8 * DAY, "users_may_change": True,
                                     "instructions_before": "Munissez-vous de votre ancien passeport.",
                                     "instructions_after": "Présentez-vous 5 minutes en avance."})
    today = datetime.now().date()
    await t.make("/plages", {"member_id": configured["agent_id"], "weekdays": list(range(7)),
                             "first_day": today.isoformat(), "start_time": "08:00", "end_time": "18:00",
                             "lieu_id": configured["lieu"]["id"], "motif_ids": [motif["id"]]})
    return {**configured, "online_motif": motif, "town": t}


async def test_no_open_motif_page_says_so(town, client):
    from core.tenancy.tables import Organisation

    t = await town()
    slug = (await Organisation.select(Organisation.slug).first())["slug"]
    page = await client.get(f"/public/o/{slug}/m/rdv_service_public/")
    assert page.status_code == 200 and "Aucun motif n'est ouvert à la réservation en ligne" in page.text
    assert (await client.get("/public/o/inconnue/m/rdv_service_public/")).status_code == 404
    assert t.org


async def test_inactive_module_means_not_found(make_org, client):
    from core.tenancy.tables import Organisation

    await make_org("Mairie sans module")
    slug = (await Organisation.select(Organisation.slug).first())["slug"]
    assert (await client.get(f"/public/o/{slug}/m/rdv_service_public/")).status_code == 404


async def test_only_open_motifs_are_listed(online, client):
    t = online["town"]
    closed = await t.make("/motifs", {"name": "Urbanisme fermé", "service_id": online["service"]["id"]})
    page = await client.get(public_url(t, "/"))
    assert "Passeport" in page.text and "Urbanisme fermé" not in page.text
    assert (await client.get(public_url(t, f"/motifs/{closed['id']}"))).status_code == 404
    step2 = await client.get(public_url(t, f"/motifs/{online['online_motif']['id']}"))
    assert "Munissez-vous de votre ancien passeport." in step2.text and "Mairie" in step2.text


async def test_slots_stay_within_the_delays(online, client):
    t, motif = online["town"], online["online_motif"]
    slots = (await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"))).json()
    starts = [datetime.fromisoformat(s["starts_at"]) for s in slots]
    now = datetime.now(UTC)
    assert starts and min(starts) >= now + timedelta(days=1) - timedelta(seconds=5)
    # the first half-hour of the 08:00–18:00 opening at or after now + 1 day (not always on that day)
    earliest = (now + timedelta(days=1)).astimezone(PARIS)
    candidates = (datetime.combine(earliest.date() + timedelta(days=d), datetime.min.time(), PARIS)
                  + timedelta(minutes=8 * 60 + 30 * n) for d in range(3) for n in range(20))
    assert min(starts) == next(c for c in candidates if c >= earliest)
    assert max(starts) <= now + timedelta(days=8)
    too_soon = (now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    response = await client.post(public_url(t, "/api/rdvs"), json={
        "motif_id": motif["id"], "starts_at": too_soon.isoformat(), "citizen_name": "Trop tôt",
        "citizen_email": CITIZEN})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "starts_at"


@pytest.mark.nodb
def test_delay_bounds_are_inclusive_to_the_second():
    from core.plugin_api import ValidationFailed
    from plugins.rdv_service_public.services.public import check_window
    from plugins.rdv_service_public.tables import Motif

    motif = Motif(min_delay_minutes=30, max_delay_minutes=366 * DAY)
    moment = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    check_window(motif, moment + timedelta(minutes=30), moment)
    check_window(motif, moment + timedelta(minutes=366 * DAY), moment)
    for start in (moment + timedelta(minutes=30) - timedelta(seconds=1),
                  moment + timedelta(minutes=366 * DAY, seconds=1)):
        with pytest.raises(ValidationFailed):
            check_window(motif, start, moment)


async def test_citizen_books_receives_email_with_ics_and_sms(online, client, mails, settings):
    t, motif = online["town"], online["online_motif"]
    slot = (await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"))).json()[0]
    local = datetime.fromisoformat(slot["starts_at"]).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    form_path = public_url(t, f"/motifs/{motif['id']}/reserver?starts_at={local}&lieu_id={slot['lieu_id']}")
    token = await csrf_token(client, form_path)
    response = await client.post(public_url(t, f"/motifs/{motif['id']}/reserver"), data={
        "_csrf_token": token, "starts_at": local, "lieu_id": slot["lieu_id"], "citizen_name": "Camille Petit",
        "citizen_email": CITIZEN, "citizen_phone": "06 12 34 56 78"}, follow_redirects=False)
    assert response.status_code in (302, 303), response.text
    recap = await client.get(response.headers["location"])
    assert "Votre rendez-vous est confirmé" in recap.text and "Présentez-vous 5 minutes en avance." in recap.text
    assert "· À venir" in recap.text
    [message] = await mails(CITIZEN)
    parts = {p.get_content_type(): p for p in message.walk()}
    assert "text/calendar" in parts and "Présentez-vous 5 minutes en avance." in parts["text/plain"].get_content()
    assert response.headers["location"].split("?")[0] in parts["text/plain"].get_content()
    sms = [json.loads(line) for line in (settings.data_dir / "sms" / "sms.jsonl").read_text().splitlines()]
    assert [s["to"] for s in sms] == ["+33612345678"] and "Passeport" in sms[0]["text"]


async def test_slot_taken_meanwhile_gives_409_and_a_new_choice(online, client):
    t, motif = online["town"], online["online_motif"]
    slot = (await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"))).json()[0]
    booking = {"motif_id": motif["id"], "starts_at": slot["starts_at"], "citizen_name": "Premier",
               "citizen_email": "premier@example.org"}
    first = await client.post(public_url(t, "/api/rdvs"), json=booking)
    assert first.status_code == 201, first.text
    second = await client.post(public_url(t, "/api/rdvs"), json={**booking, "citizen_name": "Second"})
    assert second.status_code == 409 and "vient d'être pris" in second.json()["detail"]
    local = datetime.fromisoformat(slot["starts_at"]).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    token = await csrf_token(client, public_url(t, f"/motifs/{motif['id']}/reserver?starts_at={local}"))
    page = await client.post(public_url(t, f"/motifs/{motif['id']}/reserver"), data={
        "_csrf_token": token, "starts_at": local, "citizen_name": "Troisième", "citizen_email": CITIZEN})
    assert page.status_code == 409
    assert "vient d&#39;être pris" in page.text and "Choisissez un autre créneau" in page.text
    assert 'class="slot"' in page.text  # other slots offered


async def _book(client, t, motif, index=0, email=CITIZEN):
    slot = (await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"))).json()[index]
    response = await client.post(public_url(t, "/api/rdvs"), json={
        "motif_id": motif["id"], "starts_at": slot["starts_at"], "citizen_name": "Camille", "citizen_email": email})
    assert response.status_code == 201, response.text
    return response.json()


async def test_recap_link_moves_and_cancels(online, client, mails):
    t, motif = online["town"], online["online_motif"]
    booked = await _book(client, t, motif)
    recap_path = booked["recap_url"].replace("http://testserver.local", "")
    page = await client.get(recap_path)
    assert "Déplacer le rendez-vous" in page.text
    moves = await client.get(recap_path + "/deplacer")
    times = re.findall(r'name="starts_at" value="([^"]+)"', moves.text)
    token = await csrf_token(client, recap_path)
    moved = await client.post(recap_path + "/deplacer", data={"_csrf_token": token, "starts_at": times[3]})
    assert moved.status_code == 303 and moved.headers["location"] == recap_path + "?fait=deplace"  # 12.12
    shown = await client.get(moved.headers["location"])
    assert shown.status_code == 200 and "a été déplacé" in shown.text
    rdv = (await t.call("GET", f"/rdvs/{booked['id']}")).json()
    assert datetime.fromisoformat(rdv["starts_at"]).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M") == times[3]
    cancelled = await client.post(recap_path + "/annuler", data={"_csrf_token": token})
    assert cancelled.status_code == 303 and cancelled.headers["location"] == recap_path + "?fait=annule"
    assert "est annulé" in (await client.get(cancelled.headers["location"])).text
    direct = await client.get(recap_path + "/annuler")  # a bookmarked or refreshed action URL: no 405
    assert direct.status_code in (302, 303) and direct.headers["location"] == recap_path
    assert (await t.call("GET", f"/rdvs/{booked['id']}")).json()["status"] == "annule"
    subjects = sorted(m["Subject"].split(" — ")[0] for m in await mails(CITIZEN))  # the worker sends in parallel
    assert subjects == ["Votre rendez-vous a été modifié", "Votre rendez-vous est annulé",
                        "Votre rendez-vous est confirmé"]
    again = await client.post(recap_path + "/annuler", data={"_csrf_token": token})
    assert again.status_code == 409


async def test_recap_refuses_changes_when_the_motif_does_not_allow_them(online, client):
    t, motif = online["town"], online["online_motif"]
    await t.call("PUT", f"/motifs/{motif['id']}", json={"users_may_change": False})
    booked = await _book(client, t, motif)
    recap_path = booked["recap_url"].replace("http://testserver.local", "")
    page = await client.get(recap_path)
    assert "Déplacer le rendez-vous" not in page.text and "contactez" in page.text
    token = await csrf_token(client, public_url(t, f"/motifs/{motif['id']}/reserver"))
    refused = await client.post(recap_path + "/annuler", data={"_csrf_token": token})
    assert refused.status_code == 403
    assert (await client.get(public_url(t, "/rdv/jeton-inconnu"))).status_code == 404


async def test_waiting_list_hears_of_an_earlier_free_slot(online, client, mails):
    t, motif = online["town"], online["online_motif"]
    early = await _book(client, t, motif, 0, "tot@example.org")
    late = await _book(client, t, motif, 10, "tard@example.org")
    late_path = late["recap_url"].replace("http://testserver.local", "")
    token = await csrf_token(client, late_path)
    joined = await client.post(late_path + "/liste-attente", data={"_csrf_token": token, "wanted": "1"})
    assert joined.status_code == 303
    assert "nous vous écrirons" in (await client.get(joined.headers["location"])).text
    early_path = early["recap_url"].replace("http://testserver.local", "")
    await client.post(early_path + "/annuler", data={"_csrf_token": token})
    offers = [m for m in await mails("tard@example.org") if "plus tôt" in m["Subject"]]
    assert len(offers) == 1 and late_path in offers[0].get_content()


async def test_reminder_is_sent_once_48_hours_before(online, client, mails):
    from plugins.rdv_service_public.services.public import send_reminders

    t, motif = online["town"], online["online_motif"]
    booked = await _book(client, t, motif)  # about one day ahead
    far = await _book(client, t, motif, -1, "loin@example.org")  # about eight days ahead
    assert await send_reminders() == 1
    assert await send_reminders() == 0
    reminders = [m for m in await mails(CITIZEN) if "Rappel" in m["Subject"]]
    assert len(reminders) == 1
    assert not [m for m in await mails("loin@example.org") if "Rappel" in m["Subject"]]
    assert booked["id"] != far["id"]


@pytest.mark.parametrize(("method", "path", "payload"), [
    ("GET", "/motifs/pas-un-id", None),
    ("GET", "/motifs/MOTIF/creneaux?start=n-importe-quoi&lieu_id=abc", None),
    ("GET", "/motifs/MOTIF/reserver?starts_at=demain", None),
    ("GET", "/api/motifs/MOTIF/slots?start=hier", None),
    ("POST", "/api/rdvs", {"motif_id": 999999, "starts_at": "2030-01-01T10:00:00", "citizen_name": "X"}),
    ("POST", "/api/rdvs", {"motif_id": "MOTIF", "starts_at": "pas une date", "citizen_name": "X"}),
    ("POST", "/api/rdvs", {"motif_id": "MOTIF", "starts_at": "2030-01-01T10:00:00", "citizen_name": "",
                           "citizen_email": "faux", "citizen_phone": "12"}),
    ("GET", "/rdv/" + "x" * 200, None),
])
async def test_bad_public_input_never_gives_a_server_error(online, client, method, path, payload):
    t, motif = online["town"], online["online_motif"]
    path = path.replace("MOTIF", str(motif["id"]))
    if isinstance(payload, dict) and payload.get("motif_id") == "MOTIF":
        payload = {**payload, "motif_id": motif["id"]}
    response = await client.request(method, public_url(t, path), json=payload)
    assert 400 <= response.status_code < 500 or response.status_code == 200, response.text[:300]


async def test_office_settings_public_message_and_citizen_sms(online, client, mails, settings):
    """The module's settings (« Réglages du module »): the office's message is shown above the motifs; with
    « SMS aux usagers » off the citizen gets the email and no SMS."""
    t, motif = online["town"], online["online_motif"]
    settings_url = t.base + "/settings"
    assert (await client.get(settings_url, headers=t.headers)).json() == {"public_message": "",
                                                                          "citizen_sms": True}
    assert "public-message" not in (await client.get(public_url(t, "/"))).text
    saved = await client.put(settings_url, headers=t.headers, json={
        "public_message": "Travaux : entrée par la rue de la Poste.", "citizen_sms": False})
    assert saved.status_code == 200, saved.text
    too_long = await client.put(settings_url, headers=t.headers, json={"public_message": "x" * 501})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "public_message"
    page = await client.get(public_url(t, "/"))
    assert '<p class="panel public-message">Travaux : entrée par la rue de la Poste.</p>' in page.text
    slot = (await client.get(public_url(t, f"/api/motifs/{motif['id']}/slots"))).json()[0]
    response = await client.post(public_url(t, "/api/rdvs"), json={
        "motif_id": motif["id"], "starts_at": slot["starts_at"], "citizen_name": "Sans SMS",
        "citizen_email": CITIZEN, "citizen_phone": "06 12 34 56 78"})
    assert response.status_code == 201, response.text
    assert len(await mails(CITIZEN)) == 1
    sms_file = settings.data_dir / "sms" / "sms.jsonl"
    assert not sms_file.exists() or sms_file.read_text() == ""
