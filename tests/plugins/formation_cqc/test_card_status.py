"""« Demandes de carte CQC » on the centre side: the list of the centre's card requests (driver, training, date,
address, status) with a status filter, page and API, gated like « Mes sessions » (403 without the grant, 404 for
another organisation); the status moves déposée → en fabrication → expédiée (optional tracking number) or
refusée (reason required), each change audited and emailed to the driver in French, shown with its history on
the driver's page; an invalid transition is a French message next to the field / a 422 naming the field."""

import pytest

from core.auth.tables import AuditEntry
from core.config import SmtpSettings
from core.testing.fixtures import api_token, deliver_outbox, login, sent_mails
from plugins.formation_cqc.tables import CardRequest, CardStatusChange, RegistrationLine
from tests.core.accounts.helpers import post_form, text
from tests.plugins.formation_cqc.test_card_request import ADDRESS, EMAIL, SPACE, _claimed_driver, _request


@pytest.fixture
def socle_plugin() -> str:
    return "formation_cqc"


@pytest.fixture
def smtp_settings():
    return SmtpSettings()


async def _with_request(app, client, settings, org) -> int:
    await _claimed_driver(app, client, settings, org)
    (zoe,) = await RegistrationLine.select().where(RegistrationLine.licence == "123456789012")
    assert (await _request(client, line=str(zoe["id"]), **ADDRESS)).status_code == 303
    (row,) = await CardRequest.select(CardRequest.id)
    await deliver_outbox(settings, app.state.jobs)
    return int(row["id"])


def _mails(settings, subject: str) -> list:
    return [m for m in sent_mails(settings) if subject in str(m["Subject"])]


async def test_the_centre_moves_a_request_to_shipped(app, client, settings, office_with_plugin, make_org,
                                                      add_member, activate_plugin):
    org = office_with_plugin
    request_id = await _with_request(app, client, settings, org)
    driver_cookies = dict(client.cookies)
    client.cookies.clear()
    base = f"/offices/{org.office_id}/m/formation_cqc/cartes-cqc"
    _, basic = await add_member(org, "basic")
    await login(client, basic)
    assert (await client.get(base)).status_code == 403  # no « Enregistrer des sessions »
    client.cookies.clear()
    await login(client, org.owner_email)

    page = await client.get(base)
    assert page.status_code == 200
    row = text(page).split("Changer l'état", 1)[1]
    assert "Zoé N'DIAYE" in row and "CAP conducteur" in row and "12 rue des Lilas, 69003 Lyon" in row
    assert "Demande déposée" in row
    assert 'label for="status-' in page.text and 'label for="reason-' in page.text
    assert "Aucune demande de carte" in text(await client.get(base + "?statut=expediee"))

    action = f"{base}/{request_id}/etat"
    skip = await post_form(client, action, {"status": "expediee"}, form_path=base)  # déposée → expédiée: no
    assert skip.status_code == 422
    assert f'aria-invalid="true" aria-describedby="status-{request_id}-error"' in skip.text
    assert "seuls sont possibles" in text(skip)
    refusal = await post_form(client, action, {"status": "refusee", "reason": "  "}, form_path=base)
    assert refusal.status_code == 422 and f'id="reason-{request_id}-error"' in refusal.text
    assert "motif du refus" in text(refusal)
    assert await CardStatusChange.count() == 0 and (await CardRequest.select(CardRequest.status))[0][
        "status"] == "deposee"

    made = await post_form(client, action, {"status": "en_fabrication"}, form_path=base)
    assert made.status_code == 303
    shipped = await post_form(client, action, {"status": "expediee", "tracking_number": "6A123456789"},
                              form_path=base)
    assert shipped.status_code == 303
    page = await client.get(shipped.headers["location"])
    assert "le conducteur est prévenu" in text(page) and "Suivi : 6A123456789" in text(page)
    assert "Aucun changement possible" in text(page)
    assert "Carte expédiée" in text(await client.get(base + "?statut=expediee"))
    assert "Aucune demande de carte" in text(await client.get(base + "?statut=deposee"))
    audits = await AuditEntry.select(AuditEntry.action, AuditEntry.summary).where(
        AuditEntry.action == "formation_cqc.card_status").order_by(AuditEntry.id)
    assert [a["summary"] for a in audits] == [
        "Demande de carte CQC : Demande déposée → Carte en fabrication",
        "Demande de carte CQC : Carte en fabrication → Carte expédiée"]

    await deliver_outbox(settings, app.state.jobs)
    (made_mail,) = _mails(settings, "Votre carte CQC est en fabrication")
    (sent,) = _mails(settings, "Votre carte CQC a été expédiée")
    assert EMAIL in str(sent["To"]) and EMAIL in str(made_mail["To"])
    body = sent.get_body(("plain",)).get_content()
    assert "Numéro de suivi : 6A123456789" in body and "69003 Lyon" in body and "Bonjour Zoé" in body

    client.cookies.clear()
    client.cookies.update(driver_cookies)
    mine = text(await client.get(SPACE + "/carte-cqc"))
    assert "Carte expédiée" in mine and "Carte en fabrication" in mine and "numéro de suivi : 6A123456789" in mine

    client.cookies.clear()
    other = await activate_plugin(await make_org("Autre centre"))
    await login(client, other.owner_email)
    other_base = f"/offices/{org.office_id}/m/formation_cqc/cartes-cqc"
    assert (await client.get(other_base)).status_code == 404
    own_base = f"/offices/{other.office_id}/m/formation_cqc/cartes-cqc"
    assert "Aucune demande de carte" in text(await client.get(own_base))
    stranger = await post_form(client, f"{own_base}/{request_id}/etat", {"status": "refusee", "reason": "x"},
                               form_path=own_base)
    assert stranger.status_code == 404


async def test_api_lists_and_refuses_with_a_reason(app, client, settings, office_with_plugin, make_org,
                                                   activate_plugin):
    org = office_with_plugin
    request_id = await _with_request(app, client, settings, org)
    driver_cookies = dict(client.cookies)
    headers = await api_token(client, org.owner_email)
    url = f"/api/v1/offices/{org.office_id}/m/formation_cqc/cartes-cqc"
    (listed,) = (await client.get(url, headers=headers)).json()
    assert listed["id"] == request_id and listed["status"] == "deposee" and listed["driver"] == "Zoé N'DIAYE"
    assert listed["address"] == "12 rue des Lilas, 69003 Lyon" and listed["next"] == ["en_fabrication", "refusee"]
    assert (await client.get(url + "?status=refusee", headers=headers)).json() == []
    bad_filter = await client.get(url + "?status=perdue", headers=headers)
    assert bad_filter.status_code == 422 and bad_filter.json()["errors"][0]["field"] == "status"

    change = f"{url}/{request_id}/status"
    no_reason = await client.post(change, json={"status": "refusee"}, headers=headers)
    assert no_reason.status_code == 422 and [e["field"] for e in no_reason.json()["errors"]] == ["reason"]
    unknown = await client.post(change, json={"status": "perdue"}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "status"
    garbage = await client.post(change, content=b"{", headers=headers)
    assert garbage.status_code == 422 and garbage.json()["errors"][0]["field"] == "body"
    assert (await client.post(f"{url}/999999/status", json={"status": "en_fabrication"},
                              headers=headers)).status_code == 404

    refused = await client.post(change, json={"status": "refusee", "reason": "Photo d'identité illisible"},
                                headers=headers)
    assert refused.status_code == 200, refused.text
    assert refused.json()["status"] == "refusee" and refused.json()["reason"] == "Photo d'identité illisible"
    again = await client.post(change, json={"status": "en_fabrication"}, headers=headers)
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "status"
    assert "ne peut plus changer" in again.text
    assert await CardStatusChange.count() == 1
    await deliver_outbox(settings, app.state.jobs)
    (mail,) = _mails(settings, "Votre demande de carte CQC est refusée")
    assert "Motif : Photo d'identité illisible" in mail.get_body(("plain",)).get_content()
    client.cookies.clear()
    client.cookies.update(driver_cookies)
    assert "motif : Photo d'identité illisible" in text(await client.get(SPACE + "/carte-cqc"))
    erased = await post_form(client, "/mon-espace/donnees/supprimer", {"confirm_email": EMAIL},
                             form_path="/mon-espace/donnees")
    assert erased.status_code == 200 and "Compte supprimé" in text(erased)  # the history goes with the request
    assert await CardRequest.count() == 0 and await CardStatusChange.count() == 0

    other = await activate_plugin(await make_org("Autre centre"))
    other_headers = await api_token(client, other.owner_email)
    assert (await client.get(url, headers=other_headers)).status_code == 404
    assert (await client.post(f"/api/v1/offices/{other.office_id}/m/formation_cqc/cartes-cqc/{request_id}/status",
                              json={"status": "en_fabrication"}, headers=other_headers)).status_code == 404
